//! [`SweepError`]: why a sweep could not be planned, run or merged. Bad input (the sweep
//! file, a case's configuration, `--shard`, a folder of another sweep) is told apart from
//! failures by [`SweepError::is_input`]; the CLI gives it exit code 2.

use std::path::PathBuf;

use cavitas_solver::config::ConfigError;

/// A sweep that cannot go on. A case whose run fails is not one of these: it is recorded
/// (see [`CaseRecord`](crate::CaseRecord)) and the sweep goes on.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The sweep file cannot be read.
    #[error("{file}: cannot read the sweep file: {source}")]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The sweep file is not valid TOML.
    #[error("{file}: not valid TOML: {message}")]
    Syntax { file: PathBuf, message: String },
    /// A key of the sweep file is unknown, mistyped or out of range.
    #[error("{file}: key `{key}`: {message}")]
    Key {
        file: PathBuf,
        key: String,
        message: String,
    },
    /// A case's configuration (base plus overrides) is refused; the cause names the key.
    #[error("{file}: case {case} ({assignments}) is not a valid configuration")]
    Case {
        file: PathBuf,
        case: String,
        assignments: String,
        #[source]
        source: Box<ConfigError>,
    },
    /// `--shard` (or `SLURM_ARRAY_TASK_ID`/`SLURM_ARRAY_TASK_COUNT`) is malformed.
    #[error("{given}: {message}")]
    Shard { given: String, message: String },
    /// The output folder holds something else (another sweep's cases, a file).
    #[error("{path}: {message}")]
    Folder { path: PathBuf, message: String },
    /// A file of the sweep folder cannot be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A record of the sweep folder cannot be encoded or decoded.
    #[error("{path}: {message}")]
    Record { path: PathBuf, message: String },
    /// Merging the case files failed.
    #[error("merging into {path}")]
    Merge {
        path: PathBuf,
        #[source]
        source: Box<cavitas_hdf5::OutputError>,
    },
}

impl SweepError {
    /// Whether the error is bad input (exit code 2) rather than a failure.
    pub fn is_input(&self) -> bool {
        match self {
            Self::Read { .. }
            | Self::Syntax { .. }
            | Self::Key { .. }
            | Self::Case { .. }
            | Self::Shard { .. }
            | Self::Folder { .. } => true,
            Self::Merge { source, .. } => !matches!(
                **source,
                cavitas_hdf5::OutputError::Io { .. }
                    | cavitas_hdf5::OutputError::Backend { .. }
                    | cavitas_hdf5::OutputError::BackendPanic { .. }
            ),
            Self::Io { .. } | Self::Record { .. } => false,
        }
    }

    /// A key error of `file`.
    pub(crate) fn key(file: &std::path::Path, key: impl Into<String>, message: String) -> Self {
        Self::Key {
            file: file.to_path_buf(),
            key: key.into(),
            message,
        }
    }

    /// An I/O error at `path`, for `map_err`.
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
