//! The bubble field against classical single-bubble results and conservation of gas, on the
//! CPU reference in f64, using the shipped scenario files.

mod common;

use cavitas_solver::analysis::reference::{
    EpsteinPlesset, blake_threshold, minnaert_frequency_hz, rayleigh_collapse_time_s,
};
use cavitas_solver::bubbles::species::GasSpecies;
use cavitas_solver::bubbles::state::BubbleStatus;
use common::{rel, run_cpu_f64, scenario};

/// Rayleigh (1917): an empty 1 mm cavity under 100 kPa collapses in 0.914681 R0 sqrt(ρ/Δp).
/// The issue asks for 0.5%; the model is exact up to the integration tolerance (1e-9) and
/// the 1%-of-R0 vanish threshold, which comes 1e-5 of t_c early, so 0.5% is generous.
#[test]
fn empty_cavity_collapses_in_the_rayleigh_time() {
    let s = scenario("rayleigh-collapse", &[]);
    let out = run_cpu_f64(&s);
    let expected = rayleigh_collapse_time_s(1e-3, 1000.0, 1e5);
    let got = out.summary.collapse_time_s.expect("the cavity collapsed");
    assert!(
        rel(got, expected) < 5e-3,
        "collapse {got} vs Rayleigh {expected}"
    );
    assert!(
        rel(got, expected) < 1e-4,
        "tighter than required: {got} vs {expected}"
    );
}

/// Minnaert (1933) with the Laplace correction. 1% is the bound: viscous (μ = 1 mPa s)
/// and acoustic (kR ≈ 0.013) damping shift a damped oscillator's frequency by O(ζ²) ≈ 1e-4,
/// and the spectral peak is interpolated to a small fraction of its 2% bin.
#[test]
fn small_oscillations_ring_at_the_minnaert_frequency() {
    let s = scenario("minnaert", &[]);
    let out = run_cpu_f64(&s);
    let expected = minnaert_frequency_hz(1e-4, 1000.0, 1e5, 0.07, 6300.0, 1.4);
    let got = out.summary.dominant_frequency_hz.expect("a spectral peak");
    assert!(
        rel(got, expected) < 1e-2,
        "frequency {got} vs Minnaert {expected}"
    );
}

/// Blake's threshold: 2% of the threshold tension below it the largest nucleus runs away
/// (radius past twice critical); 2% above it stays on the stable branch, below the critical
/// radius. Smaller nuclei have deeper thresholds and stay bounded in both runs.
#[test]
fn largest_nucleus_grows_just_below_the_blake_threshold_only() {
    let (rc, pc) = blake_threshold(1e-6, 1e5, 0.07, 6300.0);
    let margin = 0.02 * (pc - 6300.0).abs();
    let below = run_cpu_f64(&scenario(
        "blake",
        &[&format!("group.0.pressure.threshold_offset_pa={}", -margin)],
    ));
    let above = run_cpu_f64(&scenario(
        "blake",
        &[&format!("group.0.pressure.threshold_offset_pa={margin}")],
    ));
    for out in [&below, &above] {
        assert!(rel(out.summary.blake_threshold_pa.unwrap(), pc) < 1e-9);
        assert!(rel(out.summary.critical_radius_m.unwrap(), rc) < 1e-9);
    }
    assert_eq!(below.summary.grew, Some(true));
    assert_eq!(above.summary.grew, Some(false));
    assert!(
        above.summary.primary_radius_max_m < rc,
        "bounded below the critical radius"
    );
    assert!(
        below.summary.primary_radius_max_m > 10.0 * rc,
        "explosive growth"
    );
    let smaller: Vec<f64> = below.field.slots[..2]
        .iter()
        .map(|s| s.r_max * below.field.scales.length_m)
        .collect();
    assert!(
        smaller.iter().all(|&r| r < 2e-6),
        "smaller nuclei stay bounded: {smaller:?}"
    );
}

/// Epstein & Plesset (1950): a 10 µm N2 bubble in degassed water. The full Keller–Miksis
/// bubble follows the quasi-static EP solution; the issue bounds the lifetime to 2%. The
/// reference itself is converged to < 1e-4 (see `analysis::reference` tests).
#[test]
fn gas_bubble_dissolves_in_the_epstein_plesset_lifetime() {
    let s = scenario("dissolution", &[]);
    let out = run_cpu_f64(&s);
    let expected = EpsteinPlesset {
        radius_m: 1e-5,
        ambient_pa: 1e5,
        surface_tension_n_m: 0.07,
        vapour_pressure_pa: 6300.0,
        henry_mol_m3_pa: GasSpecies::N2.henry_mol_m3_pa(310.15),
        diffusivity_m2_s: GasSpecies::N2.diffusivity_37c_m2_s(),
        far_field_mol_m3: 0.0,
        temperature_k: 310.15,
    }
    .lifetime_s(4000)
    .unwrap();
    let got = out
        .summary
        .dissolution_time_s
        .expect("the bubble dissolved");
    assert!(
        rel(got, expected) < 2e-2,
        "lifetime {got} vs Epstein-Plesset {expected}"
    );
    assert_eq!(out.field.slots[0].status, BubbleStatus::Vanished);
}

/// Gas moles in bubbles plus liquid are conserved through an ensemble run with transfer in
/// both directions. In f64 only rounding remains: 64 bubbles × 200 intervals of sums near
/// 1e-9 mol leave ~1e-14 relative; 1e-10 is the bound.
#[test]
fn gas_moles_are_conserved_over_an_ensemble() {
    let s = scenario("ensemble", &[]);
    let out = run_cpu_f64(&s);
    let initial = out.summary.gas_moles_initial;
    // Recount from the final field, independently of the run's own bookkeeping.
    let field = &out.field;
    let mut recount = 0.0;
    for g in &field.groups {
        let unit = field.scales.moles_per_unit(g.temperature_k);
        recount += g.dissolved.iter().sum::<f64>() * unit;
        for slot in &field.slots[g.bubbles.clone()] {
            if slot.status == BubbleStatus::Active {
                recount += slot.y.n.iter().sum::<f64>() * unit;
            }
        }
    }
    assert!(rel(recount, initial) < 1e-10, "{recount} vs {initial}");
    assert!(out.summary.gas_moles_relative_change.abs() < 1e-10);
    // The exchange is real: the bubbles' gas changed by far more than the tolerance.
    let (built, _) = s.build_field();
    let bubble_gas = |f: &cavitas_solver::bubbles::field::BubbleField| -> f64 {
        f.slots
            .iter()
            .filter(|s| s.status == BubbleStatus::Active)
            .map(|s| s.y.n.iter().sum::<f64>())
            .sum()
    };
    assert!(
        rel(bubble_gas(field), bubble_gas(&built)) > 1e-6,
        "gas moved between bubbles and liquid"
    );
}

/// Halving the tolerance changes the Minnaert frequency far less than the comparison bound,
/// so the 1% agreement is not an accident of the step sequence.
#[test]
fn results_are_converged_in_the_tolerance() {
    let a = run_cpu_f64(&scenario(
        "rayleigh-collapse",
        &["tolerances.relative=1e-7"],
    ));
    let b = run_cpu_f64(&scenario(
        "rayleigh-collapse",
        &["tolerances.relative=1e-9"],
    ));
    let ta = a.summary.collapse_time_s.unwrap();
    let tb = b.summary.collapse_time_s.unwrap();
    assert!(rel(ta, tb) < 1e-5, "{ta} vs {tb}");
    assert!(
        b.summary.accepted_steps > a.summary.accepted_steps,
        "tighter tolerance takes more steps"
    );
}
