//! `cavitas bubble`: a bubble-field scenario on its own.

use std::io::Write;

use anyhow::Context;
use cavitas_solver::bubbles::scenario::BubbleScenario;
use cavitas_solver::bubbles::study::{BubbleOutcome, run_bubble_scenario};
use cavitas_solver::compute::choose_backend;
use cavitas_solver::config::ConfigDocument;

use super::shared::{backend_request, ensure_new_output, progress_bar};
use crate::cli::RunArgs;
use crate::exit::InputError;

/// The scenario `cavitas bubble` runs without a CONFIG.
pub const DEFAULT_SCENARIO: (&str, &str) = (
    "configs/bubble/ensemble.toml",
    include_str!("../../../../configs/bubble/ensemble.toml"),
);

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    run_with_default(args, DEFAULT_SCENARIO, "bubble")
}

/// Loads, checks and runs a bubble scenario, then reports it.
pub fn run_with_default(
    args: &RunArgs,
    default: (&'static str, &'static str),
    command: &str,
) -> anyhow::Result<()> {
    let doc = ConfigDocument::load(
        args.scenario.config.as_deref(),
        default,
        &args.scenario.overrides,
    )?;
    let scenario: BubbleScenario = doc.parse()?;
    scenario.check(doc.origin())?;
    if let Some(path) = &args.output {
        ensure_new_output(path)?;
    }
    let chosen = choose_backend(&backend_request(&args.backend), &scenario.tolerances)
        .map_err(|e| InputError(e.to_string()))?;
    if let Some(notice) = &chosen.notice {
        eprintln!("{notice}");
    }
    let bar = progress_bar(args.scenario.json, command);
    let outcome = run_bubble_scenario(&scenario, chosen.backend, &mut |f| {
        bar.set_position((f * 1000.0) as u64)
    })
    .with_context(|| format!("running {}", doc.origin()))?;
    bar.finish_and_clear();
    if let Some(path) = &args.output {
        write_trace(path, &outcome).with_context(|| format!("writing {}", path.display()))?;
    }
    if args.scenario.json {
        let mut value = serde_json::to_value(&outcome.summary)?;
        let object = value.as_object_mut().expect("summary is an object");
        object.insert("command".into(), command.into());
        object.insert("config_origin".into(), doc.origin().to_string().into());
        object.insert("config".into(), serde_json::to_value(doc.table())?);
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_summary(&doc, &outcome);
    }
    Ok(())
}

/// Writes the primary bubble's radius history as CSV, through a temporary name.
fn write_trace(path: &std::path::Path, outcome: &BubbleOutcome) -> std::io::Result<()> {
    let partial = path.with_extension("partial");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&partial)?);
        writeln!(out, "time_s,radius_m")?;
        for (t, r) in outcome.trace.time_s.iter().zip(&outcome.trace.radius_m) {
            writeln!(out, "{t:.9e},{r:.9e}")?;
        }
        out.flush()?;
    }
    std::fs::rename(&partial, path)
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
