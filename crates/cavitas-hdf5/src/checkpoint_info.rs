//! What a reader learns about the last checkpoint of an unfinished run.

use std::collections::BTreeMap;

use crate::checkpoint_state::CheckpointState;
use crate::event::Event;

/// The last checkpoint of a run, read from its `out.h5.ckpt`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckpointInfo {
    /// 1 for the first checkpoint of the run.
    pub sequence: u64,
    /// Wall time of the run up to the checkpoint, s.
    pub wall_time_s: f64,
    /// The solver state saved.
    pub state: CheckpointState,
    /// Rows of every streamed dataset at the checkpoint (path -> rows), of
    /// which `rows_in_run_file` are in the run file and the rest in the sidecar.
    pub rows: BTreeMap<String, u64>,
    /// Rows of every streamed dataset already stored in the run file.
    pub rows_in_run_file: BTreeMap<String, u64>,
    /// Events recorded up to the checkpoint.
    pub events: Vec<Event>,
}
