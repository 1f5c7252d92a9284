//! Which stretch of the record is analysed: the loudest pop.

use serde::Serialize;

/// The analysed stretch of the record, in source time: the kept steps louder than
/// `window_threshold_db` below the loudest step, gathered around the loudest step as long as
/// consecutive loud steps are at most `window_merge_gap_s` apart, plus the step on either
/// side (no further than `window_merge_gap_s`) where `V''` ramps in and out. A later or
/// earlier pop (a re-crack) separated by a longer quiet gap is left out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PopWindow {
    /// Start, s (source time).
    pub start_time_s: f64,
    /// End, s (source time).
    pub end_time_s: f64,
    /// Time of the loudest kept step, s (source time).
    pub loudest_step_time_s: f64,
    /// Its loudness: `Σ_i ρ_air |V''_i| / (4π r_i)` at the nearest listener, Pa (an upper
    /// bound of the air pressure there, delays ignored).
    pub loudest_step_pa: f64,
    /// Closest spacing of kept steps inside the window, s (infinite with one step): the
    /// fastest recorded variation, which sets the fine grid of the resampling.
    pub finest_step_s: f64,
}

impl PopWindow {
    /// The window for kept steps at `times_s` (increasing) with loudness `loudness_pa`;
    /// `None` when every step is silent.
    pub fn find(
        times_s: &[f64],
        loudness_pa: &[f64],
        threshold_db: f64,
        merge_gap_s: f64,
    ) -> Option<Self> {
        let (peak, &loudest) = loudness_pa
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        if !(loudest > 0.0) {
            return None;
        }
        let level = loudest * 10f64.powf(-threshold_db / 20.0);
        let loud = |k: usize| loudness_pa[k] >= level;
        let (mut first, mut last) = (peak, peak);
        for k in (0..peak).rev() {
            if times_s[first] - times_s[k] > merge_gap_s {
                break;
            }
            if loud(k) {
                first = k;
            }
        }
        for k in peak + 1..times_s.len() {
            if times_s[k] - times_s[last] > merge_gap_s {
                break;
            }
            if loud(k) {
                last = k;
            }
        }
        let start = if first > 0 {
            times_s[first - 1].max(times_s[first] - merge_gap_s)
        } else {
            times_s[first]
        };
        let end = if last + 1 < times_s.len() {
            times_s[last + 1].min(times_s[last] + merge_gap_s)
        } else {
            times_s[last]
        };
        let a = times_s.partition_point(|&t| t < start);
        let b = times_s.partition_point(|&t| t <= end);
        let finest_step_s = times_s[a..b]
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        Some(Self {
            start_time_s: start,
            end_time_s: end,
            loudest_step_time_s: times_s[peak],
            loudest_step_pa: loudest,
            finest_step_s,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two pops 10 s apart: the louder one is analysed; its quiet neighbours bound it, no
    /// further than the merge gap.
    #[test]
    fn picks_the_loudest_pop() {
        let t = [
            0.0, 0.5, 1.001, 1.002, 1.003, 2.0, 11.0, 11.001, 11.002, 12.0,
        ];
        let l = [0.0, 0.0, 1.0, 0.5, 1e-4, 0.0, 0.0, 3.0, 0.0, 0.0];
        let w = PopWindow::find(&t, &l, 60.0, 0.05).unwrap();
        assert_eq!((w.start_time_s, w.end_time_s), (11.0, 11.002));
        assert_eq!(w.loudest_step_time_s, 11.001);
        let w = PopWindow::find(&t[..6], &l[..6], 60.0, 0.05).unwrap();
        assert_eq!(w.start_time_s, 1.001 - 0.05);
        // The step before is 0.5 s away: the ramp-in is cut to the merge gap.
        assert_eq!(w.end_time_s, 1.003);
        assert!((w.finest_step_s - 0.001).abs() < 1e-12);
        assert!(PopWindow::find(&t, &[0.0; 10], 60.0, 0.05).is_none());
    }
}
