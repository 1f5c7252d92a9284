//! Measurements of a cine series, frame by frame, and the events a reader dates from
//! them. One type for the simulation's images and for a researcher's digitised data.

use serde::{Deserialize, Serialize};

/// The rules that date events from a series (the same for simulated and observed data).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRules {
    /// Smallest frame-to-frame widening of the joint space that counts as the gap jump
    /// (m). Default 0.1e-3 \[A\]: a fifth of a default pixel, several times the sub-pixel
    /// scatter of the edge measurement at the default SNR. Range: [0, 0.01].
    #[serde(default = "d_jump")]
    pub min_gap_jump_m: f64,
    /// Smallest cavity area that counts as a visible cavity (m²). Default 0: any cavity
    /// the segmentation kept (it already drops specks below its `min_pixels`).
    #[serde(default)]
    pub min_cavity_area_m2: f64,
}

fn d_jump() -> f64 {
    0.1e-3
}

impl Default for EventRules {
    fn default() -> Self {
        Self {
            min_gap_jump_m: d_jump(),
            min_cavity_area_m2: 0.0,
        }
    }
}

/// An event dated to a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameEvent {
    /// Frame index.
    pub frame: usize,
    /// Time of that frame (s).
    pub time_s: f64,
    /// Uncertainty of the time (s): one frame period.
    pub uncertainty_s: f64,
}

/// Per-frame measurements (SI units); `None` where a frame could not be measured.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementSeries {
    /// Frame times (s), increasing.
    pub times_s: Vec<f64>,
    /// Frame period (s).
    pub frame_period_s: f64,
    /// Joint space along the axis (m).
    pub joint_space_m: Vec<Option<f64>>,
    /// Its uncertainty (m): one pixel.
    pub joint_space_uncertainty_m: Vec<Option<f64>>,
    /// Dark-cavity area in the slice (m²).
    pub cavity_area_m2: Vec<Option<f64>>,
    /// Its uncertainty (m²): the outline moved by one pixel.
    pub cavity_area_uncertainty_m2: Vec<Option<f64>>,
}

impl MeasurementSeries {
    /// Number of frames.
    pub fn len(&self) -> usize {
        self.times_s.len()
    }

    /// Whether there is no frame.
    pub fn is_empty(&self) -> bool {
        self.times_s.is_empty()
    }

    fn event(&self, frame: usize) -> FrameEvent {
        FrameEvent {
            frame,
            time_s: self.times_s[frame],
            uncertainty_s: self.frame_period_s,
        }
    }

    /// The first frame showing a cavity larger than `rules.min_cavity_area_m2`.
    pub fn first_cavity(&self, rules: &EventRules) -> Option<FrameEvent> {
        self.cavity_area_m2
            .iter()
            .position(|a| a.is_some_and(|a| a > rules.min_cavity_area_m2))
            .map(|k| self.event(k))
    }

    /// The gap jump: the frame whose joint space exceeds the previous measured frame's by
    /// the most, if by at least `rules.min_gap_jump_m`.
    pub fn gap_jump(&self, rules: &EventRules) -> Option<FrameEvent> {
        let measured: Vec<(usize, f64)> = self
            .joint_space_m
            .iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        measured
            .windows(2)
            .map(|w| (w[1].0, w[1].1 - w[0].1))
            .filter(|&(_, d)| d >= rules.min_gap_jump_m)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| self.event(k))
    }
}
