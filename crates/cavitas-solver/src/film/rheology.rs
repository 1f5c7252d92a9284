//! Flow curve of the synovial fluid: Newtonian or shear-thinning Carreau–Yasuda.
//!
//! Carreau–Yasuda: `μ(γ̇) = μ∞ + (μ0 − μ∞) [1 + (λ γ̇)^a]^{(n − 1)/a}` with the shear stress
//! `τ(γ̇) = μ(γ̇) γ̇`. Its tangent
//! `dτ/dγ̇ = μ∞ + (μ0 − μ∞) [1 + x^a]^{(n − 1)/a − 1} (1 + n x^a)`, `x = λ γ̇`, is positive for
//! `n > 0`, so the flow curve is strictly increasing and the inverse `γ̇(τ)` the slot flux needs
//! exists and is unique. `a = 2` is Carreau's model. Parameters and their sources:
//! `validation/synovial-rheology/README.md`.

use serde::{Deserialize, Serialize};

use super::film_error::FilmError;
use crate::config::{Validate, Validator};

/// The viscosity model, `[film.rheology]` with `model = "newtonian" | "carreau_yasuda"`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rheology {
    /// A constant viscosity.
    Newtonian {
        /// Viscosity `μ` (Pa·s). Range: (0, 1e4].
        viscosity_pa_s: f64,
    },
    /// Shear-thinning Carreau–Yasuda fluid.
    CarreauYasuda {
        /// Zero-shear viscosity `μ0` (Pa·s). Default 5 (\[A\], published order 1–10).
        /// Range: (0, 1e4], `>= μ∞`.
        #[serde(default = "default_mu0")]
        zero_shear_viscosity_pa_s: f64,
        /// High-shear viscosity `μ∞` (Pa·s). Default 0.01 (\[A\]). Range: (0, μ0].
        #[serde(default = "default_mu_inf")]
        infinite_shear_viscosity_pa_s: f64,
        /// Time constant `λ` (s): the reciprocal of the shear rate at which thinning starts.
        /// Default 1 (\[A\]). Range: [0, 1e4].
        #[serde(default = "default_lambda")]
        time_constant_s: f64,
        /// Power-law index `n` (1). Default 0.3 (\[A\]). Range: (0, 1].
        #[serde(default = "default_n")]
        power_index: f64,
        /// Yasuda transition exponent `a` (1); 2 is Carreau. Default 2. Range: [0.1, 10].
        #[serde(default = "default_a")]
        transition_exponent: f64,
    },
}

fn default_mu0() -> f64 {
    5.0
}
fn default_mu_inf() -> f64 {
    0.01
}
fn default_lambda() -> f64 {
    1.0
}
fn default_n() -> f64 {
    0.3
}
fn default_a() -> f64 {
    2.0
}

impl Default for Rheology {
    /// The shear-thinning synovial fluid with the \[A\] defaults.
    fn default() -> Self {
        Self::carreau(
            default_mu0(),
            default_mu_inf(),
            default_lambda(),
            default_n(),
        )
    }
}

impl Rheology {
    /// Carreau's model (`a = 2`).
    pub fn carreau(mu0: f64, mu_inf: f64, lambda_s: f64, n: f64) -> Self {
        Self::CarreauYasuda {
            zero_shear_viscosity_pa_s: mu0,
            infinite_shear_viscosity_pa_s: mu_inf,
            time_constant_s: lambda_s,
            power_index: n,
            transition_exponent: 2.0,
        }
    }

    /// The viscosity at vanishing shear (Pa·s): `μ` or `μ0`.
    pub fn zero_shear_viscosity_pa_s(&self) -> f64 {
        match *self {
            Self::Newtonian { viscosity_pa_s } => viscosity_pa_s,
            Self::CarreauYasuda {
                zero_shear_viscosity_pa_s,
                ..
            } => zero_shear_viscosity_pa_s,
        }
    }

    /// The viscosity at unbounded shear (Pa·s): `μ` or `μ∞`.
    pub fn infinite_shear_viscosity_pa_s(&self) -> f64 {
        match *self {
            Self::Newtonian { viscosity_pa_s } => viscosity_pa_s,
            Self::CarreauYasuda {
                infinite_shear_viscosity_pa_s,
                ..
            } => infinite_shear_viscosity_pa_s,
        }
    }

    /// A stress (Pa) around which the flow curve bends: `μ0/λ` (infinite for Newtonian or
    /// `λ = 0`). Below a small fraction of it the fluid is Newtonian with `μ0`.
    pub fn transition_stress_pa(&self) -> f64 {
        match *self {
            Self::Newtonian { .. } => f64::INFINITY,
            Self::CarreauYasuda {
                zero_shear_viscosity_pa_s,
                infinite_shear_viscosity_pa_s,
                time_constant_s,
                ..
            } => {
                if time_constant_s > 0.0
                    && zero_shear_viscosity_pa_s > infinite_shear_viscosity_pa_s
                {
                    zero_shear_viscosity_pa_s / time_constant_s
                } else {
                    f64::INFINITY
                }
            }
        }
    }

    /// Whether the viscosity is constant (Newtonian, or a Carreau–Yasuda fluid with
    /// `μ0 = μ∞` or `λ = 0`).
    pub fn is_newtonian(&self) -> bool {
        self.transition_stress_pa().is_infinite()
    }

    /// Viscosity `μ(γ̇)` (Pa·s) at shear rate `γ̇ >= 0` (1/s).
    pub fn compute_viscosity(&self, shear_rate_per_s: f64) -> f64 {
        match *self {
            Self::Newtonian { viscosity_pa_s } => viscosity_pa_s,
            Self::CarreauYasuda {
                zero_shear_viscosity_pa_s: mu0,
                infinite_shear_viscosity_pa_s: mu_inf,
                time_constant_s: lambda,
                power_index: n,
                transition_exponent: a,
            } => {
                let xa = (lambda * shear_rate_per_s.abs()).powf(a);
                mu_inf + (mu0 - mu_inf) * (1.0 + xa).powf((n - 1.0) / a)
            }
        }
    }

    /// Shear stress `τ = μ(γ̇) γ̇` (Pa) and its tangent `dτ/dγ̇` (Pa·s) at `γ̇ >= 0` (1/s).
    pub fn compute_stress(&self, shear_rate_per_s: f64) -> (f64, f64) {
        match *self {
            Self::Newtonian { viscosity_pa_s } => {
                (viscosity_pa_s * shear_rate_per_s, viscosity_pa_s)
            }
            Self::CarreauYasuda {
                zero_shear_viscosity_pa_s: mu0,
                infinite_shear_viscosity_pa_s: mu_inf,
                time_constant_s: lambda,
                power_index: n,
                transition_exponent: a,
            } => {
                let g = shear_rate_per_s;
                let xa = (lambda * g).powf(a);
                let base = (1.0 + xa).powf((n - 1.0) / a);
                let mu = mu_inf + (mu0 - mu_inf) * base;
                let tangent = mu_inf + (mu0 - mu_inf) * base / (1.0 + xa) * (1.0 + n * xa);
                (mu * g, tangent)
            }
        }
    }

    /// The inverse of the flow curve: the shear rate `γ̇(τ)` (1/s) at shear stress `τ >= 0`
    /// (Pa), and `dγ̇/dτ = 1/(dτ/dγ̇)` (1/(Pa·s)).
    ///
    /// Carreau–Yasuda: safeguarded Newton on `ln τ(e^y) = ln τ` in `y = ln γ̇`, bracketed by
    /// `τ/μ0 <= γ̇ <= τ/μ∞` (the viscosity lies between its limits). The slope of the
    /// log–log flow curve lies in `[n, 1]`, so Newton converges in a few steps from the
    /// power-law estimate; a step leaving the bracket is replaced by bisection.
    pub fn compute_shear_rate(&self, stress_pa: f64) -> Result<(f64, f64), FilmError> {
        if !(stress_pa >= 0.0 && stress_pa.is_finite()) {
            return Err(FilmError::NonFinite {
                quantity: "shear stress for the flow-curve inversion",
                index: 0,
                value: stress_pa,
            });
        }
        let (mu0, mu_inf) = (
            self.zero_shear_viscosity_pa_s(),
            self.infinite_shear_viscosity_pa_s(),
        );
        if stress_pa == 0.0 {
            return Ok((0.0, 1.0 / mu0));
        }
        let Self::CarreauYasuda {
            time_constant_s: lambda,
            power_index: n,
            ..
        } = *self
        else {
            return Ok((stress_pa / mu0, 1.0 / mu0));
        };
        if self.is_newtonian() {
            return Ok((stress_pa / mu0, 1.0 / mu0));
        }
        let target = stress_pa.ln();
        let mut lo = (stress_pa / mu0).ln();
        let mut hi = (stress_pa / mu_inf).ln();
        // Power-law estimate τ ≈ μ0 λ^{n−1} γ̇^n, clamped into the bracket.
        let guess = ((stress_pa / mu0).ln() + (1.0 - n) * lambda.ln()) / n;
        let mut y = guess.clamp(lo, hi);
        for _ in 0..200 {
            let g = y.exp();
            let (tau, dtau) = self.compute_stress(g);
            let f = tau.ln() - target;
            if f > 0.0 {
                hi = hi.min(y);
            } else {
                lo = lo.max(y);
            }
            let slope = g * dtau / tau;
            let mut next = y - f / slope;
            if !(next > lo && next < hi) {
                next = 0.5 * (lo + hi);
            }
            let done = (next - y).abs() <= 4.0 * f64::EPSILON * y.abs().max(1.0)
                || hi - lo <= 4.0 * f64::EPSILON * y.abs().max(1.0);
            y = next;
            if done {
                let g = y.exp();
                let (_, dtau) = self.compute_stress(g);
                return Ok((g, 1.0 / dtau));
            }
        }
        Err(FilmError::Rheology {
            stress_pa,
            message: "the flow-curve inversion did not converge in 200 iterations".into(),
        })
    }
}

impl Validate for Rheology {
    fn validate(&self, v: &mut Validator<'_>) {
        match *self {
            Self::Newtonian { viscosity_pa_s } => {
                v.require(
                    viscosity_pa_s.is_finite() && viscosity_pa_s > 0.0 && viscosity_pa_s <= 1e4,
                    "viscosity_pa_s",
                    viscosity_pa_s,
                    "a viscosity in (0, 1e4] Pa·s",
                );
            }
            Self::CarreauYasuda {
                zero_shear_viscosity_pa_s: mu0,
                infinite_shear_viscosity_pa_s: mu_inf,
                time_constant_s,
                power_index,
                transition_exponent,
            } => {
                v.require(
                    mu0.is_finite() && mu0 > 0.0 && mu0 <= 1e4,
                    "zero_shear_viscosity_pa_s",
                    mu0,
                    "a viscosity in (0, 1e4] Pa·s",
                );
                v.require(
                    mu_inf.is_finite() && mu_inf > 0.0 && mu_inf <= mu0,
                    "infinite_shear_viscosity_pa_s",
                    mu_inf,
                    &format!("a viscosity in (0, zero_shear_viscosity_pa_s = {mu0}] Pa·s"),
                );
                v.within("time_constant_s", time_constant_s, 0.0, 1e4);
                v.require(
                    power_index.is_finite() && power_index > 0.0 && power_index <= 1.0,
                    "power_index",
                    power_index,
                    "a number in (0, 1] (shear-thinning; n <= 0 has no unique inverse)",
                );
                v.within("transition_exponent", transition_exponent, 0.1, 10.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synovial() -> Rheology {
        Rheology::default()
    }

    /// The viscosity runs from `μ0` at rest to `μ∞` at high shear, monotonically, and is the
    /// power law `μ∞ + (μ0 − μ∞) (λγ̇)^{n−1}` in between: at `λγ̇ = 100` the Carreau factor
    /// `(1 + x²)^{(n−1)/2}` differs from `x^{n−1}` by `(1 + 1e−4)^{−0.35} − 1 ≈ 3.5e−5`, so
    /// within 1e-4.
    #[test]
    fn carreau_viscosity_spans_its_limits() {
        let r = synovial();
        assert!((r.compute_viscosity(0.0) - 5.0).abs() < 1e-12);
        assert!((r.compute_viscosity(1e12) - 0.01).abs() < 1e-3);
        let mut last = f64::INFINITY;
        for k in -4..12 {
            let mu = r.compute_viscosity(10f64.powi(k));
            assert!(mu < last);
            last = mu;
        }
        let mu = r.compute_viscosity(100.0);
        let power_law = (5.0 - 0.01) * 100f64.powf(-0.7) + 0.01;
        assert!((mu / power_law - 1.0).abs() < 1e-4, "{mu} vs {power_law}");
    }

    /// The tangent `dτ/dγ̇` matches a central finite difference (relative 1e-7: the
    /// difference's truncation error is `O(ε²)` with `ε = 1e-5` relative, its round-off
    /// `1e-16/1e-5`).
    #[test]
    fn stress_tangent_matches_finite_difference() {
        let r = Rheology::CarreauYasuda {
            zero_shear_viscosity_pa_s: 3.0,
            infinite_shear_viscosity_pa_s: 0.02,
            time_constant_s: 0.5,
            power_index: 0.4,
            transition_exponent: 1.3,
        };
        for g in [1e-3, 0.3, 2.0, 40.0, 1e3, 1e6] {
            let h = 1e-5 * g;
            let (_, d) = r.compute_stress(g);
            let fd = (r.compute_stress(g + h).0 - r.compute_stress(g - h).0) / (2.0 * h);
            assert!((d / fd - 1.0).abs() < 1e-7, "γ̇ = {g}: {d} vs {fd}");
        }
    }

    /// `γ̇(τ(γ̇)) = γ̇` to round-off (1e-13 relative) over 16 decades of shear rate, and
    /// `dγ̇/dτ` is the reciprocal tangent.
    #[test]
    fn flow_curve_inversion_round_trips() {
        let r = synovial();
        for k in -6..10 {
            let g = 10f64.powf(k as f64 + 0.37);
            let (tau, dtau) = r.compute_stress(g);
            let (back, dback) = r.compute_shear_rate(tau).unwrap();
            assert!((back / g - 1.0).abs() < 1e-13, "γ̇ = {g}: got {back}");
            assert!((dback * dtau - 1.0).abs() < 1e-12);
        }
        assert_eq!(r.compute_shear_rate(0.0).unwrap().0, 0.0);
        assert!(r.compute_shear_rate(f64::NAN).is_err());
        assert!(r.compute_shear_rate(-1.0).is_err());
    }
}
