//! Capsule finite elements against analytic membrane solutions, finite differences and
//! expected convergence orders (must-show 1–4), and the implicit dynamics.

use cavitas_solver::fem::capsule_solver::step_load_path;
use cavitas_solver::fem::fibre_reinforced::{FibreFamily, FibreForm, FibreReinforced};
use cavitas_solver::fem::meridian_mesh::MeridianMesh;
use cavitas_solver::fem::neo_hookean::NeoHookean;
use cavitas_solver::fem::newmark::{DynamicState, NewmarkIntegrator, NewmarkSettings};
use cavitas_solver::fem::*;

const MU: f64 = 1.0e5;
const H0: f64 = 1.0e-4;
const R0: f64 = 0.01;

fn model(mesh: MeridianMesh, material: MembraneMaterial) -> CapsuleModel {
    CapsuleModel {
        mesh,
        material,
        thickness_m: H0,
        prestretch: [1.0, 1.0],
        density_kg_m3: 1000.0,
        excluded_volume_m3: 0.0,
        tissue_pressure_pa: 0.0,
        rim_dof: None,
        gap_offset_m: 0.0,
    }
}

fn neo_hookean() -> MembraneMaterial {
    MembraneMaterial::NeoHookean(NeoHookean {
        shear_modulus_pa: MU,
    })
}

fn sphere_pressure(l: f64) -> f64 {
    2.0 * MU * H0 / R0 * (1.0 / l - l.powi(-7))
}

/// Inflates a sphere under volume control along `stretches` (λ = (V/V0)^(1/3), V0 the
/// mesh's own volume) and returns the largest relative pressure error at those stretches.
fn sphere_error(kind: ElementKind, elements: usize, stretches: &[f64]) -> f64 {
    let m = model(
        MeridianMesh::sphere(kind, elements, R0).unwrap(),
        neo_hookean(),
    );
    let v0 = m.compute_volume(&m.mesh.reference);
    let mut solver = CapsuleSolver::new(
        m,
        NewtonSettings {
            tolerance: 1e-12,
            ..Default::default()
        },
    );
    let mut state = solver.reference_state();
    let mut worst = 0.0f64;
    let mut previous = 1.0;
    for &l in stretches {
        // Sub-steps of at most 0.05 in stretch keep Newton in its quadratic basin.
        let steps = ((l - previous) / 0.05).ceil().max(1.0) as usize;
        step_load_path(
            &mut solver,
            &mut state,
            "stretch",
            (previous, l),
            steps,
            4,
            |s, st, l| s.solve(st, &LoadCase::held(PressureControl::Volume(v0 * l * l * l))),
            |_, _, _| {},
        )
        .unwrap();
        previous = l;
        worst = worst.max(((state.dp - sphere_pressure(l)) / sphere_pressure(l)).abs());
    }
    worst
}

/// Must-show 1: the pressure–stretch curve of a closed neo-Hookean sphere up to and past the
/// pressure maximum at λ = 7^(1/6) ≈ 1.383, under volume control. The requirement is 0.5 %;
/// 32 linear elements give ~1.2e-3 and 16 quadratic ones ~1.5e-6 (discretisation error
/// only: the solver tolerance is 1e-12).
#[test]
fn sphere_inflation_follows_analytic_curve_past_the_limit_point() {
    let limit = 7f64.powf(1.0 / 6.0);
    let mut stretches: Vec<f64> = (1..=30).map(|i| 1.0 + 0.05 * i as f64).collect();
    stretches.push(limit);
    stretches.sort_by(f64::total_cmp);
    for (kind, n) in [(ElementKind::Linear, 32), (ElementKind::Quadratic, 16)] {
        let err = sphere_error(kind, n, &stretches);
        assert!(
            err < 5e-3,
            "{kind:?} × {n}: max relative pressure error {err:e}"
        );
    }
    // The curve really passes its maximum: the FE pressure falls after λ = 1.383.
    let m = model(
        MeridianMesh::sphere(ElementKind::Quadratic, 16, R0).unwrap(),
        neo_hookean(),
    );
    let v0 = m.compute_volume(&m.mesh.reference);
    let mut solver = CapsuleSolver::new(m, NewtonSettings::default());
    let mut state = solver.reference_state();
    let mut path = Vec::new();
    step_load_path(
        &mut solver,
        &mut state,
        "stretch",
        (1.0, 2.5),
        60,
        4,
        |s, st, l| s.solve(st, &LoadCase::held(PressureControl::Volume(v0 * l * l * l))),
        |_, st, l| path.push((l, st.dp)),
    )
    .unwrap();
    let (l_peak, p_peak) = path
        .iter()
        .copied()
        .fold((0.0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
    // Sampling every 0.025 in λ: the sampled peak lies within one sample of the true one.
    assert!((l_peak - limit).abs() <= 0.025, "peak at λ = {l_peak}");
    assert!((p_peak - sphere_pressure(limit)).abs() < 1e-3 * sphere_pressure(limit));
    assert!(
        path.last().unwrap().1 < 0.8 * p_peak,
        "the pressure must fall past the peak"
    );
}

/// Must-show 4: the pressure error converges at order 2 for linear and 4 for quadratic
/// elements (the energy converges at order 2k and the pressure, its volume derivative, with
/// it; the isoparametric geometry error has the same order). The observed order over each
/// doubling must lie within ±0.3 of the expected one.
#[test]
fn sphere_pressure_error_converges_at_the_expected_order() {
    let stretches = [1.2, 1.383, 2.0];
    for (kind, expected, meshes) in [
        (ElementKind::Linear, 2.0, [8, 16, 32]),
        (ElementKind::Quadratic, 4.0, [4, 8, 16]),
    ] {
        let errors: Vec<f64> = meshes
            .iter()
            .map(|&n| sphere_error(kind, n, &stretches))
            .collect();
        for w in errors.windows(2) {
            let order = (w[0] / w[1]).log2();
            assert!(
                (order - expected).abs() < 0.3,
                "{kind:?}: errors {errors:?}, observed order {order}"
            );
        }
    }
}

/// Must-show 2: a tube held at fixed length (ends slide radially on frictionless caps)
/// inflates homogeneously: `P = (μ H0/R0)(1 − λ⁻⁴)` with `λ = r/R0 = √(V/V0)`, and the
/// membrane's axial end force is `N = 2π R0 H0 μ (1 − λ⁻²)`. The FE space contains this
/// solution exactly, so the match is to solver tolerance (1e-8 relative allows for the
/// 1e-12 residual tolerance times the condition of the small system).
#[test]
fn tube_with_fixed_ends_matches_homogeneous_inflation() {
    for kind in [ElementKind::Linear, ElementKind::Quadratic] {
        let length = 0.05;
        let m = model(
            MeridianMesh::tube(kind, 6, R0, length).unwrap(),
            neo_hookean(),
        );
        let v0 = m.compute_volume(&m.mesh.reference);
        assert!((v0 - std::f64::consts::PI * R0 * R0 * length).abs() < 1e-15);
        let zdof = m.dofs() - 1;
        let mut solver = CapsuleSolver::new(
            m,
            NewtonSettings {
                tolerance: 1e-12,
                ..Default::default()
            },
        );
        let mut state = solver.reference_state();
        let mut checked = 0;
        step_load_path(
            &mut solver,
            &mut state,
            "stretch",
            (1.0, 2.0),
            20,
            2,
            |s, st, l| s.solve(st, &LoadCase::held(PressureControl::Volume(v0 * l * l))),
            |s, st, l| {
                let p = MU * H0 / R0 * (1.0 - l.powi(-4));
                assert!(
                    (st.dp - p).abs() < 1e-8 * p,
                    "{kind:?} λ {l}: {} vs {p}",
                    st.dp
                );
                for i in 0..st.x.len() / 2 {
                    assert!((st.x[2 * i] - l * R0).abs() < 1e-9 * R0);
                }
                let mut asm = s.model.new_assembly();
                s.model
                    .populate_assembly(&st.x, st.dp, false, &mut asm)
                    .unwrap();
                let n = 2.0 * std::f64::consts::PI * R0 * H0 * MU * (1.0 - l.powi(-2));
                assert!(
                    (asm.force[zdof] - n).abs() < 1e-8 * n,
                    "end force {} vs {n}",
                    asm.force[zdof]
                );
                checked += 1;
            },
        )
        .unwrap();
        assert_eq!(checked, 20);
    }
}

fn fibre_material() -> MembraneMaterial {
    MembraneMaterial::FibreReinforced(FibreReinforced {
        matrix_shear_modulus_pa: 2.0e4,
        fibres: vec![
            FibreFamily {
                form: FibreForm::Exponential,
                angle_deg: 0.0,
                k1_pa: 5.0e4,
                k2: 3.0,
            },
            FibreFamily {
                form: FibreForm::Holzapfel,
                angle_deg: 40.0,
                k1_pa: 3.0e4,
                k2: 1.5,
            },
        ],
    })
}

/// Must-show 3: at random deformed states the assembled tangent `∂²Π − Δp ∂²V` equals the
/// central difference of the residual `∂Π/∂x − Δp ∂V/∂x`, and `∂V/∂x` the central difference
/// of `V`, to 1e-6 relative (step 1e-6 of the radius: truncation ~1e-12, round-off
/// ~1e-10 relative).
#[test]
fn tangent_and_volume_gradient_match_central_differences() {
    let mut seed = 0x5eed_u64;
    let mut rnd = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    };
    for (kind, material) in [
        (ElementKind::Linear, neo_hookean()),
        (ElementKind::Quadratic, neo_hookean()),
        (ElementKind::Linear, fibre_material()),
        (ElementKind::Quadratic, fibre_material()),
    ] {
        let mut m = model(MeridianMesh::sphere(kind, 6, R0).unwrap(), material);
        m.prestretch = [1.03, 1.05];
        let n = m.dofs();
        for _trial in 0..3 {
            // Random stretch of 1.1–1.5 plus 3 % random nodal noise; poles stay on the axis.
            let s = 1.3 + 0.4 * rnd();
            let mut x: Vec<f64> = m
                .mesh
                .reference
                .iter()
                .map(|v| v * s + 0.03 * R0 * rnd())
                .collect();
            x[0] = 0.0;
            x[n - 2] = 0.0;
            let dp = 2.0 * MU * H0 / R0 * (0.5 + rnd());
            let mut asm = m.new_assembly();
            m.populate_assembly(&x, dp, true, &mut asm).unwrap();
            let mut plus = m.new_assembly();
            let mut minus = m.new_assembly();
            let h = 1e-6 * R0;
            let kmax = (0..n)
                .map(|i| asm.tangent.get(i, i).abs())
                .fold(0.0, f64::max);
            let vmax = asm
                .volume_gradient
                .iter()
                .fold(0.0f64, |a, v| a.max(v.abs()));
            for j in 0..n {
                let mut xp = x.clone();
                let mut xm = x.clone();
                xp[j] += h;
                xm[j] -= h;
                m.populate_assembly(&xp, dp, false, &mut plus).unwrap();
                m.populate_assembly(&xm, dp, false, &mut minus).unwrap();
                let dv = (plus.volume - minus.volume) / (2.0 * h);
                assert!(
                    (dv - asm.volume_gradient[j]).abs() <= 1e-6 * vmax,
                    "{kind:?} dV/dx[{j}]: {} vs FD {dv}",
                    asm.volume_gradient[j]
                );
                for i in 0..n {
                    let rp = plus.force[i] - dp * plus.volume_gradient[i];
                    let rm = minus.force[i] - dp * minus.volume_gradient[i];
                    let fd = (rp - rm) / (2.0 * h);
                    let k = asm.tangent.get(i, j);
                    assert!(
                        (k - fd).abs() <= 1e-6 * kmax,
                        "{kind:?} K[{i},{j}] = {k:e} vs FD {fd:e} (scale {kmax:e})"
                    );
                }
            }
        }
    }
}

/// The breathing mode of a free sphere (Δp = 0): `ω² = 12 μ / (ρ R0²)` from
/// `W(λ, λ)'' = 12 μ` at λ = 1 and the membrane mass `ρ H0 4π R0²`. Newmark's average
/// acceleration lengthens the period by `(ω Δt)²/12 ≈ 8e-5` at 200 steps per period; the
/// 16-element quadratic mesh adds its discretisation error, so 0.5 % is a safe bound. With
/// mass-proportional damping α, the amplitude decays as `exp(−α t / 2)`.
#[test]
fn sphere_breathing_mode_period_and_rayleigh_decay() {
    let rho = 1000.0;
    let omega = (12.0 * MU / (rho * R0 * R0)).sqrt();
    let period = 2.0 * std::f64::consts::PI / omega;
    for alpha in [0.0, 0.05 * omega] {
        let m = model(
            MeridianMesh::sphere(ElementKind::Quadratic, 16, R0).unwrap(),
            neo_hookean(),
        );
        let mut solver = CapsuleSolver::new(m, NewtonSettings::default());
        let settings = NewmarkSettings {
            rayleigh_mass_per_s: alpha,
            ..Default::default()
        };
        let mut integ = NewmarkIntegrator::new(&solver, settings, 0.0);
        let mut ds = DynamicState::at_rest(solver.reference_state());
        // Small radial velocity: 1e-3 R0 amplitude.
        for i in 0..ds.state.x.len() / 2 {
            let (r, z) = (ds.state.x[2 * i], ds.state.x[2 * i + 1]);
            ds.velocity[2 * i] = 1e-3 * omega * r;
            ds.velocity[2 * i + 1] = 1e-3 * omega * z;
        }
        let dt = period / 200.0;
        let eq = 2 * 16; // r of the equator node (node 16 of 33)
        let mut crossings = Vec::new();
        let mut peaks = Vec::new();
        let mut prev = 0.0;
        let mut prev2 = 0.0;
        for step in 1..=1000 {
            integ
                .step(
                    &mut solver,
                    &mut ds,
                    dt,
                    PressureControl::Pressure(0.0),
                    RimAction::Held,
                )
                .unwrap();
            let u = ds.state.x[eq] - R0;
            let t = step as f64 * dt;
            if prev > 0.0 && u <= 0.0 {
                crossings.push(t - dt * u / (u - prev));
            }
            if step > 2 && prev > prev2 && prev >= u && prev > 0.0 {
                peaks.push(prev);
            }
            prev2 = prev;
            prev = u;
        }
        let measured =
            (crossings[crossings.len() - 1] - crossings[0]) / (crossings.len() - 1) as f64;
        let damped = period / (1.0 - (alpha / (2.0 * omega)).powi(2)).sqrt();
        assert!(
            (measured - damped).abs() < 5e-3 * damped,
            "α {alpha}: period {measured} vs {damped}"
        );
        let decay = (peaks[0] / peaks[3]).ln() / (3.0 * measured);
        eprintln!(
            "alpha {alpha}: period {measured:e} vs {damped:e}, decay {decay} vs {}",
            alpha / 2.0
        );
        // Tolerance: 2 % of the damped case's rate 0.025 ω, for both cases (observed: 1 %
        // off when damped, 0.7 % of that rate when undamped, from sampling the peaks).
        assert!(
            (decay - alpha / 2.0).abs() < 0.02 * 0.025 * omega,
            "decay {decay} vs {}",
            alpha / 2.0
        );
    }
}
