//! Implicit dynamics of the capsule for the crack: lumped mass, Rayleigh damping, Newmark's
//! scheme (average acceleration by default: unconditionally stable, second order, no
//! numerical dissipation), each step solved by the same Newton as the statics, with the
//! volume constraint when the fluid is trapped.
//!
//! `M a + C v + f_int(x) − Δp ∂V/∂x = f_ext`, `C = α M + β K₀` (`K₀` the tangent at the
//! start of the step), `x_{n+1} = x_n + Δt v_n + Δt² ((½ − β_N) a_n + β_N a_{n+1})`,
//! `v_{n+1} = v_n + Δt ((1 − γ) a_n + γ a_{n+1})`.

use super::banded_matrix::BandedMatrix;
use super::capsule_solver::{
    AffineTerms, CapsuleSolver, CapsuleState, LoadCase, NewtonReport, PressureControl, RimAction,
};
use super::solver_error::SolverError;

/// Newmark and Rayleigh parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewmarkSettings {
    /// Newmark `β` (default 1/4).
    pub beta: f64,
    /// Newmark `γ` (default 1/2).
    pub gamma: f64,
    /// Mass-proportional Rayleigh coefficient `α` (1/s).
    pub rayleigh_mass_per_s: f64,
    /// Stiffness-proportional Rayleigh coefficient `β` (s).
    pub rayleigh_stiffness_s: f64,
}

impl Default for NewmarkSettings {
    fn default() -> Self {
        Self {
            beta: 0.25,
            gamma: 0.5,
            rayleigh_mass_per_s: 0.0,
            rayleigh_stiffness_s: 0.0,
        }
    }
}

/// Positions, velocities, accelerations and pressure.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicState {
    /// Positions and transmural pressure.
    pub state: CapsuleState,
    /// Nodal velocities (m/s).
    pub velocity: Vec<f64>,
    /// Nodal accelerations (m/s²).
    pub acceleration: Vec<f64>,
}

impl DynamicState {
    /// At rest in `state`.
    pub fn at_rest(state: CapsuleState) -> Self {
        let n = state.x.len();
        Self {
            state,
            velocity: vec![0.0; n],
            acceleration: vec![0.0; n],
        }
    }
}

/// Steps a capsule in time.
#[derive(Debug, Clone)]
pub struct NewmarkIntegrator {
    /// Parameters.
    pub settings: NewmarkSettings,
    /// Lumped mass per dof (kg), the rim's effective bone mass included.
    pub mass: Vec<f64>,
    diagonal: Vec<f64>,
    rhs: Vec<f64>,
    damping_matrix: Option<BandedMatrix>,
}

impl NewmarkIntegrator {
    /// Lumped capsule mass plus `rim_mass_kg` on the moving rim dof.
    pub fn new(solver: &CapsuleSolver, settings: NewmarkSettings, rim_mass_kg: f64) -> Self {
        let mut mass = solver.model.compute_lumped_mass();
        if let Some(d) = solver.model.rim_dof {
            mass[d] += rim_mass_kg;
        }
        let n = mass.len();
        Self {
            settings,
            mass,
            diagonal: vec![0.0; n],
            rhs: vec![0.0; n],
            damping_matrix: None,
        }
    }

    /// Kinetic energy `½ vᵀ M v` (J).
    pub fn compute_kinetic_energy(&self, velocity: &[f64]) -> f64 {
        0.5 * self
            .mass
            .iter()
            .zip(velocity)
            .map(|(m, v)| m * v * v)
            .sum::<f64>()
    }

    /// Advances `ds` by `dt` (s). Held dofs keep the values the caller put in
    /// `ds.state.x` before the call (prescribed motion); on error `ds` is unchanged.
    pub fn step(
        &mut self,
        solver: &mut CapsuleSolver,
        ds: &mut DynamicState,
        dt: f64,
        pressure: PressureControl,
        rim: RimAction<'_>,
    ) -> Result<NewtonReport, SolverError> {
        let NewmarkSettings {
            beta,
            gamma,
            rayleigh_mass_per_s: alpha,
            rayleigh_stiffness_s: beta_r,
        } = self.settings;
        let n = self.mass.len();
        let c0 = 1.0 / (beta * dt * dt);
        let c1 = gamma / (beta * dt);
        let x_n = ds.state.x.clone();
        let (v_n, a_n) = (&ds.velocity, &ds.acceleration);
        // a_{n+1} = c0 (x − x_n) − v_n/(β dt) − (1/(2β) − 1) a_n
        // v_{n+1} = c1 (x − x_n) + (1 − γ/β) v_n + dt (1 − γ/(2β)) a_n
        let mut w = vec![0.0; n];
        for i in 0..n {
            let ma = c0 * x_n[i] + v_n[i] / (beta * dt) + (0.5 / beta - 1.0) * a_n[i];
            w[i] = c1 * x_n[i]
                - (1.0 - gamma / beta) * v_n[i]
                - dt * (1.0 - 0.5 * gamma / beta) * a_n[i];
            self.diagonal[i] = self.mass[i] * (c0 + alpha * c1);
            self.rhs[i] = self.mass[i] * (ma + alpha * w[i]);
        }
        if beta_r > 0.0 {
            let mut asm = solver.model.new_assembly();
            solver
                .model
                .populate_assembly(&x_n, ds.state.dp, true, &mut asm)?;
            let mut k = asm.tangent;
            let mut kw = vec![0.0; n];
            k.accumulate_product_into(beta_r, &w, &mut kw);
            for i in 0..n {
                self.rhs[i] += kw[i];
            }
            // Scale K₀ by β c1 for the tangent.
            let mut scaled = BandedMatrix::zeros(n, k.band());
            let b = k.band();
            for i in 0..n {
                for j in i.saturating_sub(b)..=(i + b).min(n - 1) {
                    scaled.add(i, j, beta_r * c1 * k.get(i, j));
                }
            }
            k = scaled;
            self.damping_matrix = Some(k);
        } else {
            self.damping_matrix = None;
        }
        let case = LoadCase {
            pressure,
            rim,
            affine: Some(AffineTerms {
                diagonal: &self.diagonal,
                matrix: self.damping_matrix.as_ref(),
                rhs: &self.rhs,
            }),
        };
        let report = solver.solve(&mut ds.state, &case)?;
        for i in 0..n {
            let dx = ds.state.x[i] - x_n[i];
            let a_new =
                c0 * dx - ds.velocity[i] / (beta * dt) - (0.5 / beta - 1.0) * ds.acceleration[i];
            let v_new = ds.velocity[i] + dt * ((1.0 - gamma) * ds.acceleration[i] + gamma * a_new);
            ds.acceleration[i] = a_new;
            ds.velocity[i] = v_new;
        }
        Ok(report)
    }
}
