//! `cavitas run`: the main job. A crack scenario (a `[capsule]` table: the default is
//! `configs/mcp-traction.toml`) runs the coupled joint; a bubble-field scenario (`[[group]]`
//! tables) runs the bubble field on its own, as `cavitas bubble` does, with HDF5 output.

use std::time::Instant;

use anyhow::Context;
use cavitas_hdf5::CreateOptions;
use cavitas_solver::bubbles::per_species::PerSpecies;
use cavitas_solver::compute::choose_backend;
use cavitas_solver::config::ConfigDocument;
use cavitas_solver::coupling::refractory::find_refractory_period;
use cavitas_solver::coupling::{CrackRun, CrackScenario, CrackSummary};

use super::crack_output::CrackOutput;
use super::provenance::provenance;
use super::resume::{Resumed, SolverCheckpoint, is_crack_scenario, resume};
use super::shared::{Written, backend_request, ensure_new_output, progress_bar};
use crate::cli::RunArgs;
use crate::exit::InputError;

/// The scenario `cavitas run` runs without a CONFIG.
pub const DEFAULT_SCENARIO: (&str, &str) = (
    "configs/mcp-traction.toml",
    include_str!("../../../../configs/mcp-traction.toml"),
);

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.resume {
        let resumed = resume(path)?;
        if matches!(resumed.checkpoint, SolverCheckpoint::Crack(_)) {
            let doc = resumed.doc.clone();
            return run_crack(args, &doc, Some(resumed));
        }
        return super::bubble::run_with_default(
            args,
            super::bubble::DEFAULT_SCENARIO,
            "run",
            Some(resumed),
        );
    }
    let doc = ConfigDocument::load(
        args.scenario.config.as_deref(),
        DEFAULT_SCENARIO,
        &args.scenario.overrides,
    )?;
    if doc.table().contains_key("group") && !is_crack_scenario(&doc) {
        return super::bubble::run_with_default(args, super::bubble::DEFAULT_SCENARIO, "run", None);
    }
    run_crack(args, &doc, None)
}

/// Runs (or, with `resumed`, continues) a coupled joint scenario, writes its run file when
/// asked, then reports it.
fn run_crack(args: &RunArgs, doc: &ConfigDocument, resumed: Option<Resumed>) -> anyhow::Result<()> {
    let started = Instant::now();
    let scenario: CrackScenario = doc.parse()?;
    let schedule = scenario.check(doc.origin())?;
    if let (Some(path), Some(_)) = (&args.output, scenario.refractory) {
        return Err(InputError(format!(
            "-o {}: a [refractory] scenario runs many trial continuations from one state and \
             has no single history to write; write the run without the [refractory] table, \
             or use --json for the period",
            path.display()
        ))
        .into());
    }
    if let (Some(path), false, None) = (&args.output, args.force, &resumed) {
        ensure_new_output(path)?;
    }
    let request = match &resumed {
        Some(r) => r.backend.clone(),
        None => backend_request(&args.backend),
    };
    let chosen =
        choose_backend(&request, &scenario.tolerances).map_err(|e| InputError(e.to_string()))?;
    if let Some(notice) = &chosen.notice {
        eprintln!("{notice}");
    }
    let refractory = scenario.refractory;
    let backend_description = chosen.backend.describe();
    let mut run = CrackRun::new(scenario, schedule, chosen.backend)
        .with_context(|| format!("setting up {}", doc.origin()))?;
    let mut output = match resumed {
        Some(r) => {
            let SolverCheckpoint::Crack(checkpoint) = r.checkpoint else {
                return Err(InputError(format!(
                    "--resume {}: not the checkpoint of a coupled joint run",
                    r.file.paths().output.display()
                ))
                .into());
            };
            run.resume_from(*checkpoint).with_context(|| {
                format!(
                    "--resume {}: the checkpoint",
                    r.file.paths().output.display()
                )
            })?;
            Some(CrackOutput::resumed(
                r.file,
                &r.f64_arrays,
                &mut run,
                r.open_seconds,
            )?)
        }
        None => match &args.output {
            Some(path) => Some(CrackOutput::create(
                path,
                &provenance(doc, &backend_description),
                CreateOptions::force(args.force),
                &mut run,
            )?),
            None => None,
        },
    };
    let bar = progress_bar(args.scenario.json, "run");
    let end = run.end_time_s();
    let observe = |r: &CrackRun| {
        if r.statistics().accepted.is_multiple_of(64) {
            let s = r.series().last().expect("a sample");
            bar.set_position(((s.time_s / end).min(1.0) * 1000.0) as u64);
            let last = r.events().last().map_or("", |e| e.kind.label());
            bar.set_message(format!(
                "t {:.4} s  {:?}  gap {:.3} mm  p {:.1} kPa  {last}",
                s.time_s,
                s.phase,
                s.gap_m * 1e3,
                s.pressure_pa * 1e-3
            ));
        }
    };
    let outcome = match refractory {
        Some(settings) => Some(find_refractory_period(&mut run, settings, observe)?),
        None => {
            while !run.is_finished() {
                run.step(end)?;
                observe(&run);
                if let Some(o) = output.as_mut() {
                    o.on_step(&mut run).context("writing the run file")?;
                }
            }
            None
        }
    };
    bar.finish_and_clear();
    let sound = run.recorder().analyse();
    let summary = CrackSummary::new(&mut run, &sound, outcome)?;
    if let Some(path) = &args.wav {
        sound.write_wav(path, 0)?;
    }
    let written = match output {
        Some(o) => {
            let checkpoints = o.checkpoints();
            let (path, seconds) = o
                .finish(&mut run, &sound, &summary)
                .context("finishing the run file")?;
            Some(Written::new(path, seconds, checkpoints, started))
        }
        None => None,
    };
    let wall_s = started.elapsed().as_secs_f64();
    if args.scenario.json {
        // The summary's figures at the top level, with the provenance of the run.
        let mut value = serde_json::to_value(&summary).context("converting the summary")?;
        let obj = value.as_object_mut().expect("the summary is a JSON object");
        obj.insert("command".into(), "run".into());
        obj.insert("config_origin".into(), doc.origin().to_string().into());
        obj.insert("wall_time_s".into(), wall_s.into());
        obj.insert(
            "config".into(),
            serde_json::to_value(doc.table()).context("converting the config to JSON")?,
        );
        obj.insert("config_text".into(), doc.resolved_text().into());
        if let Some(w) = &written {
            obj.insert("output".into(), serde_json::to_value(w)?);
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_summary(doc, &summary, wall_s);
        if let Some(path) = &args.wav {
            println!(
                "  sound at {} m written to {}",
                summary.listener_distances_m.first().unwrap_or(&f64::NAN),
                path.display()
            );
        }
        if let Some(w) = &written {
            println!("  {}", w.describe());
        }
    }
    Ok(())
}

/// `CO2 73.8 %, N2 22.3 %, O2 3.8 %`.
fn composition_line(c: &PerSpecies<f64>) -> String {
    c.iter_species()
        .map(|(species, x)| format!("{} {:.1} %", species.formula(), 100.0 * x))
        .collect::<Vec<_>>()
        .join(", ")
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("-".into(), |v| format!("{v:.digits$}"))
}

fn print_summary(doc: &ConfigDocument, s: &CrackSummary, wall_s: f64) {
    println!("cavitas run: {}", doc.origin());
    println!(
        "  backend {} ({}, {}); {} steps ({} rejected) over {:.3} s simulated in {:.2} s wall",
        s.backend.kind,
        s.backend.adapter,
        s.backend.precision,
        s.statistics.accepted,
        s.statistics.rejected,
        s.duration_s,
        wall_s
    );
    println!("  events:");
    for e in &s.events {
        println!(
            "    t = {:>12.6} s  {:<18} {}",
            e.time_s,
            e.kind.label(),
            e.detail
        );
    }
    if s.crack {
        println!(
            "  crack at t = {} s, force {} N; gap {} mm -> {} mm; onset pressure {} kPa",
            opt(s.t_crack_s, 4),
            opt(s.force_at_crack_n, 2),
            opt(s.gap_before_mm, 3),
            opt(s.gap_after_mm, 3),
            opt(s.onset_pressure_pa.map(|p| p * 1e-3), 2)
        );
    } else {
        println!(
            "  no crack (lowest fluid pressure {:.2} kPa)",
            s.min_pressure_pa * 1e-3
        );
    }
    for (i, d) in s.listener_distances_m.iter().enumerate() {
        println!(
            "  sound at {d} m: peak SPL {} dB (rms {} dB), peak {:.3e} Pa in air, {:.3e} Pa in tissue",
            opt(s.spl_db[i], 1),
            opt(s.rms_spl_db[i], 1),
            s.peak_pressure_air_pa[i],
            s.peak_pressure_tissue_pa[i]
        );
    }
    println!(
        "  pop: dominant frequency {} Hz, duration {} ms, collapse fraction {}",
        opt(s.dominant_frequency_hz, 0),
        opt(s.pop_duration_ms, 2),
        opt(s.collapse_fraction, 3)
    );
    println!(
        "  gas: peak {:.3} mm³ ({:.1} % of the joint), residual {:.4} mm³ at the end",
        s.gas_volume_peak_mm3,
        100.0 * s.gas_volume_fraction_of_joint,
        s.residual_gas_mm3
    );
    if let Some(c) = s.gas_composition {
        println!(
            "  cavity gas when richest: {} (mole fractions)",
            composition_line(&c)
        );
    }
    if let Some(c) = s.gas_composition_end {
        println!("  cavity gas at the end:   {}", composition_line(&c));
    }
    if let Some(r) = &s.refractory {
        match r.period_s {
            Some(p) => println!("  refractory period: {p:.0} s ({:.1} min)", p / 60.0),
            None => println!("  refractory period: none found"),
        }
        if let Some(note) = &r.note {
            println!("    ({note})");
        }
    }
    println!(
        "  conservation: fluid volume to {:.1e} (relative), gas moles changed by {:.1e}",
        s.fluid_volume_max_relative_error, s.gas_moles_relative_change
    );
}
