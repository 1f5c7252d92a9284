//! The incompressible neo-Hookean membrane.

use serde::{Deserialize, Serialize};

use super::strain_energy::StrainEnergy;
use crate::config::{Validate, Validator};

/// `W = μ/2 (λ1² + λ2² + λ1⁻² λ2⁻² − 3)`.
///
/// A closed sphere of radius `R0` and thickness `H0` inflated to stretch `λ` carries
/// `P = (2 μ H0 / R0)(1/λ − 1/λ⁷)`; a tube held at fixed length carries
/// `P = (μ H0 / R0)(1 − 1/λ⁴)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeoHookean {
    /// Shear modulus `μ` (Pa). Range: > 0, at most 1e9.
    pub shear_modulus_pa: f64,
}

impl NeoHookean {
    /// `W` and its derivatives at the stretches `(l1, l2)` (both > 0).
    pub fn compute_energy(&self, l1: f64, l2: f64) -> StrainEnergy {
        let mu = self.shear_modulus_pa;
        let i3 = 1.0 / (l1 * l1 * l2 * l2); // λ3² = λ1⁻² λ2⁻²
        StrainEnergy {
            w: 0.5 * mu * (l1 * l1 + l2 * l2 + i3 - 3.0),
            d1: mu * (l1 - i3 / l1),
            d2: mu * (l2 - i3 / l2),
            d11: mu * (1.0 + 3.0 * i3 / (l1 * l1)),
            d12: mu * 2.0 * i3 / (l1 * l2),
            d22: mu * (1.0 + 3.0 * i3 / (l2 * l2)),
        }
    }

    /// Small-strain tangent (Young's) modulus `3 μ` (Pa).
    pub fn small_strain_modulus_pa(&self) -> f64 {
        3.0 * self.shear_modulus_pa
    }
}

impl Validate for NeoHookean {
    fn validate(&self, v: &mut Validator<'_>) {
        v.require(
            self.shear_modulus_pa.is_finite()
                && self.shear_modulus_pa > 0.0
                && self.shear_modulus_pa <= 1e9,
            "shear_modulus_pa",
            self.shear_modulus_pa,
            "a shear modulus in (0, 1e9] Pa",
        );
    }
}
