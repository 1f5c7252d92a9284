//! The kept history of one source: its position and its samples at the kept macro steps.

/// One kept sample of a source.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrackPoint {
    /// Time of the macro step, s (at the source).
    pub time_s: f64,
    /// Volume, m³ (meaningless when `present` is false).
    pub volume_m3: f64,
    /// Volume rate, m³/s (0 when `present` is false).
    pub volume_rate_m3_s: f64,
    /// Volume acceleration, m³/s² (0 when `present` is false).
    pub volume_acceleration_m3_s2: f64,
    /// False for the zero written where the source was absent from a step next to one it
    /// was in (before it appeared, or after it vanished).
    pub present: bool,
}

impl TrackPoint {
    /// The marker of a step the source was absent from: `V'' = 0` there.
    pub fn absent(time_s: f64) -> Self {
        Self {
            time_s,
            volume_m3: 0.0,
            volume_rate_m3_s: 0.0,
            volume_acceleration_m3_s2: 0.0,
            present: false,
        }
    }
}

/// A source's fixed position and its kept samples in time order. Between samples `V''` is
/// linear; before the first and after the last it is zero.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SourceTrack {
    /// Position in the joint, m.
    pub position_m: [f64; 3],
    /// Kept samples, strictly increasing in time.
    pub points: Vec<TrackPoint>,
}

impl SourceTrack {
    /// An empty track at `position_m`.
    pub fn new(position_m: [f64; 3]) -> Self {
        Self {
            position_m,
            points: Vec::new(),
        }
    }

    /// `V''(t)`, m³/s²: linear between kept samples, zero outside them.
    pub fn acceleration_at(&self, time_s: f64) -> f64 {
        let p = &self.points;
        let k = p.partition_point(|q| q.time_s <= time_s);
        if k == 0 || k == p.len() {
            // Before the first sample, or at/after the last (exactly at the last: its value).
            return match p.last() {
                Some(last) if k == p.len() && last.time_s == time_s => {
                    last.volume_acceleration_m3_s2
                }
                _ => 0.0,
            };
        }
        interpolate(&p[k - 1], &p[k], time_s)
    }

    /// Adds `gain · V''(t_j − delay_s)` to `out[j]` for `t_j = start_s + j · step_s`: the
    /// retarded contribution of this source on a uniform grid of listener times, walked in
    /// one pass.
    pub fn accumulate_on_grid_into(
        &self,
        start_s: f64,
        step_s: f64,
        gain: f64,
        delay_s: f64,
        out: &mut [f64],
    ) {
        let p = &self.points;
        let (Some(first), Some(last)) = (p.first(), p.last()) else {
            return;
        };
        let t0 = start_s - delay_s;
        // Grid indices inside [first, last].
        let j_begin = (((first.time_s - t0) / step_s).ceil().max(0.0) as usize).min(out.len());
        let j_end =
            ((((last.time_s - t0) / step_s).floor() + 1.0).max(0.0) as usize).min(out.len());
        let t_begin = t0 + j_begin as f64 * step_s;
        let mut k = p
            .partition_point(|q| q.time_s < t_begin)
            .clamp(1, p.len().max(2) - 1);
        for j in j_begin..j_end {
            let t = t0 + j as f64 * step_s;
            while k < p.len() - 1 && p[k].time_s < t {
                k += 1;
            }
            let value = if p.len() == 1 {
                if t == first.time_s {
                    first.volume_acceleration_m3_s2
                } else {
                    0.0
                }
            } else {
                interpolate(&p[k - 1], &p[k], t)
            };
            out[j] += gain * value;
        }
    }
}

fn interpolate(a: &TrackPoint, b: &TrackPoint, t: f64) -> f64 {
    let w = ((t - a.time_s) / (b.time_s - a.time_s)).clamp(0.0, 1.0);
    a.volume_acceleration_m3_s2 + w * (b.volume_acceleration_m3_s2 - a.volume_acceleration_m3_s2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(time_s: f64, a: f64) -> TrackPoint {
        TrackPoint {
            time_s,
            volume_m3: 1.0,
            volume_rate_m3_s: 0.0,
            volume_acceleration_m3_s2: a,
            present: true,
        }
    }

    /// The grid walk and the point lookup are the same piecewise-linear function (exact:
    /// both interpolate the same two samples).
    #[test]
    fn grid_walk_matches_point_lookup() {
        let track = SourceTrack {
            position_m: [0.0; 3],
            points: vec![
                point(1.0, 2.0),
                point(1.5, -1.0),
                point(1.6, 4.0),
                point(3.0, 1.0),
            ],
        };
        let mut out = vec![0.0; 40];
        track.accumulate_on_grid_into(0.95, 0.07, 3.0, 0.2, &mut out);
        for (j, &v) in out.iter().enumerate() {
            let t = 0.95 + j as f64 * 0.07 - 0.2;
            let expected = 3.0 * track.acceleration_at(t);
            assert!((v - expected).abs() < 1e-12, "{j}: {v} vs {expected}");
        }
        assert_eq!(track.acceleration_at(0.5), 0.0);
        assert_eq!(track.acceleration_at(3.0), 1.0);
        assert_eq!(track.acceleration_at(3.1), 0.0);
        assert!((track.acceleration_at(1.25) - 0.5).abs() < 1e-12);
    }
}
