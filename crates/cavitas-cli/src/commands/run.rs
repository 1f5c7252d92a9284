//! `cavitas run`, `bubble` and `capsule`: one loop for every kind of run. The scenario
//! (from its file and overrides, or from a killed run's file) decides what runs; the solver
//! runs it; a progress bar and, with `-o`, the run file watch it; then the summary.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use cavitas_hdf5::CreateOptions;
use cavitas_output::{InputError, ResumedRun, RunWriter, Written};
use cavitas_solver::compute::{BackendRequest, CpuPrecision};
use cavitas_solver::config::ConfigDocument;
use cavitas_solver::driver::{
    DefaultScenario, ObserverPair, RunOutcome, Scenario, ScenarioKind, run_scenario,
};

use super::progress::ProgressBar;
use super::report;
use crate::cli::{BackendArgs, BackendChoice, OutputArgs, PrecisionChoice, ScenarioArgs};

/// What one of the run commands was asked.
#[derive(Debug)]
pub struct RunCommand<'a> {
    /// The command's name (`run`, `bubble`, `capsule`).
    pub name: &'static str,
    /// What runs without a CONFIG.
    pub default: DefaultScenario,
    /// The one kind of scenario the command runs, if it is restricted.
    pub only: Option<ScenarioKind>,
    pub scenario: &'a ScenarioArgs,
    pub backend: Option<&'a BackendArgs>,
    pub output: Option<&'a OutputArgs>,
    /// `--wav`: the sound of a coupled run.
    pub wav: Option<&'a Path>,
    /// `--inject-ml` of `cavitas capsule`.
    pub inject_ml: Option<f64>,
}

/// The backend the arguments ask for.
pub(super) fn backend_request(args: Option<&BackendArgs>) -> BackendRequest {
    let Some(args) = args else {
        return BackendRequest::Auto;
    };
    match args.backend {
        BackendChoice::Auto => BackendRequest::Auto,
        BackendChoice::Gpu => BackendRequest::Gpu {
            adapter: args.adapter.clone(),
        },
        BackendChoice::Cpu => BackendRequest::Cpu {
            precision: match args.cpu_precision {
                PrecisionChoice::F32 => CpuPrecision::F32,
                PrecisionChoice::F64 => CpuPrecision::F64,
            },
            threads: 0,
        },
    }
}

/// Refuses a `--wav` path that cannot be written, before anything runs.
fn check_wav(path: &Path) -> Result<(), InputError> {
    if path.is_dir() {
        return Err(InputError(format!(
            "--wav {}: a folder, not a file",
            path.display()
        )));
    }
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) if !parent.is_dir() => Err(InputError(format!(
            "--wav {}: the folder {} does not exist",
            path.display(),
            parent.display()
        ))),
        _ => Ok(()),
    }
}

/// Runs the command: loads (or reopens) the scenario, runs it, writes and reports it.
pub fn execute(cmd: &RunCommand<'_>, quiet: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let json = cmd.scenario.json;
    let mut resumed = match cmd.output.and_then(|o| o.resume.as_deref()) {
        Some(path) => {
            Some(ResumedRun::reopen(path).with_context(|| format!("--resume {}", path.display()))?)
        }
        None => None,
    };
    let (doc, request) = match &resumed {
        Some(r) => (r.doc.clone(), r.request.clone()),
        None => (
            ConfigDocument::load(
                cmd.scenario.config.as_deref(),
                cmd.default.pair(),
                &cmd.scenario.overrides,
            )?,
            backend_request(cmd.backend),
        ),
    };
    let mut scenario = Scenario::from_document(&doc)?;
    match (cmd.only, scenario.kind()) {
        (Some(ScenarioKind::Capsule), _) => {
            let study = scenario.capsule_study(cmd.inject_ml).ok_or_else(|| {
                InputError(format!(
                    "{}: a bubble-field scenario has no capsule; give a capsule or joint scenario",
                    doc.origin()
                ))
            })?;
            scenario = Scenario::Capsule(Box::new(study));
        }
        (Some(only), kind) if only != kind => {
            let hint = if resumed.is_some() {
                "resume it with `cavitas run --resume`".to_string()
            } else {
                "run it with `cavitas run`".to_string()
            };
            return Err(InputError(format!(
                "{}: a {} scenario, and `cavitas {}` runs {} scenarios only; {hint}",
                doc.origin(),
                kind.name(),
                cmd.name,
                only.name()
            ))
            .into());
        }
        _ => {}
    }
    // Every key resolved, defaults included: what the JSON echoes and the run file stores.
    let resolved = scenario.resolved_document(doc.origin())?;
    if let Some(path) = cmd.wav {
        if scenario.kind() != ScenarioKind::Crack {
            return Err(InputError(format!(
                "--wav {}: only a coupled joint run (a scenario with [capsule], [joint], \
                 [loading] and [nuclei]) has a listener and a sound to write",
                path.display()
            ))
            .into());
        }
        check_wav(path)?;
    }
    let mut writer = match (&mut resumed, cmd.output.and_then(|o| o.output.as_deref())) {
        (Some(r), _) => Some(RunWriter::resuming(r)),
        (None, Some(path)) => {
            if let Scenario::Crack(s) = &scenario
                && s.refractory.is_some()
            {
                return Err(InputError(format!(
                    "-o {}: a [refractory] scenario runs many trial continuations from one \
                     state and has no single history to write; write the run without the \
                     [refractory] table, or use --json for the period",
                    path.display()
                ))
                .into());
            }
            if scenario.kind() == ScenarioKind::Capsule {
                return Err(InputError(format!(
                    "-o {}: a capsule study has no time history to write; use --json",
                    path.display()
                ))
                .into());
            }
            let force = cmd.output.is_some_and(|o| o.force);
            Some(RunWriter::plan(
                path,
                CreateOptions::force(force),
                &resolved,
                &request,
            )?)
        }
        (None, None) => None,
    };
    let checkpoint = resumed.map(|r| r.checkpoint);
    let mut bar = ProgressBar::new(cmd.name, json || quiet);
    let outcome = match writer.as_mut() {
        Some(w) => run_scenario(
            scenario,
            doc.origin(),
            &request,
            &mut ObserverPair(&mut bar, w),
            checkpoint,
        ),
        None => run_scenario(scenario, doc.origin(), &request, &mut bar, checkpoint),
    };
    bar.finish();
    let mut outcome = outcome.with_context(|| format!("running {}", doc.origin()))?;
    if let (Some(path), RunOutcome::Crack(o)) = (cmd.wav, &outcome) {
        o.sound
            .write_wav(path, 0)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let written = match writer {
        Some(w) => Some(
            w.finish(&mut outcome, started)
                .context("finishing the run file")?,
        ),
        None => None,
    };
    let wall_s = started.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    if json {
        let mut value = json_report(
            cmd.name,
            &resolved,
            &outcome,
            wall_s,
            written.as_ref(),
            &bar,
        )?;
        if let (RunOutcome::Crack(o), Some(obj)) = (&outcome, value.as_object_mut()) {
            // The calibration of the 16-bit WAV: the pressure (Pa) that full scale means.
            let full_scale = o.sound.listeners.first().map(|l| l.wav_full_scale_pa);
            obj.insert("wav_full_scale_pa".into(), full_scale.into());
            if let Some(path) = cmd.wav {
                obj.insert("wav_path".into(), path.display().to_string().into());
            }
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        text_report(&mut out, cmd, &doc, &outcome, wall_s)?;
        if let Some(w) = &written {
            writeln!(out, "  {}", w.describe())?;
        }
    }
    Ok(())
}

fn json_report(
    command: &str,
    doc: &ConfigDocument,
    outcome: &RunOutcome,
    wall_s: f64,
    written: Option<&Written>,
    bar: &ProgressBar,
) -> anyhow::Result<serde_json::Value> {
    let mut value = match outcome {
        RunOutcome::Crack(o) => serde_json::to_value(&o.summary)?,
        RunOutcome::BubbleField(o) => serde_json::to_value(&o.summary)?,
        RunOutcome::Capsule(o) => report::capsule_json(o),
    };
    let obj = value
        .as_object_mut()
        .context("a summary is a JSON object")?;
    obj.insert("command".into(), command.into());
    obj.insert("config_origin".into(), doc.origin().to_string().into());
    obj.insert("wall_time_s".into(), wall_s.into());
    if let Some(notice) = &bar.notice {
        obj.insert("backend_notice".into(), notice.as_str().into());
    }
    obj.insert("config".into(), serde_json::to_value(doc.table())?);
    obj.insert("config_text".into(), doc.resolved_text().into());
    if let Some(w) = written {
        obj.insert("output".into(), serde_json::to_value(w)?);
    }
    Ok(value)
}

fn text_report(
    out: &mut dyn Write,
    cmd: &RunCommand<'_>,
    doc: &ConfigDocument,
    outcome: &RunOutcome,
    wall_s: f64,
) -> std::io::Result<()> {
    let origin = doc.origin().to_string();
    match outcome {
        RunOutcome::Crack(o) => {
            report::crack(out, &origin, &o.summary, wall_s)?;
            if let Some(path) = cmd.wav {
                writeln!(
                    out,
                    "  sound at {} m written to {}",
                    o.summary.listener_distances_m.first().unwrap_or(&f64::NAN),
                    path.display()
                )?;
            }
            Ok(())
        }
        RunOutcome::BubbleField(o) => report::bubble_field(out, &origin, o),
        RunOutcome::Capsule(o) => report::capsule(out, &origin, o),
    }
}
