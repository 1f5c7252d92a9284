//! A plot drawn into memory and written as an RGB PNG.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::embedded_font::register_embedded_font;
use crate::validation_error::ValidationError;

/// A PNG plot written to disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotFile {
    /// Where it is.
    pub path: PathBuf,
    /// Width (pixels).
    pub width: u32,
    /// Height (pixels).
    pub height: u32,
}

/// The drawing's error, as text (plotters' error types are generic over the backend).
pub(crate) type DrawResult = Result<(), String>;

/// Draws with `draw` on a white `width × height` canvas and writes the PNG `path`.
pub(crate) fn render_png(
    path: &Path,
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> DrawResult,
) -> Result<PlotFile, ValidationError> {
    register_embedded_font();
    let plot_err = |detail: String| ValidationError::Plot {
        path: path.to_path_buf(),
        detail,
    };
    let mut buffer = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_err(e.to_string()))?;
        draw(&root).map_err(plot_err)?;
        root.present().map_err(|e| plot_err(e.to_string()))?;
    }
    let file = File::create(path).map_err(|e| ValidationError::io(path, e))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let png_err = |e: png::EncodingError| ValidationError::file(path, e.to_string());
    let mut writer = encoder.write_header().map_err(png_err)?;
    writer.write_image_data(&buffer).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(PlotFile {
        path: path.to_path_buf(),
        width,
        height,
    })
}

/// Smallest and largest finite value, widened when they coincide; `None` when there is
/// no finite value.
pub(crate) fn finite_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if lo > hi {
        return None;
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1e-300) {
        let pad = if lo == 0.0 { 1.0 } else { 0.05 * lo.abs() };
        return Some((lo - pad, hi + pad));
    }
    let pad = 0.05 * (hi - lo);
    Some((lo - pad, hi + pad))
}
