//! The capsule presets and the joint: the facet injection check (must-show 5), the slow MCP
//! traction (must-show 6), and bad input (must-show 7).

use cavitas_solver::config::{ConfigDocument, ConfigError, ConfigOrigin, Validate, Validator};
use cavitas_solver::fem::capsule_config::CapsuleConfig;
use cavitas_solver::fem::capsule_injection::inject_fluid;
use cavitas_solver::fem::capsule_solver::{NewtonReport, step_load_path};
use cavitas_solver::fem::meridian_mesh::MeshError;
use cavitas_solver::fem::*;
use cavitas_solver::joint::{JointConfig, LoadingProtocol, QuasiStaticTraction};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct CapsuleDoc {
    capsule: CapsuleConfig,
}

#[derive(Debug, Deserialize)]
struct JointDoc {
    capsule: CapsuleConfig,
    joint: JointConfig,
    loading: LoadingProtocol,
}

impl Validate for CapsuleDoc {
    fn validate(&self, v: &mut Validator<'_>) {
        v.nested("capsule", &self.capsule);
    }
}

fn config_path(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("configs")
        .join(rel)
}

fn load<T: serde::de::DeserializeOwned>(rel: &str, overrides: &[String]) -> (ConfigDocument, T) {
    let doc = ConfigDocument::load(Some(&config_path(rel)), ("unused", ""), overrides).unwrap();
    let parsed = doc.parse().unwrap();
    (doc, parsed)
}

/// Must-show 5 (partly met): 0.3 mL injected into the facet preset gives a joint pressure in
/// the published in-situ range 15–40 kPa. The material comes from the fit to the tangent
/// moduli (validation/little-khalsa-2005), not from this target. The published local peak
/// first principal strains are 25–50 %; this axisymmetric capsule reaches 19.4 %
/// (engineering, from the in-situ state; 20.9 % as Green–Lagrange), which is BELOW that range:
/// the README there explains why (the strain is nearly uniform round and along an
/// axisymmetric capsule, while the measured values are local peaks), and shows that no
/// anatomically pinned geometry puts both numbers in range. So the strain is asserted only
/// as what the model can be held to: a stretch of the published order (> 10 %, which a wrong
/// unit or a wrong volume would fail) whose largest component is bone-to-bone (meridional),
/// the direction the in-situ study reports; a capsule with no redundancy stretches most in
/// the hoop direction and would fail that.
#[test]
fn facet_injection_of_0_3_ml_gives_the_published_pressure() {
    let (_, doc): (_, CapsuleDoc) = load("capsule/facet.toml", &[]);
    let model = doc.capsule.build_model().unwrap();
    let r = inject_fluid(model, doc.capsule.solver.newton(), 0.3e-6, 30, 6).unwrap();
    eprintln!(
        "facet: rest {:.3} mL at {:.0} Pa; +0.3 mL -> {:.0} Pa, strain {:.3}, dV/dp {:.2e} -> {:.2e}",
        r.rest_volume_m3 * 1e6,
        r.rest_transmural_pa,
        r.transmural_pa,
        r.max_principal_strain,
        r.rest_compliance_m3_per_pa,
        r.compliance_m3_per_pa
    );
    assert!(
        (15e3..=40e3).contains(&r.transmural_pa),
        "pressure {} Pa",
        r.transmural_pa
    );
    assert!(r.max_principal_strain > 0.10 && r.max_principal_strain < 0.50);
    // Direction of the largest stretch: meridional (bone-to-bone) vs hoop, from the in-situ
    // reference at every Gauss point.
    let model = doc.capsule.build_model().unwrap();
    let kind = model.mesh.kind;
    let (mut meridional, mut hoop) = (0.0f64, 0.0f64);
    for e in 0..model.mesh.elements() {
        let a0 = model.mesh.first_node(e);
        let range = 2 * a0..2 * (a0 + kind.nodes());
        membrane_element::compute_element_stretches(
            kind,
            &model.mesh.reference[range.clone()],
            &r.state.x[range],
            |l1, l2| {
                meridional = meridional.max(l1 - 1.0);
                hoop = hoop.max(l2 - 1.0);
            },
        );
    }
    assert_eq!(meridional, r.max_principal_strain);
    assert!(meridional > hoop, "meridional {meridional} vs hoop {hoop}");
    // Volume control delivered exactly the injected volume (Newton tolerance 1e-10).
    assert!((r.volume_m3 - r.rest_volume_m3 - 0.3e-6).abs() < 1e-9 * r.volume_m3);
    // Pressure rises monotonically with volume along the path (a stiffening capsule).
    assert!(r.path.windows(2).all(|w| w[1].1 > w[0].1));
}

/// Must-show 6: a slow MCP traction with the fluid volume held (no bubbles): the pressure
/// falls monotonically and continuously as the force rises, the capsule bows inward, and the
/// fluid volume is conserved to solver tolerance.
#[test]
fn slow_mcp_traction_sucks_the_capsule_in_at_constant_volume() {
    let (doc, parsed): (ConfigDocument, JointDoc) = load("joint/mcp.toml", &[]);
    // The [capsule] table of the traction preset is the capsule preset's.
    let (capsule_doc, capsule_only): (ConfigDocument, CapsuleDoc) = load("capsule/mcp.toml", &[]);
    assert_eq!(parsed.capsule, capsule_only.capsule);
    assert_eq!(doc.table()["capsule"], capsule_doc.table()["capsule"]);
    let schedule = parsed.loading.resolve(doc.origin()).unwrap();
    let radius = parsed.capsule.articular_radius_m().unwrap();
    let model = parsed.capsule.build_model().unwrap();
    let mut traction = QuasiStaticTraction::new(
        model,
        parsed.capsule.solver.newton(),
        parsed.joint,
        schedule,
        radius,
    )
    .unwrap();
    let samples = traction.run(200, 6).unwrap();
    assert_eq!(samples.len(), 201);
    let v_f = traction.context.fluid_volume_m3;
    let drops: Vec<f64> = samples
        .windows(2)
        .map(|w| w[0].pressure_pa - w[1].pressure_pa)
        .collect();
    // Monotone: every step lowers the pressure.
    assert!(
        drops.iter().all(|&d| d > 0.0),
        "pressure must fall at every step"
    );
    // Continuous: no step drops more than 3× the mean drop (a jump would be a snap-through
    // or a lost equilibrium branch; the smooth curve varies by less than that).
    let mean = drops.iter().sum::<f64>() / drops.len() as f64;
    assert!(
        drops.iter().all(|&d| d < 3.0 * mean),
        "max drop {} vs mean {mean}",
        drops.iter().fold(0.0f64, |a, &b| a.max(b))
    );
    for s in &samples {
        // Volume control with residual tolerance 1e-10 of the volume scale.
        assert!(
            (s.volume_m3 - v_f).abs() <= 1e-9 * v_f,
            "volume {} vs {v_f}",
            s.volume_m3
        );
    }
    // The capsule bows inward, more as the force rises.
    assert!(
        samples
            .windows(2)
            .skip(1)
            .all(|w| w[1].inward_bow_m <= w[0].inward_bow_m + 1e-12)
    );
    let last = samples.last().unwrap();
    assert!(last.inward_bow_m < -1e-4, "bow {}", last.inward_bow_m);
    assert!(last.gap_m > samples[0].gap_m);
    // Force balance at the end: applied = membrane + suction + ligament − contact + film.
    let balance = last.membrane_force_n + last.suction_force_n + last.ligament_force_n
        - last.contact_force_n
        + last.film_force_n;
    assert!((balance - last.applied_force_n).abs() < 1e-6 * last.applied_force_n);
    let response = traction.solver.compute_response(&traction.state).unwrap();
    eprintln!(
        "mcp: rest p {:.0} Pa, dV/dp at 30 N {:.2e} m³/Pa, gap {:.3} -> {:.3} mm, p -> {:.0} Pa, bow {:.3} mm",
        samples[0].pressure_pa,
        response.dv_dp,
        samples[0].gap_m * 1e3,
        last.gap_m * 1e3,
        last.pressure_pa,
        last.inward_bow_m * 1e3
    );
}

/// The pressure-closure interface: `dV/dp`, `dV/dh`, `dF/dh`, `dF/dp` of
/// [`CapsuleSolver::solve_response`] equal central differences of re-solved states (the
/// tolerance 1e-5 relative covers the O(δ²) truncation at δ = 1e-4 of the scales and the
/// 1e-12 Newton tolerance).
#[test]
fn capsule_response_sensitivities_match_resolved_differences() {
    let (_, doc): (_, CapsuleDoc) = load("capsule/mcp.toml", &[]);
    let model = doc.capsule.build_model().unwrap();
    let settings = NewtonSettings {
        tolerance: 1e-13,
        ..Default::default()
    };
    let mut solver = CapsuleSolver::new(model, settings);
    let mut state = solver.reference_state();
    let p_t = solver.model.tissue_pressure_pa;
    let (h, p) = (0.25e-3, p_t - 20e3);
    // Reach the point gradually from rest.
    step_load_path(
        &mut solver,
        &mut state,
        "s",
        (0.0, 1.0),
        10,
        3,
        |s, st, f| {
            let at = s.solve_response(st, 0.2e-3 + f * 0.05e-3, p_t - f * 20e3);
            at.map(|_| NewtonReport {
                iterations: 0,
                residual: 0.0,
            })
        },
        |_, _, _| {},
    )
    .unwrap();
    let r = solver.solve_response(&mut state, h, p).unwrap();
    let (dh, dp) = (1e-4 * h, 1e-4 * 20e3);
    let mut at = |hh: f64, pp: f64| solver.solve_response(&mut state.clone(), hh, pp).unwrap();
    let (hp, hm) = (at(h + dh, p), at(h - dh, p));
    let (pp, pm) = (at(h, p + dp), at(h, p - dp));
    let check = |name: &str, analytic: f64, fd: f64| {
        assert!(
            (analytic - fd).abs() <= 1e-5 * fd.abs().max(analytic.abs()),
            "{name}: {analytic:e} vs FD {fd:e}"
        );
    };
    check("dV/dh", r.dv_dh, (hp.volume_m3 - hm.volume_m3) / (2.0 * dh));
    check("dV/dp", r.dv_dp, (pp.volume_m3 - pm.volume_m3) / (2.0 * dp));
    check(
        "dF/dh",
        r.dforce_dh,
        (hp.axial_force_n - hm.axial_force_n) / (2.0 * dh),
    );
    check(
        "dF/dp",
        r.dforce_dp,
        (pp.axial_force_n - pm.axial_force_n) / (2.0 * dp),
    );
    // (The split of the axial force into membrane and suction shares is its definition in
    // `solve_response`; asserting their sum restated it, so only the suction is checked.)
    // Suction on the straight capsule: (p_t − p) π a² to within the tilt of the rim element.
    let area = std::f64::consts::PI * 7.5e-3f64.powi(2);
    assert!((r.suction_force_n - 20e3 * area).abs() < 0.1 * 20e3 * area);
}

/// Must-show 7a: a folded meridian is rejected naming the element.
#[test]
fn inverted_reference_element_is_named() {
    let text = r#"
[capsule]
thickness_m = 1e-3
[capsule.geometry]
shape = "nodes"
points_m = [[0.01, 0.0], [0.01, 0.01], [0.01, 0.005], [0.01, 0.02], [0.01, 0.03]]
[capsule.material]
model = "neo_hookean"
shear_modulus_pa = 1e5
[capsule.mesh]
element = "linear"
"#;
    let doc = ConfigDocument::from_text(ConfigOrigin::BuiltIn("test"), text, &[]).unwrap();
    let parsed: CapsuleDoc = doc.parse().unwrap();
    Validator::check(doc.origin(), &parsed).unwrap();
    match parsed.capsule.build_model() {
        Err(e @ MeshError::InvertedElement { element: 1, .. }) => {
            assert!(e.to_string().contains("element 1"), "{e}");
        }
        other => panic!("expected element 1 inverted, got {other:?}"),
    }
}

/// Must-show 7b: a non-positive modulus is an out-of-range error naming the file and key.
#[test]
fn non_positive_modulus_is_rejected_with_its_key() {
    for (file, key) in [
        ("capsule/sphere.toml", "capsule.material.shear_modulus_pa"),
        (
            "capsule/facet.toml",
            "capsule.material.matrix_shear_modulus_pa",
        ),
    ] {
        let doc = ConfigDocument::load(
            Some(&config_path(file)),
            ("unused", ""),
            &[format!("{key}=0.0")],
        )
        .unwrap();
        let parsed: CapsuleDoc = doc.parse().unwrap();
        match Validator::check(doc.origin(), &parsed) {
            Err(e @ ConfigError::OutOfRange { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains(key) && msg.contains(file), "{msg}");
            }
            other => panic!("expected out of range, got {other:?}"),
        }
    }
    let doc = ConfigDocument::load(
        Some(&config_path("capsule/facet.toml")),
        ("unused", ""),
        &["capsule.material.fibres.1.k2=-2".into()],
    )
    .unwrap();
    let parsed: CapsuleDoc = doc.parse().unwrap();
    let err = Validator::check(doc.origin(), &parsed)
        .unwrap_err()
        .to_string();
    assert!(err.contains("capsule.material.fibres.1.k2"), "{err}");
}

/// Must-show 7c: a load step that cannot converge is an error naming the step, and the
/// state is left at the last converged step (nothing half-solved is reported).
#[test]
fn non_converging_load_step_is_reported_and_state_kept() {
    let (_, doc): (_, CapsuleDoc) = load("capsule/sphere.toml", &[]);
    let model = doc.capsule.build_model().unwrap();
    let v0 = model.compute_volume(&model.mesh.reference);
    let settings = NewtonSettings {
        max_iterations: 3,
        ..Default::default()
    };
    let mut solver = CapsuleSolver::new(model, settings);
    let mut state = solver.reference_state();
    let mut last_ok = v0;
    // Two steps to 20 V0 with 3 Newton iterations and one cut: the first step converges
    // nowhere near, so the path fails with the volume it reached.
    let err = step_load_path(
        &mut solver,
        &mut state,
        "volume_m3",
        (v0, 20.0 * v0),
        2,
        1,
        |s, st, v| s.solve(st, &LoadCase::held(PressureControl::Volume(v))),
        |_, _, v| last_ok = v,
    )
    .unwrap_err();
    let msg = format!("{err}");
    assert!(
        msg.contains("volume_m3") && msg.contains("did not converge"),
        "{msg}"
    );
    let SolverError::LoadStep {
        reached, source, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*reached, last_ok);
    assert!(matches!(
        **source,
        SolverError::NotConverged { .. } | SolverError::LineSearchFailed { .. }
    ));
    let v = solver.model.compute_volume(&state.x);
    assert!(
        (v - last_ok).abs() < 1e-9 * v,
        "state must be the last converged one"
    );
}

/// Every capsule and joint preset parses, validates, meshes, and (joints) runs its loading
/// protocol quasi-statically; each joint preset's [capsule] table is its capsule preset's.
#[test]
fn presets_parse_validate_and_run() {
    for file in [
        "capsule/sphere.toml",
        "capsule/tube.toml",
        "capsule/facet.toml",
        "capsule/mcp.toml",
    ] {
        let (doc, parsed): (ConfigDocument, CapsuleDoc) = load(file, &[]);
        Validator::check(doc.origin(), &parsed).unwrap();
        parsed.capsule.build_model().unwrap();
    }
    for (file, capsule) in [
        ("joint/mcp.toml", "capsule/mcp.toml"),
        ("joint/facet.toml", "capsule/facet.toml"),
    ] {
        let (doc, parsed): (ConfigDocument, JointDoc) = load(file, &[]);
        let (_, capsule_only): (ConfigDocument, CapsuleDoc) = load(capsule, &[]);
        assert_eq!(parsed.capsule, capsule_only.capsule, "{file}");
        let mut v = Validator::new(doc.origin());
        v.nested("capsule", &parsed.capsule);
        v.nested("joint", &parsed.joint);
        v.nested("loading", &parsed.loading);
        v.finish().unwrap();
        let schedule = parsed.loading.resolve(doc.origin()).unwrap();
        let radius = parsed.capsule.articular_radius_m().unwrap();
        let mut t = QuasiStaticTraction::new(
            parsed.capsule.build_model().unwrap(),
            parsed.capsule.solver.newton(),
            parsed.joint,
            schedule,
            radius,
        )
        .unwrap();
        let samples = t.run(100, 6).unwrap();
        // The joint opens under the peak load and the fluid pressure drops below the tissue's.
        let peak = samples
            .iter()
            .max_by(|a, b| a.applied_force_n.total_cmp(&b.applied_force_n))
            .unwrap();
        assert!(
            peak.gap_m > samples[0].gap_m && peak.pressure_pa < samples[0].pressure_pa,
            "{file}"
        );
    }
}
