//! What is at a point of the joint.

/// The tissue classes the synthetic MRI gives their own signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tissue {
    /// Bone marrow (with the trabecular bone it fills).
    Marrow,
    /// Articular cartilage.
    Cartilage,
    /// Synovial fluid: the film between the cartilage surfaces and the recesses.
    Fluid,
    /// Gas (and vapour) of a cavity: no protons, no signal.
    Gas,
    /// The fibrous capsule wall.
    Capsule,
    /// Everything else inside the finger (tendon, fat, muscle, skin), averaged.
    SoftTissue,
    /// Outside the finger.
    Air,
}

impl Tissue {
    /// All classes, in the order of [`TissueIntensities::as_array`](crate::TissueIntensities::as_array).
    pub const ALL: [Tissue; 7] = [
        Tissue::Marrow,
        Tissue::Cartilage,
        Tissue::Fluid,
        Tissue::Gas,
        Tissue::Capsule,
        Tissue::SoftTissue,
        Tissue::Air,
    ];

    /// Index into [`Tissue::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}
