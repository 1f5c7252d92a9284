//! A simulated series against an observed one, quantity by quantity.

use std::path::Path;

use plotters::prelude::*;

use super::plot_file::{PlotFile, finite_range, render_png};
use crate::measure::measurement_series::MeasurementSeries;
use crate::validation_error::ValidationError;

/// Two panels over time: the joint space (mm) and the cavity area (mm²), the simulated
/// series as a line with circles (its uncertainty as error bars), the observed one as
/// red crosses. 1000 × 700 pixels.
pub fn plot_comparison(
    path: &Path,
    title: &str,
    simulated: &MeasurementSeries,
    observed: &MeasurementSeries,
) -> Result<PlotFile, ValidationError> {
    type Column<'a> = (
        &'a str,
        fn(&MeasurementSeries) -> (&[Option<f64>], &[Option<f64>]),
        f64,
    );
    let columns: [Column; 2] = [
        (
            "joint space (mm)",
            |s| (&s.joint_space_m, &s.joint_space_uncertainty_m),
            1e3,
        ),
        (
            "cavity area (mm²)",
            |s| (&s.cavity_area_m2, &s.cavity_area_uncertainty_m2),
            1e6,
        ),
    ];
    let t = finite_range(simulated.times_s.iter().chain(&observed.times_s).copied())
        .unwrap_or((0.0, 1.0));
    render_png(path, 1000, 700, |root| {
        let root = root
            .titled(title, ("sans-serif", 24))
            .map_err(|e| e.to_string())?;
        let areas = root.split_evenly((2, 1));
        for ((label, get, factor), area) in columns.iter().zip(&areas) {
            let pts = |s: &MeasurementSeries| -> Vec<(f64, f64, f64)> {
                let (v, u) = get(s);
                s.times_s
                    .iter()
                    .zip(v.iter().zip(u))
                    .filter_map(|(&t, (v, u))| {
                        Some((t, v.as_ref()? * factor, u.unwrap_or(0.0) * factor))
                    })
                    .collect()
            };
            let (sim, obs) = (pts(simulated), pts(observed));
            let y = finite_range(
                sim.iter()
                    .flat_map(|p| [p.1 - p.2, p.1 + p.2])
                    .chain(obs.iter().map(|p| p.1)),
            )
            .unwrap_or((0.0, 1.0));
            let mut chart = ChartBuilder::on(area)
                .margin(8)
                .x_label_area_size(36)
                .y_label_area_size(80)
                .build_cartesian_2d(t.0..t.1, y.0..y.1)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc("time (s)")
                .y_desc(*label)
                .draw()
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(sim.iter().map(|&(t, v, u)| {
                    PathElement::new([(t, v - u), (t, v + u)], RGBColor(150, 150, 220))
                }))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(LineSeries::new(
                    sim.iter().map(|p| (p.0, p.1)),
                    BLUE.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label("simulated")
                .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE));
            chart
                .draw_series(
                    sim.iter()
                        .map(|p| Circle::new((p.0, p.1), 3, BLUE.filled())),
                )
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(
                    obs.iter()
                        .map(|p| Cross::new((p.0, p.1), 5, RED.stroke_width(2))),
                )
                .map_err(|e| e.to_string())?
                .label("observed")
                .legend(|(x, y)| Cross::new((x + 10, y), 5, RED));
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}
