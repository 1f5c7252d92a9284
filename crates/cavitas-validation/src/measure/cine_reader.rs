//! The reader: one measuring pipeline for synthetic and real cine series.

use serde::{Deserialize, Serialize};

use super::cavity_segmentation::{
    CavityMeasurement, CavitySettings, CavityThreshold, segment_cavity,
};
use super::joint_space::{EdgeLevel, JointSpace, JointSpaceSettings, measure_joint_space};
use super::measurement_series::MeasurementSeries;
use super::profile_line::ProfileLine;
use super::roi_mask::RoiMask;
use crate::mri::cine_series::CineSeries;
use crate::mri::mri_protocol::MriProtocol;
use crate::mri::slice_image::SliceImage;
use crate::validation_error::ValidationError;

/// What the reader does (`[reader]` in TOML).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReaderSettings {
    /// The joint-space measurement along the axis.
    pub joint_space: JointSpaceSettings,
    /// The cavity segmentation.
    pub cavity: CavitySettings,
    /// Half-width of the region searched for a cavity, across the profile (pixels):
    /// the articular surfaces' radius.
    pub cavity_half_width_px: f64,
    /// How far beyond the measured edges the cavity region reaches (pixels). Default 1.
    #[serde(default = "d_margin")]
    pub cavity_margin_px: f64,
}

fn d_margin() -> f64 {
    1.0
}

/// One frame as the reader measured it.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameMeasurement {
    /// The joint space, if its edges were found.
    pub joint_space: Option<JointSpace>,
    /// The cavity within the joint space (`None` when the joint space was not found).
    pub cavity: Option<CavityMeasurement>,
}

impl ReaderSettings {
    /// The reader of synthetic images made with `protocol` (image size from its slice):
    /// the profile down the middle column (the joint axis of a slice through it), edges at
    /// half-way between marrow and cartilage (the bone surface), gas darker than half-way
    /// between the noise floor of a void and fluid, searched within
    /// `articular_radius_m` of the axis.
    pub fn for_protocol(protocol: &MriProtocol, articular_radius_m: f64) -> Self {
        let s = &protocol.slice;
        let x = (s.columns() as f64 - 1.0) / 2.0;
        let i = &protocol.intensities;
        Self {
            joint_space: JointSpaceSettings {
                profile: ProfileLine {
                    start_px: [x, 0.0],
                    end_px: [x, s.rows() as f64 - 1.0],
                    half_width_px: 1,
                },
                level: EdgeLevel::Fixed {
                    level: 0.5 * (i.marrow + i.cartilage),
                },
                search_fraction: [0.25, 0.75],
            },
            cavity: CavitySettings::new(CavityThreshold::Levels {
                void: protocol.void_level(),
                fluid: i.fluid,
            }),
            cavity_half_width_px: articular_radius_m / s.pixel_size_m,
            cavity_margin_px: d_margin(),
        }
    }

    /// Parses settings from TOML text; `source` names the file in errors.
    pub fn from_toml_str(text: &str, source: &std::path::Path) -> Result<Self, ValidationError> {
        toml::from_str(text).map_err(|e| ValidationError::file(source, e.to_string()))
    }

    /// Measures one frame.
    pub fn measure_frame(&self, image: &SliceImage) -> FrameMeasurement {
        let joint_space = measure_joint_space(image, &self.joint_space);
        let cavity = joint_space.map(|space| {
            let roi = RoiMask::joint_space(
                image,
                &self.joint_space.profile,
                &space,
                self.cavity_half_width_px,
                self.cavity_margin_px,
            );
            segment_cavity(image, &roi, &self.cavity)
        });
        FrameMeasurement {
            joint_space,
            cavity,
        }
    }

    /// Measures every frame of `series`. The profile must lie in its frames.
    pub fn measure_series(
        &self,
        series: &CineSeries,
    ) -> Result<MeasurementSeries, ValidationError> {
        self.joint_space.profile.validate(&series.frames[0])?;
        let frames: Vec<FrameMeasurement> = series
            .frames
            .iter()
            .map(|f| self.measure_frame(f))
            .collect();
        Ok(MeasurementSeries {
            times_s: series.times_s.clone(),
            frame_period_s: series.frame_period_s,
            joint_space_m: frames
                .iter()
                .map(|f| f.joint_space.map(|s| s.width_m))
                .collect(),
            joint_space_uncertainty_m: frames
                .iter()
                .map(|f| f.joint_space.map(|s| s.uncertainty_m))
                .collect(),
            cavity_area_m2: frames
                .iter()
                .map(|f| f.cavity.as_ref().map(|c| c.area_m2))
                .collect(),
            cavity_area_uncertainty_m2: frames
                .iter()
                .map(|f| f.cavity.as_ref().map(|c| c.uncertainty_m2))
                .collect(),
        })
    }
}
