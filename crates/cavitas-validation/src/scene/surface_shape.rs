//! The shape of an articular surface: flat, or a sphere cap.

use serde::{Deserialize, Serialize};

use crate::validation_error::{ValidationError, check_above};

/// Shape of one articular surface, seen from the joint. TOML: `shape = "flat"`, or
/// `shape = "convex"` / `"concave"` with `radius_m`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case", deny_unknown_fields)]
pub enum SurfaceShape {
    /// A flat face (the plates of the solver's joint geometry).
    Flat,
    /// A sphere cap bulging into the joint (the metacarpal head).
    Convex {
        /// Radius of curvature (m). Range: (0, 1]; at least the bone's rim radius.
        radius_m: f64,
    },
    /// A spherical socket curving away from the joint (the phalanx base).
    Concave {
        /// Radius of curvature (m). Range: (0, 1]; at least the bone's rim radius.
        radius_m: f64,
    },
}

impl SurfaceShape {
    /// How far the surface lies back from its apex, away from the joint, at radial distance
    /// `r_m` from the axis (m): `R − √(R² − r²)` for a convex cap, its negative for a
    /// socket (which comes toward the joint off the axis), 0 for a flat face.
    pub fn recession_m(&self, r_m: f64) -> f64 {
        let sag = |radius: f64| radius - (radius * radius - r_m * r_m).max(0.0).sqrt();
        match *self {
            Self::Flat => 0.0,
            Self::Convex { radius_m } => sag(radius_m),
            Self::Concave { radius_m } => -sag(radius_m),
        }
    }

    /// Checks the radius against the bone's rim radius `rim_radius_m`; `key` names it.
    pub fn validate(&self, key: &str, rim_radius_m: f64) -> Result<(), ValidationError> {
        match *self {
            Self::Flat => Ok(()),
            Self::Convex { radius_m } | Self::Concave { radius_m } => {
                check_above(&format!("{key}.radius_m"), radius_m, 0.0, 1.0)?;
                if radius_m < rim_radius_m {
                    return Err(ValidationError::parameter(
                        &format!("{key}.radius_m"),
                        radius_m,
                        &format!(
                            "a sphere cap must be at least as wide as its rim ({rim_radius_m} m)"
                        ),
                    ));
                }
                Ok(())
            }
        }
    }
}
