//! A coupled run's joint as the validation sees it: read back from its run file through
//! [`cavitas_hdf5::RunReader`] and sampled the way cine MRI samples a joint.

use std::path::Path;

use cavitas_hdf5::{OutputError, RunReader};
use cavitas_output::joint_schema::joint_column;

/// The joint of a finished coupled run (SI units).
#[derive(Debug, Clone, PartialEq)]
pub struct JointRecord {
    /// Time of each macro step (s), increasing.
    pub time_s: Vec<f64>,
    /// Gap between the articular surfaces (m).
    pub gap_m: Vec<f64>,
    /// Volume of the bubbles, vapour and gas together (m³).
    pub cavity_volume_m3: Vec<f64>,
    /// Located events: kind and time (s), in time order.
    pub events: Vec<(String, f64)>,
}

impl JointRecord {
    /// Reads `/joint` and `/events` of the finished run file `path`.
    pub fn read(path: &Path) -> Result<Self, OutputError> {
        let reader = RunReader::open(path)?;
        let column = |name: &str| reader.column(joint_column::GROUP, name).map(|a| a.values);
        Ok(Self {
            time_s: column(joint_column::TIME)?,
            gap_m: column(joint_column::GAP)?,
            cavity_volume_m3: column(joint_column::CAVITY_VOLUME)?,
            events: reader
                .events()?
                .into_iter()
                .map(|e| (e.kind, e.t))
                .collect(),
        })
    }

    /// Time of the first event of `kind` (s), e.g. `gap_jump`: the crack.
    pub fn first_event_s(&self, kind: &str) -> Option<f64> {
        self.events.iter().find(|(k, _)| k == kind).map(|&(_, t)| t)
    }

    /// Gap (m) at `t_s`, linear between macro steps; `None` outside the run.
    pub fn gap_at(&self, t_s: f64) -> Option<f64> {
        interpolate(&self.time_s, &self.gap_m, t_s)
    }

    /// Cavity volume (m³, vapour and gas) at `t_s`, linear between macro steps; `None`
    /// outside the run.
    pub fn cavity_volume_at(&self, t_s: f64) -> Option<f64> {
        interpolate(&self.time_s, &self.cavity_volume_m3, t_s)
    }

    /// The gap as a cine sequence at `frame_rate_hz` sees it: frame `k` at `k / rate`
    /// from the start, as long as the run lasts, each the gap at that instant (m). A cine
    /// MRI frame integrates over its acquisition; this is the instantaneous sample the
    /// synthetic images start from.
    pub fn gap_frames(&self, frame_rate_hz: f64) -> Vec<(f64, f64)> {
        let (Some(&first), Some(&last)) = (self.time_s.first(), self.time_s.last()) else {
            return Vec::new();
        };
        (0..)
            .map(|k| first + k as f64 / frame_rate_hz)
            .take_while(|&t| t <= last)
            .filter_map(|t| self.gap_at(t).map(|h| (t, h)))
            .collect()
    }
}

/// Linear interpolation of `(x, y)` at `at` (`x` increasing); `None` outside `x`.
fn interpolate(x: &[f64], y: &[f64], at: f64) -> Option<f64> {
    let (&x0, &x1) = (x.first()?, x.last()?);
    if !(x0..=x1).contains(&at) {
        return None;
    }
    let i = x.partition_point(|&v| v < at);
    if x[i] == at {
        return Some(y[i]);
    }
    let w = (at - x[i - 1]) / (x[i] - x[i - 1]);
    Some(y[i - 1] + w * (y[i] - y[i - 1]))
}
