//! [`RunObserver`]: what a progress bar or an output writer sees while any run goes — its
//! start, every sample, progress, events and checkpoints. The solver knows nothing of
//! terminals or files; the CLI and `cavitas-output` implement this.

use crate::bubbles::backend::BackendDescription;
use crate::bubbles::observer::{IntervalSample, StudyStart};
use crate::coupling::crack_events::CrackEvent;
use crate::coupling::{CrackRun, Phase};

use super::scenario::ScenarioKind;
use super::solver_checkpoint::SolverCheckpoint;

/// An error raised by an observer (e.g. the output file could not be written); it stops the
/// run.
pub type ObserverError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The run as it starts (or resumes).
#[derive(Debug)]
pub struct RunStart<'a> {
    /// The kind of run.
    pub kind: ScenarioKind,
    /// The backend integrating the bubbles (`None` for a capsule).
    pub backend: Option<&'a BackendDescription>,
    /// What `auto` chose and why, for the user (`None` when the backend was asked for).
    pub notice: Option<&'a str>,
    /// Whether the run continues from a checkpoint.
    pub resumed: bool,
    /// The run itself, for an observer that declares its outputs.
    pub view: RunView<'a>,
}

/// A look at a run between two of its steps.
#[derive(Debug)]
pub enum RunView<'a> {
    /// A bubble field at its start.
    BubbleFieldStart(StudyStart<'a>),
    /// A bubble field after an interval (interval 0: the initial state).
    BubbleFieldInterval(IntervalSample<'a>),
    /// A coupled joint (mutable: reading the bubbles may synchronise the backend).
    Crack(&'a mut CrackRun),
    /// A capsule study (nothing evolves in time).
    Capsule,
}

/// How far a run has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress<'a> {
    /// Fraction of the run done, 0–1.
    pub fraction: f64,
    /// Simulated time (s).
    pub time_s: f64,
    /// What a coupled joint is doing, when it is one.
    pub joint: Option<JointProgress<'a>>,
}

/// A coupled joint's state for a progress line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JointProgress<'a> {
    /// Phase.
    pub phase: Phase,
    /// Gap (m).
    pub gap_m: f64,
    /// Fluid pressure (Pa, absolute).
    pub pressure_pa: f64,
    /// Label of the last event, if any.
    pub last_event: Option<&'a str>,
    /// Accepted macro steps.
    pub accepted_steps: u64,
}

/// Receives what a run does. Every method has a default that ignores it.
pub trait RunObserver {
    /// Called once before the first sample (also when resuming).
    fn on_start(&mut self, _start: RunStart<'_>) -> Result<(), ObserverError> {
        Ok(())
    }
    /// Called with the initial state (fresh runs only) and after every accepted macro step
    /// or interval.
    fn on_sample(&mut self, _view: RunView<'_>) -> Result<(), ObserverError> {
        Ok(())
    }
    /// Called as the run advances.
    fn on_progress(&mut self, _progress: &Progress<'_>) {}
    /// Called once per event of a coupled joint, in order, as it is detected.
    fn on_event(&mut self, _event: &CrackEvent) {}
    /// Whether this observer stores checkpoints; when false the driver never builds one.
    fn wants_checkpoints(&self) -> bool {
        false
    }
    /// Called with the complete solver state between two steps, at the scenario's
    /// checkpoint cadence (never after the last step: the run is then finishing).
    fn on_checkpoint(&mut self, _checkpoint: &SolverCheckpoint) -> Result<(), ObserverError> {
        Ok(())
    }
}

/// An observer that records nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoObserver;

impl RunObserver for NoObserver {}

/// Two observers in turn (a progress bar and an output writer).
#[derive(Debug)]
pub struct ObserverPair<'a, A: ?Sized, B: ?Sized>(pub &'a mut A, pub &'a mut B);

impl<A: RunObserver + ?Sized, B: RunObserver + ?Sized> RunObserver for ObserverPair<'_, A, B> {
    fn on_start(&mut self, start: RunStart<'_>) -> Result<(), ObserverError> {
        let RunStart {
            kind,
            backend,
            notice,
            resumed,
            view,
        } = start;
        match view {
            RunView::Crack(run) => {
                self.0.on_start(RunStart {
                    kind,
                    backend,
                    notice,
                    resumed,
                    view: RunView::Crack(&mut *run),
                })?;
                self.1.on_start(RunStart {
                    kind,
                    backend,
                    notice,
                    resumed,
                    view: RunView::Crack(run),
                })
            }
            other => {
                let copy = other.shared_copy();
                self.0.on_start(RunStart {
                    kind,
                    backend,
                    notice,
                    resumed,
                    view: other,
                })?;
                self.1.on_start(RunStart {
                    kind,
                    backend,
                    notice,
                    resumed,
                    view: copy,
                })
            }
        }
    }
    fn on_sample(&mut self, view: RunView<'_>) -> Result<(), ObserverError> {
        match view {
            RunView::Crack(run) => {
                self.0.on_sample(RunView::Crack(&mut *run))?;
                self.1.on_sample(RunView::Crack(run))
            }
            other => {
                let copy = other.shared_copy();
                self.0.on_sample(other)?;
                self.1.on_sample(copy)
            }
        }
    }
    fn on_progress(&mut self, progress: &Progress<'_>) {
        self.0.on_progress(progress);
        self.1.on_progress(progress);
    }
    fn on_event(&mut self, event: &CrackEvent) {
        self.0.on_event(event);
        self.1.on_event(event);
    }
    fn wants_checkpoints(&self) -> bool {
        self.0.wants_checkpoints() || self.1.wants_checkpoints()
    }
    fn on_checkpoint(&mut self, checkpoint: &SolverCheckpoint) -> Result<(), ObserverError> {
        if self.0.wants_checkpoints() {
            self.0.on_checkpoint(checkpoint)?;
        }
        if self.1.wants_checkpoints() {
            self.1.on_checkpoint(checkpoint)?;
        }
        Ok(())
    }
}

impl RunView<'_> {
    /// A copy of a view that borrows nothing mutably (not a coupled joint).
    fn shared_copy(&self) -> Self {
        match self {
            Self::BubbleFieldStart(s) => Self::BubbleFieldStart(*s),
            Self::BubbleFieldInterval(s) => Self::BubbleFieldInterval(*s),
            Self::Capsule => Self::Capsule,
            Self::Crack(_) => unreachable!("a coupled joint's view is lent in turn"),
        }
    }
}
