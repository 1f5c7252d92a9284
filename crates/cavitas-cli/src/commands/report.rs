//! The human-readable summary of each kind of run, written to stdout.

use std::io::{self, Write};

use cavitas_solver::bubbles::per_species::PerSpecies;
use cavitas_solver::bubbles::study::BubbleOutcome;
use cavitas_solver::coupling::CrackSummary;
use cavitas_solver::driver::CapsuleOutcome;

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("-".into(), |v| format!("{v:.digits$}"))
}

/// `CO2 73.8 %, N2 22.3 %, O2 3.8 %`.
fn composition_line(c: &PerSpecies<f64>) -> String {
    c.iter_species()
        .map(|(species, x)| format!("{} {:.1} %", species.formula(), 100.0 * x))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A coupled run.
pub fn crack(w: &mut dyn Write, origin: &str, s: &CrackSummary, wall_s: f64) -> io::Result<()> {
    writeln!(w, "cavitas run: {origin}")?;
    writeln!(
        w,
        "  backend {} ({}, {}); {} steps ({} rejected) over {:.3} s simulated in {:.2} s wall",
        s.backend.kind,
        s.backend.adapter,
        s.backend.precision,
        s.statistics.accepted,
        s.statistics.rejected,
        s.duration_s,
        wall_s
    )?;
    writeln!(w, "  events:")?;
    for e in &s.events {
        writeln!(
            w,
            "    t = {:>12.6} s  {:<18} {}",
            e.time_s,
            e.kind.label(),
            e.detail
        )?;
    }
    if s.crack {
        writeln!(
            w,
            "  crack at t = {} s, force {} N; gap {} mm -> {} mm; onset pressure {} kPa",
            opt(s.t_crack_s, 4),
            opt(s.force_at_crack_n, 2),
            opt(s.gap_before_mm, 3),
            opt(s.gap_after_mm, 3),
            opt(s.onset_pressure_pa.map(|p| p * 1e-3), 2)
        )?;
    } else {
        writeln!(
            w,
            "  no crack (lowest fluid pressure {:.2} kPa)",
            s.min_pressure_pa * 1e-3
        )?;
    }
    for (i, d) in s.listener_distances_m.iter().enumerate() {
        writeln!(
            w,
            "  sound at {d} m: peak SPL {} dB (rms {} dB), peak {:.3e} Pa in air, {:.3e} Pa in tissue",
            opt(s.spl_db[i], 1),
            opt(s.rms_spl_db[i], 1),
            s.peak_pressure_air_pa[i],
            s.peak_pressure_tissue_pa[i]
        )?;
    }
    writeln!(
        w,
        "  pop: dominant frequency {} Hz, duration {} ms, collapse fraction {}",
        opt(s.dominant_frequency_hz, 0),
        opt(s.pop_duration_ms, 2),
        opt(s.collapse_fraction, 3)
    )?;
    writeln!(
        w,
        "  cavity: peak {:.3} mm³, of which water vapour {:.3} mm³ ({:.1} %)",
        s.cavity_volume_peak_mm3,
        s.vapour_volume_peak_mm3,
        percent(s.vapour_volume_peak_mm3, s.cavity_volume_peak_mm3)
    )?;
    if let (Some(v), Some(x), Some(n)) = (
        s.released_gas_mm3_at_1atm,
        s.released_gas_fraction_of_joint,
        s.cavity_gas_peak_mol,
    ) {
        writeln!(
            w,
            "  released gas (non-condensable): {n:.3e} mol, {v:.4} mm³ at 1 atm and 37 °C \
             ({:.2} % of the joint's {:.2} mm³ of fluid)",
            100.0 * x,
            s.fluid_volume_m3 * 1e9
        )?;
    } else {
        writeln!(w, "  released gas: none (no cavity)")?;
    }
    if let Some(c) = &s.gas_composition {
        writeln!(
            w,
            "  released gas composition: {} (mole fractions)",
            composition_line(c)
        )?;
    }
    writeln!(
        w,
        "  residual cavity: {:.4} mm³ at the end; dissolves in {}",
        s.residual_cavity_mm3,
        match s.residual_dissolution_time_s {
            Some(t) => format!("{t:.0} s ({:.1} min) at the final pressure", t / 60.0),
            None if s.residual_cavity_mm3 > 0.0 => "more than 1e6 s (or never)".into(),
            None => "-".into(),
        }
    )?;
    if let Some(c) = &s.gas_composition_end {
        writeln!(w, "  cavity gas at the end:   {}", composition_line(c))?;
    }
    if let Some(r) = &s.refractory {
        match r.period_s {
            Some(p) => writeln!(w, "  refractory period: {p:.0} s ({:.1} min)", p / 60.0)?,
            None => writeln!(w, "  refractory period: none found")?,
        }
        if let Some(note) = &r.note {
            writeln!(w, "    ({note})")?;
        }
    }
    let b = &s.gas_budget;
    writeln!(
        w,
        "  gas budget (mol): initial {:.6e} = bubbles {:.6e} + dissolved {:.6e} \
         - perfusion exchange with the blood {:+.3e}; closes to {:.1e} (relative)",
        b.initial_total_mol,
        b.bubbles_total_mol,
        b.dissolved_total_mol,
        b.perfusion_exchange_total_mol,
        b.closure_relative_max
    )?;
    writeln!(
        w,
        "  fluid volume constraint held to {:.1e} (relative)",
        s.fluid_volume_max_relative_error
    )
}

/// `100 part / whole`, or 0 for an empty whole.
fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        0.0
    }
}

/// A bubble-field run.
pub fn bubble_field(w: &mut dyn Write, origin: &str, outcome: &BubbleOutcome) -> io::Result<()> {
    let s = &outcome.summary;
    let opt = |x: Option<f64>, unit: &str| x.map_or("-".to_string(), |v| format!("{v:.6e} {unit}"));
    writeln!(w, "scenario        {origin}")?;
    writeln!(
        w,
        "backend         {} {} ({})",
        s.backend.kind, s.backend.precision, s.backend.adapter
    )?;
    writeln!(
        w,
        "bubbles         {} in {} group(s)",
        s.bubble_count, s.group_count
    )?;
    writeln!(
        w,
        "steps           {} accepted, {} rejected, {:.3} s wall",
        s.accepted_steps, s.rejected_steps, s.wall_time_s
    )?;
    writeln!(
        w,
        "primary bubble  #{} (largest nucleus of the first group), max radius {:.4e} m",
        s.primary_bubble, s.primary_radius_max_m
    )?;
    writeln!(
        w,
        "collapse time   {}   (Rayleigh {})",
        opt(s.collapse_time_s, "s"),
        opt(s.references.rayleigh_collapse_time_s, "s")
    )?;
    writeln!(
        w,
        "frequency       {}   (Minnaert {})",
        opt(s.dominant_frequency_hz, "Hz"),
        opt(s.references.minnaert_frequency_hz, "Hz")
    )?;
    writeln!(
        w,
        "dissolution     {}   (Epstein-Plesset {})",
        opt(s.dissolution_time_s, "s"),
        opt(s.references.epstein_plesset_lifetime_s, "s")
    )?;
    writeln!(
        w,
        "Blake threshold {}, critical radius {}, grew: {}",
        opt(s.blake_threshold_pa, "Pa"),
        opt(s.critical_radius_m, "m"),
        s.grew.map_or("-".into(), |g| g.to_string())
    )?;
    let change = if s.gas_moles_relative_change.is_finite() {
        format!("{:.2e}", s.gas_moles_relative_change)
    } else {
        "-".into()
    };
    writeln!(
        w,
        "gas             {:.9e} mol -> {:.9e} mol (relative change {change})",
        s.gas_moles_initial, s.gas_moles_final
    )?;
    for g in &s.groups {
        writeln!(
            w,
            "group {:<12} {} bubbles, {} active, {} vanished, gas volume {:.4e} m3",
            g.name, g.bubbles, g.active, g.vanished, g.gas_volume_m3
        )?;
    }
    Ok(())
}

/// A capsule study.
pub fn capsule(w: &mut dyn Write, origin: &str, outcome: &CapsuleOutcome) -> io::Result<()> {
    let r = &outcome.result;
    writeln!(w, "capsule: {origin}")?;
    writeln!(
        w,
        "  rest:     volume {:.4} mL, pressure {:+.1} Pa (relative to tissue), dV/dp {:.3e} m³/Pa",
        r.rest_volume_m3 * 1e6,
        r.rest_transmural_pa,
        r.rest_compliance_m3_per_pa
    )?;
    writeln!(
        w,
        "  injected: {} mL -> volume {:.4} mL, pressure {:+.1} Pa (absolute {:.1} Pa), dV/dp {:.3e} m³/Pa",
        outcome.scenario.injection.volume_ml,
        r.volume_m3 * 1e6,
        r.transmural_pa,
        r.pressure_pa,
        r.compliance_m3_per_pa
    )?;
    writeln!(
        w,
        "  max first principal strain {:.1} %",
        100.0 * r.max_principal_strain
    )
}

/// The JSON object of a capsule study (SI values, the injected volume in mL as asked).
pub fn capsule_json(outcome: &CapsuleOutcome) -> serde_json::Value {
    let r = &outcome.result;
    serde_json::json!({
        "inject_ml": outcome.scenario.injection.volume_ml,
        "pressure_pa": r.transmural_pa,
        "absolute_pressure_pa": r.pressure_pa,
        "rest_pressure_pa": r.rest_transmural_pa,
        "max_principal_strain": r.max_principal_strain,
        "volume_ml": r.volume_m3 * 1e6,
        "rest_volume_ml": r.rest_volume_m3 * 1e6,
        "compliance_m3_per_pa": r.compliance_m3_per_pa,
        "rest_compliance_m3_per_pa": r.rest_compliance_m3_per_pa,
    })
}
