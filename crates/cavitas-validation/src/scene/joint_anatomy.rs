//! The parts of the joint that do not move relative to their bone.

use serde::{Deserialize, Serialize};

use super::bone_surface::BoneSurface;
use super::surface_shape::SurfaceShape;
use crate::validation_error::{ValidationError, check_above, check_range};

/// The fixed anatomy of an axisymmetric joint (axis `z`). The proximal bone (metacarpal)
/// is fixed, its articular apex at `z = 0` facing `+z`; the distal bone (phalanx) moves
/// along the axis, its apex at `z = gap` facing `−z`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JointAnatomy {
    /// The fixed bone (metacarpal head).
    #[serde(default)]
    pub proximal: BoneSurface,
    /// The moving bone (phalanx base).
    #[serde(default)]
    pub distal: BoneSurface,
    /// Capsule wall thickness (m). Default 1.0e-3, the solver's MCP preset \[A\].
    /// Range: [0, 0.01].
    #[serde(default = "default_capsule_thickness")]
    pub capsule_thickness_m: f64,
    /// How far behind each articular apex the capsule attaches to its bone (m), used when
    /// no capsule meridian is given. Default 1.5e-3, the solver's MCP preset \[A\].
    /// Range: [0, 0.05].
    #[serde(default = "default_attachment")]
    pub capsule_attachment_offset_m: f64,
    /// Radius of the finger: soft tissue inside, air outside (m). Default 10e-3 \[A\]
    /// (a finger about 20 mm across at the knuckle). Range: (0, 0.1].
    #[serde(default = "default_finger")]
    pub finger_radius_m: f64,
}

fn default_capsule_thickness() -> f64 {
    1.0e-3
}
fn default_attachment() -> f64 {
    1.5e-3
}
fn default_finger() -> f64 {
    10.0e-3
}

impl Default for JointAnatomy {
    /// Flat bone ends of radius 7.5 mm with 1 mm of cartilage each: the solver's MCP
    /// geometry (`configs/joint/mcp.toml`), so that images of a run show what was computed.
    fn default() -> Self {
        Self {
            proximal: BoneSurface::default(),
            distal: BoneSurface::default(),
            capsule_thickness_m: default_capsule_thickness(),
            capsule_attachment_offset_m: default_attachment(),
            finger_radius_m: default_finger(),
        }
    }
}

impl JointAnatomy {
    /// A curved MCP joint for illustration: a convex metacarpal head of radius 9 mm and a
    /// shallower phalangeal socket of radius 12 mm, rims 7.5 mm, cartilage 0.8 mm \[A\].
    pub fn mcp_curved() -> Self {
        Self {
            proximal: BoneSurface {
                surface: SurfaceShape::Convex { radius_m: 9.0e-3 },
                rim_radius_m: 7.5e-3,
                cartilage_thickness_m: 0.8e-3,
            },
            distal: BoneSurface {
                surface: SurfaceShape::Concave { radius_m: 12.0e-3 },
                rim_radius_m: 7.5e-3,
                cartilage_thickness_m: 0.8e-3,
            },
            ..Self::default()
        }
    }

    /// Checks every field, and that the surfaces cannot interpenetrate (a socket at least
    /// as wide as the head it takes).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.proximal.validate("anatomy.proximal")?;
        self.distal.validate("anatomy.distal")?;
        check_range(
            "anatomy.capsule_thickness_m",
            self.capsule_thickness_m,
            0.0,
            0.01,
        )?;
        check_range(
            "anatomy.capsule_attachment_offset_m",
            self.capsule_attachment_offset_m,
            0.0,
            0.05,
        )?;
        check_above("anatomy.finger_radius_m", self.finger_radius_m, 0.0, 0.1)?;
        let rim = self.proximal.rim_radius_m.min(self.distal.rim_radius_m);
        // The local gap off the axis is gap + recession_p + recession_d; it must not shrink
        // below the gap on the axis anywhere over the common articular area.
        for k in 0..=16 {
            let r = rim * k as f64 / 16.0;
            let opening = self.proximal.surface.recession_m(r) + self.distal.surface.recession_m(r);
            if opening < -1e-12 {
                return Err(ValidationError::parameter(
                    "anatomy.distal.surface",
                    format!("{:?}", self.distal.surface),
                    &format!(
                        "the surfaces come closer off the axis (by {opening:.2e} m at r = {r:.2e} m): \
                         a socket must be shallower than the head it takes"
                    ),
                ));
            }
        }
        Ok(())
    }
}
