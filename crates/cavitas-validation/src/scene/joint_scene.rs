//! The joint at one instant: what is where.

use super::capsule_meridian::{CapsuleMeridian, CapsuleSide};
use super::gas_cavity::GasCavity;
use super::joint_anatomy::JointAnatomy;
use super::tissue::Tissue;
use crate::validation_error::{ValidationError, check_range};

/// The joint at one instant, axisymmetric about `z` except for its gas cavities. Frame:
/// the proximal articular apex (cartilage surface) at `z = 0`, the distal one at
/// `z = gap_m`.
#[derive(Debug, Clone, PartialEq)]
pub struct JointScene {
    /// Bones, cartilage, capsule wall and finger.
    pub anatomy: JointAnatomy,
    /// Gap between the cartilage surfaces on the axis (m): the synovial film.
    pub gap_m: f64,
    /// Capsule meridian `(r, z)`; empty for no capsule (no recess fluid).
    pub capsule: CapsuleMeridian,
    /// Gas cavities.
    pub cavities: Vec<GasCavity>,
}

impl JointScene {
    /// The joint with gap `gap_m` (m), a straight capsule between the attachments of
    /// `anatomy`, and no gas.
    pub fn new(anatomy: JointAnatomy, gap_m: f64) -> Result<Self, ValidationError> {
        anatomy.validate()?;
        check_range("scene.gap_m", gap_m, 0.0, 0.05)?;
        Ok(Self {
            capsule: straight_capsule(&anatomy, gap_m),
            anatomy,
            gap_m,
            cavities: Vec::new(),
        })
    }

    /// The same joint with the cavities `cavities`.
    pub fn with_cavities(mut self, cavities: Vec<GasCavity>) -> Self {
        self.cavities = cavities;
        self
    }

    /// Distance between the two bone surfaces on the axis (m): cartilage, film, cartilage.
    /// What a reader of the images calls the joint space.
    pub fn joint_space_m(&self) -> f64 {
        self.anatomy.proximal.cartilage_thickness_m
            + self.gap_m
            + self.anatomy.distal.cartilage_thickness_m
    }

    /// `z` of the middle of the joint space on the axis (m).
    pub fn mid_joint_z_m(&self) -> f64 {
        0.5 * (self.gap_m + self.anatomy.distal.cartilage_thickness_m
            - self.anatomy.proximal.cartilage_thickness_m)
    }

    /// Total volume of the gas cavities (m³), overlaps counted twice.
    pub fn gas_volume_m3(&self) -> f64 {
        self.cavities.iter().map(GasCavity::volume_m3).sum()
    }

    /// The tissue at `p = (x, y, z)` (m). Precedence: air outside the finger, marrow, gas
    /// (in place of fluid only), cartilage, capsule wall, fluid inside the capsule or in
    /// the joint gap, soft tissue.
    pub fn tissue_at(&self, p: [f64; 3]) -> Tissue {
        let a = &self.anatomy;
        let r = p[0].hypot(p[1]);
        let z = p[2];
        if r > a.finger_radius_m {
            return Tissue::Air;
        }
        let prox = &a.proximal;
        if r <= prox.rim_radius_m {
            let surface = -prox.surface.recession_m(r);
            if z <= surface - prox.cartilage_thickness_m {
                return Tissue::Marrow;
            }
            if z <= surface {
                return Tissue::Cartilage;
            }
        }
        let dist = &a.distal;
        if r <= dist.rim_radius_m {
            let surface = self.gap_m + dist.surface.recession_m(r);
            if z >= surface + dist.cartilage_thickness_m {
                return Tissue::Marrow;
            }
            if z >= surface {
                return Tissue::Cartilage;
            }
        }
        // Between the articular surfaces: the film; elsewhere, fluid only inside the capsule.
        let in_gap = r <= prox.rim_radius_m.min(dist.rim_radius_m)
            && z > -prox.surface.recession_m(r)
            && z < self.gap_m + dist.surface.recession_m(r);
        let fluid = if in_gap {
            match self.capsule.side(r, z, a.capsule_thickness_m) {
                CapsuleSide::Wall => return Tissue::Capsule,
                _ => true,
            }
        } else {
            match self.capsule.side(r, z, a.capsule_thickness_m) {
                CapsuleSide::Wall => return Tissue::Capsule,
                CapsuleSide::Inside => true,
                CapsuleSide::Outside => false,
            }
        };
        if fluid {
            if self.cavities.iter().any(|c| c.contains(p)) {
                Tissue::Gas
            } else {
                Tissue::Fluid
            }
        } else {
            Tissue::SoftTissue
        }
    }
}

/// A straight capsule from the proximal rim `attachment` behind its apex to the distal rim
/// the same distance behind its own.
pub(crate) fn straight_capsule(anatomy: &JointAnatomy, gap_m: f64) -> CapsuleMeridian {
    let d = anatomy.capsule_attachment_offset_m;
    let (p, q) = (&anatomy.proximal, &anatomy.distal);
    let z0 = -p.surface.recession_m(p.rim_radius_m) - d;
    let z1 = gap_m + q.surface.recession_m(q.rim_radius_m) + d;
    CapsuleMeridian::straight([p.rim_radius_m, z0], [q.rim_radius_m, z1], 8)
}
