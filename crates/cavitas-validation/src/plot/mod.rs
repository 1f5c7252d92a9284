//! Plots (PNG, drawn by plotters with an embedded font: no system fonts) and the
//! `report.md` that links them.

pub mod comparison_plot;
pub mod embedded_font;
pub mod frame_strip_plot;
pub mod plot_file;
pub mod spectrum_plot;
pub mod time_series_plot;
pub mod validation_report;
