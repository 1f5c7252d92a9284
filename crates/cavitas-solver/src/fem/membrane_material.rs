//! The constitutive model of the capsule, chosen by name in the configuration.

use serde::{Deserialize, Serialize};

use super::fibre_reinforced::FibreReinforced;
use super::neo_hookean::NeoHookean;
use super::strain_energy::StrainEnergy;
use crate::config::{Validate, Validator};

/// `[capsule.material]` with `model = "neo_hookean"` or `model = "fibre_reinforced"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum MembraneMaterial {
    /// Incompressible neo-Hookean.
    NeoHookean(NeoHookean),
    /// Exponential fibres on a neo-Hookean matrix.
    FibreReinforced(FibreReinforced),
}

impl MembraneMaterial {
    /// `W(λ1, λ2)` and its derivatives.
    pub fn compute_energy(&self, l1: f64, l2: f64) -> StrainEnergy {
        match self {
            Self::NeoHookean(m) => m.compute_energy(l1, l2),
            Self::FibreReinforced(m) => m.compute_energy(l1, l2),
        }
    }

    /// A characteristic modulus (Pa) for scaling residuals: the largest small-strain
    /// membrane stiffness `∂²W/∂λ²` at the unit stretch, never below `3 μ`.
    pub fn characteristic_modulus_pa(&self) -> f64 {
        let e = self.compute_energy(1.0, 1.0);
        e.d11.max(e.d22)
    }
}

impl Validate for MembraneMaterial {
    fn validate(&self, v: &mut Validator<'_>) {
        match self {
            Self::NeoHookean(m) => m.validate(v),
            Self::FibreReinforced(m) => m.validate(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fibre_reinforced::{FibreFamily, FibreForm};
    use super::*;

    /// Central differences of `W` and its first derivatives reproduce the analytic
    /// derivatives. Step 1e-6 on O(1) stretches: truncation ~1e-12, round-off ~1e-10
    /// relative, so 1e-7 relative leaves a wide margin while catching any wrong term.
    #[test]
    fn energy_derivatives_match_finite_differences() {
        let materials = [
            MembraneMaterial::NeoHookean(NeoHookean {
                shear_modulus_pa: 3.0e4,
            }),
            MembraneMaterial::FibreReinforced(FibreReinforced {
                matrix_shear_modulus_pa: 2.0e4,
                fibres: vec![
                    FibreFamily {
                        form: FibreForm::Exponential,
                        angle_deg: 0.0,
                        k1_pa: 1.0e5,
                        k2: 2.5,
                    },
                    FibreFamily {
                        form: FibreForm::Holzapfel,
                        angle_deg: 35.0,
                        k1_pa: 4.0e4,
                        k2: 1.5,
                    },
                ],
            }),
        ];
        let h = 1e-6;
        for m in &materials {
            for &(l1, l2) in &[(1.2, 1.1), (0.9, 1.3), (1.45, 0.95), (1.05, 1.02)] {
                let e = m.compute_energy(l1, l2);
                let p1 = m.compute_energy(l1 + h, l2);
                let m1 = m.compute_energy(l1 - h, l2);
                let p2 = m.compute_energy(l1, l2 + h);
                let m2 = m.compute_energy(l1, l2 - h);
                let close = |a: f64, b: f64, scale: f64| (a - b).abs() <= 1e-7 * scale;
                let s = m.characteristic_modulus_pa() * 10.0 + e.d11.abs() + e.d22.abs();
                assert!(
                    close(e.d1, (p1.w - m1.w) / (2.0 * h), s),
                    "{m:?} d1 at {l1},{l2}"
                );
                assert!(close(e.d2, (p2.w - m2.w) / (2.0 * h), s), "d2");
                assert!(close(e.d11, (p1.d1 - m1.d1) / (2.0 * h), s), "d11");
                assert!(close(e.d12, (p2.d1 - m2.d1) / (2.0 * h), s), "d12");
                assert!(close(e.d22, (p2.d2 - m2.d2) / (2.0 * h), s), "d22");
            }
        }
    }

    #[test]
    fn unstretched_membrane_is_stress_free_with_modulus_three_mu() {
        let m = NeoHookean {
            shear_modulus_pa: 1.0e5,
        };
        let e = m.compute_energy(1.0, 1.0);
        assert_eq!(e.w, 0.0);
        assert!(e.d1.abs() < 1e-9 && e.d2.abs() < 1e-9);
        // Uniaxial plane-stress tangent at λ = 1: d/dλ [dW(λ, λ^-1/2)/dλ] = 3 μ.
        let h = 1e-5;
        let p = |l: f64| {
            let e = m.compute_energy(l, 1.0 / l.sqrt());
            e.d1 - 0.5 * l.powf(-1.5) * e.d2
        };
        let tangent = (p(1.0 + h) - p(1.0 - h)) / (2.0 * h);
        assert!((tangent - m.small_strain_modulus_pa()).abs() < 1e-4 * m.small_strain_modulus_pa());
    }
}
