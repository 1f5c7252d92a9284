//! The articular surfaces' shape: the gap they leave at radius `r` when they are `h0` apart
//! on the axis.

use serde::{Deserialize, Serialize};

use crate::config::{Validate, Validator};

/// `[film.shape]` with `shape = "flat" | "paraboloid"`: the separation `s(r)` added to the axial
/// gap `h0` at radius `r` (m).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "shape", rename_all = "snake_case", deny_unknown_fields)]
pub enum SurfaceShape {
    /// Two flat discs: `s(r) = 0`.
    #[default]
    Flat,
    /// A convex head of radius `R_h` in a concave base of radius `R_b > R_h` (or on a flat
    /// base): `s(r) = r²/(2 R_eff)`, `1/R_eff = 1/R_h − 1/R_b` (the paraboloid approximation
    /// of two spheres, valid for `r ≪ R_h`). The surfaces are closest on the axis.
    Paraboloid {
        /// Radius of curvature of the convex head `R_h` (m). Range: (0, 1].
        head_radius_m: f64,
        /// Radius of curvature of the concave base `R_b` (m); absent: a flat base.
        /// Range: (R_h, 1e3].
        #[serde(default)]
        base_radius_m: Option<f64>,
    },
}

impl SurfaceShape {
    /// `1/R_eff` (1/m): 0 for flat discs.
    pub fn curvature_per_m(&self) -> f64 {
        match *self {
            Self::Flat => 0.0,
            Self::Paraboloid {
                head_radius_m,
                base_radius_m,
            } => 1.0 / head_radius_m - base_radius_m.map_or(0.0, |rb| 1.0 / rb),
        }
    }

    /// Separation `s(r) = r²/(2 R_eff)` (m) at radius `r` (m).
    pub fn compute_separation(&self, radius_m: f64) -> f64 {
        0.5 * self.curvature_per_m() * radius_m * radius_m
    }

    /// The area average of `s` over the annulus `r_in <= r <= r_out` (m):
    /// `∫ s 2πr dr / (π (r_out² − r_in²)) = (r_in² + r_out²)/(4 R_eff)`.
    pub fn compute_annulus_average(&self, inner_m: f64, outer_m: f64) -> f64 {
        0.25 * self.curvature_per_m() * (inner_m * inner_m + outer_m * outer_m)
    }
}

impl Validate for SurfaceShape {
    fn validate(&self, v: &mut Validator<'_>) {
        if let Self::Paraboloid {
            head_radius_m,
            base_radius_m,
        } = *self
        {
            v.require(
                head_radius_m.is_finite() && head_radius_m > 0.0 && head_radius_m <= 1.0,
                "head_radius_m",
                head_radius_m,
                "a radius in (0, 1] m",
            );
            if let Some(rb) = base_radius_m {
                v.require(
                    rb.is_finite() && rb > head_radius_m && rb <= 1e3,
                    "base_radius_m",
                    rb,
                    &format!("a radius in (head_radius_m = {head_radius_m}, 1e3] m"),
                );
            }
        }
    }
}
