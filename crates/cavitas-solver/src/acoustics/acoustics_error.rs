//! What can go wrong while recording the sources or writing the sound.

use std::path::PathBuf;

/// A bad record from the solver (left unrecorded) or a WAV file that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum AcousticsError {
    #[error("acoustic record at t = {time_s} s: the time is not finite")]
    NonFiniteTime { time_s: f64 },
    #[error(
        "acoustic record at t = {time_s} s does not come after the previous one (t = {previous_s} s)"
    )]
    TimeNotIncreasing { time_s: f64, previous_s: f64 },
    #[error(
        "acoustic record at t = {time_s} s names source {source_index}, but only {count} sources were added"
    )]
    UnknownSource {
        time_s: f64,
        source_index: usize,
        count: usize,
    },
    #[error("acoustic record at t = {time_s} s names source {source_index} twice")]
    DuplicateSource { time_s: f64, source_index: usize },
    #[error(
        "acoustic record at t = {time_s} s: source {source_index} has a non-finite {quantity} ({value})"
    )]
    NonFiniteSample {
        time_s: f64,
        source_index: usize,
        quantity: &'static str,
        value: f64,
    },
    #[error("{}: listener {index} does not exist; the report has {count}", path.display())]
    NoSuchListener {
        path: PathBuf,
        index: usize,
        count: usize,
    },
    #[error("{}: cannot write the WAV file: {source}", path.display())]
    Wav {
        path: PathBuf,
        #[source]
        source: hound::Error,
    },
}
