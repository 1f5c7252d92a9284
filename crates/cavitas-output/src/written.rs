//! [`Written`]: what a finished run file cost.

use std::path::PathBuf;
use std::time::Instant;

/// A finished run file and the wall time spent writing it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Written {
    /// The finished file.
    pub path: PathBuf,
    /// Wall time inside the writer (create or reopen, series, snapshots, checkpoints, final
    /// arrays, finish), s.
    pub seconds: f64,
    /// Checkpoints written in this session.
    pub checkpoints: u64,
    /// Wall time of the whole command up to the finished file, s.
    pub wall_time_s: f64,
}

impl Written {
    /// The cost of a finished file: `seconds` inside the writer, `checkpoints` this session,
    /// against the wall time since `started`.
    pub fn new(path: PathBuf, seconds: f64, checkpoints: u64, started: Instant) -> Self {
        Self {
            path,
            seconds,
            checkpoints,
            wall_time_s: started.elapsed().as_secs_f64(),
        }
    }

    /// One line for the human summary.
    pub fn describe(&self) -> String {
        format!(
            "output {} ({} checkpoint(s) this session; {:.3} s of {:.3} s wall in output, {:.1} %)",
            self.path.display(),
            self.checkpoints,
            self.seconds,
            self.wall_time_s,
            100.0 * self.seconds / self.wall_time_s
        )
    }
}
