//! The crack (issue 4 must-shows): the coupled joint, capsule and bubble field, run from the
//! scenario files in `configs/` with `--set`-style overrides.

use cavitas_solver::analysis::reference::blake_threshold;
use cavitas_solver::bubbles::backend::BubbleBackend;
use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::bubbles::species::GasSpecies;
use cavitas_solver::config::{ConfigDocument, ConfigOrigin};
use cavitas_solver::coupling::crack_events::CrackEventKind;
use cavitas_solver::coupling::refractory::find_refractory_period;
use cavitas_solver::coupling::{CrackRun, CrackScenario, CrackSummary};
use cavitas_solver::gpu::{GpuBubbleBackend, adapter_for_tests};

fn config(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("configs")
        .join(rel)
}

fn scenario(rel: &str, overrides: &[&str]) -> (CrackScenario, ConfigOrigin) {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let doc = ConfigDocument::load(Some(&config(rel)), ("unused", ""), &overrides).unwrap();
    let s: CrackScenario = doc.parse().unwrap();
    s.check(doc.origin()).unwrap();
    (s, doc.origin().clone())
}

fn run_with(rel: &str, overrides: &[&str], backend: Box<dyn BubbleBackend>) -> CrackSummary {
    let (s, origin) = scenario(rel, overrides);
    let refractory = s.refractory;
    let mut run = CrackRun::new(s, &origin, backend).unwrap();
    let outcome = match refractory {
        Some(settings) => Some(find_refractory_period(&mut run, settings, |_| {}).unwrap()),
        None => {
            run.run_to_end(|_| {}).unwrap();
            None
        }
    };
    let sound = run.recorder().analyse();
    CrackSummary::new(&mut run, &sound, outcome).unwrap()
}

fn run(rel: &str, overrides: &[&str]) -> CrackSummary {
    let (s, _) = scenario(rel, overrides);
    run_with(
        rel,
        overrides,
        Box::new(CpuBackend::<f64>::new(&s.tolerances, 1)),
    )
}

fn first_time(s: &CrackSummary, kind: CrackEventKind) -> f64 {
    s.events
        .iter()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} event in {:?}", s.events))
        .time_s
}

/// Must-show 1: the default run creeps into tension, cavitates, jumps within milliseconds,
/// pops, and the cavity outlives the traction.
#[test]
fn default_traction_cracks_pops_and_leaves_a_cavity() {
    let s = run("mcp-traction.toml", &[]);
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
    // A pop is emitted (audible: well above 40 dB at 10 cm) ...
    assert!(s.spl_db[1].unwrap() > 40.0, "{:?}", s.spl_db);
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
    // and inertia add little at these rates).
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

/// Must-show 4: halving every tolerance (coupling and bubble integrator) moves the crack
/// time, the gap after it and the SPL by < 1 %, and the dominant frequency by < 2 %.
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
    assert!(rel(ta, tb) < 0.01 && rel(ga, gb) < 0.01 && rel(sa, sb) < 0.01);
    assert!(rel(fa, fb) < 0.02);
}

/// Must-show 5: the refractory protocol returns a period, and the gas the crack releases
/// is CO2-dominated from the solubility physics alone (nuclei and dissolved gas start in
/// proportion to the tissue tensions, 9 % CO2 by pressure).
#[test]
fn refractory_protocol_returns_a_period_with_co2_rich_gas() {
    let s = run("mcp-refractory.toml", &["refractory.tolerance_s=2000.0"]);
    eprintln!("{:?}", s.refractory);
    let period = s.refractory_period_s.expect("a refractory period");
    assert!(period > 10.0 && period <= 14400.0);
    let c = s.gas_composition.unwrap();
    let (co2, n2) = (c[GasSpecies::Co2], c[GasSpecies::N2]);
    assert!(co2 > 0.5 && co2 > n2, "{c:?}");
    assert!(s.events.iter().any(|e| e.kind == CrackEventKind::ReCrack));
}

/// Must-show 6: the GPU backend (f32) gives the crack time and the gap jump of the CPU
/// backend (f64) within 1 %.
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
    assert!((gpu.t_crack_s.unwrap() / cpu.t_crack_s.unwrap() - 1.0).abs() < 0.01);
    assert!((jump(&gpu) / jump(&cpu) - 1.0).abs() < 0.01);
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
