//! The one error type of the validation crate: every message names the file, the key or
//! the line it is about.

use std::path::PathBuf;

/// What went wrong while building, imaging, measuring, reading or plotting.
#[derive(Debug, thiserror::Error)]
pub enum ValidationError {
    /// A parameter outside its allowed range (`key` is its dotted name, e.g. `mri.snr`).
    #[error("{key} = {value}: {detail}")]
    Parameter {
        /// Dotted name of the parameter.
        key: String,
        /// The offending value, as text.
        value: String,
        /// What is allowed.
        detail: String,
    },
    /// Input data that cannot be used (inconsistent lengths, unsorted times, ...).
    #[error("{what}: {detail}")]
    Data {
        /// What the data is (e.g. `timeline gap samples`).
        what: String,
        /// Why it cannot be used.
        detail: String,
    },
    /// A file that could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A file whose content is wrong: a PNG, GIF or DICOM that does not decode, a
    /// missing DICOM attribute, a TOML table with an unknown key.
    #[error("{}: {detail}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong in it.
        detail: String,
    },
    /// A CSV cell or header that cannot be used.
    #[error("{}, line {line}, column {column} ({name}): {detail}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// Line number (1-based; the header is line 1 unless comments precede it).
        line: u64,
        /// Column number (1-based).
        column: usize,
        /// Column name from the header (or `?` where there is none).
        name: String,
        /// What is wrong.
        detail: String,
    },
    /// A run file that could not be read.
    #[error(transparent)]
    RunFile(#[from] cavitas_hdf5::OutputError),
    /// A plot that could not be drawn.
    #[error("plot {}: {detail}", path.display())]
    Plot {
        /// The PNG being drawn.
        path: PathBuf,
        /// The drawing backend's reason.
        detail: String,
    },
}

impl ValidationError {
    /// A [`Parameter`](Self::Parameter) error.
    pub fn parameter(key: &str, value: impl std::fmt::Display, detail: &str) -> Self {
        Self::Parameter {
            key: key.to_string(),
            value: value.to_string(),
            detail: detail.to_string(),
        }
    }

    /// A [`Data`](Self::Data) error.
    pub fn data(what: &str, detail: impl Into<String>) -> Self {
        Self::Data {
            what: what.to_string(),
            detail: detail.into(),
        }
    }

    /// A [`File`](Self::File) error.
    pub fn file(path: impl Into<PathBuf>, detail: impl Into<String>) -> Self {
        Self::File {
            path: path.into(),
            detail: detail.into(),
        }
    }

    /// An [`Io`](Self::Io) error.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Checks that `value` is finite and within `[min, max]`; the error names `key`.
pub(crate) fn check_range(
    key: &str,
    value: f64,
    min: f64,
    max: f64,
) -> Result<(), ValidationError> {
    if value.is_finite() && value >= min && value <= max {
        Ok(())
    } else {
        Err(ValidationError::parameter(
            key,
            value,
            &format!("must be finite and within [{min}, {max}]"),
        ))
    }
}

/// Checks that `value` is finite and within `(min, max]` (strictly above `min`).
pub(crate) fn check_above(
    key: &str,
    value: f64,
    min: f64,
    max: f64,
) -> Result<(), ValidationError> {
    if value.is_finite() && value > min && value <= max {
        Ok(())
    } else {
        Err(ValidationError::parameter(
            key,
            value,
            &format!("must be finite and within ({min}, {max}]"),
        ))
    }
}
