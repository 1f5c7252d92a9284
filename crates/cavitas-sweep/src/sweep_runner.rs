//! [`run_sweep`]: runs one shard of a sweep, case by case in parallel on CPU threads, each
//! case through [`run_scenario`] into its own run file, resumable.
//!
//! - Before anything runs, every case's configuration is checked, and the folder's manifest
//!   written (or checked against the sweep).
//! - A case whose run file exists (a finished run: only `RunWriter::finish` gives the file
//!   its name) is skipped; so is a case a status log records as failed (a physics error is
//!   deterministic; remove its line from `DIR/status/*.jsonl` to run it again). Any other
//!   case runs from the start, replacing what an interrupted run left.
//! - `jobs` worker threads take cases in order; the calling thread appends each result to
//!   the shard's status log as it comes and tells the observer.
//! - A case that fails (or panics) is recorded with its message; the sweep goes on.
//! - A case whose run file another process holds (two processes on one shard) is left to
//!   that process: not recorded, its files untouched, reported as running elsewhere.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use cavitas_hdf5::{CreateOptions, OutputError, RunPaths};
use cavitas_output::{RunWriter, WriteError};
use cavitas_solver::compute::BackendRequest;
use cavitas_solver::driver::{RunOutcome, run_scenario};

use crate::case_record::{CaseRecord, CaseStatus, StatusLog};
use crate::shard::Shard;
use crate::sweep_case::SweepCase;
use crate::sweep_dir::SweepDir;
use crate::sweep_error::SweepError;
use crate::sweep_plan::SweepPlan;

/// How to run a shard.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepOptions {
    /// Which cases.
    pub shard: Shard,
    /// Cases run at once; 0: one per core.
    pub jobs: usize,
    /// The backend of every case. `auto` runs the cases on the CPU in f64 (cases are not
    /// batched on a GPU yet). A CPU request for all cores (`threads: 0`) is shared out:
    /// each case gets `cores / jobs` threads (at least 1).
    pub request: BackendRequest,
}

/// What a shard has to do, known before anything runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardPlan {
    pub shard: Shard,
    /// Cases of the whole sweep.
    pub sweep_cases: usize,
    /// Cases of this shard.
    pub shard_cases: usize,
    /// Ids of this shard's cases with a finished run file: skipped.
    pub finished: Vec<String>,
    /// Ids of this shard's cases recorded as failed: skipped.
    pub failed_before: Vec<String>,
    /// Ids of the cases to run, in order.
    pub to_run: Vec<String>,
}

/// Told what a shard does as it goes (the progress bar).
pub trait SweepObserver {
    /// The shard's plan, before the first case starts.
    fn on_plan(&mut self, _plan: &ShardPlan) {}
    /// A case ended (its record is in the status log).
    fn on_case(&mut self, _record: &CaseRecord) {}
    /// A case was left to the process that holds its run file.
    fn on_case_elsewhere(&mut self, _case: &str) {}
}

/// An observer that ignores everything.
#[derive(Debug, Default)]
pub struct NoSweepObserver;

impl SweepObserver for NoSweepObserver {}

/// What a shard did.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepReport {
    pub plan: ShardPlan,
    /// Cases that ran and finished in this session.
    pub ran_ok: usize,
    /// Cases that ran and failed in this session: (id, message).
    pub ran_failed: Vec<(String, String)>,
    /// Cases left to another process holding their run file: (id, holder).
    pub running_elsewhere: Vec<(String, String)>,
    /// Wall time of the shard, s.
    pub wall_time_s: f64,
}

impl SweepReport {
    /// What the shard did, for people: one line, then one line per failed case.
    pub fn describe(&self, sweep_file: &Path, dir: &Path) -> String {
        let p = &self.plan;
        let mut text = format!(
            "sweep {} {}: {} of {} cases; ran {} ok, {} failed; skipped {} finished and {} \
             failed earlier; {:.1} s; output {}",
            sweep_file.display(),
            p.shard.label(),
            p.shard_cases,
            p.sweep_cases,
            self.ran_ok,
            self.ran_failed.len(),
            p.finished.len(),
            p.failed_before.len(),
            self.wall_time_s,
            dir.display()
        );
        for (id, message) in &self.ran_failed {
            text.push_str(&format!("\n  {id} failed: {message}"));
        }
        for (id, holder) in &self.running_elsewhere {
            text.push_str(&format!(
                "\n  {id} not run: another process writes its run file ({holder})"
            ));
        }
        text
    }
}

/// Runs the cases of `options.shard` of `plan` into the folder `dir`.
pub fn run_sweep(
    plan: &SweepPlan,
    dir: &Path,
    options: &SweepOptions,
    observer: &mut dyn SweepObserver,
) -> Result<SweepReport, SweepError> {
    let started = Instant::now();
    plan.check_cases()?;
    let dir = SweepDir::new(dir);
    dir.prepare(plan)?;
    let records = dir.read_records()?;
    let mut shard_plan = ShardPlan {
        shard: options.shard,
        sweep_cases: plan.cases.len(),
        shard_cases: 0,
        finished: Vec::new(),
        failed_before: Vec::new(),
        to_run: Vec::new(),
    };
    let mut todo: Vec<&SweepCase> = Vec::new();
    for case in plan.cases.iter().filter(|c| options.shard.holds(c.index)) {
        shard_plan.shard_cases += 1;
        let failed = records
            .get(&case.id)
            .and_then(|r| r.last())
            .is_some_and(|r| r.status == CaseStatus::Failed);
        if dir.case_file(&case.id).exists() {
            shard_plan.finished.push(case.id.clone());
        } else if failed {
            shard_plan.failed_before.push(case.id.clone());
        } else {
            shard_plan.to_run.push(case.id.clone());
            todo.push(case);
        }
    }
    observer.on_plan(&shard_plan);
    let mut log = StatusLog::open(&dir.status_log(options.shard))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = match options.jobs {
        0 => cores,
        n => n,
    };
    let jobs = jobs.min(todo.len()).max(1);
    let request = per_case_request(&options.request, jobs);
    let label = options.shard.label();
    let next = AtomicUsize::new(0);
    let (send, receive) = mpsc::channel::<CaseEnd>();
    let mut report = SweepReport {
        plan: shard_plan.clone(),
        ran_ok: 0,
        ran_failed: Vec::new(),
        running_elsewhere: Vec::new(),
        wall_time_s: 0.0,
    };
    let mut log_error = None;
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let send = send.clone();
            let (todo, next, dir, request, label) = (&todo, &next, &dir, &request, &label);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = todo.get(i) else { break };
                    let record = run_case(plan, case, &dir.case_file(&case.id), request, label);
                    if send.send(record).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        for end in receive {
            let record = match end {
                CaseEnd::Recorded(record) => record,
                CaseEnd::Elsewhere { case, holder } => {
                    observer.on_case_elsewhere(&case);
                    report.running_elsewhere.push((case, holder));
                    continue;
                }
            };
            match record.status {
                CaseStatus::Ok => report.ran_ok += 1,
                CaseStatus::Failed => report.ran_failed.push((
                    record.case.clone(),
                    record.message.clone().unwrap_or_default(),
                )),
            }
            if let Err(e) = log.append(&record) {
                // Stop handing out cases; the ones running finish.
                next.store(usize::MAX / 2, Ordering::Relaxed);
                log_error.get_or_insert(e);
            }
            observer.on_case(&record);
        }
    });
    if let Some(e) = log_error {
        return Err(e);
    }
    report.wall_time_s = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The request each case runs with when `jobs` cases run at once.
fn per_case_request(request: &BackendRequest, jobs: usize) -> BackendRequest {
    match request {
        BackendRequest::Auto => per_case_request(
            &BackendRequest::Cpu {
                precision: cavitas_solver::compute::CpuPrecision::F64,
                threads: 0,
            },
            jobs,
        ),
        BackendRequest::Cpu {
            precision,
            threads: 0,
        } => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            BackendRequest::Cpu {
                precision: *precision,
                threads: (cores / jobs).max(1),
            }
        }
        other => other.clone(),
    }
}

/// How a case run by this process ended.
enum CaseEnd {
    /// It ran (finished or failed): its record.
    Recorded(CaseRecord),
    /// Another process holds its run file (`holder` as the lock names it).
    Elsewhere { case: String, holder: String },
}

/// Why a case did not finish.
enum CaseFailure {
    /// An error: the record's message.
    Failed(String),
    /// Another process holds the run file.
    Locked(String),
}

impl<E: std::error::Error + 'static> From<E> for CaseFailure {
    fn from(error: E) -> Self {
        // Transparent wrappers hide their inner error from the chain: look into each.
        let mut cause: Option<&dyn std::error::Error> = Some(&error);
        while let Some(c) = cause {
            let locked = match c.downcast_ref::<WriteError>() {
                Some(WriteError::Hdf5(e)) => Some(e),
                _ => c.downcast_ref::<OutputError>(),
            };
            if let Some(OutputError::Locked { holder, .. }) = locked {
                return Self::Locked(holder.clone());
            }
            cause = c.source();
        }
        Self::Failed(chain(&error))
    }
}

/// Runs one case into `path`; never fails: a failure is the record's message.
fn run_case(
    plan: &SweepPlan,
    case: &SweepCase,
    path: &Path,
    request: &BackendRequest,
    shard: &str,
) -> CaseEnd {
    let started = Instant::now();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        run_case_file(plan, case, path, request, started)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(CaseFailure::Failed(format!("the run panicked: {what}")))
    });
    let (status, message, summary) = match result {
        Ok(summary) => (CaseStatus::Ok, None, Some(summary)),
        Err(CaseFailure::Locked(holder)) => {
            log::warn!("case {}: another process writes it ({holder})", case.id);
            return CaseEnd::Elsewhere {
                case: case.id.clone(),
                holder,
            };
        }
        Err(CaseFailure::Failed(message)) => {
            // Nothing of a failed run is left looking like a result.
            let paths = RunPaths::new(path);
            for leftover in [&paths.partial, &paths.checkpoint] {
                let _ = std::fs::remove_file(leftover);
            }
            log::warn!("case {} failed: {message}", case.id);
            (CaseStatus::Failed, Some(message), None)
        }
    };
    CaseEnd::Recorded(CaseRecord {
        case: case.id.clone(),
        status,
        message,
        wall_time_s: started.elapsed().as_secs_f64(),
        shard: shard.to_string(),
        summary,
    })
}

fn run_case_file(
    plan: &SweepPlan,
    case: &SweepCase,
    path: &Path,
    request: &BackendRequest,
    started: Instant,
) -> Result<serde_json::Value, CaseFailure> {
    let (doc, scenario) = plan.scenario(case)?;
    let resolved = scenario.resolved_document(doc.origin())?;
    // `force`: an interrupted run of this case left its partial file; start afresh.
    let mut writer = RunWriter::plan(path, CreateOptions::force(true), &resolved, request)?;
    let mut outcome = run_scenario(scenario, doc.origin(), request, &mut writer, None)?;
    writer
        .finish(&mut outcome, started)
        .map_err(|e| CaseFailure::Failed(format!("finishing the run file: {}", chain(&e))))?;
    let summary = match &outcome {
        RunOutcome::Crack(o) => serde_json::to_value(&o.summary),
        RunOutcome::BubbleField(o) => serde_json::to_value(&o.summary),
        RunOutcome::Capsule(_) => Ok(serde_json::Value::Null),
    };
    summary.map_err(|e| CaseFailure::Failed(format!("encoding the summary: {e}")))
}

/// The error and its causes on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
