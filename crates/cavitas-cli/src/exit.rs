//! Error reporting and exit codes: 2 for bad input (config, CLI, files), 1 for failures.

use std::process::ExitCode;

use cavitas_solver::config::ConfigError;

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
    error
        .chain()
        .any(|cause| cause.is::<ConfigError>() || cause.is::<InputError>())
}
