//! [`SolverCheckpoint`]: the whole solver state of a run of any kind, as the named arrays a
//! checkpoint file holds.

use crate::bubbles::checkpoint::{BubbleCheckpoint, CheckpointError, NamedArrays};
use crate::coupling::{CrackCheckpoint, CrackCheckpointError};

use super::scenario::ScenarioKind;

/// The solver state of a checkpoint, for the kind of run that wrote it.
#[derive(Debug, Clone)]
pub enum SolverCheckpoint {
    /// A bubble-field run.
    BubbleField(Box<BubbleCheckpoint>),
    /// A coupled joint run.
    Crack(Box<CrackCheckpoint>),
}

/// A checkpoint that cannot be decoded.
#[derive(Debug, thiserror::Error)]
pub enum SolverCheckpointError {
    #[error(transparent)]
    BubbleField(#[from] CheckpointError),
    #[error(transparent)]
    Crack(#[from] CrackCheckpointError),
    #[error("a {0} run has no checkpoints")]
    NotCheckpointed(&'static str),
}

impl SolverCheckpoint {
    /// Simulated time of the checkpoint (s).
    pub fn time_s(&self) -> f64 {
        match self {
            Self::BubbleField(c) => c.time_s,
            Self::Crack(c) => c.time_s(),
        }
    }

    /// Steps (intervals or accepted macro steps) done at the checkpoint.
    pub fn steps(&self) -> u64 {
        match self {
            Self::BubbleField(c) => c.interval,
            Self::Crack(c) => c.accepted_steps(),
        }
    }

    /// The state as named arrays.
    pub fn to_arrays(&self) -> NamedArrays {
        match self {
            Self::BubbleField(c) => c.to_arrays(),
            Self::Crack(c) => {
                let (f64_arrays, u64_arrays) = c.to_arrays();
                NamedArrays {
                    f64_arrays,
                    u64_arrays,
                }
            }
        }
    }

    /// Decodes the arrays a run of `kind` wrote.
    pub fn from_arrays(
        kind: ScenarioKind,
        arrays: &NamedArrays,
    ) -> Result<Self, SolverCheckpointError> {
        Ok(match kind {
            ScenarioKind::BubbleField => {
                Self::BubbleField(Box::new(BubbleCheckpoint::from_arrays(arrays)?))
            }
            ScenarioKind::Crack => {
                Self::Crack(Box::new(CrackCheckpoint::from_arrays(&arrays.u64_arrays)?))
            }
            ScenarioKind::Capsule => {
                return Err(SolverCheckpointError::NotCheckpointed(kind.name()));
            }
        })
    }
}
