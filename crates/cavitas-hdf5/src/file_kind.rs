//! Which kind of cavitas file a reader opened.

use crate::{CHECKPOINT_FORMAT, RUN_FORMAT, SWEEP_FORMAT};

/// The `format` root attribute of a cavitas file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// One run (`cavitas-run`).
    Run,
    /// A merged sweep of virtual datasets over shard files (`cavitas-sweep`).
    Sweep,
    /// A checkpoint sidecar (`cavitas-checkpoint`).
    Checkpoint,
}

impl FileKind {
    /// Parse the `format` attribute.
    pub fn parse(format: &str) -> Option<Self> {
        match format {
            RUN_FORMAT => Some(Self::Run),
            SWEEP_FORMAT => Some(Self::Sweep),
            CHECKPOINT_FORMAT => Some(Self::Checkpoint),
            _ => None,
        }
    }

    /// The `format` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Run => RUN_FORMAT,
            Self::Sweep => SWEEP_FORMAT,
            Self::Checkpoint => CHECKPOINT_FORMAT,
        }
    }
}
