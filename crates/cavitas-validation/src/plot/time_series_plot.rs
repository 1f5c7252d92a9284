//! Time series stacked in panels with the cine frame times marked.

use std::path::Path;

use plotters::prelude::*;

use super::plot_file::{PlotFile, finite_range, render_png};
use crate::validation_error::ValidationError;

/// One panel: a quantity over time.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeriesPanel {
    /// Axis label, with the unit (e.g. `gap (mm)`).
    pub label: String,
    /// Times (s).
    pub times_s: Vec<f64>,
    /// Values, in the unit of the label.
    pub values: Vec<f64>,
}

/// Plots `panels` one above the other on a shared time axis (s), 1000 pixels wide and 220
/// per panel (+ 60 for the title), with a light vertical line at each cine frame time
/// (`frame_times_s`, s) and a dashed one at each event `(label, time in s)`.
pub fn plot_time_series(
    path: &Path,
    title: &str,
    panels: &[TimeSeriesPanel],
    frame_times_s: &[f64],
    events: &[(String, f64)],
) -> Result<PlotFile, ValidationError> {
    if panels.is_empty() {
        return Err(ValidationError::data(
            "time-series plot",
            "no panel to draw",
        ));
    }
    let (width, height) = (1000u32, 60 + 220 * panels.len() as u32);
    let t_range = finite_range(
        panels
            .iter()
            .flat_map(|p| p.times_s.iter().copied())
            .chain(frame_times_s.iter().copied()),
    )
    .unwrap_or((0.0, 1.0));
    render_png(path, width, height, |root| {
        let root = root
            .titled(title, ("sans-serif", 24))
            .map_err(|e| e.to_string())?;
        let areas = root.split_evenly((panels.len(), 1));
        for (panel, area) in panels.iter().zip(&areas) {
            let y_range = finite_range(panel.values.iter().copied()).unwrap_or((0.0, 1.0));
            let mut chart = ChartBuilder::on(area)
                .margin(8)
                .x_label_area_size(36)
                .y_label_area_size(80)
                .build_cartesian_2d(t_range.0..t_range.1, y_range.0..y_range.1)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc("time (s)")
                .y_desc(panel.label.as_str())
                .light_line_style(WHITE)
                .draw()
                .map_err(|e| e.to_string())?;
            let frame_style = RGBColor(170, 200, 230).stroke_width(1);
            for &t in frame_times_s {
                chart
                    .draw_series(LineSeries::new(
                        [(t, y_range.0), (t, y_range.1)],
                        frame_style,
                    ))
                    .map_err(|e| e.to_string())?;
            }
            for (_, t) in events {
                chart
                    .draw_series(DashedLineSeries::new(
                        [(*t, y_range.0), (*t, y_range.1)],
                        6,
                        4,
                        RED.stroke_width(1),
                    ))
                    .map_err(|e| e.to_string())?;
            }
            chart
                .draw_series(LineSeries::new(
                    panel
                        .times_s
                        .iter()
                        .zip(&panel.values)
                        .filter(|(t, v)| t.is_finite() && v.is_finite())
                        .map(|(&t, &v)| (t, v)),
                    BLUE.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}
