//! The gap's motion between macro steps: backward Euler in velocity and acceleration.
//!
//! Backward Euler is L-stable: while the joint creeps with steps of seconds (far longer
//! than the ~6 ms period of the bone on its ligaments) the inertia term vanishes without
//! the spurious velocity oscillations the trapezoidal rule leaves behind, and through the
//! crack, where steps are microseconds, its numerical damping (`ω Δt / 2` ~ 1e-3) is
//! negligible. Its local error `Δt²/2 |a₁ − a₀|` sets the macro step.

/// Gap, its rate and acceleration at the end of the last accepted step.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GapMotion {
    /// Gap `h` (m).
    pub gap_m: f64,
    /// `dh/dt` (m/s).
    pub speed_m_s: f64,
    /// `d²h/dt²` (m/s²).
    pub acceleration_m_s2: f64,
}

impl GapMotion {
    /// At rest at `gap_m`.
    pub fn at_rest(gap_m: f64) -> Self {
        Self {
            gap_m,
            speed_m_s: 0.0,
            acceleration_m_s2: 0.0,
        }
    }

    /// The motion that ends at `gap_m` after `dt_s`.
    pub fn advanced_to(&self, gap_m: f64, dt_s: f64) -> Self {
        let speed = (gap_m - self.gap_m) / dt_s;
        Self {
            gap_m,
            speed_m_s: speed,
            acceleration_m_s2: (speed - self.speed_m_s) / dt_s,
        }
    }

    /// The inertial force `−m a` (N, along the opening) of a step ending at `gap_m`, and
    /// its derivative with respect to `gap_m` (N/m).
    pub fn inertial_force(&self, mass_kg: f64, gap_m: f64, dt_s: f64) -> (f64, f64) {
        let a = self.advanced_to(gap_m, dt_s).acceleration_m_s2;
        (-mass_kg * a, -mass_kg / (dt_s * dt_s))
    }

    /// Local error estimate of a step to `next` (m).
    pub fn local_error_m(&self, next: &Self, dt_s: f64) -> f64 {
        0.5 * dt_s * dt_s * (next.acceleration_m_s2 - self.acceleration_m_s2).abs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A free oscillator `m h'' = −k h` integrated with the scheme: first-order
    /// convergence of the phase error (halving Δt halves the error, within 10 % since the
    /// O(Δt²) terms are still visible at these step counts).
    #[test]
    fn backward_euler_is_first_order() {
        let (m, k) = (0.02_f64, 2e4_f64);
        let omega = (k / m).sqrt();
        let period = 2.0 * std::f64::consts::PI / omega;
        let error = |steps: usize| {
            let dt = period / steps as f64;
            let mut g = GapMotion {
                gap_m: 1e-4,
                speed_m_s: 0.0,
                acceleration_m_s2: -k / m * 1e-4,
            };
            for _ in 0..steps {
                // Solve m (h − h0 − dt v0)/dt² = −k h for h.
                let h = (m * (g.gap_m + dt * g.speed_m_s) / (dt * dt)) / (m / (dt * dt) + k);
                let (f, _) = g.inertial_force(m, h, dt);
                assert!((f - k * h).abs() < 1e-9 * k * 1e-4);
                g = g.advanced_to(h, dt);
            }
            (g.gap_m - 1e-4).abs()
        };
        let (e1, e2) = (error(4000), error(8000));
        assert!((e1 / e2 - 2.0).abs() < 0.2, "{e1} {e2}");
    }
}
