//! A fibre-reinforced, strain-stiffening membrane: exponential collagen fibres
//! (Holzapfel–Gasser–Ogden type) on an incompressible neo-Hookean matrix.

use serde::{Deserialize, Serialize};

use super::neo_hookean::NeoHookean;
use super::strain_energy::StrainEnergy;
use crate::config::{Validate, Validator};

/// How a fibre's energy grows with its stretch invariant `I4` (`e = I4 − 1 > 0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FibreForm {
    /// Exponential in `e` (Fung type): `Ψ = k1/k2² (exp(k2 e) − 1 − k2 e)`, `Ψ'' = k1 exp(k2 e)`:
    /// the tangent modulus grows exponentially with strain, as measured on the facet capsule.
    #[default]
    Exponential,
    /// Exponential in `e²` (Holzapfel–Gasser–Ogden): `Ψ = k1/(2 k2) (exp(k2 e²) − 1)`.
    Holzapfel,
}

/// One fibre family in the membrane plane, at `angle_deg` from the meridian.
///
/// `Ψ(I4)` per [`FibreForm`] for `I4 > 1` and 0 otherwise (fibres do not carry
/// compression), with `I4 = λ1² cos²α + λ2² sin²α`. Both forms start with stiffness
/// `Ψ''(1⁺) = k1`. In an axisymmetric model a family at `α` stands for the balanced pair
/// `±α` (no torsion); `k1` is the pair's total stiffness.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FibreFamily {
    /// Energy form. Default `"exponential"`.
    #[serde(default)]
    pub form: FibreForm,
    /// Fibre angle from the meridian (degrees): 0 bridges the joint, 90 runs round it.
    /// Range: [0, 90].
    #[serde(default)]
    pub angle_deg: f64,
    /// Stress-like stiffness `k1` (Pa). Range: >= 0, at most 1e10.
    pub k1_pa: f64,
    /// Dimensionless exponential stiffening `k2`. Range: (0, 1000].
    pub k2: f64,
}

/// Matrix plus fibre families.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FibreReinforced {
    /// Shear modulus of the neo-Hookean matrix `μ` (Pa). Range: (0, 1e9].
    pub matrix_shear_modulus_pa: f64,
    /// The fibre families (`[[capsule.material.fibres]]`), at least one.
    pub fibres: Vec<FibreFamily>,
}

impl FibreFamily {
    /// `Ψ(I4)`, `Ψ'`, `Ψ''`.
    fn compute_psi(&self, i4: f64) -> (f64, f64, f64) {
        if i4 <= 1.0 {
            return (0.0, 0.0, 0.0);
        }
        let e = i4 - 1.0;
        let (k1, k2) = (self.k1_pa, self.k2);
        match self.form {
            FibreForm::Exponential => {
                let x = (k2 * e).exp();
                // exp_m1 keeps Ψ and Ψ' accurate for small k2 e.
                let em1 = (k2 * e).exp_m1();
                (k1 / (k2 * k2) * (em1 - k2 * e), k1 / k2 * em1, k1 * x)
            }
            FibreForm::Holzapfel => {
                let x = (k2 * e * e).exp();
                (
                    k1 / (2.0 * k2) * (x - 1.0),
                    k1 * e * x,
                    k1 * (1.0 + 2.0 * k2 * e * e) * x,
                )
            }
        }
    }

    /// The family's contribution to `W(λ1, λ2)` and its derivatives.
    pub fn compute_energy(&self, l1: f64, l2: f64) -> StrainEnergy {
        let a = self.angle_deg.to_radians();
        let (c2, s2) = (a.cos().powi(2), a.sin().powi(2));
        let i4 = l1 * l1 * c2 + l2 * l2 * s2;
        let (psi, dpsi, ddpsi) = self.compute_psi(i4);
        // dI4/dλ1 = 2 λ1 c², dI4/dλ2 = 2 λ2 s².
        let g1 = 2.0 * l1 * c2;
        let g2 = 2.0 * l2 * s2;
        StrainEnergy {
            w: psi,
            d1: dpsi * g1,
            d2: dpsi * g2,
            d11: ddpsi * g1 * g1 + dpsi * 2.0 * c2,
            d12: ddpsi * g1 * g2,
            d22: ddpsi * g2 * g2 + dpsi * 2.0 * s2,
        }
    }
}

impl FibreReinforced {
    /// `W` and its derivatives at the stretches `(l1, l2)`.
    pub fn compute_energy(&self, l1: f64, l2: f64) -> StrainEnergy {
        let mut w = NeoHookean {
            shear_modulus_pa: self.matrix_shear_modulus_pa,
        }
        .compute_energy(l1, l2);
        for f in &self.fibres {
            w += f.compute_energy(l1, l2);
        }
        w
    }
}

impl Validate for FibreFamily {
    fn validate(&self, v: &mut Validator<'_>) {
        v.within("angle_deg", self.angle_deg, 0.0, 90.0);
        v.within("k1_pa", self.k1_pa, 0.0, 1e10);
        v.require(
            self.k2.is_finite() && self.k2 > 0.0 && self.k2 <= 1000.0,
            "k2",
            self.k2,
            "a number in (0, 1000]",
        );
    }
}

impl Validate for FibreReinforced {
    fn validate(&self, v: &mut Validator<'_>) {
        v.require(
            self.matrix_shear_modulus_pa.is_finite()
                && self.matrix_shear_modulus_pa > 0.0
                && self.matrix_shear_modulus_pa <= 1e9,
            "matrix_shear_modulus_pa",
            self.matrix_shear_modulus_pa,
            "a shear modulus in (0, 1e9] Pa",
        );
        v.require(
            !self.fibres.is_empty(),
            "fibres",
            "[]",
            "at least one fibre family",
        );
        for (i, f) in self.fibres.iter().enumerate() {
            v.nested(format!("fibres.{i}"), f);
        }
    }
}
