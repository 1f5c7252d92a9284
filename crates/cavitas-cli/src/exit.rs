//! Error reporting and exit codes: 2 for bad input (config, CLI, files named by the user:
//! an existing output, a bad restart file, shards that do not merge), 1 for failures, and
//! 0 when stdout was closed early (`cavitas run --json | head`).

use std::error::Error;
use std::process::ExitCode;

use cavitas_hdf5::OutputError;
use cavitas_output::WriteError;
use cavitas_solver::bubbles::checkpoint::CheckpointError;
use cavitas_solver::bubbles::run::BubbleError;
use cavitas_solver::config::ConfigError;
use cavitas_solver::coupling::{CrackCheckpointError, CrackError};
use cavitas_solver::driver::{RunError, SolverCheckpointError};

pub use cavitas_output::InputError;

/// Prints the whole error chain to stderr and returns the exit code.
pub fn report(error: &anyhow::Error) -> ExitCode {
    if closed_stdout(error) {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    if error.chain().any(is_input) {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

/// Whether the error is a write to a stdout its reader closed: not a failure of the run.
fn closed_stdout(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Whether `cause` is bad input rather than a failure. Transparent wrappers hide their
/// inner error from the chain, so each wrapper is looked into.
fn is_input(cause: &(dyn Error + 'static)) -> bool {
    if cause.is::<ConfigError>()
        || cause.is::<InputError>()
        || cause.is::<CheckpointError>()
        || cause.is::<CrackCheckpointError>()
        || cause.is::<SolverCheckpointError>()
        || cause
            .downcast_ref()
            .is_some_and(cavitas_sweep::SweepError::is_input)
    {
        return true;
    }
    if let Some(e) = cause.downcast_ref::<CrackError>() {
        return matches!(e, CrackError::Checkpoint(_) | CrackError::Loading(_));
    }
    if let Some(e) = cause.downcast_ref::<BubbleError>() {
        return matches!(e, BubbleError::Checkpoint(_));
    }
    if let Some(e) = cause.downcast_ref::<RunError>() {
        return match e {
            RunError::Backend(_) | RunError::CheckpointKind { .. } => true,
            RunError::Crack(e) => is_input(e),
            RunError::BubbleField(e) => is_input(e),
            _ => false,
        };
    }
    if let Some(e) = cause.downcast_ref::<WriteError>() {
        return match e {
            WriteError::Input(_) | WriteError::Checkpoint(_) => true,
            WriteError::Hdf5(e) => is_bad_file(e),
            _ => false,
        };
    }
    cause.downcast_ref::<OutputError>().is_some_and(is_bad_file)
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
