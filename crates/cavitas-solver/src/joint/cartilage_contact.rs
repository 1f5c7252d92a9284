//! Contact of the articular cartilage layers at rest: a compressive spring that carries the
//! resting closing force of capsule, fluid and ligaments, and lifts off as the joint opens.

use serde::{Deserialize, Serialize};

use crate::config::{Validate, Validator};

/// Two cartilage layers of thickness `t` and aggregate modulus `H_A` over the articular area
/// `A` in series: stiffness `k = H_A A / (2 t)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CartilageContact {
    /// Aggregate modulus `H_A` (Pa). Default 1.0e6 (published 0.48–1.58 MPa). Range: (0, 1e9].
    #[serde(default = "default_modulus")]
    pub aggregate_modulus_pa: f64,
    /// Thickness of each layer (m). Default 1e-3. Range: (0, 0.01].
    #[serde(default = "default_thickness")]
    pub layer_thickness_m: f64,
}

impl Default for CartilageContact {
    fn default() -> Self {
        Self {
            aggregate_modulus_pa: default_modulus(),
            layer_thickness_m: default_thickness(),
        }
    }
}

fn default_modulus() -> f64 {
    1.0e6
}
fn default_thickness() -> f64 {
    1.0e-3
}

impl CartilageContact {
    /// Contact stiffness (N/m) over `area_m2`.
    pub fn stiffness_n_per_m(&self, area_m2: f64) -> f64 {
        self.aggregate_modulus_pa * area_m2 / (2.0 * self.layer_thickness_m)
    }

    /// Force pushing the bones apart (N) and `dF/dh` (N/m) at opening `u = h − h_rest`,
    /// given the resting contact force `f_rest` (N): `max(0, f_rest − k u)`.
    pub fn compute_force(&self, opening_m: f64, rest_force_n: f64, area_m2: f64) -> (f64, f64) {
        let k = self.stiffness_n_per_m(area_m2);
        let f = rest_force_n - k * opening_m;
        if f > 0.0 { (f, -k) } else { (0.0, 0.0) }
    }
}

impl Validate for CartilageContact {
    fn validate(&self, v: &mut Validator<'_>) {
        v.require(
            self.aggregate_modulus_pa.is_finite()
                && self.aggregate_modulus_pa > 0.0
                && self.aggregate_modulus_pa <= 1e9,
            "aggregate_modulus_pa",
            self.aggregate_modulus_pa,
            "a modulus in (0, 1e9] Pa",
        );
        v.require(
            self.layer_thickness_m.is_finite()
                && self.layer_thickness_m > 0.0
                && self.layer_thickness_m <= 0.01,
            "layer_thickness_m",
            self.layer_thickness_m,
            "a thickness in (0, 0.01] m",
        );
    }
}
