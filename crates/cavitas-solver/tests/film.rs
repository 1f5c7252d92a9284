//! The resolved synovial film (issue 11, phase 1): Stefan's squeeze film and its convergence
//! order, a shear-thinning film against an independent quadrature, volume conservation, the
//! elastic cartilage layer, rate dependence, cavity relief, the `[film]` table, and a small
//! rate study (`--ignored`).

use cavitas_solver::config::{ConfigError, ConfigOrigin, Validate, Validator};
use cavitas_solver::film::*;

const P_ATM: f64 = 101_325.0;
const PI: f64 = std::f64::consts::PI;

fn config(rheology: Rheology, cartilage: CartilageLayer, cells: usize) -> FilmConfig {
    FilmConfig {
        enabled: true,
        rheology,
        cartilage,
        cells,
        ..FilmConfig::default()
    }
}

/// One backward-Euler step from rest (`p = p_atm`) at `h_end − rate·dt` to `h_end`.
fn step_from_rest(
    film: &mut ReynoldsFilm,
    h_end: f64,
    rate: f64,
    dt: f64,
    cavity: &[f64],
) -> FilmSolution {
    let state = film.compute_rest_state(h_end - rate * dt, P_ATM);
    film.solve_step(
        &state,
        &FilmStepInput {
            time_step_s: dt,
            axis_gap_m: h_end,
            rim_pressure_pa: P_ATM,
            cavity_volume_rate_m3_s: cavity,
        },
    )
    .unwrap()
}

/// A pull at constant rate from rest at `h_rest` through `opening` in `steps` steps; the
/// last step's solution.
fn pull(
    film: &mut ReynoldsFilm,
    h_rest: f64,
    opening: f64,
    rate: f64,
    steps: usize,
) -> FilmSolution {
    let mut state = film.compute_rest_state(h_rest, P_ATM);
    let dt = opening / rate / steps as f64;
    let mut last = None;
    for k in 1..=steps {
        let input = FilmStepInput {
            time_step_s: dt,
            axis_gap_m: h_rest + opening * k as f64 / steps as f64,
            rim_pressure_pa: P_ATM,
            cavity_volume_rate_m3_s: &[],
        };
        let s = film.solve_step(&state, &input).unwrap();
        state.accept(&s);
        last = Some(s);
    }
    last.unwrap()
}

// ---------------------------------------------------------------------------------------
// Stefan: Newtonian rigid flat discs.

const STEFAN_MU: f64 = 1.0;
const STEFAN_A: f64 = 7.5e-3;
const STEFAN_H: f64 = 10e-6;
const STEFAN_RATE: f64 = 1e-5;
const STEFAN_DT: f64 = 1e-3;

/// Relative force error and max-norm profile error (relative to the centre suction
/// `3 μ ḣ a²/h³`) of the film against Stefan on `mesh`.
fn stefan_errors(cells: usize, grading: MeshGrading) -> (f64, f64) {
    let cfg = FilmConfig {
        grading,
        grading_ratio: 10.0,
        ..config(
            Rheology::Newtonian {
                viscosity_pa_s: STEFAN_MU,
            },
            CartilageLayer::Rigid,
            cells,
        )
    };
    let mut film = ReynoldsFilm::new(&cfg, STEFAN_A).unwrap();
    let s = step_from_rest(&mut film, STEFAN_H, STEFAN_RATE, STEFAN_DT, &[]);
    let h3 = STEFAN_H.powi(3);
    let stefan = 3.0 * PI * STEFAN_MU * STEFAN_A.powi(4) * STEFAN_RATE / (2.0 * h3);
    let centre = 3.0 * STEFAN_MU * STEFAN_RATE * STEFAN_A * STEFAN_A / h3;
    let profile = film
        .mesh()
        .centres_m()
        .iter()
        .zip(&s.pressure_pa)
        .map(|(r, p)| {
            let exact = P_ATM - 3.0 * STEFAN_MU * STEFAN_RATE * (STEFAN_A * STEFAN_A - r * r) / h3;
            (p - exact).abs() / centre
        })
        .fold(0.0f64, f64::max);
    (s.film_force_n / stefan - 1.0, profile)
}

/// Stefan's squeeze film: `F = 3π μ a⁴ ḣ/(2h³)` and `p = p_rim − 3μḣ(a² − r²)/h³`.
/// The brief asks 0.5 %. On 100 cells the scheme's error is known exactly: the one-sided
/// gradient over the half cell at the rim shifts the whole profile by `1/(4N²)` of the
/// centre suction (2.5e-5, achieved), and the force gains that shift over the disc plus the
/// cell-centred quadrature of `r²`, `1/(2N²)` each: `1/N² = 1.0e-4` (achieved). The
/// assertions allow twice the achieved errors.
#[test]
fn stefan_newtonian_flat_discs_force_and_profile() {
    let (force, profile) = stefan_errors(100, MeshGrading::Uniform);
    eprintln!("Stefan, 100 cells: force error {force:.3e}, profile error {profile:.3e}");
    assert!(force.abs() < 5e-3, "brief: within 0.5 %");
    assert!(force.abs() < 2e-4, "force error {force:e}");
    assert!(profile < 5e-5, "profile error {profile:e}");
}

/// The scheme is second order in space: halving the cells quarters the force and profile
/// errors, on uniform and axis-graded meshes (widest/narrowest cell 10). The observed orders
/// lie within 0.1 of 2 from 20 cells on (uniform: exactly 2.000, the error being `1/N²`;
/// graded: the 10 → 20 refinement is pre-asymptotic, printed but not asserted).
#[test]
fn stefan_spatial_convergence_is_second_order() {
    for grading in [MeshGrading::Uniform, MeshGrading::Axis] {
        let errors: Vec<(usize, f64, f64)> = [10, 20, 40, 80, 160]
            .iter()
            .map(|&n| {
                let (f, p) = stefan_errors(n, grading);
                (n, f.abs(), p)
            })
            .collect();
        for w in errors.windows(2) {
            let order_f = (w[0].1 / w[1].1).log2();
            let order_p = (w[0].2 / w[1].2).log2();
            eprintln!(
                "{grading:?} N {:>3} -> {:>3}: force error {:.3e} -> {:.3e} (order {order_f:.3}), \
                 profile {:.3e} -> {:.3e} (order {order_p:.3})",
                w[0].0, w[1].0, w[0].1, w[1].1, w[0].2, w[1].2
            );
            if w[0].0 >= 20 {
                assert!((order_f - 2.0).abs() < 0.1, "force order {order_f}");
                assert!((order_p - 2.0).abs() < 0.1, "profile order {order_p}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Shear-thinning rigid flat discs against an independent solution.

/// Carreau's flow curve, written out again here so the reference shares no code with the
/// solver.
#[derive(Clone, Copy)]
struct Carreau {
    mu0: f64,
    mu_inf: f64,
    lambda: f64,
    n: f64,
}

impl Carreau {
    /// `τ(γ̇)` and `dτ/dγ̇`.
    fn stress(&self, g: f64) -> (f64, f64) {
        let x2 = (self.lambda * g).powi(2);
        let b = (1.0 + x2).powf(0.5 * (self.n - 1.0));
        let mu = self.mu_inf + (self.mu0 - self.mu_inf) * b;
        let d = self.mu_inf + (self.mu0 - self.mu_inf) * b * (1.0 + self.n * x2) / (1.0 + x2);
        (mu * g, d)
    }

    /// Slot flux per unit width at wall shear rate `γ̇_w` in gap `h`, integrating over the
    /// shear rate instead of the stress: `Q = (2/G²) ∫_0^{γ̇_w} τ γ̇ τ'(γ̇) dγ̇`, `G = 2τ_w/h`
    /// (no inversion of the flow curve inside the integral).
    fn slot_flux(&self, wall_rate: f64, h: f64) -> f64 {
        let (tau_w, _) = self.stress(wall_rate);
        let g = 2.0 * tau_w / h;
        let f = |x: f64| {
            let (t, d) = self.stress(x);
            t * x * d
        };
        2.0 / (g * g) * adaptive_simpson(&f, 0.0, wall_rate, 1e-12)
    }

    /// The pressure gradient (Pa/m) that drives the flux `q` (m²/s) through gap `h`: the
    /// wall shear rate by bisection in `ln γ̇_w` (the flux grows with it), then `G = 2τ_w/h`.
    fn gradient_for_flux(&self, q: f64, h: f64) -> f64 {
        if q == 0.0 {
            return 0.0;
        }
        let (mut lo, mut hi) = ((1e-12f64).ln(), (1e12f64).ln());
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if self.slot_flux(mid.exp(), h) < q {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo < 1e-15 {
                break;
            }
        }
        2.0 * self.stress((0.5 * (lo + hi)).exp()).0 / h
    }
}

/// Adaptive Simpson quadrature to relative tolerance `tol` of the running estimate.
fn adaptive_simpson(f: &dyn Fn(f64) -> f64, a: f64, b: f64, tol: f64) -> f64 {
    fn recurse(
        f: &dyn Fn(f64) -> f64,
        a: f64,
        b: f64,
        fa: f64,
        fm: f64,
        fb: f64,
        whole: f64,
        tol: f64,
        depth: u32,
    ) -> f64 {
        let m = 0.5 * (a + b);
        let (lm, rm) = (0.5 * (a + m), 0.5 * (m + b));
        let (flm, frm) = (f(lm), f(rm));
        let left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
        let right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
        let delta = left + right - whole;
        if depth == 0 || delta.abs() <= 15.0 * tol * (left + right).abs().max(f64::MIN_POSITIVE) {
            return left + right + delta / 15.0;
        }
        recurse(f, a, m, fa, flm, fm, left, tol, depth - 1)
            + recurse(f, m, b, fm, frm, fb, right, tol, depth - 1)
    }
    let (fa, fb, fm) = (f(a), f(b), f(0.5 * (a + b)));
    let whole = (b - a) / 6.0 * (fa + 4.0 * fm + fb);
    recurse(f, a, b, fa, fm, fb, whole, tol, 40)
}

/// The solver's slot flux (Gauss–Legendre over the stress, the flow curve inverted at each
/// node) against the reference (adaptive Simpson over the shear rate, no inversion), from
/// the Newtonian core to deep thinning: wall shear rates 1e-3 to 1e5 1/s. Achieved 1.8e-11
/// at worst (in the transition, `λγ̇_w ~ 10–30`; round-off elsewhere); asserted 1e-9.
#[test]
fn slot_flux_matches_independent_quadrature() {
    let fluid = Carreau {
        mu0: 5.0,
        mu_inf: 0.01,
        lambda: 1.0,
        n: 0.3,
    };
    let rheology = Rheology::carreau(fluid.mu0, fluid.mu_inf, fluid.lambda, fluid.n);
    let h = 10e-6;
    let mut worst = 0.0f64;
    for k in -12..=20 {
        let wall_rate = 10f64.powf(k as f64 / 4.0);
        let reference = fluid.slot_flux(wall_rate, h);
        let gradient = 2.0 * fluid.stress(wall_rate).0 / h;
        let q = SlotFlux::compute(&rheology, gradient, h).unwrap();
        let error = (-q.flux_m2_s / reference - 1.0).abs();
        eprintln!("γ̇_w {wall_rate:9.3e} 1/s: relative flux error {error:.2e}");
        worst = worst.max(error);
    }
    eprintln!("worst {worst:.2e}");
    assert!(worst < 1e-9, "worst slot-flux error {worst:e}");
}

/// A Carreau fluid between rigid flat discs. Mass balance gives the flux exactly,
/// `r q(r) = −r² ḣ/2`, so `∂p/∂r` follows pointwise by inverting the slot-flux relation and
/// `p` by quadrature from the rim: `F = ∫_0^a π r² ∂p/∂r dr`, `p(0) = p_rim − ∫_0^a ∂p/∂r dr`
/// (adaptive Simpson over `r`, over `γ̇` inside the slot flux, bisection between them) — no
/// mesh, no Newton, no flow-curve inversion inside the quadrature, so it shares nothing with
/// the finite volumes but the model.
///
/// The same check in SciPy: `quad(lambda g: tau(g)*g*dtau(g), 0, gw)` for the slot flux,
/// `brentq` on `ln γ̇_w` for the gradient at each `r`, and `quad` over `r` for `F` and `p(0)`.
///
/// The finite volumes on 400 cells agree with it to a few times the achieved agreement
/// (printed), which is their own `O(Δr²)` error (the reference is converged: tightening its
/// tolerances changes nothing). On a uniform mesh: force 4.1e-6 (asserted 1e-5), centre
/// suction 9.9e-6 (asserted 2e-5). The centre converges more slowly there because the
/// Newtonian core of the film (`λγ̇ < 1`, here `r < 33 µm`) is smaller than a cell (19 µm),
/// so the profile is not yet quadratic across the first cells; an axis-graded mesh (widest
/// cell 30 times the narrowest) resolves it: centre suction 1.4e-6 (asserted 5e-6, order 2
/// on refinement), force 2.1e-5 (asserted 5e-5, coarser cells at the rim).
#[test]
fn carreau_flat_discs_match_independent_quadrature() {
    let fluid = Carreau {
        mu0: 5.0,
        mu_inf: 0.01,
        lambda: 1.0,
        n: 0.3,
    };
    let (a, h, rate) = (7.5e-3, 10e-6, 1e-6);
    let gradient = |r: f64| fluid.gradient_for_flux(0.5 * r * rate, h);
    let force = adaptive_simpson(&|r| PI * r * r * gradient(r), 0.0, a, 1e-10);
    let centre_suction = adaptive_simpson(&gradient, 0.0, a, 1e-10);
    let newtonian_mu0 = 3.0 * PI * fluid.mu0 * a.powi(4) * rate / (2.0 * h.powi(3));
    // The fluid is strongly thinned: the force is far below the zero-shear Stefan force.
    assert!(force < 0.2 * newtonian_mu0);

    for (grading, ratio, force_tol, suction_tol) in [
        (MeshGrading::Uniform, 1.0, 1e-5, 2e-5),
        (MeshGrading::Axis, 30.0, 5e-5, 5e-6),
    ] {
        let cfg = FilmConfig {
            grading,
            grading_ratio: ratio,
            ..config(
                Rheology::carreau(fluid.mu0, fluid.mu_inf, fluid.lambda, fluid.n),
                CartilageLayer::Rigid,
                400,
            )
        };
        let mut film = ReynoldsFilm::new(&cfg, a).unwrap();
        let s = step_from_rest(&mut film, h, rate, 1e-3, &[]);
        let force_error = s.film_force_n / force - 1.0;
        let suction_error = s.peak_suction_pa() / centre_suction - 1.0;
        eprintln!(
            "Carreau discs, {grading:?}: F_FV {:.6e} N, F_ref {force:.6e} N (error {force_error:.2e}); \
             centre suction FV {:.6e} Pa, ref {centre_suction:.6e} Pa (error {suction_error:.2e}); \
             Newtonian μ0 would give {newtonian_mu0:.3e} N",
            s.film_force_n,
            s.peak_suction_pa(),
        );
        assert!(force_error.abs() < force_tol, "force error {force_error:e}");
        assert!(
            suction_error.abs() < suction_tol,
            "centre suction error {suction_error:e}"
        );
        assert_eq!(
            s.min_pressure_radius_m, 0.0,
            "flat discs cavitate first on the axis"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Conservation.

/// Over a sequence of implicit steps with a moving gap (opening then closing), a growing
/// cavity near the axis, an elastic layer, a paraboloid and a shear-thinning fluid:
/// `ΔV_film = Σ (rim inflow + cavity volume rate + cartilage outflow) Δt`. Each step's
/// imbalance is `Σ R_i Δt`, the Newton residual, which converges to round-off; summed over
/// 60 steps the imbalance stays below 1e-12 of the film volume (the residual floor is a few
/// ulps of each cell's stored volume, ~1e-16 relative, times the cells and steps).
#[test]
fn volume_is_conserved_with_moving_gap_and_growing_cavity() {
    for exchange in [false, true] {
        // The draining layer is stiffer so the film stays open (drained cartilage would
        // pinch it, see `elastic_layer_changes_suction_at_a_given_rate`).
        let layer = if exchange {
            CartilageLayer::draining(1e-3, 1e9, P_ATM)
        } else {
            CartilageLayer::elastic(1e-3, 1e7, P_ATM)
        };
        let cfg = FilmConfig {
            shape: SurfaceShape::Paraboloid {
                head_radius_m: 1.0,
                base_radius_m: Some(4.0),
            },
            ..config(Rheology::default(), layer, 80)
        };
        let (a, h_rest) = (5e-3, 10e-6);
        let mut film = ReynoldsFilm::new(&cfg, a).unwrap();
        let mut state = film.compute_rest_state(h_rest, P_ATM);
        let v0 = state.compute_film_volume(film.mesh().areas_m2());
        let dt = 1e-3;
        let mut budget = 0.0;
        let mut moved = 0.0;
        let mut peak = 0.0f64;
        let mut cavity = vec![0.0; 80];
        let mut v_end = v0;
        for k in 1..=60 {
            let t = k as f64 * dt;
            let h0 = h_rest + 0.5e-6 * (2.0 * PI * t / 0.06).sin();
            for (i, c) in cavity.iter_mut().enumerate().take(4) {
                *c = 2e-12 * (1.0 + (40.0 * t).sin()) / (1.0 + i as f64);
            }
            let s = film
                .solve_step(
                    &state,
                    &FilmStepInput {
                        time_step_s: dt,
                        axis_gap_m: h0,
                        rim_pressure_pa: P_ATM,
                        cavity_volume_rate_m3_s: &cavity,
                    },
                )
                .unwrap();
            budget +=
                (s.rim_inflow_m3_s + s.cavity_volume_rate_m3_s + s.cartilage_outflow_m3_s) * dt;
            moved += s.rim_inflow_m3_s.abs() * dt;
            peak = peak.max(s.peak_suction_pa());
            v_end = s.film_volume_m3;
            state.accept(&s);
        }
        let imbalance = (v_end - v0) - budget;
        eprintln!(
            "exchange {exchange}: V0 {v0:.4e} m³, ΔV {:.4e} m³, Σ|Q|Δt {moved:.4e} m³, \
             imbalance {imbalance:.3e} m³ = {:.2e} of V0, {:.2e} of Σ|Q|Δt; peak suction {peak:.3e} Pa",
            v_end - v0,
            imbalance / v0,
            imbalance / moved
        );
        assert!(peak > 1e3, "the test must move liquid under real suction");
        assert!(
            (imbalance / v0).abs() < 1e-12,
            "imbalance {imbalance:e} of V0 {v0:e}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The elastic cartilage layer.

/// Under suction the cartilage is pulled into the film: the centre gap is
/// `h0 + 2 t_c (p − p_ref)/H_A` (round-off 1e-12 of the gap for the identity). Here the
/// layers (compliance 2e-9 m/Pa) follow the bones through a 2 µm pull and the gap stays at
/// its resting 10 µm, 17 % narrower than `h0` (asserted: > 10 %). Without the layer (rigid)
/// the gap is `h0`, and this test fails.
#[test]
fn elastic_layer_narrows_centre_gap_by_its_compliance() {
    let (a, h) = (5e-3, 10e-6);
    let layer = CartilageLayer::elastic(1e-3, 1e6, P_ATM);
    let mut film = ReynoldsFilm::new(
        &config(
            Rheology::Newtonian {
                viscosity_pa_s: 0.01,
            },
            layer,
            100,
        ),
        a,
    )
    .unwrap();
    let s = pull(&mut film, h, 2e-6, 2e-5, 40);
    let dp = s.pressure_pa[0] - P_ATM;
    let expected = s.axis_gap_m + 2.0 * 1e-3 * dp / 1e6;
    eprintln!(
        "centre: p − p_ref {dp:.3e} Pa, gap {:.4e} m, h0 {:.4e} m, h0 + 2 t_c Δp/H_A {expected:.4e} m",
        s.gap_m[0], s.axis_gap_m
    );
    assert!((s.gap_m[0] - expected).abs() < 1e-12 * s.axis_gap_m);
    assert!(
        s.gap_m[0] < 0.9 * s.axis_gap_m,
        "the layer must narrow the centre gap by > 10 %"
    );
}

/// A layer whose volume change is liquid it draws from the film narrows the gap the liquid
/// must flow through, so the suction at the same gap and separation rate is larger than
/// with rigid surfaces: with `H_A` = 15 MPa (a layer 15 times stiffer than drained
/// cartilage) the centre narrows by a third and the peak suction grows by ×1.66 (asserted:
/// narrowing > 20 %, suction and force > ×1.3). With drained cartilage (1 MPa) the
/// feedback (narrower gap, more suction, narrower gap) has no fixed point and the film
/// pinches to the asperity gap: a suction lock, ~7000 times the rigid suction. A layer that takes up gap instead first supplies volume by its own motion and
/// relieves the suction (here by more than 20 % after one step from rest). Without the
/// layer every ratio is 1, and this test fails.
#[test]
fn elastic_layer_changes_suction_at_a_given_rate() {
    let (a, h, rate) = (5e-3, 10e-6, 2e-5);
    let newtonian = Rheology::Newtonian {
        viscosity_pa_s: 0.01,
    };
    let run = |layer: CartilageLayer| {
        let mut film = ReynoldsFilm::new(&config(newtonian, layer, 100), a).unwrap();
        step_from_rest(&mut film, h, rate, 1e-3, &[])
    };
    let rigid = run(CartilageLayer::Rigid);
    let stiff = run(CartilageLayer::draining(1e-3, 1.5e7, P_ATM));
    let pinched = run(CartilageLayer::draining(1e-3, 1e6, P_ATM));
    let taking_gap = run(CartilageLayer::elastic(1e-3, 1e6, P_ATM));
    eprintln!(
        "one step at {rate} m/s, h0 {h} m: peak suction rigid {:.4e} Pa; draining 15 MPa layer \
         {:.4e} Pa (centre gap {:.3e} m); draining 1 MPa layer {:.4e} Pa (centre gap {:.3e} m); \
         gap-taking 1 MPa layer {:.4e} Pa",
        rigid.peak_suction_pa(),
        stiff.peak_suction_pa(),
        stiff.gap_m[0],
        pinched.peak_suction_pa(),
        pinched.gap_m[0],
        taking_gap.peak_suction_pa()
    );
    assert!(stiff.peak_suction_pa() > 1.3 * rigid.peak_suction_pa());
    assert!(stiff.film_force_n > 1.3 * rigid.film_force_n);
    assert!(stiff.gap_m[0] < 0.8 * h);
    assert!(pinched.gap_m[0] < 2.0 * FilmConfig::default().minimum_gap_m);
    assert!(pinched.peak_suction_pa() > 100.0 * rigid.peak_suction_pa());
    assert!(taking_gap.peak_suction_pa() < 0.8 * rigid.peak_suction_pa());
}

// ---------------------------------------------------------------------------------------
// Rate dependence and the lumped limit.

/// At the same gap, the film's peak tension grows monotonically with the separation rate:
/// a pull of 1 µm from a 10 µm resting film between rigid surfaces (the default), default
/// shear-thinning fluid, rates over five decades: each decade raises it by more than 1.5
/// (shear thinning makes the growth sub-linear, ×2.1 to ×8.7 per decade: printed).
#[test]
fn peak_suction_grows_with_separation_rate() {
    let cfg = FilmConfig {
        enabled: true,
        ..FilmConfig::default()
    };
    let mut last = 0.0;
    for rate in [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2] {
        let mut film = cfg.build(7.5e-3).unwrap().unwrap();
        let s = pull(&mut film, cfg.resting_thickness_m, 1e-6, rate, 20);
        eprintln!(
            "rate {rate:e} m/s: peak suction {:.4e} Pa at r = {:.2e} m, force {:.4e} N",
            s.peak_suction_pa(),
            s.min_pressure_radius_m,
            s.film_force_n
        );
        assert!(
            s.peak_suction_pa() > 1.5 * last,
            "suction must grow with rate"
        );
        last = s.peak_suction_pa();
    }
}

/// On drained elastic cartilage (compliance `2 t_c/H_A` = 2e-9 m/Pa) the liquid of a 10 µm
/// film needs `τ = 12 μ0 (2t_c/H_A) a²/h³` ≈ 1e4 s to flow in: at any faster pull the
/// layers follow the bones, the gap does not open, and the film holds a uniform tension
/// `opening/(2 t_c/H_A)` — a suction cup. The tension is rate-independent there (to 1e-3:
/// the liquid that does flow in over the pull, `~t/τ`), and never above that limit.
#[test]
fn compliant_film_locks_at_the_layer_spring_limit() {
    let cfg = FilmConfig {
        enabled: true,
        cartilage: CartilageLayer::default(),
        ..FilmConfig::default()
    };
    let compliance = cfg.cartilage.compliance_m_per_pa();
    let opening = 1e-6;
    let limit = opening / compliance;
    for rate in [1e-6, 1e-4, 1e-2] {
        let mut film = cfg.build(7.5e-3).unwrap().unwrap();
        let s = pull(&mut film, cfg.resting_thickness_m, opening, rate, 20);
        let spread = s
            .pressure_pa
            .iter()
            .fold(0.0f64, |m, p| m.max((p - s.pressure_pa[0]).abs()));
        eprintln!(
            "rate {rate:e} m/s: peak suction {:.6e} Pa (limit {limit:.6e} Pa), centre gap {:.4e} m, \
             spread of p across the film {spread:.2e} Pa",
            s.peak_suction_pa(),
            s.gap_m[0]
        );
        assert!(s.peak_suction_pa() <= limit * (1.0 + 1e-9));
        assert!(s.peak_suction_pa() > limit * (1.0 - 1e-3));
    }
}

/// The lumped limit: a disabled film builds no solver (today's lumped pressure), and a
/// thick film (1 mm) or a nearly inviscid fluid gives no film suction: Stefan's `h⁻³` and
/// `μ` scalings predict 1e-6 and 1e-9 of the thin film's suction at the same rate (both
/// achieved); the assertions allow 1e-5 and 1e-6.
#[test]
fn lumped_limit_has_no_film_suction() {
    assert!(FilmConfig::default().build(7.5e-3).unwrap().is_none());
    let rate = 1e-3;
    let run = |rheology: Rheology, h: f64| {
        let mut film =
            ReynoldsFilm::new(&config(rheology, CartilageLayer::Rigid, 50), 7.5e-3).unwrap();
        step_from_rest(&mut film, h, rate, 1e-3, &[])
    };
    let water_like = Rheology::Newtonian {
        viscosity_pa_s: 0.01,
    };
    let thin = run(water_like, 10e-6);
    let thick = run(water_like, 1e-3);
    let inviscid = run(
        Rheology::Newtonian {
            viscosity_pa_s: 1e-11,
        },
        10e-6,
    );
    eprintln!(
        "suction: thin {:.3e} Pa, thick {:.3e} Pa, inviscid {:.3e} Pa",
        thin.peak_suction_pa(),
        thick.peak_suction_pa(),
        inviscid.peak_suction_pa()
    );
    assert!(thin.peak_suction_pa() > 1e3);
    assert!(thick.peak_suction_pa() < 1e-5 * thin.peak_suction_pa());
    assert!(inviscid.peak_suction_pa() < 1e-6 * thin.peak_suction_pa());
    assert!(thick.film_force_n.abs() < 1e-5 * thin.film_force_n);
}

// ---------------------------------------------------------------------------------------
// Cavities.

/// A cavity growing at the centre takes up gap the liquid no longer has to fill: the peak
/// tension around it drops. With a cavity absorbing half of the central cells' opening
/// volume... here a sink of 30 % of the whole film's `A ḣ` in the 5 central cells cuts the
/// peak suction by more than 10 %, and the rim inflow by exactly the cavity's rate.
#[test]
fn cavity_at_centre_relieves_the_tension_around_it() {
    let (a, h, rate, dt) = (7.5e-3, 10e-6, 1e-5, 1e-3);
    let mut film =
        ReynoldsFilm::new(&config(Rheology::default(), CartilageLayer::Rigid, 100), a).unwrap();
    let none = step_from_rest(&mut film, h, rate, dt, &[]);
    let mut cavity = vec![0.0; 100];
    let total = 0.3 * PI * a * a * rate;
    for c in cavity.iter_mut().take(5) {
        *c = total / 5.0;
    }
    let with = step_from_rest(&mut film, h, rate, dt, &cavity);
    eprintln!(
        "peak suction without cavity {:.4e} Pa, with {:.4e} Pa; rim inflow {:.4e} -> {:.4e} m³/s",
        none.peak_suction_pa(),
        with.peak_suction_pa(),
        none.rim_inflow_m3_s,
        with.rim_inflow_m3_s
    );
    assert!(with.peak_suction_pa() < 0.9 * none.peak_suction_pa());
    // Rigid surfaces: the rim supplies the opening volume less what the cavity takes
    // (round-off of the residual, 1e-10 relative).
    assert!((none.rim_inflow_m3_s - with.rim_inflow_m3_s - total).abs() < 1e-10 * total);
}

// ---------------------------------------------------------------------------------------
// The `[film]` table.

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FilmDoc {
    film: FilmConfig,
}

impl Validate for FilmDoc {
    fn validate(&self, v: &mut Validator<'_>) {
        v.nested("film", &self.film);
    }
}

/// The table reads with defaults, rejects unknown keys, and range errors name the key.
#[test]
fn film_config_reads_defaults_and_rejects_bad_values() {
    let origin = ConfigOrigin::BuiltIn("film test");
    let doc: FilmDoc = toml::from_str("[film]\n").unwrap();
    assert_eq!(doc.film, FilmConfig::default());
    assert!(!doc.film.enabled);
    Validator::check(&origin, &doc).unwrap();

    let text = r#"
        [film]
        enabled = true
        resting_thickness_m = 5e-6
        cells = 64
        grading = "axis"
        [film.rheology]
        model = "carreau_yasuda"
        zero_shear_viscosity_pa_s = 2.0
        [film.shape]
        shape = "paraboloid"
        head_radius_m = 0.008
        base_radius_m = 0.01
        [film.cartilage]
        model = "elastic"
        aggregate_modulus_pa = 0.48e6
        exchanges_with_film = true
    "#;
    let doc: FilmDoc = toml::from_str(text).unwrap();
    Validator::check(&origin, &doc).unwrap();
    assert!(doc.film.cartilage.exchanges_with_film());
    assert_eq!(doc.film.rheology.infinite_shear_viscosity_pa_s(), 0.01);
    assert!((doc.film.shape.curvature_per_m() - (1.0 / 0.008 - 1.0 / 0.01)).abs() < 1e-9);
    assert!(doc.film.build(7e-3).unwrap().is_some());

    assert!(toml::from_str::<FilmDoc>("[film]\nthickness = 1e-6\n").is_err());
    assert!(toml::from_str::<FilmDoc>("[film.rheology]\nmodel = \"bingham\"\n").is_err());
    for (text, key) in [
        ("[film]\nminimum_gap_m = 2e-5\n", "film.minimum_gap_m"),
        ("[film]\ncells = 2\n", "film.cells"),
        (
            "[film.rheology]\nmodel = \"carreau_yasuda\"\npower_index = 0.0\n",
            "film.rheology.power_index",
        ),
        (
            "[film.rheology]\nmodel = \"carreau_yasuda\"\ninfinite_shear_viscosity_pa_s = 10.0\n",
            "film.rheology.infinite_shear_viscosity_pa_s",
        ),
        (
            "[film.shape]\nshape = \"paraboloid\"\nhead_radius_m = 0.01\nbase_radius_m = 0.005\n",
            "film.shape.base_radius_m",
        ),
        (
            "[film.cartilage]\nmodel = \"elastic\"\nlayer_thickness_m = -1.0\n",
            "film.cartilage.layer_thickness_m",
        ),
    ] {
        let doc: FilmDoc = toml::from_str(text).unwrap();
        match Validator::check(&origin, &doc) {
            Err(ConfigError::OutOfRange { key: k, .. }) => assert_eq!(k, key),
            other => panic!("{text}: expected a range error on {key}, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The rate study.

/// Centre tension `p_rim − p(0)` after the surfaces have opened by 10 % of the resting film
/// at constant rate from rest (20 implicit steps, flat MCP-sized discs `a = 7.5 mm`, 100
/// cells), against the separation rate, for resting films of 1, 10 and 100 µm, with the
/// shear-thinning fluid (μ0 = 5 Pa·s) or the Newtonian high-shear value (μ∞ = 0.01 Pa·s),
/// on rigid or elastic cartilage. `cargo test --test film -- --ignored --nocapture`.
#[test]
#[ignore = "a study: prints a table"]
fn rate_study_table() {
    let rates = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2];
    println!(
        "| film | fluid | cartilage | {} |",
        rates.map(|r| format!("{r:.0e} m/s")).join(" | ")
    );
    println!("|---|---|---|{}", "---|".repeat(rates.len()));
    for h_rest in [1e-6, 10e-6, 100e-6] {
        for (fluid_name, rheology) in [
            ("Carreau μ0 5", Rheology::default()),
            (
                "Newtonian 0.01",
                Rheology::Newtonian {
                    viscosity_pa_s: 0.01,
                },
            ),
        ] {
            for (layer_name, layer) in [
                ("rigid", CartilageLayer::Rigid),
                ("elastic", CartilageLayer::default()),
            ] {
                let cfg = FilmConfig {
                    resting_thickness_m: h_rest,
                    minimum_gap_m: 0.5e-6_f64.min(0.5 * h_rest),
                    ..config(rheology, layer, 100)
                };
                let cells: Vec<String> = rates
                    .iter()
                    .map(|&rate| {
                        let mut film = ReynoldsFilm::new(&cfg, 7.5e-3).unwrap();
                        let mut state = film.compute_rest_state(h_rest, P_ATM);
                        let steps = 20;
                        let opening = 0.1 * h_rest;
                        let dt = opening / rate / steps as f64;
                        let mut result = Ok(0.0);
                        for k in 1..=steps {
                            let input = FilmStepInput {
                                time_step_s: dt,
                                axis_gap_m: h_rest + opening * k as f64 / steps as f64,
                                rim_pressure_pa: P_ATM,
                                cavity_volume_rate_m3_s: &[],
                            };
                            match film.solve_step(&state, &input) {
                                Ok(s) => {
                                    result = Ok(s.rim_pressure_pa - s.pressure_pa[0]);
                                    state.accept(&s);
                                }
                                Err(e) => {
                                    result = Err(e);
                                    break;
                                }
                            }
                        }
                        match result {
                            Ok(t) => format!("{t:.2e}"),
                            Err(e) => format!("failed: {e}"),
                        }
                    })
                    .collect();
                println!(
                    "| {:.0} µm | {fluid_name} | {layer_name} | {} |",
                    h_rest * 1e6,
                    cells.join(" | ")
                );
            }
        }
    }
}
