//! A cine series: frames with their times.

use super::slice_image::SliceImage;
use crate::validation_error::ValidationError;

/// Frames of one slice over time, all of one size.
#[derive(Debug, Clone, PartialEq)]
pub struct CineSeries {
    /// The frames, in time order.
    pub frames: Vec<SliceImage>,
    /// Time of each frame (s): the middle of its acquisition window.
    pub times_s: Vec<f64>,
    /// Time between frames (s).
    pub frame_period_s: f64,
}

/// The frames as one array for the run file (`/imaging/frames`).
#[derive(Debug, Clone, PartialEq)]
pub struct FrameArray {
    /// `[frames, rows, columns]`.
    pub shape: [usize; 3],
    /// Row-major values (signal, arbitrary units).
    pub values: Vec<f32>,
}

impl CineSeries {
    /// A series; frames of equal size, increasing finite times, a positive period.
    pub fn new(
        frames: Vec<SliceImage>,
        times_s: Vec<f64>,
        frame_period_s: f64,
    ) -> Result<Self, ValidationError> {
        if frames.is_empty() || frames.len() != times_s.len() {
            return Err(ValidationError::data(
                "cine series",
                format!("{} frames for {} times", frames.len(), times_s.len()),
            ));
        }
        let (c, r) = (frames[0].columns, frames[0].rows);
        if let Some(k) = frames.iter().position(|f| f.columns != c || f.rows != r) {
            return Err(ValidationError::data(
                "cine series",
                format!(
                    "frame {k} is {} x {}, frame 0 {c} x {r}",
                    frames[k].columns, frames[k].rows
                ),
            ));
        }
        if times_s.iter().any(|t| !t.is_finite()) || times_s.windows(2).any(|w| w[1] <= w[0]) {
            return Err(ValidationError::data(
                "cine series",
                "frame times must be finite and increasing",
            ));
        }
        if !(frame_period_s.is_finite() && frame_period_s > 0.0) {
            return Err(ValidationError::data(
                "cine series",
                format!("frame period {frame_period_s} s must be positive"),
            ));
        }
        Ok(Self {
            frames,
            times_s,
            frame_period_s,
        })
    }

    /// Number of frames.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether there is no frame (never, for a series built by [`new`](Self::new)).
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// The frames stacked `[frames, rows, columns]`.
    pub fn to_array(&self) -> FrameArray {
        let f = &self.frames[0];
        FrameArray {
            shape: [self.frames.len(), f.rows, f.columns],
            values: self
                .frames
                .iter()
                .flat_map(|f| f.values.iter().copied())
                .collect(),
        }
    }

    /// The median of the differences between frame times (s); the period for one frame.
    pub fn median_interval_s(times_s: &[f64]) -> Option<f64> {
        let mut d: Vec<f64> = times_s.windows(2).map(|w| w[1] - w[0]).collect();
        if d.is_empty() {
            return None;
        }
        d.sort_by(f64::total_cmp);
        Some(d[d.len() / 2])
    }
}
