//! A line across the joint along which the reader reads the intensity.

use serde::{Deserialize, Serialize};

use crate::mri::slice_image::SliceImage;
use crate::validation_error::ValidationError;

/// A measuring line in pixel coordinates `(x, y)` = (column, row) of pixel centres, from
/// `start_px` to `end_px`, averaged over parallel lines one pixel apart up to
/// `half_width_px` either side (a reader's profile tool of some width).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileLine {
    /// Start `(column, row)` (pixels).
    pub start_px: [f64; 2],
    /// End `(column, row)` (pixels).
    pub end_px: [f64; 2],
    /// Parallel lines each side averaged in (pixels, whole). Default 1 (a 3-pixel-wide
    /// profile) \[A\]. Range: [0, 20].
    #[serde(default = "d_half_width")]
    pub half_width_px: usize,
}

fn d_half_width() -> usize {
    1
}

/// Samples of a profile: `values[i]` at `i · step_px` pixels from the start.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Signal along the line.
    pub values: Vec<f64>,
    /// Sample spacing (pixels along the line).
    pub step_px: f64,
    /// Length of one pixel step along the line (m).
    pub metres_per_px: f64,
}

impl ProfileLine {
    /// Samples per pixel along the line: half-pixel steps, bilinear between pixel centres.
    pub const SAMPLES_PER_PX: f64 = 2.0;

    /// The vertical line through the middle column of `image`, top to bottom (the joint
    /// axis of the default synthetic slice), `half_width_px` each side.
    pub fn vertical_centre(image: &SliceImage, half_width_px: usize) -> Self {
        let x = (image.columns as f64 - 1.0) / 2.0;
        Self {
            start_px: [x, 0.0],
            end_px: [x, image.rows as f64 - 1.0],
            half_width_px,
        }
    }

    /// Length (pixels).
    pub fn length_px(&self) -> f64 {
        (self.end_px[0] - self.start_px[0]).hypot(self.end_px[1] - self.start_px[1])
    }

    /// Unit direction along the line and unit normal (pixels).
    pub fn frame(&self) -> ([f64; 2], [f64; 2]) {
        let l = self.length_px();
        let d = [
            (self.end_px[0] - self.start_px[0]) / l,
            (self.end_px[1] - self.start_px[1]) / l,
        ];
        (d, [-d[1], d[0]])
    }

    /// Coordinates `(along, across)` (pixels) of pixel `(x, y)` relative to the line.
    pub fn local(&self, x: f64, y: f64) -> (f64, f64) {
        let (d, n) = self.frame();
        let (dx, dy) = (x - self.start_px[0], y - self.start_px[1]);
        (dx * d[0] + dy * d[1], dx * n[0] + dy * n[1])
    }

    /// The point (pixels) `along` pixels from the start on the line.
    pub fn point(&self, along: f64) -> [f64; 2] {
        let (d, _) = self.frame();
        [
            self.start_px[0] + along * d[0],
            self.start_px[1] + along * d[1],
        ]
    }

    /// Checks that the line has length and lies in `image`.
    pub fn validate(&self, image: &SliceImage) -> Result<(), ValidationError> {
        let inside = |p: [f64; 2]| {
            p.iter().all(|v| v.is_finite())
                && (0.0..=(image.columns - 1) as f64).contains(&p[0])
                && (0.0..=(image.rows - 1) as f64).contains(&p[1])
        };
        if !(inside(self.start_px) && inside(self.end_px)) || self.length_px() < 2.0 {
            return Err(ValidationError::parameter(
                "reader.profile",
                format!("{:?} -> {:?}", self.start_px, self.end_px),
                &format!(
                    "must be at least 2 pixels long within the {} x {} image",
                    image.columns, image.rows
                ),
            ));
        }
        if self.half_width_px > 20 {
            return Err(ValidationError::parameter(
                "reader.profile.half_width_px",
                self.half_width_px,
                "must be within [0, 20]",
            ));
        }
        Ok(())
    }

    /// The profile of `image` along this line.
    pub fn sample(&self, image: &SliceImage) -> Profile {
        let (d, n) = self.frame();
        let step = 1.0 / Self::SAMPLES_PER_PX;
        let count = (self.length_px() / step).floor() as usize + 1;
        let w = self.half_width_px as i64;
        let values = (0..count)
            .map(|i| {
                let p = self.point(i as f64 * step);
                let sum: f64 = (-w..=w)
                    .map(|k| image.sample(p[0] + k as f64 * n[0], p[1] + k as f64 * n[1]))
                    .sum();
                sum / (2 * w + 1) as f64
            })
            .collect();
        Profile {
            values,
            step_px: step,
            metres_per_px: (d[0] * image.pixel_size_m[0]).hypot(d[1] * image.pixel_size_m[1]),
        }
    }
}

impl Profile {
    /// Moving average over `2 half + 1` samples (shorter at the ends).
    pub fn smoothed(&self, half: usize) -> Vec<f64> {
        let n = self.values.len();
        (0..n)
            .map(|i| {
                let (a, b) = (i.saturating_sub(half), (i + half).min(n - 1));
                self.values[a..=b].iter().sum::<f64>() / (b - a + 1) as f64
            })
            .collect()
    }
}
