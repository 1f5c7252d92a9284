//! The region of an image in which a reader looks for a cavity.

use super::joint_space::JointSpace;
use super::profile_line::ProfileLine;
use crate::mri::slice_image::SliceImage;

/// A set of pixels of an image of `columns × rows`, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct RoiMask {
    /// Width (pixels).
    pub columns: usize,
    /// Height (pixels).
    pub rows: usize,
    /// Whether each pixel is in the region.
    pub inside: Vec<bool>,
}

impl RoiMask {
    /// The whole image.
    pub fn full(image: &SliceImage) -> Self {
        Self {
            columns: image.columns,
            rows: image.rows,
            inside: vec![true; image.columns * image.rows],
        }
    }

    /// The joint space: pixels whose centre lies between the two measured edges along
    /// `profile` (widened by `margin_px` each way) and within `half_width_px` of the line.
    pub fn joint_space(
        image: &SliceImage,
        profile: &ProfileLine,
        space: &JointSpace,
        half_width_px: f64,
        margin_px: f64,
    ) -> Self {
        let (s0, s1) = (
            space.start_edge_px - margin_px,
            space.end_edge_px + margin_px,
        );
        let inside = (0..image.rows)
            .flat_map(|row| (0..image.columns).map(move |column| (row, column)))
            .map(|(row, column)| {
                let (along, across) = profile.local(column as f64, row as f64);
                along >= s0 && along <= s1 && across.abs() <= half_width_px
            })
            .collect();
        Self {
            columns: image.columns,
            rows: image.rows,
            inside,
        }
    }

    /// Number of pixels in the region.
    pub fn count(&self) -> usize {
        self.inside.iter().filter(|&&b| b).count()
    }
}
