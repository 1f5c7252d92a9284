//! A strip of cine frames side by side, each labelled (e.g. around the crack).

use std::path::Path;

use plotters::prelude::*;

use super::plot_file::{PlotFile, render_png};
use crate::data::png_frames::to_gray8;
use crate::mri::cine_series::CineSeries;
use crate::mri::slice_image::SliceImage;
use crate::validation_error::ValidationError;

/// Draws `frames` side by side, each pixel as `scale × scale` screen pixels under the
/// gray `window` = (black, white) signal, with `labels[k]` under frame `k`. Size:
/// `n · (columns · scale + 10) + 10` by `rows · scale + 60`.
pub fn plot_frame_strip(
    path: &Path,
    title: &str,
    frames: &[&SliceImage],
    labels: &[String],
    window: [f64; 2],
    scale: u32,
) -> Result<PlotFile, ValidationError> {
    if frames.is_empty() || frames.len() != labels.len() {
        return Err(ValidationError::data(
            "frame strip",
            format!("{} frames and {} labels", frames.len(), labels.len()),
        ));
    }
    let scale = scale.clamp(1, 16);
    let (fw, fh) = (
        frames[0].columns as u32 * scale,
        frames[0].rows as u32 * scale,
    );
    let width = frames.len() as u32 * (fw + 10) + 10;
    let height = fh + 60;
    render_png(path, width, height, |root| {
        root.draw(&Text::new(title.to_string(), (10, 4), ("sans-serif", 18)))
            .map_err(|e| e.to_string())?;
        for (k, (frame, label)) in frames.iter().zip(labels).enumerate() {
            let x0 = 10 + k as u32 * (fw + 10);
            let y0 = 28;
            let gray = to_gray8(frame, window);
            for row in 0..frame.rows {
                for col in 0..frame.columns {
                    let g = gray[row * frame.columns + col];
                    let (x, y) = (
                        (x0 + col as u32 * scale) as i32,
                        (y0 + row as u32 * scale) as i32,
                    );
                    root.draw(&Rectangle::new(
                        [(x, y), (x + scale as i32, y + scale as i32)],
                        RGBColor(g, g, g).filled(),
                    ))
                    .map_err(|e| e.to_string())?;
                }
            }
            root.draw(&Text::new(
                label.clone(),
                (x0 as i32, (y0 + fh + 6) as i32),
                ("sans-serif", 14),
            ))
            .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// Indices of up to `count` consecutive frames of `series` centred on the frame whose
/// acquisition window holds `time_s` (s) (the nearest frame when none does): the frames
/// around an event.
pub fn frames_around(series: &CineSeries, time_s: f64, count: usize) -> Vec<usize> {
    let n = series.len();
    if n == 0 || count == 0 {
        return Vec::new();
    }
    let centre = (0..n)
        .min_by(|&a, &b| {
            (series.times_s[a] - time_s)
                .abs()
                .total_cmp(&(series.times_s[b] - time_s).abs())
        })
        .unwrap_or(0);
    let count = count.min(n);
    let first = centre.saturating_sub(count / 2).min(n - count);
    (first..first + count).collect()
}
