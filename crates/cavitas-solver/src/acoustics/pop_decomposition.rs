//! The three parts of the pop, read off the main cavity's volume history: growth,
//! partial collapse and rebound, confined oscillation.

use serde::Serialize;

/// Which part of the pop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PopPhaseKind {
    /// From inception to the main cavity's first volume maximum.
    Growth,
    /// From that maximum through the following minimum to the next maximum.
    CollapseAndRebound,
    /// Everything after the rebound maximum.
    ConfinedOscillation,
}

/// One part of the pop in source time (add the travel time for a listener).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PopPhase {
    /// Which part.
    pub kind: PopPhaseKind,
    /// Start, s (time at the source).
    pub start_time_s: f64,
    /// End, s (time at the source; the end of the main cavity's record for the last part).
    pub end_time_s: f64,
}

/// The main cavity's turning points and the parts of the pop they bound.
///
/// Turning points are found with hysteresis: a maximum (minimum) counts once the volume
/// has fallen (risen) from it by more than `extremum_hysteresis` times the cavity's whole
/// volume range, so the jitter of a nucleus is not taken for the pop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PopDecomposition {
    /// Index of the main cavity: the source with the largest recorded volume.
    pub main_source: usize,
    /// Its largest recorded volume, m³.
    pub largest_volume_m3: f64,
    /// Inception, s: the start of the growth, the last time before the first maximum at
    /// which the volume was within a factor 2 (`INCEPTION_VOLUME_RATIO`) of its smallest
    /// value before that maximum (the nucleus's size, however it jittered). `None` if the
    /// cavity never grew.
    pub inception_time_s: Option<f64>,
    /// Its first volume maximum after inception, s (`None`: it never turned back).
    pub first_maximum_time_s: Option<f64>,
    /// The minimum following that maximum, s (`None`: no rebound was recorded).
    pub following_minimum_time_s: Option<f64>,
    /// The maximum after that minimum (end of the rebound), s.
    pub rebound_maximum_time_s: Option<f64>,
    /// Radius at the first maximum, m (`R = (3V / 4π)^{1/3}`).
    pub maximum_radius_m: Option<f64>,
    /// Radius at the following minimum, m; with no rebound, the smallest radius recorded
    /// after the maximum.
    pub minimum_radius_m: Option<f64>,
    /// `1 − R_min / R_max` (dimensionless, 0 to 1) from the two radii above; `None` if there
    /// was no maximum.
    pub collapse_fraction: Option<f64>,
    /// The parts found, in order (source time). Growth runs to the end of the record when
    /// there is no maximum, collapse and rebound when there is no rebound maximum.
    pub phases: Vec<PopPhase>,
}

/// Inception is the last time the volume is at most this multiple of the nucleus's.
pub const INCEPTION_VOLUME_RATIO: f64 = 2.0;

/// A confirmed turning point: index into the volume history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    Min(usize),
    Max(usize),
}

impl PopDecomposition {
    /// Decomposes the volume history `history` (`(time_s, volume_m3)` in time order) of
    /// source `main_source`. `None` for an empty history.
    pub fn compute(
        main_source: usize,
        history: &[(f64, f64)],
        extremum_hysteresis: f64,
    ) -> Option<Self> {
        let (&(_, first_v), &(t_end, _)) = (history.first()?, history.last()?);
        let (lo, hi) = history
            .iter()
            .fold((first_v, first_v), |(lo, hi), &(_, v)| {
                (lo.min(v), hi.max(v))
            });
        let turns = turning_points(history, extremum_hysteresis * (hi - lo));
        let inception = turns.iter().position(|t| matches!(t, Turn::Min(_)));
        let at = |k: usize| match turns.get(k) {
            Some(Turn::Min(i) | Turn::Max(i)) => Some(*i),
            None => None,
        };
        // Turning points alternate, so after a minimum come max, min, max.
        let (lowest, m1, n1, m2) = match inception {
            Some(k) => (at(k), at(k + 1), at(k + 2), at(k + 3)),
            None => (None, None, None, None),
        };
        let inc = lowest.map(|lo| {
            let last = m1.unwrap_or(history.len() - 1);
            (lo..=last)
                .rev()
                .find(|&i| history[i].1 <= INCEPTION_VOLUME_RATIO * history[lo].1)
                .unwrap_or(lo)
        });
        let time = |i: Option<usize>| i.map(|i| history[i].0);
        let radius = |v: f64| (3.0 * v.max(0.0) / (4.0 * std::f64::consts::PI)).cbrt();
        let maximum_radius_m = m1.map(|i| radius(history[i].1));
        let minimum_radius_m = m1.map(|i| {
            let v = match n1 {
                Some(j) => history[j].1,
                None => history[i..]
                    .iter()
                    .map(|p| p.1)
                    .fold(f64::INFINITY, f64::min),
            };
            radius(v)
        });
        let collapse_fraction = match (maximum_radius_m, minimum_radius_m) {
            (Some(big), Some(small)) if big > 0.0 => Some(1.0 - small / big),
            _ => None,
        };
        let mut phases = Vec::new();
        let mut push = |kind, start: Option<f64>, end: Option<f64>| {
            if let Some(start_time_s) = start {
                let end_time_s = end.unwrap_or(t_end);
                if end_time_s > start_time_s {
                    phases.push(PopPhase {
                        kind,
                        start_time_s,
                        end_time_s,
                    });
                }
            }
        };
        push(PopPhaseKind::Growth, time(inc), time(m1));
        push(PopPhaseKind::CollapseAndRebound, time(m1), time(m2));
        push(PopPhaseKind::ConfinedOscillation, time(m2), None);
        Some(Self {
            main_source,
            largest_volume_m3: hi,
            inception_time_s: time(inc),
            first_maximum_time_s: time(m1),
            following_minimum_time_s: time(n1),
            rebound_maximum_time_s: time(m2),
            maximum_radius_m,
            minimum_radius_m,
            collapse_fraction,
            phases,
        })
    }
}

/// Alternating turning points of `history` with hysteresis `h` (m³). Ties: the last of
/// equal minima before the first rise, the first of equal values otherwise.
fn turning_points(history: &[(f64, f64)], h: f64) -> Vec<Turn> {
    let v = |i: usize| history[i].1;
    let mut turns = Vec::new();
    let (mut lo, mut hi) = (0, 0);
    let mut rising: Option<bool> = None;
    for i in 1..history.len() {
        match rising {
            None => {
                if v(i) <= v(lo) {
                    lo = i;
                }
                if v(i) > v(hi) {
                    hi = i;
                }
                if v(i) - v(lo) > h {
                    turns.push(Turn::Min(lo));
                    rising = Some(true);
                    hi = i;
                } else if v(hi) - v(i) > h {
                    turns.push(Turn::Max(hi));
                    rising = Some(false);
                    lo = i;
                }
            }
            Some(true) => {
                if v(i) > v(hi) {
                    hi = i;
                } else if v(hi) - v(i) > h {
                    turns.push(Turn::Max(hi));
                    rising = Some(false);
                    lo = i;
                }
            }
            Some(false) => {
                if v(i) < v(lo) {
                    lo = i;
                } else if v(i) - v(lo) > h {
                    turns.push(Turn::Min(lo));
                    rising = Some(true);
                    hi = i;
                }
            }
        }
    }
    turns
}
