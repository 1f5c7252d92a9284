//! [`JointForces`]: what acts on the gap besides the capsule and the fluid.

/// The forces on the moving bone from the ligaments, the cartilage contact and the thin
/// film at one gap and rate, each as a magnitude with its direction in the name (N), and
/// the derivative of their net opening force along `+z` (N/m).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct JointForces {
    /// Ligament force, closing (N).
    pub ligament_n: f64,
    /// Cartilage contact force, opening (N).
    pub contact_n: f64,
    /// Thin-film (Stefan) force resisting the opening (N).
    pub film_n: f64,
    /// `d(contact − ligament − film)/dh` (N/m).
    pub stiffness_n_per_m: f64,
}

impl JointForces {
    /// `base` plus the net opening force `F_contact − F_ligament − F_film` (N), summed in
    /// one fixed order, `((base − F_ligament) + F_contact) − F_film`, wherever it is formed.
    pub fn add_opening_to(&self, base_n: f64) -> f64 {
        base_n - self.ligament_n + self.contact_n - self.film_n
    }

    /// `base` minus the net opening force (N): what else must balance the joint, summed as
    /// `((base + F_ligament) − F_contact) + F_film`.
    pub fn add_closing_to(&self, base_n: f64) -> f64 {
        base_n + self.ligament_n - self.contact_n + self.film_n
    }
}
