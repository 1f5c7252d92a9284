//! Classical single-bubble results the bubble field is verified against.

/// Rayleigh's collapse time of an empty spherical cavity, s:
/// `t_c = 0.914681 R0 sqrt(ρ / Δp)` (Rayleigh 1917; the constant is
/// `sqrt(3/2) B(5/6, 1/2) / 2 ≈ 0.9146813`).
pub fn rayleigh_collapse_time_s(
    radius_m: f64,
    density_kg_m3: f64,
    pressure_difference_pa: f64,
) -> f64 {
    0.914_681_3 * radius_m * (density_kg_m3 / pressure_difference_pa).sqrt()
}

/// Natural frequency of small radial oscillations with surface tension, Hz (Minnaert 1933,
/// with the Laplace-pressure correction):
/// `ω² = [3κ (p∞ + 2σ/R − p_v) − 2σ/R] / (ρ R²)`.
pub fn minnaert_frequency_hz(
    radius_m: f64,
    density_kg_m3: f64,
    ambient_pa: f64,
    surface_tension_n_m: f64,
    vapour_pressure_pa: f64,
    polytropic_index: f64,
) -> f64 {
    let laplace = 2.0 * surface_tension_n_m / radius_m;
    let gas = ambient_pa + laplace - vapour_pressure_pa;
    let omega2 = (3.0 * polytropic_index * gas - laplace) / (density_kg_m3 * radius_m * radius_m);
    omega2.sqrt() / (2.0 * std::f64::consts::PI)
}

/// Blake's critical radius (m) and threshold liquid pressure (Pa) of a nucleus of radius
/// `radius_m` in equilibrium at `ambient_pa` (isothermal ideal gas):
/// `R_c = sqrt(3 p_g0 R0³ / (2σ))`, `p_Blake = p_v − 4σ / (3 R_c)` with
/// `p_g0 = p∞ + 2σ/R0 − p_v`.
pub fn blake_threshold(
    radius_m: f64,
    ambient_pa: f64,
    surface_tension_n_m: f64,
    vapour_pressure_pa: f64,
) -> (f64, f64) {
    let gas = ambient_pa + 2.0 * surface_tension_n_m / radius_m - vapour_pressure_pa;
    let critical = (3.0 * gas * radius_m.powi(3) / (2.0 * surface_tension_n_m)).sqrt();
    (
        critical,
        vapour_pressure_pa - 4.0 * surface_tension_n_m / (3.0 * critical),
    )
}

/// Inputs of the Epstein–Plesset problem: a single-species gas bubble dissolving
/// quasi-statically in a liquid at rest.
#[derive(Debug, Clone, Copy)]
pub struct EpsteinPlesset {
    /// Initial radius, m.
    pub radius_m: f64,
    /// Liquid pressure far away, Pa.
    pub ambient_pa: f64,
    /// Surface tension, N/m.
    pub surface_tension_n_m: f64,
    /// Vapour pressure, Pa (part of the bubble's pressure that is not gas).
    pub vapour_pressure_pa: f64,
    /// Henry solubility, mol/(m³ Pa).
    pub henry_mol_m3_pa: f64,
    /// Diffusivity, m²/s.
    pub diffusivity_m2_s: f64,
    /// Far-field dissolved concentration, mol/m³.
    pub far_field_mol_m3: f64,
    /// Temperature, K.
    pub temperature_k: f64,
}

impl EpsteinPlesset {
    /// `dR/ds` with `s = sqrt(t)`, from `dn/dt = 4πR²D(c∞ − H p_g)(1/R + 1/sqrt(πDt))` and
    /// `n = p_g (4π/3) R³ / (R T)`, `p_g = p∞ + 2σ/R − p_v` (Epstein & Plesset 1950, eq. 17
    /// with surface tension). Smooth in `s`, unlike the `1/sqrt(t)` of the transient term.
    fn slope(&self, s: f64, r: f64) -> f64 {
        let rt = super::super::bubbles::species::GAS_CONSTANT * self.temperature_k;
        let p_gas = self.ambient_pa + 2.0 * self.surface_tension_n_m / r - self.vapour_pressure_pa;
        let flux = self.diffusivity_m2_s * (self.far_field_mol_m3 - self.henry_mol_m3_pa * p_gas);
        let transient = r / (std::f64::consts::PI * self.diffusivity_m2_s).sqrt();
        2.0 * rt * flux * (s + transient)
            / (r * (self.ambient_pa - self.vapour_pressure_pa)
                + 4.0 * self.surface_tension_n_m / 3.0)
    }

    /// Lifetime of the bubble, s, by classical RK4 in `s = sqrt(t)` with `steps` steps per
    /// unit of the quasi-stationary estimate; the final approach to `R = 0` (where
    /// `R² ∝ t_d − t`) is closed analytically from `R < 1e-3 R0`.
    pub fn lifetime_s(&self, steps: usize) -> Option<f64> {
        let rt = super::super::bubbles::species::GAS_CONSTANT * self.temperature_k;
        // Quasi-stationary estimate without surface tension or transient term sets the scale.
        let density = (self.ambient_pa - self.vapour_pressure_pa) / rt;
        let undersaturation = self.henry_mol_m3_pa * (self.ambient_pa - self.vapour_pressure_pa)
            - self.far_field_mol_m3;
        if undersaturation <= 0.0 && self.surface_tension_n_m == 0.0 {
            return None;
        }
        let estimate = density * self.radius_m.powi(2)
            / (2.0 * self.diffusivity_m2_s * undersaturation.max(1e-30));
        let ds = estimate.sqrt() / steps as f64;
        let mut s = 0.0;
        let mut r = self.radius_m;
        let floor = 1e-3 * self.radius_m;
        for _ in 0..(100 * steps) {
            let k1 = self.slope(s, r);
            let k2 = self.slope(s + 0.5 * ds, (r + 0.5 * ds * k1).max(floor));
            let k3 = self.slope(s + 0.5 * ds, (r + 0.5 * ds * k2).max(floor));
            let k4 = self.slope(s + ds, (r + ds * k3).max(floor));
            let r_next = r + ds / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
            if r_next <= floor {
                // Linear interpolation in R² to the floor, then the R → 0 tail.
                let frac = (r * r - floor * floor) / (r * r - r_next.max(0.0).powi(2));
                let s_floor = s + frac.clamp(0.0, 1.0) * ds;
                let t_floor = s_floor * s_floor;
                // Near R = 0 Laplace pressure dominates: dR/dt ≈ −(3/2) R T D H / R.
                let tail =
                    floor * floor / (3.0 * rt * self.diffusivity_m2_s * self.henry_mol_m3_pa);
                return Some(t_floor + tail.min(t_floor));
            }
            r = r_next;
            s += ds;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference integration converges (successive step halvings change the lifetime
    /// at least 4x less each time; fourth-order RK4 gives ~16x, the end-point R²
    /// interpolation is second order), and, without surface tension, the transient term can
    /// only speed dissolution: the lifetime lies below the quasi-stationary closed form
    /// `ρ_g R0² / (2 D c_s)` and, for this bubble, above half of it.
    #[test]
    fn epstein_plesset_converges_and_is_faster_than_quasi_stationary() {
        let ep = EpsteinPlesset {
            radius_m: 20e-6,
            ambient_pa: 1e5,
            surface_tension_n_m: 0.0,
            vapour_pressure_pa: 0.0,
            henry_mol_m3_pa: 6.4e-6,
            diffusivity_m2_s: 2e-9,
            far_field_mol_m3: 0.0,
            temperature_k: 298.15,
        };
        let coarse = ep.lifetime_s(200).unwrap();
        let fine = ep.lifetime_s(400).unwrap();
        let finer = ep.lifetime_s(800).unwrap();
        // Successive differences shrink at least 8x (fourth order would give 16x; the
        // R² interpolation at the end is second order in the final step).
        assert!(
            (coarse - fine).abs() > 4.0 * (fine - finer).abs(),
            "{coarse} {fine} {finer}"
        );
        let rt = 8.314_462_618 * 298.15;
        let quasi_stationary = (1e5 / rt) * 20e-6f64.powi(2) / (2.0 * 2e-9 * 6.4e-6 * 1e5);
        assert!(finer < quasi_stationary && finer > 0.5 * quasi_stationary);
    }

    /// The Blake threshold is the minimum of the quasi-static equilibrium curve
    /// `p∞(R) = p_g0 (R0/R)³ + p_v − 2σ/R`, checked by brute force to 1e-6.
    #[test]
    fn blake_threshold_is_the_minimum_of_the_equilibrium_curve() {
        let (r0, p0, sigma, pv) = (1e-6, 1e5, 0.07, 6300.0);
        let (rc, pc) = blake_threshold(r0, p0, sigma, pv);
        let pg0 = p0 + 2.0 * sigma / r0 - pv;
        let curve = |r: f64| pg0 * (r0 / r).powi(3) + pv - 2.0 * sigma / r;
        let (mut best_r, mut best_p) = (0.0, f64::INFINITY);
        for i in 1..200_000 {
            let r = r0 * (1.0 + 5.0 * i as f64 / 200_000.0);
            if curve(r) < best_p {
                best_p = curve(r);
                best_r = r;
            }
        }
        assert!((best_p - pc).abs() < 1e-6 * pc.abs(), "{best_p} vs {pc}");
        assert!((best_r / rc - 1.0).abs() < 1e-3);
    }
}
