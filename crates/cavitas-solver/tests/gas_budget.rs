//! After the crack (issue 12): the cavity's gas apart from its vapour, the released gas at
//! 1 atm as the published figure counts it, the gas budget with perfusion, and the residual
//! cavity's persistence. Runs the scenario files in `configs/` on the CPU backend (f64).

use cavitas_solver::bubbles::species::GasSpecies;

mod common;

use common::run_crack_cpu as run;

/// The default traction with a shorter wait after the release (the crack, the ringing and
/// the settled cavity all happen; the wait only lengthens the cavity's exchange).
const DEFAULT_SHORT: &[&str] = &["loading.wait_s=2.0"];

/// The released gas at 1 atm and 37 °C, recomputed from the reported moles with the ideal
/// gas and the van der Waals co-volume, is the reported figure; the cavity at its peak is
/// mostly vapour, and the released gas is a small part of it.
#[test]
fn released_gas_at_one_atmosphere_is_the_moles_at_one_atmosphere() {
    let s = run("mcp-traction.toml", DEFAULT_SHORT);
    assert!(s.crack);
    let moles = s.released_gas_mol.expect("the crack released gas");
    // Independently: R = 8.314462618 J/(mol K) (CODATA), T = 310.15 K, p = 101325 Pa;
    // `p (V − Σ n b) = Σ n R T` (the default model has the hard core on).
    let v_m3: f64 = GasSpecies::ALL
        .iter()
        .map(|&k| moles[k] * (8.314_462_618 * 310.15 / 101_325.0 + k.covolume_m3_mol()))
        .sum();
    let reported = s.released_gas_mm3_at_1atm.unwrap() * 1e-9;
    // 1e-12: the same arithmetic in another order (a sum of four products and a unit
    // conversion) differs by a few ulps, ~1e-15.
    assert!(
        (reported / v_m3 - 1.0).abs() < 1e-12,
        "reported {reported:e} m³, recomputed {v_m3:e} m³"
    );
    let fraction = s.released_gas_fraction_of_joint.unwrap();
    assert!(
        (fraction / (v_m3 / s.fluid_volume_m3) - 1.0).abs() < 1e-12,
        "{fraction}"
    );
    // The total is the richest cavity's gas.
    let total: f64 = moles.iter().sum();
    assert!((total / s.cavity_gas_peak_mol.unwrap() - 1.0).abs() < 1e-12);
    // At its peak the cavity sits near the vapour pressure: most of it is vapour, and the
    // gas it released fills far less than the cavity at 1 atm.
    assert!(
        s.vapour_volume_peak_mm3 > 0.5 * s.cavity_volume_peak_mm3
            && s.vapour_volume_peak_mm3 < s.cavity_volume_peak_mm3,
        "vapour {} of {} mm³",
        s.vapour_volume_peak_mm3,
        s.cavity_volume_peak_mm3
    );
    assert!(s.released_gas_mm3_at_1atm.unwrap() < 0.5 * s.cavity_volume_peak_mm3);
}

/// With perfusion on (τ = 600 s, the default), bubbles + dissolved = initial + what the
/// blood exchanged, at every sample of the default run, to round-off; and the exchange is
/// not negligible (without it the budget would miss by its size).
#[test]
fn gas_budget_closes_with_perfusion_on() {
    let s = run("mcp-traction.toml", DEFAULT_SHORT);
    let b = &s.gas_budget;
    // 1e-10: every exchange between bubbles and fluid moves the same f64 amount from one
    // to the other, and perfusion's change is summed as it is applied; what remains is
    // the rounding of ~1e4 steps of sums of numbers of the size of the total, ≲ 1e-12.
    assert!(
        b.closure_relative_max < 1e-10,
        "budget misses by {:e} (relative)",
        b.closure_relative_max
    );
    assert!(b.closure_relative.abs() < 1e-10, "{:e}", b.closure_relative);
    // The perfusion exchange is what the budget closes with: far above the closure.
    assert!(
        b.perfusion_exchange_total_mol.abs() > 1e-6 * b.initial_total_mol,
        "{:e} of {:e}",
        b.perfusion_exchange_total_mol,
        b.initial_total_mol
    );
    let net = b.bubbles_total_mol + b.dissolved_total_mol - b.initial_total_mol;
    assert!(((net - b.perfusion_exchange_total_mol) / b.initial_total_mol).abs() < 1e-10);
}

/// The residual cavity at the end of the default run (release plus 10 s) is reported with
/// its predicted time to dissolve, and perfusion prolongs it. In a closed joint the fluid
/// that gave the cavity its gas is short of exactly that gas, and takes it back; perfusion
/// refills the fluid from the blood towards the tissue tensions, so the cavity can only
/// dissolve against the tissue's small undersaturation (their tensions sum to 89 kPa
/// against ~101 kPa in the cavity) and lasts longer.
#[test]
fn perfusion_refills_the_fluid_and_prolongs_the_residual_cavity() {
    let with = run("mcp-traction.toml", &[]);
    assert!(with.residual_cavity_mm3 > 0.0);
    let t_with = with
        .residual_dissolution_time_s
        .expect("the residual cavity dissolves within the horizon");
    let closed = run("mcp-traction.toml", &["fluid.perfusion_time_s=1e7"]);
    let t_closed = closed
        .residual_dissolution_time_s
        .expect("the closed joint's cavity dissolves within the horizon");
    // Both positive and finite; the difference is far above the prediction's resolution
    // (its steps are at most min(τ/50, 60 s)).
    assert!(
        t_closed > 0.0 && t_with > t_closed + 120.0,
        "with perfusion {t_with} s, closed {t_closed} s"
    );
    eprintln!(
        "residual cavity {:.4} mm³ dissolves in {t_with:.0} s with perfusion (τ = 600 s), \
         {t_closed:.0} s in a closed joint",
        with.residual_cavity_mm3
    );
}

/// The cavity a crack leaves holds the articular surfaces apart: after the release, the
/// cavitated joint's gap exceeds that of the control run without nuclei
/// (`nuclei.enabled=false`, which never cavitates), and the control returns to its rest
/// gap (the capsule and ligaments are elastic).
#[test]
fn the_residual_cavity_holds_the_joint_open_after_release() {
    let cavitated = run("mcp-traction.toml", DEFAULT_SHORT);
    let mut off = DEFAULT_SHORT.to_vec();
    off.push("nuclei.enabled=false");
    let control = run("mcp-traction.toml", &off);
    assert!(cavitated.crack && !control.crack);
    assert_eq!(control.nuclei_count, 0);
    assert_eq!(control.cavity_volume_peak_mm3, 0.0);
    assert!(cavitated.residual_cavity_mm3 > 0.0);
    // The fluid is incompressible and the capsule holds `V_f + V_cavity`: the cavity's
    // volume is shared between the capsule's bulge and the gap, and the pressure that
    // holds it pushes the surfaces apart: the gap is wider.
    let wider = cavitated.gap_after_release_mm - control.gap_after_release_mm;
    assert!(
        wider > 0.0,
        "cavitated {} mm, control {} mm",
        cavitated.gap_after_release_mm,
        control.gap_after_release_mm
    );
    // 1e-6 mm (1 nm, ~1e-5 of the gap): with nothing to keep, the control's end state is
    // the rest state again, reached by the implicit gap dynamics and the FE Newton to their
    // tolerances.
    assert!(
        (control.gap_after_release_mm - control.gap_at_rest_mm).abs() < 1e-6,
        "control {} mm after release, {} mm at rest",
        control.gap_after_release_mm,
        control.gap_at_rest_mm
    );
    eprintln!(
        "gap after release: cavitated {:.6} mm, control {:.6} mm (+{:.3e} mm); residual \
         cavity {:.4} mm³",
        cavitated.gap_after_release_mm,
        control.gap_after_release_mm,
        wider,
        cavitated.residual_cavity_mm3
    );
}

/// The budget also closes through the refractory protocol, whose bisection restores the
/// state at the release for every wait it tries (the perfusion exchange is restored with
/// it). Waits kept short for the test's time: one trial and the final run.
#[test]
fn gas_budget_closes_through_the_refractory_bisection() {
    let s = run(
        "mcp-refractory.toml",
        &[
            "refractory.min_wait_s=10.0",
            "refractory.max_wait_s=60.0",
            "refractory.tolerance_s=50.0",
        ],
    );
    assert!(s.crack);
    let trials = s.refractory.as_ref().map_or(0, |r| r.trials.len());
    assert!(trials >= 1, "{:?}", s.refractory);
    let b = &s.gas_budget;
    // 1e-10 as for the default run (rounding of ~1e4 steps' exchanges).
    assert!(
        b.closure_relative_max < 1e-10,
        "budget misses by {:e} (relative)",
        b.closure_relative_max
    );
    assert!(b.perfusion_exchange_total_mol.abs() > 1e-6 * b.initial_total_mol);
}
