//! The errors of this crate.

use cavitas_solver::bubbles::run::BubbleError;
use cavitas_solver::coupling::CrackError;
use cavitas_solver::driver::SolverCheckpointError;

/// Bad input that is no configuration error: a path the user named, a file that cannot be
/// resumed, a request this kind of run cannot honour (the CLI exits 2 on it).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Why a run file could not be written, reopened or finished.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The HDF5 layer failed (it names the file and the object).
    #[error(transparent)]
    Hdf5(#[from] cavitas_hdf5::OutputError),
    /// Bad input.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The bubbles could not be read for a snapshot.
    #[error(transparent)]
    Bubbles(#[from] BubbleError),
    /// The coupled run could not be read for the file.
    #[error(transparent)]
    Crack(#[from] CrackError),
    /// The checkpoint could not be decoded.
    #[error(transparent)]
    Checkpoint(#[from] SolverCheckpointError),
    /// A value could not be converted to JSON for an attribute.
    #[error("converting {what} to JSON")]
    Json {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
}
