//! A timeline interpolated from samples: the gap, the capsule and the cavities of a run.

use super::capsule_meridian::CapsuleMeridian;
use super::gas_cavity::GasCavity;
use super::joint_anatomy::JointAnatomy;
use super::joint_scene::{JointScene, straight_capsule};
use super::joint_timeline::JointTimeline;
use crate::validation_error::ValidationError;

/// Capsule meridians at snapshot times (every snapshot has the same nodes).
#[derive(Debug, Clone, PartialEq)]
struct CapsuleTrack {
    times_s: Vec<f64>,
    nodes_m: Vec<Vec<[f64; 2]>>,
}

/// Cavities with fixed centres whose radii are sampled at snapshot times.
#[derive(Debug, Clone, PartialEq)]
struct CavityTrack {
    centres_m: Vec<[f64; 3]>,
    times_s: Vec<f64>,
    /// `radii_m[s][i]`: radius of cavity `i` at snapshot `s` (m); NaN or 0 when absent.
    radii_m: Vec<Vec<f64>>,
}

/// The joint sampled in time and interpolated linearly between samples: the gap on its
/// own time base, the capsule meridian and the cavity radii on theirs. Without capsule
/// samples the capsule is straight between the attachments of the anatomy.
#[derive(Debug, Clone, PartialEq)]
pub struct SampledTimeline {
    anatomy: JointAnatomy,
    times_s: Vec<f64>,
    gap_m: Vec<f64>,
    capsule: Option<CapsuleTrack>,
    cavities: Option<CavityTrack>,
    events: Vec<(String, f64)>,
}

impl SampledTimeline {
    /// The gap `gap_m` (m) at `times_s` (s, increasing), for the joint `anatomy`.
    pub fn new(
        anatomy: JointAnatomy,
        times_s: Vec<f64>,
        gap_m: Vec<f64>,
    ) -> Result<Self, ValidationError> {
        anatomy.validate()?;
        check_times("timeline gap samples", &times_s)?;
        if gap_m.len() != times_s.len() {
            return Err(ValidationError::data(
                "timeline gap samples",
                format!("{} gaps for {} times", gap_m.len(), times_s.len()),
            ));
        }
        if let Some((i, g)) = gap_m
            .iter()
            .enumerate()
            .find(|(_, g)| !(g.is_finite() && **g >= 0.0))
        {
            return Err(ValidationError::data(
                "timeline gap samples",
                format!("gap {i} = {g} m must be finite and >= 0"),
            ));
        }
        Ok(Self {
            anatomy,
            times_s,
            gap_m,
            capsule: None,
            cavities: None,
            events: Vec::new(),
        })
    }

    /// Adds capsule meridians `nodes_m[s]` (`(r, z)`, m) at `times_s[s]` (s, increasing);
    /// every snapshot must have the same number of nodes.
    pub fn with_capsule(
        mut self,
        times_s: Vec<f64>,
        nodes_m: Vec<Vec<[f64; 2]>>,
    ) -> Result<Self, ValidationError> {
        check_times("capsule snapshots", &times_s)?;
        if nodes_m.len() != times_s.len() {
            return Err(ValidationError::data(
                "capsule snapshots",
                format!("{} meridians for {} times", nodes_m.len(), times_s.len()),
            ));
        }
        let k = nodes_m[0].len();
        for (s, nodes) in nodes_m.iter().enumerate() {
            if nodes.len() != k {
                return Err(ValidationError::data(
                    "capsule snapshots",
                    format!("snapshot {s} has {} nodes, the first {k}", nodes.len()),
                ));
            }
            CapsuleMeridian::new(nodes.clone())?;
        }
        self.capsule = Some(CapsuleTrack { times_s, nodes_m });
        Ok(self)
    }

    /// Adds cavities centred at `centres_m` (m) whose radii `radii_m[s][i]` (m; NaN or 0
    /// when absent) are known at `times_s[s]` (s, increasing).
    pub fn with_cavities(
        mut self,
        centres_m: Vec<[f64; 3]>,
        times_s: Vec<f64>,
        radii_m: Vec<Vec<f64>>,
    ) -> Result<Self, ValidationError> {
        check_times("cavity snapshots", &times_s)?;
        if radii_m.len() != times_s.len() {
            return Err(ValidationError::data(
                "cavity snapshots",
                format!("{} radius rows for {} times", radii_m.len(), times_s.len()),
            ));
        }
        if let Some(s) = radii_m.iter().position(|row| row.len() != centres_m.len()) {
            return Err(ValidationError::data(
                "cavity snapshots",
                format!(
                    "snapshot {s} has {} radii for {} centres",
                    radii_m[s].len(),
                    centres_m.len()
                ),
            ));
        }
        if let Some(c) = centres_m.iter().find(|c| c.iter().any(|x| !x.is_finite())) {
            return Err(ValidationError::data(
                "cavity snapshots",
                format!("centre {c:?} is not finite"),
            ));
        }
        self.cavities = Some(CavityTrack {
            centres_m,
            times_s,
            radii_m,
        });
        Ok(self)
    }

    /// Adds located events `(kind, time in s)`.
    pub fn with_events(mut self, events: Vec<(String, f64)>) -> Self {
        self.events = events;
        self
    }

    /// The anatomy.
    pub fn anatomy(&self) -> &JointAnatomy {
        &self.anatomy
    }

    /// Sample times of the gap (s).
    pub fn times_s(&self) -> &[f64] {
        &self.times_s
    }

    /// Gap samples (m).
    pub fn gap_m(&self) -> &[f64] {
        &self.gap_m
    }

    /// Gap at `t_s` (m), clamped to the span.
    pub fn gap_at(&self, t_s: f64) -> f64 {
        let (i, j, w) = bracket(&self.times_s, t_s);
        self.gap_m[i] + w * (self.gap_m[j] - self.gap_m[i])
    }
}

impl JointTimeline for SampledTimeline {
    fn time_span_s(&self) -> (f64, f64) {
        (self.times_s[0], self.times_s[self.times_s.len() - 1])
    }

    fn scene_at(&self, t_s: f64) -> JointScene {
        let gap_m = self.gap_at(t_s);
        let capsule = match &self.capsule {
            Some(track) => {
                let (i, j, w) = bracket(&track.times_s, t_s);
                let nodes = track.nodes_m[i]
                    .iter()
                    .zip(&track.nodes_m[j])
                    .map(|(a, b)| [a[0] + w * (b[0] - a[0]), a[1] + w * (b[1] - a[1])])
                    .collect();
                CapsuleMeridian::new(nodes).expect("validated snapshots")
            }
            None => straight_capsule(&self.anatomy, gap_m),
        };
        let cavities = match &self.cavities {
            Some(track) => {
                let (i, j, w) = bracket(&track.times_s, t_s);
                let radius = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
                track
                    .centres_m
                    .iter()
                    .enumerate()
                    .filter_map(|(k, &centre_m)| {
                        let (a, b) = (radius(track.radii_m[i][k]), radius(track.radii_m[j][k]));
                        let radius_m = a + w * (b - a);
                        (radius_m > 0.0).then_some(GasCavity { centre_m, radius_m })
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        JointScene {
            anatomy: self.anatomy,
            gap_m,
            capsule,
            cavities,
        }
    }

    fn events(&self) -> Vec<(String, f64)> {
        self.events.clone()
    }
}

/// Strictly increasing, finite and non-empty.
fn check_times(what: &str, times_s: &[f64]) -> Result<(), ValidationError> {
    if times_s.is_empty() {
        return Err(ValidationError::data(what, "no samples"));
    }
    if let Some(i) = times_s.iter().position(|t| !t.is_finite()) {
        return Err(ValidationError::data(
            what,
            format!("time {i} is not finite"),
        ));
    }
    if let Some(i) = times_s.windows(2).position(|w| w[1] <= w[0]) {
        return Err(ValidationError::data(
            what,
            format!(
                "times must increase: sample {} ({} s) follows {} s",
                i + 1,
                times_s[i + 1],
                times_s[i]
            ),
        ));
    }
    Ok(())
}

/// Indices `(i, j)` around `t` and the weight of `j`, clamped to the ends.
pub(crate) fn bracket(times: &[f64], t: f64) -> (usize, usize, f64) {
    let n = times.len();
    if n == 1 || t <= times[0] {
        return (0, 0, 0.0);
    }
    if t >= times[n - 1] {
        return (n - 1, n - 1, 0.0);
    }
    let j = times.partition_point(|&x| x <= t);
    let i = j - 1;
    (i, j, (t - times[i]) / (times[j] - times[i]))
}
