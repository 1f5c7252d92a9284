//! A researcher's digitised measurements of a real cine series, as CSV.
//!
//! Format (documented for users in `validation/kawchuk-2015/README.md`):
//!
//! ```text
//! # Lines starting with '#' are comments.
//! time_s,gap_mm,cavity_area_mm2
//! 0.156,2.21,0
//! 0.469,2.20,
//! 0.781,2.63,4.5
//! ```
//!
//! - A header row names each column `<quantity>_<unit>`: `time_s` or `time_ms` (the
//!   frame's time, required), `gap_m`, `gap_mm` or `gap_um` (the joint space along the
//!   axis, bone surface to bone surface, as the reader measures it), `cavity_area_m2` or
//!   `cavity_area_mm2` (the dark cavity's area in the slice). At least one of gap and
//!   cavity area; no other columns.
//! - One row per frame, times increasing; an empty cell is a frame not measured there.
//! - Values are finite and not negative (times may be negative).

use std::path::Path;

use crate::measure::measurement_series::MeasurementSeries;
use crate::mri::cine_series::CineSeries;
use crate::validation_error::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quantity {
    Time,
    Gap,
    CavityArea,
}

/// Column name → quantity and the factor to SI.
fn column_kind(name: &str) -> Option<(Quantity, f64)> {
    Some(match name {
        "time_s" => (Quantity::Time, 1.0),
        "time_ms" => (Quantity::Time, 1e-3),
        "gap_m" => (Quantity::Gap, 1.0),
        "gap_mm" => (Quantity::Gap, 1e-3),
        "gap_um" => (Quantity::Gap, 1e-6),
        "cavity_area_m2" => (Quantity::CavityArea, 1.0),
        "cavity_area_mm2" => (Quantity::CavityArea, 1e-6),
        _ => return None,
    })
}

const ALLOWED: &str = "time_s, time_ms, gap_m, gap_mm, gap_um, cavity_area_m2, cavity_area_mm2";

/// Reads the digitised measurements of `path`. Uncertainties are not in the file; the
/// series carries none. The frame period is the median interval between rows.
pub fn read_digitised_csv(path: &Path) -> Result<MeasurementSeries, ValidationError> {
    let text = std::fs::read_to_string(path).map_err(|e| ValidationError::io(path, e))?;
    parse_digitised_csv(&text, path)
}

/// Parses digitised measurements from `text`; `path` names the source in errors.
pub fn parse_digitised_csv(text: &str, path: &Path) -> Result<MeasurementSeries, ValidationError> {
    let err = |line: u64, column: usize, name: &str, detail: String| ValidationError::Csv {
        path: path.to_path_buf(),
        line,
        column,
        name: name.to_string(),
        detail,
    };
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| err(csv_line(&e), 0, "?", e.to_string()))?
        .clone();
    let header_line = headers.position().map_or(1, |p| p.line());
    let mut kinds = Vec::with_capacity(headers.len());
    for (c, name) in headers.iter().enumerate() {
        let Some((q, factor)) = column_kind(name) else {
            return Err(err(
                header_line,
                c + 1,
                name,
                format!("unknown column; allowed: {ALLOWED}"),
            ));
        };
        if let Some(prev) = kinds.iter().position(|&(p, _)| p == q) {
            return Err(err(
                header_line,
                c + 1,
                name,
                format!(
                    "the same quantity as column {} ({})",
                    prev + 1,
                    &headers[prev]
                ),
            ));
        }
        kinds.push((q, factor));
    }
    let find = |q: Quantity| kinds.iter().position(|&(p, _)| p == q);
    let Some(time_col) = find(Quantity::Time) else {
        return Err(err(
            header_line,
            0,
            "?",
            "no time column (time_s or time_ms)".into(),
        ));
    };
    let (gap_col, area_col) = (find(Quantity::Gap), find(Quantity::CavityArea));
    if gap_col.is_none() && area_col.is_none() {
        return Err(err(
            header_line,
            0,
            "?",
            "neither a gap nor a cavity_area column: nothing to compare".into(),
        ));
    }
    let mut times = Vec::new();
    let mut gaps = Vec::new();
    let mut areas = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| err(csv_line(&e), 0, "?", e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |c: usize| -> Result<Option<f64>, ValidationError> {
            let raw = record.get(c).unwrap_or("");
            if raw.is_empty() {
                return Ok(None);
            }
            let v: f64 = raw
                .parse()
                .map_err(|_| err(line, c + 1, &headers[c], format!("{raw:?} is not a number")))?;
            if !v.is_finite() {
                return Err(err(
                    line,
                    c + 1,
                    &headers[c],
                    format!("{raw} is not finite"),
                ));
            }
            if v < 0.0 && c != time_col {
                return Err(err(line, c + 1, &headers[c], format!("{raw} is negative")));
            }
            Ok(Some(v * kinds[c].1))
        };
        let t = cell(time_col)?.ok_or_else(|| {
            err(
                line,
                time_col + 1,
                &headers[time_col],
                "every row needs a time".into(),
            )
        })?;
        if let Some(&prev) = times.last()
            && t <= prev
        {
            return Err(err(
                line,
                time_col + 1,
                &headers[time_col],
                format!("times must increase: {t} s after {prev} s"),
            ));
        }
        times.push(t);
        gaps.push(gap_col.map(cell).transpose()?.flatten());
        areas.push(area_col.map(cell).transpose()?.flatten());
    }
    let Some(period) = CineSeries::median_interval_s(&times) else {
        return Err(err(
            header_line,
            0,
            "?",
            format!("{} row(s): at least two frames are needed", times.len()),
        ));
    };
    let n = times.len();
    Ok(MeasurementSeries {
        times_s: times,
        frame_period_s: period,
        joint_space_m: gaps,
        joint_space_uncertainty_m: vec![None; n],
        cavity_area_m2: areas,
        cavity_area_uncertainty_m2: vec![None; n],
    })
}

fn csv_line(e: &csv::Error) -> u64 {
    e.position().map_or(0, |p| p.line())
}
