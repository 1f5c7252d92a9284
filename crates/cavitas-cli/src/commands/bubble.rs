//! `cavitas bubble`: a bubble-field scenario on its own.

use std::time::Instant;

use anyhow::Context;
use cavitas_hdf5::CreateOptions;
use cavitas_solver::bubbles::observer::{NoObserver, StudyObserver};
use cavitas_solver::bubbles::scenario::BubbleScenario;
use cavitas_solver::bubbles::study::{BubbleOutcome, run_bubble_study};
use cavitas_solver::compute::choose_backend;
use cavitas_solver::config::ConfigDocument;

use super::provenance::provenance;
use super::resume::{Resumed, SolverCheckpoint, resume};
use super::run_output::RunOutput;
use super::shared::{Written, backend_request, ensure_new_output, progress_bar};
use crate::cli::RunArgs;
use crate::exit::InputError;

/// The scenario `cavitas bubble` runs without a CONFIG.
pub const DEFAULT_SCENARIO: (&str, &str) = (
    "configs/bubble/ensemble.toml",
    include_str!("../../../../configs/bubble/ensemble.toml"),
);

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let resumed = args.resume.as_deref().map(resume).transpose()?;
    run_with_default(args, DEFAULT_SCENARIO, "bubble", resumed)
}

/// Loads, checks and runs a bubble scenario (or continues `resumed`, a killed one), writes
/// its run file when asked, then reports it.
pub fn run_with_default(
    args: &RunArgs,
    default: (&'static str, &'static str),
    command: &str,
    resumed: Option<Resumed>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    if let Some(path) = &args.wav {
        return Err(InputError(format!(
            "--wav {}: only a coupled joint run (a scenario with [capsule]) has a listener and \
             a sound to write",
            path.display()
        ))
        .into());
    }
    let (doc, request, mut output, checkpoint) = match resumed {
        Some(r) => {
            let SolverCheckpoint::Bubble(checkpoint) = r.checkpoint else {
                return Err(InputError(format!(
                    "--resume {}: a coupled joint run; resume it with `cavitas run --resume`",
                    r.file.paths().output.display()
                ))
                .into());
            };
            (
                r.doc,
                r.backend,
                Some(RunOutput::new(r.file, r.open_seconds)),
                Some(*checkpoint),
            )
        }
        None => {
            let doc = ConfigDocument::load(
                args.scenario.config.as_deref(),
                default,
                &args.scenario.overrides,
            )?;
            (doc, backend_request(&args.backend), None, None)
        }
    };
    let scenario: BubbleScenario = doc.parse()?;
    scenario.check(doc.origin())?;
    if let (Some(path), false) = (&args.output, args.force) {
        ensure_new_output(path)?;
    }
    let chosen =
        choose_backend(&request, &scenario.tolerances).map_err(|e| InputError(e.to_string()))?;
    if let Some(notice) = &chosen.notice {
        eprintln!("{notice}");
    }
    if let Some(path) = &args.output {
        let provenance = provenance(&doc, &chosen.backend.describe());
        let created = RunOutput::create(path, &provenance, CreateOptions::force(args.force))
            .with_context(|| format!("creating {}", path.display()))?;
        output = Some(created);
    }
    let bar = progress_bar(args.scenario.json, command);
    let mut no_output = NoObserver;
    let observer: &mut dyn StudyObserver = match output.as_mut() {
        Some(o) => o,
        None => &mut no_output,
    };
    let outcome = run_bubble_study(
        &scenario,
        chosen.backend,
        &mut |f| bar.set_position((f * 1000.0) as u64),
        observer,
        checkpoint,
    )
    .with_context(|| format!("running {}", doc.origin()))?;
    bar.finish_and_clear();
    let written = match output {
        Some(o) => {
            let checkpoints = o.checkpoints();
            let (path, seconds) = o
                .finish(&scenario, &outcome)
                .context("finishing the run file")?;
            Some(Written::new(path, seconds, checkpoints, started))
        }
        None => None,
    };
    if args.scenario.json {
        let mut value = serde_json::to_value(&outcome.summary)?;
        let object = value.as_object_mut().expect("summary is an object");
        object.insert("command".into(), command.into());
        object.insert("config_origin".into(), doc.origin().to_string().into());
        object.insert("config".into(), serde_json::to_value(doc.table())?);
        if let Some(w) = &written {
            object.insert("output".into(), serde_json::to_value(w)?);
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_summary(&doc, &outcome);
        if let Some(w) = &written {
            println!("{}", w.describe());
        }
    }
    Ok(())
}

fn print_summary(doc: &ConfigDocument, outcome: &BubbleOutcome) {
    let s = &outcome.summary;
    let opt = |x: Option<f64>, unit: &str| x.map_or("-".to_string(), |v| format!("{v:.6e} {unit}"));
    println!("scenario        {}", doc.origin());
    println!(
        "backend         {} {} ({})",
        s.backend.kind, s.backend.precision, s.backend.adapter
    );
    println!(
        "bubbles         {} in {} group(s)",
        s.bubble_count, s.group_count
    );
    println!(
        "steps           {} accepted, {} rejected, {:.3} s wall",
        s.accepted_steps, s.rejected_steps, s.wall_seconds
    );
    println!(
        "primary bubble  #{} (largest nucleus of the first group), max radius {:.4e} m",
        s.primary_bubble, s.primary_radius_max_m
    );
    println!(
        "collapse time   {}   (Rayleigh {})",
        opt(s.collapse_time_s, "s"),
        opt(s.references.rayleigh_collapse_time_s, "s")
    );
    println!(
        "frequency       {}   (Minnaert {})",
        opt(s.dominant_frequency_hz, "Hz"),
        opt(s.references.minnaert_frequency_hz, "Hz")
    );
    println!(
        "dissolution     {}   (Epstein-Plesset {})",
        opt(s.dissolution_time_s, "s"),
        opt(s.references.epstein_plesset_lifetime_s, "s")
    );
    println!(
        "Blake threshold {}, critical radius {}, grew: {}",
        opt(s.blake_threshold_pa, "Pa"),
        opt(s.critical_radius_m, "m"),
        s.grew.map_or("-".into(), |g| g.to_string())
    );
    let change = if s.gas_moles_relative_change.is_finite() {
        format!("{:.2e}", s.gas_moles_relative_change)
    } else {
        "-".into()
    };
    println!(
        "gas             {:.9e} mol -> {:.9e} mol (relative change {change})",
        s.gas_moles_initial, s.gas_moles_final
    );
    for g in &s.groups {
        println!(
            "group {:<12} {} bubbles, {} active, {} vanished, gas volume {:.4e} m3",
            g.name, g.bubbles, g.active, g.vanished, g.gas_volume_m3
        );
    }
}
