//! One bone end of the joint: its articular shape, width and cartilage.

use serde::{Deserialize, Serialize};

use super::surface_shape::SurfaceShape;
use crate::validation_error::{ValidationError, check_above};

/// A bone end: a cylinder of radius `rim_radius_m` about the joint axis whose articular end
/// has the shape `surface` and carries a cartilage layer. The bone extends away from the
/// joint without end (beyond the field of view).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoneSurface {
    /// Articular shape. Default flat (the solver's joint geometry).
    #[serde(default = "default_surface")]
    pub surface: SurfaceShape,
    /// Radius of the bone end and of its articular area (m). Default 7.5e-3: metacarpal head
    /// width 13–17 mm \[P\] (Unsworth & Alexander 1979), 15 mm, the solver's MCP preset.
    /// Range: (0, 0.1].
    #[serde(default = "default_rim_radius")]
    pub rim_radius_m: f64,
    /// Thickness of the cartilage layer, measured along the joint axis (m). Default 1.0e-3,
    /// the solver's `[joint.contact] layer_thickness_m` \[A\]. Range: [0, 0.01].
    #[serde(default = "default_cartilage")]
    pub cartilage_thickness_m: f64,
}

fn default_surface() -> SurfaceShape {
    SurfaceShape::Flat
}
fn default_rim_radius() -> f64 {
    7.5e-3
}
fn default_cartilage() -> f64 {
    1.0e-3
}

impl Default for BoneSurface {
    fn default() -> Self {
        Self {
            surface: default_surface(),
            rim_radius_m: default_rim_radius(),
            cartilage_thickness_m: default_cartilage(),
        }
    }
}

impl BoneSurface {
    /// Checks every field; `key` prefixes the names in the error.
    pub fn validate(&self, key: &str) -> Result<(), ValidationError> {
        check_above(&format!("{key}.rim_radius_m"), self.rim_radius_m, 0.0, 0.1)?;
        crate::validation_error::check_range(
            &format!("{key}.cartilage_thickness_m"),
            self.cartilage_thickness_m,
            0.0,
            0.01,
        )?;
        self.surface
            .validate(&format!("{key}.surface"), self.rim_radius_m)
    }
}
