//! An amplitude spectrum (e.g. of the pop at a listener).

use std::path::Path;

use plotters::prelude::*;

use super::plot_file::{PlotFile, finite_range, render_png};
use crate::validation_error::ValidationError;

/// Plots `amplitude` (in `unit`) against `frequency_hz` (Hz) on a logarithmic frequency
/// axis (bins at 0 Hz or below are left out), 900 × 500 pixels.
pub fn plot_spectrum(
    path: &Path,
    title: &str,
    frequency_hz: &[f64],
    amplitude: &[f64],
    unit: &str,
) -> Result<PlotFile, ValidationError> {
    let points: Vec<(f64, f64)> = frequency_hz
        .iter()
        .zip(amplitude)
        .filter(|(f, a)| **f > 0.0 && f.is_finite() && a.is_finite())
        .map(|(&f, &a)| (f, a))
        .collect();
    if points.len() < 2 {
        return Err(ValidationError::data(
            "spectrum plot",
            format!("{} bins above 0 Hz: at least two are needed", points.len()),
        ));
    }
    let f = finite_range(points.iter().map(|p| p.0)).unwrap_or((1.0, 10.0));
    let a = finite_range(points.iter().map(|p| p.1)).unwrap_or((0.0, 1.0));
    let (f0, f1) = (points[0].0, points[points.len() - 1].0.max(f.1));
    render_png(path, 900, 500, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 22))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(80)
            .build_cartesian_2d((f0..f1).log_scale(), 0.0f64.min(a.0)..a.1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("frequency (Hz)")
            .y_desc(format!("amplitude ({unit})"))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                BLUE.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}
