//! The crack (issue 4 must-shows): the coupled joint, capsule and bubble field, run from the
//! scenario files in `configs/` with `--set`-style overrides.

use cavitas_solver::analysis::reference::blake_threshold;
use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::bubbles::species::GasSpecies;
use cavitas_solver::config::ConfigDocument;
use cavitas_solver::coupling::crack_events::CrackEventKind;
use cavitas_solver::coupling::{CrackRun, CrackScenario, CrackSummary};
use cavitas_solver::gpu::{GpuBubbleBackend, adapter_for_tests};

mod common;

use common::{
    config_path as config, crack_scenario as scenario, run_crack as run_with, run_crack_cpu as run,
};

fn first_time(s: &CrackSummary, kind: CrackEventKind) -> f64 {
    s.events
        .iter()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} event in {:?}", s.events))
        .time_s
}

/// What the physics of one crack decides, independent of when the slow ramp happens to reach
/// it: the onset-to-jump interval (s), the fluid pressure at onset (Pa), the peak cavity
/// radius (m, of a sphere holding the peak cavity volume) and the gap jump (mm).
fn crack_physics(s: &CrackSummary) -> [f64; 4] {
    let onset = first_time(s, CrackEventKind::CavitationOnset);
    let jump = first_time(s, CrackEventKind::GapJump);
    let volume_m3 = s.cavity_volume_peak_mm3 * 1e-9;
    [
        jump - onset,
        s.onset_pressure_pa.unwrap(),
        (3.0 * volume_m3 / (4.0 * std::f64::consts::PI)).cbrt(),
        s.gap_after_mm.unwrap() - s.gap_before_mm.unwrap(),
    ]
}

const CRACK_PHYSICS: [&str; 4] = [
    "onset-to-jump interval",
    "onset pressure",
    "peak cavity radius",
    "gap jump",
];

/// Must-show 1: the default run creeps into tension, cavitates, jumps within milliseconds,
/// pops, and the cavity outlives the traction.
#[test]
fn default_traction_cracks_pops_and_leaves_a_cavity() {
    let (sc, origin) = scenario("mcp-traction.toml", &[]);
    let backend = Box::new(CpuBackend::<f64>::new(&sc.tolerances, 1));
    let mut crack = CrackRun::new(sc, &origin, backend).unwrap();
    crack.run_to_end(|_| {}).unwrap();
    let sound = crack.recorder().analyse();
    let s = CrackSummary::new(&mut crack, &sound, None).unwrap();
    // The loudness recomputed here from the stored volume accelerations: at each listener
    // the air pressure is `Σ_i ρ_air V''_i(t − r_i/c) / (4π r_i)` over the sources, and as
    // each `V''_i` is linear between its kept samples, the sum's extremes lie at the
    // retarded sample times, all of which are visited.
    let recorder = crack.recorder();
    let tracks: Vec<_> = (0..recorder.source_count())
        .map(|i| recorder.track(i))
        .collect();
    for (l, listener) in recorder.listener_positions_m().iter().enumerate() {
        let distance = |x: [f64; 3]| {
            ((x[0] - listener[0]).powi(2)
                + (x[1] - listener[1]).powi(2)
                + (x[2] - listener[2]).powi(2))
            .sqrt()
        };
        let pressure = |t: f64| -> f64 {
            tracks
                .iter()
                .map(|tr| {
                    let r = distance(tr.position_m);
                    sound.air.monopole_gain(r) * tr.acceleration_at(t - sound.air.delay_s(r))
                })
                .sum()
        };
        let mut peak = 0.0f64;
        for tr in &tracks {
            let delay = sound.air.delay_s(distance(tr.position_m));
            for point in &tr.points {
                peak = peak.max(pressure(point.time_s + delay).abs());
            }
        }
        let recomputed_db = 20.0 * (peak / 20e-6).log10();
        let reported_db = s.spl_db[l].unwrap();
        eprintln!(
            "listener {l}: peak {peak:e} Pa (reported {:e} Pa), {recomputed_db:.3} dB vs reported {reported_db:.3} dB",
            s.peak_pressure_air_pa[l]
        );
        // The reported peak pressure is the same sum (measured: 1.4e-5 apart, where it is
        // sampled); the reported SPL is what a 44.1 kHz microphone records, band-limited
        // below the spikes of the raw sum (measured: 0.08 dB quieter at both listeners).
        assert!(
            (s.peak_pressure_air_pa[l] / peak - 1.0).abs() < 1e-4,
            "listener {l}: peak {} Pa vs recomputed {peak} Pa",
            s.peak_pressure_air_pa[l]
        );
        assert!(
            (reported_db - recomputed_db).abs() < 0.5,
            "listener {l}: SPL {reported_db} dB vs recomputed {recomputed_db} dB"
        );
    }
    eprintln!("{}", serde_json::to_string_pretty(&s).unwrap());
    assert!(s.crack);
    assert!(s.min_pressure_pa < 0.0, "the fluid goes into tension");
    // Cavitation starts where Blake's analytic threshold of the largest nucleus says.
    let (sc, _) = scenario("mcp-traction.toml", &[]);
    let liquid = &sc.fluid.liquid;
    let (_, blake_pa) = blake_threshold(
        sc.nuclei.largest_radius_m(0),
        s.rest_pressure_pa,
        liquid.surface_tension_n_m,
        liquid.vapour_pressure_pa,
    );
    let onset_pa = s.onset_pressure_pa.unwrap();
    eprintln!("onset {onset_pa} Pa, Blake {blake_pa} Pa");
    // Located to coupling.event_pressure_tolerance_pa (2 Pa); the analytic threshold is for
    // an ideal gas, and the van der Waals co-volume of the nucleus gas (b p_g / R T ~ 1e-3
    // of its volume) moves it by about that fraction of p_v − p_B (13 kPa): 13 Pa here;
    // with `bubbles.hard_core=false` the onset is 1.0 Pa from the analytic value.
    let allowed = 2.0 + 1.5e-3 * (liquid.vapour_pressure_pa - blake_pa);
    assert!(
        (onset_pa - blake_pa).abs() < allowed,
        "{onset_pa} vs {blake_pa} ± {allowed}"
    );
    let onset = first_time(&s, CrackEventKind::CavitationOnset);
    let cavitation = first_time(&s, CrackEventKind::Cavitation);
    let jump = first_time(&s, CrackEventKind::GapJump);
    let sound = first_time(&s, CrackEventKind::PeakSound);
    assert!(
        onset < cavitation && cavitation < jump && jump < sound,
        "{:?}",
        s.events
    );
    // The jump follows the onset within milliseconds (one cine-MRI frame is 312 ms).
    assert!(jump - onset < 0.01, "jump {jump} onset {onset}");
    assert!(s.gap_after_mm.unwrap() > s.gap_before_mm.unwrap() + 0.02);
    // A pop is emitted (its SPL checked against the volume accelerations above) ...
    assert!(s.dominant_frequency_hz.is_some() && s.pop_duration_ms.is_some());
    // ... and the cavity persists after the release (the run ends at rest).
    assert!(s.residual_cavity_mm3 > 0.0);
    assert!(s.events.iter().all(|e| e.kind != CrackEventKind::ReCrack));
}

/// Must-shows 2 and 3: a slower traction still cracks, conserving fluid volume and gas
/// (perfusion off); below a threshold traction there is neither crack nor sound.
#[test]
fn slow_traction_cracks_and_weak_traction_does_not() {
    let closed = ["fluid.perfusion_time_s=1e7"]; // τ = 1e7 s: a 2 ppm sink over the run
    let mut slow = closed.to_vec();
    slow.extend(["loading.ramp_s=40.0", "loading.wait_s=2.0"]);
    let s = run("mcp-traction.toml", &slow);
    assert!(s.crack, "slower traction cracks");
    // The crack force is a property of the joint, not of the rate (within 2 %: the film
    // and inertia add little at these rates). REGRESSION PIN: 32.7 N is the default
    // traction's crack force as run at commit 8f40fa1 (2026-11-21), not an independent
    // value; a deliberate change of the joint, capsule or nuclei moves it and must update it.
    assert!(
        (s.force_at_crack_n.unwrap() / 32.7 - 1.0).abs() < 0.02,
        "{:?}",
        s.force_at_crack_n
    );
    // Conservation through the crack: the capsule holds V_f + V_gas to the closure
    // tolerance (0.05 Pa × compliance ≲ 1e-13 m³, i.e. ~1e-6 of V_f), and the gas lost to a
    // perfusion time of 1e7 s over ~90 s is < 1e-5; without any sink the bubble–liquid
    // exchange conserves moles to rounding.
    assert!(
        s.fluid_volume_max_relative_error < 1e-5,
        "{}",
        s.fluid_volume_max_relative_error
    );
    assert!(
        s.gas_budget.net_change_relative.abs() < 2e-5,
        "{}",
        s.gas_budget.net_change_relative
    );

    let mut weak = closed.to_vec();
    weak.extend([
        "loading.peak_force_n=25.0",
        "loading.ramp_s=12.5",
        "loading.wait_s=1.0",
    ]);
    let w = run("mcp-traction.toml", &weak);
    assert!(!w.crack);
    assert!(
        w.min_pressure_pa > 0.0,
        "25 N leaves the fluid above zero: {}",
        w.min_pressure_pa
    );
    assert!(
        w.activated_count == 0 && w.spl_db.iter().all(Option::is_none),
        "{:?}",
        w.spl_db
    );
    assert!(w.peak_pressure_air_pa.iter().all(|p| *p == 0.0));
}

/// Must-show 4: halving every tolerance (coupling and bubble integrator) barely moves what
/// the physics of the crack decides. Measured (the difference is the error of the looser
/// run): onset-to-jump interval 7.7e-4 (of 1.47 ms), onset pressure 0.5 Pa (located to
/// `event_pressure_tolerance_pa` = 2 Pa, then 1 Pa), peak cavity radius 5.7e-6, gap jump
/// 1.2e-2 (of 0.083 mm; the settled gap after it moves 1.3e-3), crack time 4e-6 (65 µs in
/// 16.3 s: less than the 1.5 ms the crack takes), SPL 0.46 dB, dominant frequency 6.6e-3.
/// Bounds are about 4x those; the crack time was compared at 1 % (160 ms) before.
#[test]
fn crack_figures_converge_with_tolerances() {
    let short = ["loading.wait_s=1.0"];
    let a = run("mcp-traction.toml", &short);
    let mut tight = short.to_vec();
    tight.extend([
        "coupling.pressure_step_pa=250.0",
        "coupling.volume_step_fraction=0.025",
        "coupling.gap_error_m=1e-7",
        "coupling.load_step_n=0.25",
        "coupling.closure_tolerance_pa=0.025",
        "coupling.event_pressure_tolerance_pa=1.0",
        "coupling.settle_tolerance=5e-5",
        "tolerances.relative=5e-7",
        "tolerances.absolute=5e-10",
    ]);
    let b = run("mcp-traction.toml", &tight);
    let rel = |x: f64, y: f64| (x / y - 1.0).abs();
    let (ta, tb) = (a.t_crack_s.unwrap(), b.t_crack_s.unwrap());
    let (ga, gb) = (a.gap_after_mm.unwrap(), b.gap_after_mm.unwrap());
    let (sa, sb) = (a.spl_db[1].unwrap(), b.spl_db[1].unwrap());
    let (fa, fb) = (
        a.dominant_frequency_hz.unwrap(),
        b.dominant_frequency_hz.unwrap(),
    );
    eprintln!("t_crack {ta} {tb}; gap_after {ga} {gb}; spl {sa} {sb}; f {fa} {fb}");
    let (pa, pb) = (crack_physics(&a), crack_physics(&b));
    for k in 0..4 {
        eprintln!(
            "tolerance convergence, {}: {:e} vs {:e} ({:.2e})",
            CRACK_PHYSICS[k],
            pa[k],
            pb[k],
            rel(pa[k], pb[k])
        );
    }
    assert!(rel(pa[0], pb[0]) < 3e-3, "onset-to-jump interval");
    assert!(
        (pa[1] - pb[1]).abs() < 2.0,
        "onset pressure within the event tolerance"
    );
    assert!(rel(pa[2], pb[2]) < 2.5e-5, "peak cavity radius");
    assert!(rel(pa[3], pb[3]) < 5e-2, "gap jump");
    assert!(
        rel(ta, tb) < 2e-5 && rel(ga, gb) < 5e-3,
        "crack time and gap after"
    );
    assert!(
        (sa - sb).abs() < 2.0 && rel(fa, fb) < 0.025,
        "SPL and frequency"
    );
}

/// Must-show 5: the refractory protocol returns a period that two direct pulls confirm, and
/// the gas the crack releases
/// is CO2-dominated from the solubility physics alone (nuclei and dissolved gas start in
/// proportion to the tissue tensions, 9 % CO2 by pressure).
#[test]
fn refractory_protocol_returns_a_period_with_co2_rich_gas() {
    let s = run("mcp-refractory.toml", &["refractory.tolerance_s=2000.0"]);
    eprintln!("{:?}", s.refractory);
    let period = s.refractory_period_s.expect("a refractory period");
    assert!(period > 10.0 && period <= 14400.0);
    // Two direct pulls, outside the bisection: the plain repeated-pulls protocol of the same
    // joint (mcp-traction.toml loaded as mcp-refractory.toml loads it) with the wait set just
    // below the period (the longest wait the bisection saw fail, within its 2000 s
    // tolerance) and at the period. Only the second re-cracks.
    let trials = &s.refractory.as_ref().unwrap().trials;
    let below = trials
        .iter()
        .filter(|t| !t.recracked)
        .map(|t| t.wait_s)
        .fold(0.0, f64::max);
    assert!(
        below < period && period - below <= 2000.0,
        "{below} {period}"
    );
    let pulls = |wait: f64| {
        let wait = format!("loading.wait_s={wait}");
        run(
            "mcp-traction.toml",
            &[
                "loading.peak_force_n=35.0",
                "loading.ramp_s=17.5",
                "loading.hold_s=0.0",
                "loading.pulls=2",
                &wait,
            ],
        )
    };
    let recracks = |s: &CrackSummary| s.events.iter().any(|e| e.kind == CrackEventKind::ReCrack);
    let (short, long) = (pulls(below), pulls(period));
    assert!(short.crack && long.crack, "the first pull cracks");
    assert!(!recracks(&short), "a wait of {below} s re-cracked");
    assert!(recracks(&long), "a wait of {period} s did not re-crack");
    let c = s.gas_composition.unwrap();
    let (co2, n2) = (c[GasSpecies::Co2], c[GasSpecies::N2]);
    assert!(co2 > 0.5 && co2 > n2, "{c:?}");
    assert!(s.events.iter().any(|e| e.kind == CrackEventKind::ReCrack));
}

/// Must-show 6: the GPU backend (f32) cracks as the CPU backend (f64) does, compared on
/// what the bubble dynamics decide. Measured on llvmpipe: onset-to-jump interval 2.0e-7 (of
/// 1.47 ms), peak cavity radius 3.2e-6, gap jump 8.6e-4, crack time 1.8e-11 (0.3 ns in
/// 16.3 s); the onset pressure is identical (the nuclei are still quasi-static equilibrium
/// bubbles when it is located, to the 2 Pa event tolerance). Bounds are ~5x those; the crack
/// time was compared at 1 % (160 ms, 100 times the crack's duration) before, which a GPU
/// whose growth was 10x too slow would have passed.
#[test]
fn gpu_and_cpu_backends_crack_alike() {
    let Some(ctx) = adapter_for_tests("gpu_and_cpu_backends_crack_alike") else {
        return;
    };
    let short = ["loading.wait_s=0.5"];
    let (s, _) = scenario("mcp-traction.toml", &short);
    let gpu = run_with(
        "mcp-traction.toml",
        &short,
        Box::new(GpuBubbleBackend::new(ctx, &s.tolerances)),
    );
    let cpu = run("mcp-traction.toml", &short);
    let jump = |s: &CrackSummary| s.gap_after_mm.unwrap() - s.gap_before_mm.unwrap();
    eprintln!(
        "gpu {:?} {}, cpu {:?} {}",
        gpu.t_crack_s,
        jump(&gpu),
        cpu.t_crack_s,
        jump(&cpu)
    );
    let (pg, pc) = (crack_physics(&gpu), crack_physics(&cpu));
    let rel = |x: f64, y: f64| (x / y - 1.0).abs();
    for k in 0..4 {
        eprintln!(
            "GPU vs CPU, {}: {:e} vs {:e} ({:.2e})",
            CRACK_PHYSICS[k],
            pg[k],
            pc[k],
            rel(pg[k], pc[k])
        );
    }
    assert!(rel(pg[0], pc[0]) < 1e-6, "onset-to-jump interval");
    assert!(
        (pg[1] - pc[1]).abs() < 2.0,
        "onset pressure within the event tolerance"
    );
    assert!(rel(pg[2], pc[2]) < 1.5e-5, "peak cavity radius");
    assert!(rel(pg[3], pc[3]) < 4e-3, "gap jump");
    assert!(
        rel(gpu.t_crack_s.unwrap(), cpu.t_crack_s.unwrap()) < 1e-10,
        "crack time"
    );
}

/// Must-show 7: a clinical thrust (400 N, 100 ms) gaps the facet and cavitates, and at
/// equal peak force faster thrusts cavitate at least as readily: over three rates the
/// tension reached grows with the rate and a slower thrust never cracks when a faster
/// one does not.
#[test]
fn facet_thrust_cavitates_and_faster_is_at_least_as_ready() {
    let runs: Vec<CrackSummary> = ["0.05", "0.1", "0.2"]
        .iter()
        .map(|d| {
            run(
                "facet-hvla.toml",
                &[&format!("loading.pulse.duration_s={d}")],
            )
        })
        .collect();
    for (d, s) in ["50 ms", "100 ms", "200 ms"].iter().zip(&runs) {
        eprintln!(
            "{d}: crack {} min pressure {:.0} Pa",
            s.crack, s.min_pressure_pa
        );
    }
    assert!(runs[1].crack, "the clinical 100 ms thrust cracks");
    assert!(runs[1].gap_after_mm.unwrap() > runs[1].gap_before_mm.unwrap());
    for pair in runs.windows(2) {
        assert!(pair[0].crack >= pair[1].crack);
        assert!(pair[0].min_pressure_pa <= pair[1].min_pressure_pa);
    }
}

/// Tribonucleation: with `[tribonucleation]` on, a nucleus is made at the contact centre
/// once, when the cartilage contact unloads while the joint opens (at 0.30 s of the default
/// traction, long before the crack), and the run goes on to crack as before (the made 2 µm
/// nucleus, holding gas at the dissolved tensions, is below its equilibrium and does not
/// set the onset). Without it no nucleus is made.
#[test]
fn tribonucleation_makes_a_nucleus_when_the_contact_unloads() {
    let short = ["loading.wait_s=1.0"];
    let off = run("mcp-traction.toml", &short);
    assert_eq!(off.tribonucleated_count, 0);
    assert!(
        off.events
            .iter()
            .all(|e| e.kind != CrackEventKind::Tribonucleation)
    );
    let on = run(
        "mcp-traction.toml",
        &[
            short[0],
            "tribonucleation.enabled=true",
            "tribonucleation.radius_m=2e-6",
        ],
    );
    assert_eq!(on.tribonucleated_count, 1);
    let made: Vec<_> = on
        .events
        .iter()
        .filter(|e| e.kind == CrackEventKind::Tribonucleation)
        .collect();
    assert_eq!(made.len(), 1, "{:?}", on.events);
    let rest_gap = 0.2e-3; // capsule.geometry.gap_m of mcp-traction.toml
    let event = made[0];
    assert!(on.crack && event.time_s < on.t_crack_s.unwrap());
    assert!(event.time_s > 0.0 && event.gap_m > rest_gap, "{event:?}");
    // The drawn population is the same; the made nucleus is counted apart.
    assert_eq!(on.nuclei_count, off.nuclei_count);
}

/// Found while writing the test above: with the default nucleus radius (5 µm) the default
/// traction fails at 0.30 s, when the nucleus is made ("the macro step fell below
/// coupling.min_step_s"). Kept, ignored, until that is fixed.
#[test]
#[ignore = "fails: the macro step underflows when a 5 um tribonucleus is made (TESTING.md)"]
fn tribonucleation_with_the_default_radius_runs() {
    let s = run(
        "mcp-traction.toml",
        &["loading.wait_s=1.0", "tribonucleation.enabled=true"],
    );
    assert!(s.crack && s.tribonucleated_count == 1);
}

/// The displacement-ramp protocol: the MCP joint of mcp-traction.toml opened at 0.5 mm/s
/// from its 0.2 mm resting gap instead of pulled by a force. The gap is prescribed, so at
/// the cavitation onset it is `0.2 mm + rate × t` (to rounding; bound 1e-9); the onset comes
/// at the same gap and tension as under the default force ramp, which reaches them
/// quasi-statically (measured: 8.6e-8 apart in gap, bound 5e-7; 0.04 Pa in pressure, both
/// located to the 2 Pa event tolerance, bound 2 Pa); there is no gap jump (no crack, the gap
/// cannot jump), but the growing cavity relieves the tension and the force holding the
/// gap falls (32.7 N to 27.1 N at the peak of the sound).
#[test]
fn displacement_ramp_cavitates_at_the_gap_the_force_ramp_does() {
    let text = std::fs::read_to_string(config("mcp-traction.toml")).unwrap();
    let start = text.find("\n[loading]").unwrap() + 1;
    let end = start
        + 1
        + text[start + 1..]
            .find("\n[")
            .expect("a section after [loading]");
    let (rate, rest_gap) = (5e-4, 0.2e-3);
    let text = format!(
        "{}[loading]\nprotocol = \"displacement_ramp\"\nrate_m_per_s = {rate:e}\n\
         max_opening_m = 0.5e-3\nhold_s = 0.01\n{}",
        &text[..start],
        &text[end..]
    );
    let dir = std::env::temp_dir().join(format!("cavitas-disp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mcp-displacement.toml");
    std::fs::write(&path, text).unwrap();
    let doc = ConfigDocument::load(Some(&path), ("unused", ""), &[]).unwrap();
    let sc: CrackScenario = doc.parse().unwrap();
    sc.check(doc.origin()).unwrap();
    let backend = Box::new(CpuBackend::<f64>::new(&sc.tolerances, 1));
    let mut crack = CrackRun::new(sc, doc.origin(), backend).unwrap();
    crack.run_to_end(|_| {}).unwrap();
    let sound = crack.recorder().analyse();
    let s = CrackSummary::new(&mut crack, &sound, None).unwrap();
    let event = |s: &CrackSummary, kind: CrackEventKind| {
        s.events
            .iter()
            .find(|e| e.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} in {:?}", s.events))
            .clone()
    };
    let onset = event(&s, CrackEventKind::CavitationOnset);
    let prescribed = rest_gap + rate * onset.time_s;
    assert!(
        (onset.gap_m / prescribed - 1.0).abs() < 1e-9,
        "{} vs {prescribed}",
        onset.gap_m
    );
    let forced = run("mcp-traction.toml", &["loading.wait_s=1.0"]);
    let forced_onset = event(&forced, CrackEventKind::CavitationOnset);
    eprintln!(
        "onset gap {} vs {} m, pressure {} vs {} Pa",
        onset.gap_m, forced_onset.gap_m, onset.pressure_pa, forced_onset.pressure_pa
    );
    assert!((onset.gap_m / forced_onset.gap_m - 1.0).abs() < 5e-7);
    assert!((onset.pressure_pa - forced_onset.pressure_pa).abs() < 2.0);
    assert!(!s.crack);
    assert!(s.events.iter().all(|e| e.kind != CrackEventKind::GapJump));
    let peak = event(&s, CrackEventKind::PeakSound);
    assert!(
        peak.force_n < 0.9 * onset.force_n,
        "{} -> {}",
        onset.force_n,
        peak.force_n
    );
}

/// The tabulated thrust, on its success path: the clinical facet thrust (20 N preload, a
/// 400 N half-sine of 100 ms) given as a CSV of 401 rows sampling the same half-sine runs
/// as the analytic pulse does. Linear interpolation between rows misses the sine by at most
/// `(π/400)²/8` = 7.7e-6 of the 380 N swing (3 mN), so the two runs agree on what the
/// physics decides. Measured: both crack; the onset pressure identical (located to the
/// 2 Pa event tolerance; bound 2 Pa); the onset 7 µs apart (the 2 Pa tolerance at the
/// ~3e5 Pa/s the pressure falls there, and the table's rows as step corners; bound 30 µs);
/// the gap after 7.1e-5 apart (bound 3e-4). Not compared: the lowest pressure of the run,
/// a post-crack trough that moved 2.4 % (248 Pa) with the step sequence (TESTING.md).
#[test]
fn tabulated_thrust_runs_as_the_half_sine_it_samples() {
    let analytic = run("facet-hvla.toml", &[]);
    let text = std::fs::read_to_string(config("facet-hvla.toml")).unwrap();
    let start = text.find("\n[loading.pulse]").unwrap() + 1;
    let end = start + 1 + text[start + 1..].find("\n[").unwrap();
    let dir = std::env::temp_dir().join(format!("cavitas-tabulated-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut csv = String::from("time_s,force_n\n");
    for i in 0..=400 {
        let tau = 0.1 * f64::from(i) / 400.0;
        let force = 20.0 + 380.0 * (std::f64::consts::PI * tau / 0.1).sin();
        csv.push_str(&format!("{tau:e},{force:e}\n"));
    }
    std::fs::write(dir.join("pulse.csv"), csv).unwrap();
    let toml = format!(
        "{}[loading.pulse]\nshape = \"tabulated\"\nfile = \"pulse.csv\"\n{}",
        &text[..start],
        &text[end..]
    );
    let path = dir.join("facet-tabulated.toml");
    std::fs::write(&path, toml).unwrap();
    let doc = ConfigDocument::load(Some(&path), ("unused", ""), &[]).unwrap();
    let sc: CrackScenario = doc.parse().unwrap();
    sc.check(doc.origin()).unwrap();
    let backend = Box::new(CpuBackend::<f64>::new(&sc.tolerances, 1));
    let mut crack = CrackRun::new(sc, doc.origin(), backend).unwrap();
    crack.run_to_end(|_| {}).unwrap();
    let sound = crack.recorder().analyse();
    let tabulated = CrackSummary::new(&mut crack, &sound, None).unwrap();
    let (t, h) = (&tabulated, &analytic);
    eprintln!(
        "tabulated vs half-sine: crack {} {}; onset {:?} {:?} s at {:?} {:?} Pa; gap after {:?} {:?} mm; min pressure {} {} Pa",
        t.crack,
        h.crack,
        t.cavitation_onset_s,
        h.cavitation_onset_s,
        t.onset_pressure_pa,
        h.onset_pressure_pa,
        t.gap_after_mm,
        h.gap_after_mm,
        t.min_pressure_pa,
        h.min_pressure_pa,
    );
    assert_eq!(t.crack, h.crack);
    let (to, ho) = (t.cavitation_onset_s.unwrap(), h.cavitation_onset_s.unwrap());
    assert!((to - ho).abs() < 3e-5, "onset {to} vs {ho} s");
    let (tp, hp) = (t.onset_pressure_pa.unwrap(), h.onset_pressure_pa.unwrap());
    assert!((tp - hp).abs() < 2.0, "onset pressure {tp} vs {hp} Pa");
    let (tg, hg) = (t.gap_after_mm.unwrap(), h.gap_after_mm.unwrap());
    assert!((tg / hg - 1.0).abs() < 3e-4, "gap after {tg} vs {hg} mm");
}
