//! The one error type of the crate: every failure names the file and, where
//! there is one, the object inside it.

use std::path::PathBuf;

/// Everything that can go wrong writing or reading a cavitas HDF5 file.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output path exists and overwriting was not asked for.
    #[error("output file {path} already exists; pass --force to overwrite it")]
    Exists { path: PathBuf },
    /// A partial run (temporary file) exists where this run would write.
    #[error(
        "an unfinished run exists at {path}; resume it with --resume or pass --force to start over"
    )]
    PartialExists { path: PathBuf },
    /// An operating-system I/O error.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The HDF5 backend reported an error.
    #[error("{path}: HDF5 error while {op}: {message}")]
    Backend {
        path: PathBuf,
        op: String,
        message: String,
    },
    /// The HDF5 backend panicked (it does on some corrupt input); caught and reported.
    #[error("{path}: the HDF5 backend panicked while {op} (corrupt file?): {message}")]
    BackendPanic {
        path: PathBuf,
        op: String,
        message: String,
    },
    /// The file has no HDF5 signature.
    #[error("{path} is not an HDF5 file (no HDF5 signature found)")]
    NotHdf5 { path: PathBuf },
    /// The file is shorter than its superblock says.
    #[error(
        "{path} is truncated: the HDF5 superblock says it ends at byte {expected} but it has {actual} bytes"
    )]
    Truncated {
        path: PathBuf,
        expected: u64,
        actual: u64,
    },
    /// A valid HDF5 file that was not written by cavitas.
    #[error("{path} is an HDF5 file but not a cavitas output file ({detail})")]
    NotCavitas { path: PathBuf, detail: String },
    /// A cavitas file of another schema version.
    #[error("{path} has cavitas schema version {found}; this build reads version {supported} only")]
    SchemaVersion {
        path: PathBuf,
        found: String,
        supported: u32,
    },
    /// The run that wrote the file did not finish.
    #[error(
        "{path} is an unfinished run (attribute complete=false): it holds data up to its last checkpoint; resume it with --resume or open it with RunReader::open_incomplete"
    )]
    Incomplete { path: PathBuf },
    /// An object the schema requires is missing.
    #[error("{path}: missing {object}")]
    Missing { path: PathBuf, object: String },
    /// An object has a shape other than the schema's.
    #[error("{path}: {object} has shape {found:?}, expected {expected}")]
    Shape {
        path: PathBuf,
        object: String,
        expected: String,
        found: Vec<usize>,
    },
    /// A name that cannot be an HDF5 link name in our schema.
    #[error("invalid name {name:?}: {reason}")]
    InvalidName { name: String, reason: String },
    /// Data handed to the writer does not match what was declared.
    #[error("{object}: {detail}")]
    Mismatch { object: String, detail: String },
    /// `--resume` found no checkpoint to resume from.
    #[error("no checkpoint to resume from at {path} (expected {checkpoint})")]
    NoCheckpoint { path: PathBuf, checkpoint: PathBuf },
    /// Sweep shards that cannot be merged.
    #[error("cannot merge shards: {detail}")]
    Merge { detail: String },
    /// A file whose content does not match its checksums (or cannot be read
    /// at all): `objects` names every damaged dataset (or `file structure`,
    /// `attributes`). Nothing was changed or deleted because of it.
    #[error("{path} is damaged: {}{}", objects.join(", "), if detail.is_empty() { String::new() } else { format!(" ({detail})") })]
    Damaged {
        path: PathBuf,
        objects: Vec<String>,
        detail: String,
    },
    /// Another writer holds the output path (its lock file names it).
    #[error(
        "{path}: the output is being written by {holder}; refusing to touch its files (not even with --force)"
    )]
    Locked { path: PathBuf, holder: String },
    /// `--resume` of a run whose finish had completed (only its checkpoint was
    /// left, now removed): the output is there, complete and verified.
    #[error(
        "{path}: the run has finished (its output is complete and verified); there is nothing to resume"
    )]
    AlreadyFinished { path: PathBuf },
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, OutputError>;
