//! Error reporting and exit codes: 2 for bad input (config, CLI, files named by the user:
//! an existing output, a bad restart file, shards that do not merge), 1 for failures.

use std::process::ExitCode;

use cavitas_hdf5::OutputError;
use cavitas_solver::bubbles::checkpoint::CheckpointError;
use cavitas_solver::config::ConfigError;
use cavitas_solver::coupling::{CrackCheckpointError, CrackError};

/// Bad input that is not a configuration error (an argument, a missing adapter asked for).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Prints the whole error chain to stderr and returns the exit code.
pub fn report(error: &anyhow::Error) -> ExitCode {
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    if is_input_error(error) {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

fn is_input_error(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.is::<ConfigError>()
            || cause.is::<InputError>()
            || cause.is::<CheckpointError>()
            || cause.is::<CrackCheckpointError>()
            || matches!(
                cause.downcast_ref::<CrackError>(),
                Some(CrackError::Checkpoint(_))
            )
            || cause.downcast_ref::<OutputError>().is_some_and(is_bad_file)
    })
}

/// Output errors caused by the files or paths the user named, not by a failure while
/// writing: an existing output, a file that is not (or not a resumable) cavitas run, shards
/// that do not merge.
fn is_bad_file(error: &OutputError) -> bool {
    !matches!(
        error,
        OutputError::Io { .. }
            | OutputError::Backend { .. }
            | OutputError::BackendPanic { .. }
            | OutputError::InvalidName { .. }
            | OutputError::Mismatch { .. }
    )
}
