//! A simulated series against an observed one: event frames, gap and cavity-area errors.

use crate::measure::measurement_series::{EventRules, FrameEvent, MeasurementSeries};
use crate::validation_error::ValidationError;

/// The comparison of a simulated series (the synthetic images as the reader measured
/// them) with an observed one (a researcher's digitised data, or a real series measured
/// by the same reader). Errors are simulated − observed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesComparison {
    /// Observed frames paired with a simulated frame (nearest in time, within half a
    /// simulated frame period).
    pub matched_frames: usize,
    /// First visible cavity, simulated and observed.
    pub first_cavity: (Option<FrameEvent>, Option<FrameEvent>),
    /// Gap jump, simulated and observed.
    pub gap_jump: (Option<FrameEvent>, Option<FrameEvent>),
    /// Observed minus simulated first-cavity time, in simulated frame periods (rounded).
    pub first_cavity_offset_frames: Option<i64>,
    /// Observed minus simulated gap-jump time, in simulated frame periods (rounded).
    pub gap_jump_offset_frames: Option<i64>,
    /// Root-mean-square of simulated − observed joint space over frames with both (m).
    pub gap_rms_error_m: Option<f64>,
    /// That RMS error over the RMS of the observed joint space (1).
    pub gap_rms_relative: Option<f64>,
    /// Root-mean-square of simulated − observed cavity area over frames with both (m²).
    pub cavity_area_rms_error_m2: Option<f64>,
    /// That RMS error over the RMS of the observed area (1); `None` when the observed
    /// area is zero throughout.
    pub cavity_area_rms_relative: Option<f64>,
}

impl SeriesComparison {
    /// Compares `simulated` with `observed`, dating events by `rules` in both.
    pub fn compare(
        simulated: &MeasurementSeries,
        observed: &MeasurementSeries,
        rules: &EventRules,
    ) -> Result<Self, ValidationError> {
        let period = simulated.frame_period_s;
        if simulated.is_empty() || observed.is_empty() || !(period > 0.0) {
            return Err(ValidationError::data(
                "series comparison",
                format!(
                    "{} simulated and {} observed frames, simulated period {period} s: \
                     both need frames and a positive period",
                    simulated.len(),
                    observed.len()
                ),
            ));
        }
        let pairs: Vec<(usize, usize)> = observed
            .times_s
            .iter()
            .enumerate()
            .filter_map(|(i, &t)| {
                let j = nearest(&simulated.times_s, t);
                ((simulated.times_s[j] - t).abs() <= 0.5 * period + 1e-12).then_some((j, i))
            })
            .collect();
        let errors = |sim: &[Option<f64>], obs: &[Option<f64>]| {
            let both: Vec<(f64, f64)> = pairs
                .iter()
                .filter_map(|&(j, i)| Some((sim[j]?, obs[i]?)))
                .collect();
            if both.is_empty() {
                return (None, None);
            }
            let n = both.len() as f64;
            let rms = (both.iter().map(|(s, o)| (s - o).powi(2)).sum::<f64>() / n).sqrt();
            let scale = (both.iter().map(|(_, o)| o * o).sum::<f64>() / n).sqrt();
            (Some(rms), (scale > 0.0).then(|| rms / scale))
        };
        let (gap_rms, gap_rel) = errors(&simulated.joint_space_m, &observed.joint_space_m);
        let (area_rms, area_rel) = errors(&simulated.cavity_area_m2, &observed.cavity_area_m2);
        let offset = |s: Option<FrameEvent>, o: Option<FrameEvent>| {
            Some(((o?.time_s - s?.time_s) / period).round() as i64)
        };
        let first_cavity = (simulated.first_cavity(rules), observed.first_cavity(rules));
        let gap_jump = (simulated.gap_jump(rules), observed.gap_jump(rules));
        Ok(Self {
            matched_frames: pairs.len(),
            first_cavity_offset_frames: offset(first_cavity.0, first_cavity.1),
            gap_jump_offset_frames: offset(gap_jump.0, gap_jump.1),
            first_cavity,
            gap_jump,
            gap_rms_error_m: gap_rms,
            gap_rms_relative: gap_rel,
            cavity_area_rms_error_m2: area_rms,
            cavity_area_rms_relative: area_rel,
        })
    }
}

/// Index of the time in `times` (increasing, non-empty) nearest `t`.
fn nearest(times: &[f64], t: f64) -> usize {
    let j = times.partition_point(|&x| x < t);
    if j == 0 {
        0
    } else if j == times.len() || (t - times[j - 1]) <= (times[j] - t) {
        j - 1
    } else {
        j
    }
}
