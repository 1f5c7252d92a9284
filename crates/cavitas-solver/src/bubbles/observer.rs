//! What an observer of a bubble study sees ([`crate::driver::RunView`]): the run at its
//! start and at the end of every macro interval.

use super::field::BubbleField;
use super::run::GroupState;

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
