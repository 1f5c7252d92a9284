//! Newton's method for the capsule: pressure control, or volume control with the pressure as
//! a Lagrange multiplier (bordered system, so limit points are passed), a free or held
//! moving rim with an external axial load, backtracking line search, and load stepping that
//! cuts failed steps and reports failure as an error.

use super::banded_matrix::BandedMatrix;
use super::capsule_model::{Assembly, CapsuleModel, InvertedElement};
use super::solver_error::SolverError;

/// The unknowns: node positions and the transmural pressure.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CapsuleState {
    /// Nodal positions `[r0, z0, r1, z1, …]` (m).
    pub x: Vec<f64>,
    /// Transmural pressure `Δp = p − p_tissue` (Pa): fluid pressure minus tissue pressure.
    pub dp: f64,
}

/// How the fluid pressure is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PressureControl {
    /// Prescribed transmural pressure `Δp` (Pa).
    Pressure(f64),
    /// Prescribed fluid volume (m³); `Δp` is the Lagrange multiplier.
    Volume(f64),
}

/// A load on the free moving rim: given its axial position `z` (m), the external force along
/// `+z` (N) and its derivative `dF/dz` (N/m).
pub type RimLoad<'a> = &'a dyn Fn(f64) -> (f64, f64);

/// What acts on the moving rim dof.
#[derive(Clone, Copy)]
pub enum RimAction<'a> {
    /// Held at its current position (also when the model has no rim).
    Held,
    /// Free, loaded by a (possibly position-dependent) external force.
    Loaded(RimLoad<'a>),
}

impl std::fmt::Debug for RimAction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Held => write!(f, "Held"),
            Self::Loaded(_) => write!(f, "Loaded(..)"),
        }
    }
}

/// Extra residual terms affine in `x`, `diag ∘ x + M x − rhs` (the inertia and damping of an
/// implicit time step).
#[derive(Debug, Clone, Copy)]
pub struct AffineTerms<'a> {
    /// Diagonal coefficients (N/m).
    pub diagonal: &'a [f64],
    /// An optional banded matrix (N/m).
    pub matrix: Option<&'a BandedMatrix>,
    /// Constant part (N).
    pub rhs: &'a [f64],
}

/// One equilibrium problem.
#[derive(Debug, Clone, Copy)]
pub struct LoadCase<'a> {
    /// Pressure or volume control.
    pub pressure: PressureControl,
    /// The moving rim.
    pub rim: RimAction<'a>,
    /// Inertial terms of a time step, if any.
    pub affine: Option<AffineTerms<'a>>,
}

impl LoadCase<'_> {
    /// A static case with the rim held.
    pub fn held(pressure: PressureControl) -> Self {
        Self {
            pressure,
            rim: RimAction::Held,
            affine: None,
        }
    }
}

/// Newton parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonSettings {
    /// Convergence when `‖R‖∞ ≤ tol · F_scale` and `|V − V_target| ≤ tol · V_scale`.
    pub tolerance: f64,
    /// Iteration limit.
    pub max_iterations: usize,
    /// Backtracking halvings per iteration.
    pub max_line_search_halvings: usize,
}

impl Default for NewtonSettings {
    fn default() -> Self {
        Self {
            tolerance: 1e-10,
            max_iterations: 40,
            max_line_search_halvings: 12,
        }
    }
}

/// How a converged solve went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonReport {
    /// Iterations taken (0: the start already satisfied the tolerance).
    pub iterations: usize,
    /// Final scaled residual.
    pub residual: f64,
}

/// The capsule's answer for a given gap `h` and fluid pressure `p`: the interface of the
/// pressure closure.
#[derive(Debug, Clone, PartialEq)]
pub struct CapsuleResponse {
    /// Nodal positions (m).
    pub nodes: Vec<f64>,
    /// Enclosed fluid volume (m³).
    pub volume_m3: f64,
    /// `∂V/∂p` at fixed `h` (m³/Pa): the capsule's compliance.
    pub dv_dp: f64,
    /// `∂V/∂h` at fixed `p` (m²).
    pub dv_dh: f64,
    /// Axial force of capsule and fluid on the moving bone, towards the fixed bone (N):
    /// `∂Π/∂z_rim − Δp ∂V/∂z_rim`, the force conjugate to `h`.
    pub axial_force_n: f64,
    /// The membrane's share, `∂Π/∂z_rim` (N).
    pub membrane_force_n: f64,
    /// The fluid's share, `−Δp ∂V/∂z_rim` (N): the suction `(p_tissue − p) A`.
    pub suction_force_n: f64,
    /// `∂F/∂h` at fixed `p` (N/m).
    pub dforce_dh: f64,
    /// `∂F/∂p` at fixed `h` (m²).
    pub dforce_dp: f64,
}

/// Owns the scratch of the Newton iteration for one model.
#[derive(Debug, Clone)]
pub struct CapsuleSolver {
    /// The model.
    pub model: CapsuleModel,
    /// Newton parameters.
    pub settings: NewtonSettings,
    asm: Assembly,
    trial: Assembly,
    held_static: Vec<bool>,
    residual: Vec<f64>,
    work_a: Vec<f64>,
    work_b: Vec<f64>,
    dx: Vec<f64>,
    x_trial: Vec<f64>,
    affine_product: Vec<f64>,
}

impl CapsuleSolver {
    /// A solver for `model`.
    pub fn new(model: CapsuleModel, settings: NewtonSettings) -> Self {
        let n = model.dofs();
        let mut held_static = vec![false; n];
        for d in model.held_dofs() {
            held_static[d] = true;
        }
        Self {
            asm: model.new_assembly(),
            trial: model.new_assembly(),
            model,
            settings,
            held_static,
            residual: vec![0.0; n],
            work_a: vec![0.0; n],
            work_b: vec![0.0; n],
            dx: vec![0.0; n],
            x_trial: vec![0.0; n],
            affine_product: vec![0.0; n],
        }
    }

    /// The reference state: the mesh, at `Δp = 0`.
    pub fn reference_state(&self) -> CapsuleState {
        CapsuleState {
            x: self.model.mesh.reference.clone(),
            dp: 0.0,
        }
    }

    fn is_held(&self, i: usize, case: &LoadCase<'_>) -> bool {
        self.held_static[i]
            && !(matches!(case.rim, RimAction::Loaded(_)) && self.model.rim_dof == Some(i))
    }

    /// Residual into `self.residual` from the assembly `asm` at `(x, dp)`; returns the
    /// scaled merit `(‖R‖₂/F)² + (c/V)²` and the scaled ∞-norm.
    fn compute_residual(
        &mut self,
        use_trial: bool,
        x: &[f64],
        dp: f64,
        case: &LoadCase<'_>,
        scales: (f64, f64),
    ) -> (f64, f64) {
        let n = self.model.dofs();
        let asm = if use_trial { &self.trial } else { &self.asm };
        for i in 0..n {
            self.residual[i] = asm.force[i] - dp * asm.volume_gradient[i];
        }
        if let (RimAction::Loaded(load), Some(d)) = (case.rim, self.model.rim_dof) {
            self.residual[d] -= load(x[d]).0;
        }
        if let Some(aff) = case.affine {
            self.affine_product.iter_mut().for_each(|v| *v = 0.0);
            if let Some(m) = aff.matrix {
                m.accumulate_product_into(1.0, x, &mut self.affine_product);
            }
            for i in 0..n {
                self.residual[i] += aff.diagonal[i] * x[i] + self.affine_product[i] - aff.rhs[i];
            }
        }
        for i in 0..n {
            if self.is_held(i, case) {
                self.residual[i] = 0.0;
            }
        }
        let volume = asm.volume;
        let c = match case.pressure {
            PressureControl::Volume(v) => (volume - v) / scales.1,
            PressureControl::Pressure(_) => 0.0,
        };
        let mut sq = 0.0;
        let mut inf = c.abs();
        for r in &self.residual {
            let s = r / scales.0;
            sq += s * s;
            inf = inf.max(s.abs());
        }
        (sq + c * c, inf)
    }

    /// Solves the equilibrium of `case` starting from `state`, which is updated in place (and
    /// left unchanged on error). Held dofs keep their values in `state.x`.
    pub fn solve(
        &mut self,
        state: &mut CapsuleState,
        case: &LoadCase<'_>,
    ) -> Result<NewtonReport, SolverError> {
        let start = state.clone();
        let result = self.solve_inner(state, case);
        if result.is_err() {
            *state = start;
        }
        result
    }

    fn scales(&self, dp: f64, case: &LoadCase<'_>) -> (f64, f64) {
        let l = self.model.length_scale();
        let f = self.model.force_scale() + dp.abs() * l * l;
        let v = match case.pressure {
            PressureControl::Volume(v) => v.abs(),
            PressureControl::Pressure(_) => 0.0,
        } + 1e-3 * l * l * l;
        (f, v)
    }

    fn solve_inner(
        &mut self,
        state: &mut CapsuleState,
        case: &LoadCase<'_>,
    ) -> Result<NewtonReport, SolverError> {
        if let PressureControl::Pressure(p) = case.pressure {
            state.dp = p;
        }
        let n = self.model.dofs();
        let tol = self.settings.tolerance;
        let scales = self.scales(state.dp, case);
        let volume_control = matches!(case.pressure, PressureControl::Volume(_));
        let mut merit = f64::NAN;
        let mut inf = f64::NAN;
        for iteration in 0..=self.settings.max_iterations {
            self.model
                .populate_assembly(&state.x, state.dp, true, &mut self.asm)?;
            (merit, inf) = self.compute_residual(false, &state.x, state.dp, case, scales);
            if !merit.is_finite() {
                return Err(SolverError::NonFinite { what: "residual" });
            }
            if inf <= tol {
                return Ok(NewtonReport {
                    iterations: iteration,
                    residual: inf,
                });
            }
            if iteration == self.settings.max_iterations {
                break;
            }
            // Tangent with the rim load, the affine terms and the held dofs.
            let k = &mut self.asm.tangent;
            if let (RimAction::Loaded(load), Some(d)) = (case.rim, self.model.rim_dof) {
                k.add(d, d, -load(state.x[d]).1);
            }
            if let Some(aff) = case.affine {
                for i in 0..n {
                    k.add(i, i, aff.diagonal[i]);
                }
                if let Some(m) = aff.matrix {
                    let b = m.band();
                    for i in 0..n {
                        for j in i.saturating_sub(b)..=(i + b).min(n - 1) {
                            k.add(i, j, m.get(i, j));
                        }
                    }
                }
            }
            for i in 0..n {
                let held = self.held_static[i]
                    && !(matches!(case.rim, RimAction::Loaded(_)) && self.model.rim_dof == Some(i));
                if held {
                    self.asm.tangent.set_identity_row_col(i);
                    self.asm.volume_gradient[i] = 0.0;
                }
            }
            self.asm.tangent.factor()?;
            self.work_a.copy_from_slice(&self.residual);
            self.asm.tangent.solve_in_place(&mut self.work_a);
            let mut ddp = 0.0;
            if volume_control {
                let PressureControl::Volume(target) = case.pressure else {
                    unreachable!()
                };
                self.work_b.copy_from_slice(&self.asm.volume_gradient);
                self.asm.tangent.solve_in_place(&mut self.work_b);
                let vtb: f64 = dot(&self.asm.volume_gradient, &self.work_b);
                let vta: f64 = dot(&self.asm.volume_gradient, &self.work_a);
                if vtb == 0.0 || !vtb.is_finite() {
                    return Err(SolverError::SingularConstraint(vtb));
                }
                let c = self.asm.volume - target;
                ddp = (vta - c) / vtb;
                for i in 0..n {
                    self.dx[i] = -self.work_a[i] + self.work_b[i] * ddp;
                }
            } else {
                for i in 0..n {
                    self.dx[i] = -self.work_a[i];
                }
            }
            // Backtracking line search on the scaled merit.
            let mut alpha = 1.0;
            let mut accepted = false;
            let mut last_inverted: Option<InvertedElement> = None;
            for _ in 0..=self.settings.max_line_search_halvings {
                for i in 0..n {
                    self.x_trial[i] = state.x[i] + alpha * self.dx[i];
                }
                let dp_trial = state.dp + alpha * ddp;
                let x_trial = std::mem::take(&mut self.x_trial);
                let ok = self
                    .model
                    .populate_assembly(&x_trial, dp_trial, false, &mut self.trial);
                let trial_merit = match ok {
                    Ok(()) => {
                        self.compute_residual(true, &x_trial, dp_trial, case, scales)
                            .0
                    }
                    Err(e) => {
                        last_inverted = Some(e);
                        f64::INFINITY
                    }
                };
                self.x_trial = x_trial;
                if trial_merit.is_finite() && trial_merit <= (1.0 - 1e-4 * alpha) * merit {
                    state.x.copy_from_slice(&self.x_trial);
                    state.dp = dp_trial;
                    accepted = true;
                    break;
                }
                alpha *= 0.5;
            }
            if !accepted {
                // At round-off level the merit cannot decrease any more: accept convergence
                // only if the residual is already within 100 × tolerance, or within the
                // floating-point floor of a stiff rim load (the inertia `m/Δt²` of a
                // microsecond step times one ulp of the rim position is ~1e-7 N).
                let rim_floor = match (case.rim, self.model.rim_dof) {
                    (RimAction::Loaded(load), Some(d)) => {
                        1e3 * f64::EPSILON * load(state.x[d]).1.abs() * state.x[d].abs() / scales.0
                    }
                    _ => 0.0,
                };
                if inf <= 100.0 * tol || inf <= rim_floor {
                    return Ok(NewtonReport {
                        iterations: iteration,
                        residual: inf,
                    });
                }
                return Err(SolverError::LineSearchFailed {
                    iteration,
                    residual: inf,
                    inverted: last_inverted,
                });
            }
        }
        let _ = merit;
        Err(SolverError::NotConverged {
            iterations: self.settings.max_iterations,
            residual: inf,
            tolerance: tol,
        })
    }

    /// Solves at gap `h` (m; ignored without a rim) and absolute fluid pressure `p` (Pa),
    /// starting from `state`, and returns the pressure-closure interface.
    pub fn solve_response(
        &mut self,
        state: &mut CapsuleState,
        h: f64,
        pressure_pa: f64,
    ) -> Result<CapsuleResponse, SolverError> {
        if let Some(d) = self.model.rim_dof {
            state.x[d] = h + self.model.gap_offset_m;
        }
        let dp = pressure_pa - self.model.tissue_pressure_pa;
        self.solve(state, &LoadCase::held(PressureControl::Pressure(dp)))?;
        self.compute_response(state)
    }

    /// The interface quantities at a converged state with the rim held (sensitivities by
    /// the implicit function theorem on the tangent).
    pub fn compute_response(
        &mut self,
        state: &CapsuleState,
    ) -> Result<CapsuleResponse, SolverError> {
        let n = self.model.dofs();
        self.model
            .populate_assembly(&state.x, state.dp, true, &mut self.asm)?;
        let v = self.asm.volume_gradient.clone();
        let (mut col, f_rim, v_rim, k_rr) = match self.model.rim_dof {
            Some(d) => {
                let col: Vec<f64> = (0..n).map(|i| self.asm.tangent.get(i, d)).collect();
                (col, self.asm.force[d], v[d], self.asm.tangent.get(d, d))
            }
            None => (vec![0.0; n], 0.0, 0.0, 0.0),
        };
        let mut vf = v.clone();
        for i in 0..n {
            if self.held_static[i] {
                self.asm.tangent.set_identity_row_col(i);
                vf[i] = 0.0;
                col[i] = 0.0;
            }
        }
        self.asm.tangent.factor()?;
        // du/dp = K⁻¹ v, du/dh = −K⁻¹ K[:, rim].
        let mut du_dp = vf.clone();
        self.asm.tangent.solve_in_place(&mut du_dp);
        let mut du_dh = col.clone();
        self.asm.tangent.solve_in_place(&mut du_dh);
        du_dh.iter_mut().for_each(|v| *v = -*v);
        let dv_dp = dot(&vf, &du_dp);
        let dv_dh = v_rim + dot(&vf, &du_dh);
        // F = ∂Π/∂z_rim − Δp ∂V/∂z_rim; its row of the tangent is the column `col` (symmetric).
        let dforce_dh = k_rr + dot(&col, &du_dh);
        let dforce_dp = -v_rim + dot(&col, &du_dp);
        Ok(CapsuleResponse {
            nodes: state.x.clone(),
            volume_m3: self.asm.volume,
            dv_dp,
            dv_dh,
            axial_force_n: f_rim - state.dp * v_rim,
            membrane_force_n: f_rim,
            suction_force_n: -state.dp * v_rim,
            dforce_dh,
            dforce_dp,
        })
    }
}

/// Steps a load parameter from `from` to `to` in `steps` equal steps, calling
/// `solve_at(solver, state, value)` for each; a failed step is retried with half the
/// increment (the state restored), up to `max_cuts` consecutive halvings, after which the
/// failure is returned as [`SolverError::LoadStep`]. `on_step` sees every converged state.
pub fn step_load_path(
    solver: &mut CapsuleSolver,
    state: &mut CapsuleState,
    parameter: &str,
    (from, to): (f64, f64),
    steps: usize,
    max_cuts: usize,
    mut solve_at: impl FnMut(
        &mut CapsuleSolver,
        &mut CapsuleState,
        f64,
    ) -> Result<NewtonReport, SolverError>,
    mut on_step: impl FnMut(&CapsuleSolver, &CapsuleState, f64),
) -> Result<(), SolverError> {
    let full = (to - from) / steps.max(1) as f64;
    let mut ds = full;
    let mut s = from;
    let mut cuts = 0usize;
    let mut successes = 0usize;
    while (to - s) * full.signum() > 1e-12 * full.abs() {
        let next = if (to - s).abs() <= ds.abs() * (1.0 + 1e-9) {
            to
        } else {
            s + ds
        };
        let saved = state.clone();
        match solve_at(solver, state, next) {
            Ok(_) => {
                s = next;
                on_step(solver, state, s);
                successes += 1;
                if cuts > 0 && successes >= 2 && ds.abs() < full.abs() {
                    ds *= 2.0;
                    cuts -= 1;
                    successes = 0;
                }
            }
            Err(e) => {
                *state = saved;
                cuts += 1;
                successes = 0;
                if cuts > max_cuts {
                    return Err(SolverError::LoadStep {
                        parameter: parameter.to_string(),
                        target: next,
                        reached: s,
                        cuts: max_cuts,
                        source: Box::new(e),
                    });
                }
                ds *= 0.5;
            }
        }
    }
    Ok(())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
