//! The signal each tissue gives on the T1-weighted images.

use serde::{Deserialize, Serialize};

use crate::scene::tissue::Tissue;
use crate::validation_error::{ValidationError, check_range};

/// Signal of each tissue on T1-weighted images, relative to fatty marrow (arbitrary units;
/// `[mri.intensities]`). The order is that of T1-weighted MRI: fat and fatty marrow,
/// short T1, brightest; cartilage and muscle intermediate; fluid, long T1, dark; fibrous
/// tissue (short T2) dark; gas has no protons: a signal void \[D\]. The values are \[A\]:
/// no published intensities of the study's images are available. Range of each: [0, 10].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TissueIntensities {
    /// Bone marrow. Default 1.0 (the reference) \[A\].
    #[serde(default = "d_marrow")]
    pub marrow: f64,
    /// Articular cartilage. Default 0.45 \[A\].
    #[serde(default = "d_cartilage")]
    pub cartilage: f64,
    /// Synovial fluid. Default 0.15 \[A\].
    #[serde(default = "d_fluid")]
    pub fluid: f64,
    /// Gas. Default 0.0: a signal void \[D\].
    #[serde(default)]
    pub gas: f64,
    /// Capsule wall (fibrous). Default 0.10 \[A\].
    #[serde(default = "d_capsule")]
    pub capsule: f64,
    /// Other soft tissue of the finger, averaged. Default 0.35 \[A\].
    #[serde(default = "d_soft")]
    pub soft_tissue: f64,
    /// Air around the finger. Default 0.0: no protons \[D\].
    #[serde(default)]
    pub air: f64,
}

fn d_marrow() -> f64 {
    1.0
}
fn d_cartilage() -> f64 {
    0.45
}
fn d_fluid() -> f64 {
    0.15
}
fn d_capsule() -> f64 {
    0.10
}
fn d_soft() -> f64 {
    0.35
}

impl Default for TissueIntensities {
    fn default() -> Self {
        Self {
            marrow: d_marrow(),
            cartilage: d_cartilage(),
            fluid: d_fluid(),
            gas: 0.0,
            capsule: d_capsule(),
            soft_tissue: d_soft(),
            air: 0.0,
        }
    }
}

impl TissueIntensities {
    /// The signal of `tissue`.
    pub fn of(&self, tissue: Tissue) -> f64 {
        self.as_array()[tissue.index()]
    }

    /// The signals in the order of [`Tissue::ALL`].
    pub fn as_array(&self) -> [f64; 7] {
        [
            self.marrow,
            self.cartilage,
            self.fluid,
            self.gas,
            self.capsule,
            self.soft_tissue,
            self.air,
        ]
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let names = [
            "marrow",
            "cartilage",
            "fluid",
            "gas",
            "capsule",
            "soft_tissue",
            "air",
        ];
        for (name, v) in names.iter().zip(self.as_array()) {
            check_range(&format!("mri.intensities.{name}"), v, 0.0, 10.0)?;
        }
        Ok(())
    }
}
