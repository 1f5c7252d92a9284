//! The joint space along the axis, from the edges of the intensity profile.

use serde::{Deserialize, Serialize};

use super::profile_line::ProfileLine;
use crate::mri::slice_image::SliceImage;

/// Where along the profile an edge is placed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EdgeLevel {
    /// Half-way between the bright plateau on that side and the darkest point of the
    /// joint space (half-maximum). For a bright–dark–bright band.
    HalfMaximum,
    /// A fixed signal level, the reader's window: for the joint, half-way between marrow
    /// and cartilage puts the edge on the bone surface whatever fills the joint.
    Fixed {
        /// The level (signal units).
        level: f64,
    },
}

/// Settings of the joint-space measurement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JointSpaceSettings {
    /// The line across the joint.
    pub profile: ProfileLine,
    /// Edge level. Default half-maximum.
    #[serde(default = "d_level")]
    pub level: EdgeLevel,
    /// Fractions of the profile's length within which the darkest point of the joint
    /// space is sought. Default [0.25, 0.75] (the joint near the middle) \[A\].
    #[serde(default = "d_search")]
    pub search_fraction: [f64; 2],
}

fn d_level() -> EdgeLevel {
    EdgeLevel::HalfMaximum
}
fn d_search() -> [f64; 2] {
    [0.25, 0.75]
}

impl JointSpaceSettings {
    /// Settings for `profile` with the defaults.
    pub fn along(profile: ProfileLine) -> Self {
        Self {
            profile,
            level: d_level(),
            search_fraction: d_search(),
        }
    }
}

/// A measured joint space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JointSpace {
    /// Position of the first edge along the profile (pixels from its start).
    pub start_edge_px: f64,
    /// Position of the second edge along the profile (pixels from its start).
    pub end_edge_px: f64,
    /// Distance between the edges (m).
    pub width_m: f64,
    /// Uncertainty of the width (m): one pixel along the profile.
    pub uncertainty_m: f64,
}

/// Measures the joint space of `image`: along the profile, the darkest point within the
/// search range marks the joint; from the bright plateau on each side inward, the first
/// crossing of the edge level (linear between samples: sub-pixel) is that side's edge.
/// `None` when there is no dark band with bright sides crossing the level.
pub fn measure_joint_space(
    image: &SliceImage,
    settings: &JointSpaceSettings,
) -> Option<JointSpace> {
    let line = &settings.profile;
    line.validate(image).ok()?;
    let profile = line.sample(image);
    let n = profile.values.len();
    // One pixel of averaging finds the basin without chasing noise; half a pixel keeps the
    // edge sharp for the crossing.
    let coarse = profile.smoothed(2);
    let fine = profile.smoothed(1);
    let [f0, f1] = settings.search_fraction;
    let (a, b) = (
        ((f0.clamp(0.0, 1.0)) * (n - 1) as f64) as usize,
        ((f1.clamp(0.0, 1.0)) * (n - 1) as f64) as usize,
    );
    if b <= a {
        return None;
    }
    let i_min = (a..=b).min_by(|&i, &j| coarse[i].total_cmp(&coarse[j]))?;
    // The floor from the lightly smoothed profile: the coarse one does not reach the
    // bottom of a band two pixels wide, which would raise the half-maximum level.
    let floor = (i_min.saturating_sub(2)..=(i_min + 2).min(n - 1))
        .map(|i| fine[i])
        .fold(f64::INFINITY, f64::min);
    let argmax = |range: std::ops::RangeInclusive<usize>| {
        range.max_by(|&i, &j| coarse[i].total_cmp(&coarse[j]))
    };
    let i_left = argmax(0..=i_min)?;
    let i_right = argmax(i_min..=n - 1)?;
    let level = |plateau: f64| match settings.level {
        EdgeLevel::HalfMaximum => 0.5 * (plateau + floor),
        EdgeLevel::Fixed { level } => level,
    };
    let (l_left, l_right) = (level(coarse[i_left]), level(coarse[i_right]));
    if !(fine[i_left] > l_left && fine[i_right] > l_right && fine[i_min] < l_left.min(l_right)) {
        return None;
    }
    let step = profile.step_px;
    let left = (i_left + 1..=i_min).find(|&i| fine[i] < l_left).map(|i| {
        let (p, q) = (fine[i - 1], fine[i]);
        (i - 1) as f64 * step + (p - l_left) / (p - q) * step
    })?;
    let right = (i_min..i_right)
        .rev()
        .find(|&i| fine[i] < l_right)
        .map(|i| {
            let (p, q) = (fine[i + 1], fine[i]);
            (i + 1) as f64 * step - (p - l_right) / (p - q) * step
        })?;
    Some(JointSpace {
        start_edge_px: left,
        end_edge_px: right,
        width_m: (right - left) * profile.metres_per_px,
        uncertainty_m: profile.metres_per_px,
    })
}
