//! [`run_scenario`]: the one loop that runs a scenario of any kind on the backend asked for,
//! from the start or from a checkpoint, telling one [`RunObserver`] what happens.

use std::time::{Duration, Instant};

use crate::acoustics::AcousticReport;
use crate::bubbles::run::BubbleError;
use crate::bubbles::study::{BubbleOutcome, run_bubble_study};
use crate::compute::{BackendChoiceError, BackendRequest, choose_backend};
use crate::config::ConfigOrigin;
use crate::coupling::refractory::find_refractory_period;
use crate::coupling::{CrackError, CrackRun, CrackSummary};
use crate::fem::SolverError;
use crate::fem::capsule_injection::{InjectionResult, inject_fluid};
use crate::fem::capsule_scenario::CapsuleScenario;

use super::run_observer::{JointProgress, ObserverError, Progress, RunObserver, RunStart, RunView};
use super::scenario::{Scenario, ScenarioKind};
use super::solver_checkpoint::SolverCheckpoint;

/// What a finished run leaves, by kind.
#[derive(Debug)]
pub enum RunOutcome {
    /// A coupled joint.
    Crack(Box<CrackOutcome>),
    /// A bubble field.
    BubbleField(Box<BubbleOutcome>),
    /// A capsule study.
    Capsule(Box<CapsuleOutcome>),
}

/// A finished coupled run: the run at its end, its sound and its summary.
#[derive(Debug)]
pub struct CrackOutcome {
    pub run: CrackRun,
    pub sound: AcousticReport,
    pub summary: CrackSummary,
}

/// A finished capsule study.
#[derive(Debug)]
pub struct CapsuleOutcome {
    pub scenario: CapsuleScenario,
    pub result: InjectionResult,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Backend(#[from] BackendChoiceError),
    #[error(transparent)]
    Crack(#[from] CrackError),
    #[error(transparent)]
    BubbleField(#[from] BubbleError),
    #[error("filling the capsule")]
    Capsule(#[source] SolverError),
    #[error("capsule geometry: {0}")]
    CapsuleGeometry(String),
    #[error("writing the output")]
    Observer(#[source] ObserverError),
    /// A checkpoint of another kind of run.
    #[error("the checkpoint is a {found} run's, the scenario a {expected} run")]
    CheckpointKind {
        found: &'static str,
        expected: &'static str,
    },
}

/// Runs `scenario` (read from `origin`) on the backend `request` asks for, from the start or
/// from `resume`, telling `observer` its start, samples, progress, events and (at the
/// scenario's wall-clock cadence, when the observer wants them) checkpoints.
pub fn run_scenario(
    scenario: Scenario,
    origin: &ConfigOrigin,
    request: &BackendRequest,
    observer: &mut dyn RunObserver,
    resume: Option<SolverCheckpoint>,
) -> Result<RunOutcome, RunError> {
    let kind = scenario.kind();
    let mismatch = |c: &SolverCheckpoint| RunError::CheckpointKind {
        found: match c {
            SolverCheckpoint::BubbleField(_) => ScenarioKind::BubbleField.name(),
            SolverCheckpoint::Crack(_) => ScenarioKind::Crack.name(),
        },
        expected: kind.name(),
    };
    let cadence = Duration::from_secs_f64(scenario.checkpoint_interval_s().min(1e9));
    match scenario {
        Scenario::Capsule(s) => {
            if let Some(c) = &resume {
                return Err(mismatch(c));
            }
            run_capsule(*s, observer)
        }
        Scenario::BubbleField(s) => {
            let resume = match resume {
                None => None,
                Some(SolverCheckpoint::BubbleField(c)) => Some(*c),
                Some(c) => return Err(mismatch(&c)),
            };
            let chosen = choose_backend(request, &s.tolerances)?;
            let outcome = run_bubble_study(
                &s,
                chosen.backend,
                chosen.notice.as_deref(),
                observer,
                resume,
            )?;
            Ok(RunOutcome::BubbleField(Box::new(outcome)))
        }
        Scenario::Crack(s) => {
            let resume = match resume {
                None => None,
                Some(SolverCheckpoint::Crack(c)) => Some(*c),
                Some(c) => return Err(mismatch(&c)),
            };
            let chosen = choose_backend(request, &s.tolerances)?;
            let refractory = s.refractory;
            let backend = chosen.backend.describe();
            let mut run = CrackRun::new(*s, origin, chosen.backend)?;
            let resumed = resume.is_some();
            if let Some(checkpoint) = resume {
                run.resume_from(checkpoint)?;
            }
            observer
                .on_start(RunStart {
                    kind,
                    backend: Some(&backend),
                    notice: chosen.notice.as_deref(),
                    resumed,
                    view: RunView::Crack(&mut run),
                })
                .map_err(RunError::Observer)?;
            let outcome = match refractory {
                Some(settings) => Some(find_refractory_period(&mut run, settings, |r| {
                    observer.on_progress(&joint_progress(r));
                })?),
                None => {
                    run_crack(&mut run, observer, cadence, resumed)?;
                    None
                }
            };
            let sound = run.recorder().analyse();
            let summary = CrackSummary::new(&mut run, &sound, outcome)?;
            Ok(RunOutcome::Crack(Box::new(CrackOutcome {
                run,
                sound,
                summary,
            })))
        }
    }
}

/// The time loop of a coupled run.
fn run_crack(
    run: &mut CrackRun,
    observer: &mut dyn RunObserver,
    cadence: Duration,
    resumed: bool,
) -> Result<(), RunError> {
    let end = run.end_time_s();
    let mut events_seen = if resumed { run.events().len() } else { 0 };
    if !resumed {
        observer
            .on_sample(RunView::Crack(run))
            .map_err(RunError::Observer)?;
    }
    let mut last_checkpoint = Instant::now();
    while !run.is_finished() {
        run.step(end)?;
        for event in &run.events()[events_seen..] {
            observer.on_event(event);
        }
        events_seen = run.events().len();
        observer.on_progress(&joint_progress(run));
        observer
            .on_sample(RunView::Crack(run))
            .map_err(RunError::Observer)?;
        if !run.is_finished()
            && observer.wants_checkpoints()
            && last_checkpoint.elapsed() >= cadence
        {
            let checkpoint = SolverCheckpoint::Crack(Box::new(run.checkpoint()?));
            observer
                .on_checkpoint(&checkpoint)
                .map_err(RunError::Observer)?;
            last_checkpoint = Instant::now();
        }
    }
    Ok(())
}

fn joint_progress(run: &CrackRun) -> Progress<'_> {
    let sample = run.series().last();
    Progress {
        fraction: (run.time_s() / run.end_time_s()).clamp(0.0, 1.0),
        time_s: run.time_s(),
        joint: sample.map(|s| JointProgress {
            phase: s.phase,
            gap_m: s.gap_m,
            pressure_pa: s.pressure_pa,
            last_event: run.events().last().map(|e| e.kind.label()),
            accepted_steps: run.statistics().accepted,
        }),
    }
}

fn run_capsule(
    scenario: CapsuleScenario,
    observer: &mut dyn RunObserver,
) -> Result<RunOutcome, RunError> {
    observer
        .on_start(RunStart {
            kind: ScenarioKind::Capsule,
            backend: None,
            notice: None,
            resumed: false,
            view: RunView::Capsule,
        })
        .map_err(RunError::Observer)?;
    let model = scenario
        .capsule
        .build_model()
        .map_err(|e| RunError::CapsuleGeometry(e.to_string()))?;
    let solver = &scenario.capsule.solver;
    let result = inject_fluid(
        model,
        solver.newton(),
        scenario.injection.volume_ml * 1e-6,
        solver.load_steps,
        solver.max_step_cuts,
    )
    .map_err(RunError::Capsule)?;
    observer.on_progress(&Progress {
        fraction: 1.0,
        time_s: 0.0,
        joint: None,
    });
    Ok(RunOutcome::Capsule(Box::new(CapsuleOutcome {
        scenario,
        result,
    })))
}
