//! The collateral ligaments as one nonlinear axial spring with a toe region.

use serde::{Deserialize, Serialize};

use crate::config::{Validate, Validator};

/// `F(δ) = 0` for `δ ≤ 0` (slack), `k δ² / (2 δ_toe)` in the toe `0 < δ < δ_toe`, and
/// `k (δ − δ_toe/2)` beyond (C¹: force and stiffness continuous), with `δ = h − h_slack`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ligament {
    /// Linear-region stiffness `k` (N/m). Range: [0, 1e8].
    pub stiffness_n_per_m: f64,
    /// Toe-region length `δ_toe` (m). Default 5e-4. Range: [0, 0.01].
    #[serde(default = "default_toe")]
    pub toe_length_m: f64,
    /// Gap at which the ligaments become taut, relative to the resting gap (m): 0 means taut
    /// at rest. Default 0. Range: [-0.01, 0.01].
    #[serde(default)]
    pub slack_opening_m: f64,
}

fn default_toe() -> f64 {
    5e-4
}

impl Ligament {
    /// Force pulling the bones together (N) and its derivative `dF/dh` (N/m) at the opening
    /// `u = h − h_rest` (m).
    pub fn compute_force(&self, opening_m: f64) -> (f64, f64) {
        let d = opening_m - self.slack_opening_m;
        let k = self.stiffness_n_per_m;
        let t = self.toe_length_m;
        if d <= 0.0 {
            (0.0, 0.0)
        } else if d < t {
            (k * d * d / (2.0 * t), k * d / t)
        } else {
            (k * (d - 0.5 * t), k)
        }
    }
}

impl Validate for Ligament {
    fn validate(&self, v: &mut Validator<'_>) {
        v.within("stiffness_n_per_m", self.stiffness_n_per_m, 0.0, 1e8);
        v.within("toe_length_m", self.toe_length_m, 0.0, 0.01);
        v.within("slack_opening_m", self.slack_opening_m, -0.01, 0.01);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toe_region_is_c1_and_stiffness_is_the_derivative() {
        let l = Ligament {
            stiffness_n_per_m: 2e4,
            toe_length_m: 5e-4,
            slack_opening_m: 1e-4,
        };
        // Continuity at slack and at the end of the toe (exact by construction, round-off).
        let e = 1e-12;
        for at in [1e-4, 6e-4] {
            let (f0, k0) = l.compute_force(at - e);
            let (f1, k1) = l.compute_force(at + e);
            assert!((f0 - f1).abs() < 1e-6 && (k0 - k1).abs() < 1e-3 * 2e4);
        }
        for u in [2e-4, 4e-4, 9e-4] {
            let h = 1e-8;
            let fd = (l.compute_force(u + h).0 - l.compute_force(u - h).0) / (2.0 * h);
            assert!((fd - l.compute_force(u).1).abs() < 1e-6 * 2e4);
        }
        assert_eq!(l.compute_force(0.0), (0.0, 0.0));
    }
}
