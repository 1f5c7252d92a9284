//! A hook into the bubble study: what an output writer sees while a run goes (one sample
//! per macro interval, checkpoints of the whole state). The solver knows nothing of files;
//! the CLI implements this with its HDF5 writer.

use super::checkpoint::BubbleCheckpoint;
use super::field::BubbleField;
use super::run::GroupState;

/// An error raised by an observer (e.g. the output file could not be written); it stops the
/// run and is reported as [`super::run::BubbleError::Observer`].
pub type ObserverError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What the run looks like before its first interval (or when it resumes).
#[derive(Debug, Clone, Copy)]
pub struct StudyStart<'a> {
    /// The field as built from the scenario (groups, slot count, positions).
    pub field: &'a BubbleField,
    /// Index of the primary bubble.
    pub primary: usize,
    /// Macro intervals of the whole run.
    pub intervals: u64,
    /// Length of one macro interval, s.
    pub interval_s: f64,
    /// The interval the run starts from: 0, or the checkpoint's interval on resume.
    pub first_interval: u64,
}

/// The state at the end of one macro interval (interval 0: the initial state), SI units.
#[derive(Debug, Clone, Copy)]
pub struct IntervalSample<'a> {
    /// Intervals done so far (0 for the initial state).
    pub interval: u64,
    /// Time, s.
    pub time_s: f64,
    /// Radius of the primary bubble, m.
    pub primary_radius_m: f64,
    /// Per-group sums, in group order.
    pub groups: &'a [GroupState],
}

/// Receives the samples and checkpoints of a bubble study.
pub trait StudyObserver {
    /// Called once before the first sample (also when resuming).
    fn on_start(&mut self, start: &StudyStart<'_>) -> Result<(), ObserverError>;
    /// Called with the initial state (fresh runs only) and after every interval.
    fn on_interval(&mut self, sample: &IntervalSample<'_>) -> Result<(), ObserverError>;
    /// Whether this observer stores checkpoints; when false the study never builds one.
    fn wants_checkpoints(&self) -> bool;
    /// Called with the complete run state after an interval, at the cadence set by the
    /// scenario's `checkpoint_interval_s`.
    fn on_checkpoint(&mut self, checkpoint: &BubbleCheckpoint) -> Result<(), ObserverError>;
}

/// An observer that records nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoObserver;

impl StudyObserver for NoObserver {
    fn on_start(&mut self, _: &StudyStart<'_>) -> Result<(), ObserverError> {
        Ok(())
    }
    fn on_interval(&mut self, _: &IntervalSample<'_>) -> Result<(), ObserverError> {
        Ok(())
    }
    fn wants_checkpoints(&self) -> bool {
        false
    }
    fn on_checkpoint(&mut self, _: &BubbleCheckpoint) -> Result<(), ObserverError> {
        Ok(())
    }
}
