//! The quasi-static traction driver: the gap `h` is a free dof of the capsule (its moving
//! rim) loaded by the protocol's force, the ligaments, the cartilage contact and the film;
//! the trapped fluid is incompressible, so its volume is held and its pressure is the
//! Lagrange multiplier. One monolithic Newton per load step solves capsule, gap and
//! pressure together.

use std::cell::Cell;

use super::joint_config::JointConfig;
use super::joint_forces::JointForces;
use super::loading_protocol::{LoadTarget, LoadingSchedule};
use super::thin_film::ThinFilm;
use crate::fem::capsule_model::Assembly;
use crate::fem::capsule_solver::step_load_path;
use crate::fem::{
    CapsuleModel, CapsuleSolver, CapsuleState, LoadCase, NewtonSettings, PressureControl,
    RimAction, SolverError,
};

/// The joint after one load step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TractionSample {
    /// Time (s).
    pub time_s: f64,
    /// Applied axial force (N); for a displacement protocol, the force it takes.
    pub applied_force_n: f64,
    /// Gap `h` (m).
    pub gap_m: f64,
    /// Fluid pressure (Pa, absolute).
    pub pressure_pa: f64,
    /// Fluid volume (m³).
    pub volume_m3: f64,
    /// Capsule membrane force on the moving bone, closing (N).
    pub membrane_force_n: f64,
    /// Fluid suction force on the moving bone, closing (N).
    pub suction_force_n: f64,
    /// Ligament force, closing (N).
    pub ligament_force_n: f64,
    /// Cartilage contact force, opening (N).
    pub contact_force_n: f64,
    /// Thin-film force, resisting the opening (N).
    pub film_force_n: f64,
    /// Largest inward radial displacement of the capsule from its resting shape (m, ≤ 0
    /// when the capsule is sucked in).
    pub inward_bow_m: f64,
    /// Largest first principal engineering strain of the capsule (from the in-situ state).
    pub max_principal_strain: f64,
}

/// What the traction keeps fixed while it runs: the joint at rest and what acts on the gap.
#[derive(Debug, Clone)]
pub struct TractionContext {
    /// Joint parameters.
    pub joint: JointConfig,
    /// Loading.
    pub schedule: LoadingSchedule,
    /// Trapped fluid volume (m³).
    pub fluid_volume_m3: f64,
    /// Resting gap (m).
    pub rest_gap_m: f64,
    /// Resting transmural pressure `p − p_tissue` (Pa).
    pub rest_transmural_pa: f64,
    /// Resting contact force (N).
    pub rest_contact_force_n: f64,
    /// Resting node positions (m).
    pub rest_nodes: Vec<f64>,
    /// Articular area `π a²` (m²).
    pub articular_area_m2: f64,
    /// The synovial film.
    pub film: ThinFilm,
}

/// Drives a joint through a loading schedule, quasi-statically.
#[derive(Debug)]
pub struct QuasiStaticTraction {
    /// The capsule solver (its model has a moving rim).
    pub solver: CapsuleSolver,
    /// The current state.
    pub state: CapsuleState,
    /// The joint at rest and its loads.
    pub context: TractionContext,
}

/// The model has no moving rim (it is not a joint geometry), or a solve failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TractionError {
    /// No rim.
    #[error("the capsule geometry is not a joint (no moving rim): use shape = \"joint\"")]
    NotAJoint,
    /// A solve failed.
    #[error(transparent)]
    Solver(#[from] SolverError),
}

impl TractionContext {
    /// Ligament, contact and film forces at gap `h` for a step of `dt` from `h_prev` (the
    /// film needs a step: none for `dt = 0`).
    pub fn compute_joint_forces(&self, h: f64, h_prev: f64, dt: f64) -> JointForces {
        let u = h - self.rest_gap_m;
        let (fl, kl) = self.joint.ligament.compute_force(u);
        let (fc, kc) =
            self.joint
                .contact
                .compute_force(u, self.rest_contact_force_n, self.articular_area_m2);
        let (ff, kf) = if dt > 0.0 {
            self.film.compute_force(h, h_prev, dt)
        } else {
            (0.0, 0.0)
        };
        JointForces {
            ligament_n: fl,
            contact_n: fc,
            film_n: ff,
            stiffness_n_per_m: -kl + kc - kf,
        }
    }

    /// The sample of a converged state.
    pub fn compute_sample(
        &self,
        model: &CapsuleModel,
        asm: &mut Assembly,
        state: &CapsuleState,
        (t, dt, h_prev): (f64, f64, f64),
    ) -> Result<TractionSample, SolverError> {
        let rim = model.rim_dof.expect("a joint model");
        model.populate_assembly(&state.x, state.dp, false, asm)?;
        let h = state.x[rim] - model.gap_offset_m;
        let membrane = asm.force[rim];
        let suction = -state.dp * asm.volume_gradient[rim];
        let forces = self.compute_joint_forces(h, h_prev, dt);
        let applied = match self.schedule.compute_target(t) {
            LoadTarget::Force(f) => f,
            LoadTarget::Opening(_) => forces.add_closing_to(membrane + suction),
        };
        let mut bow = 0.0f64;
        let nodes = model.mesh.nodes();
        for i in 1..nodes - 1 {
            bow = bow.min(state.x[2 * i] - self.rest_nodes[2 * i]);
        }
        Ok(TractionSample {
            time_s: t,
            applied_force_n: applied,
            gap_m: h,
            pressure_pa: model.tissue_pressure_pa + state.dp,
            volume_m3: asm.volume,
            membrane_force_n: membrane,
            suction_force_n: suction,
            ligament_force_n: forces.ligament_n,
            contact_force_n: forces.contact_n,
            film_force_n: forces.film_n,
            inward_bow_m: bow,
            max_principal_strain: model.compute_max_principal_strain(&state.x),
        })
    }
}

impl QuasiStaticTraction {
    /// Sets the joint at rest: the capsule holds the fluid volume of its reference shape
    /// (volume control finds the resting pressure), and the cartilage carries whatever
    /// closing force capsule, fluid and ligaments exert there.
    pub fn new(
        model: CapsuleModel,
        settings: NewtonSettings,
        joint: JointConfig,
        schedule: LoadingSchedule,
        articular_radius_m: f64,
    ) -> Result<Self, TractionError> {
        let rim = model.rim_dof.ok_or(TractionError::NotAJoint)?;
        let mut solver = CapsuleSolver::new(model, settings);
        let mut state = solver.reference_state();
        let fluid_volume_m3 = solver.model.compute_volume(&state.x);
        solver.solve(
            &mut state,
            &LoadCase::held(PressureControl::Volume(fluid_volume_m3)),
        )?;
        let response = solver.compute_response(&state)?;
        let rest_gap_m = state.x[rim] - solver.model.gap_offset_m;
        let (lig, _) = joint.ligament.compute_force(0.0);
        let context = TractionContext {
            rest_contact_force_n: (response.axial_force_n + lig).max(0.0),
            film: ThinFilm {
                viscosity_pa_s: joint.film_viscosity_pa_s,
                radius_m: articular_radius_m,
            },
            joint,
            schedule,
            fluid_volume_m3,
            rest_gap_m,
            rest_transmural_pa: state.dp,
            rest_nodes: state.x.clone(),
            articular_area_m2: std::f64::consts::PI * articular_radius_m * articular_radius_m,
        };
        Ok(Self {
            solver,
            state,
            context,
        })
    }

    /// Runs the schedule in `steps` equal time steps (each cut in half up to `max_cuts`
    /// times on failure) and returns one sample per converged step, the resting state first.
    /// On failure the error names the last converged time.
    pub fn run(
        &mut self,
        steps: usize,
        max_cuts: usize,
    ) -> Result<Vec<TractionSample>, SolverError> {
        let ctx = &self.context;
        let rim = self.solver.model.rim_dof.expect("checked in new");
        let offset = self.solver.model.gap_offset_m;
        let mut asm = self.solver.model.new_assembly();
        let mut samples = vec![ctx.compute_sample(
            &self.solver.model,
            &mut asm,
            &self.state,
            (0.0, 0.0, ctx.rest_gap_m),
        )?];
        let last_t = Cell::new(0.0);
        let last_gap = Cell::new(ctx.rest_gap_m);
        let mut sample_error: Option<SolverError> = None;
        step_load_path(
            &mut self.solver,
            &mut self.state,
            "time_s",
            (0.0, ctx.schedule.duration_s()),
            steps,
            max_cuts,
            |solver, state, t| {
                let dt = t - last_t.get();
                let h_prev = last_gap.get();
                match ctx.schedule.compute_target(t) {
                    LoadTarget::Force(f) => {
                        let load = |z: f64| {
                            let forces = ctx.compute_joint_forces(z - offset, h_prev, dt);
                            (forces.add_opening_to(f), forces.stiffness_n_per_m)
                        };
                        let case = LoadCase {
                            pressure: PressureControl::Volume(ctx.fluid_volume_m3),
                            rim: RimAction::Loaded(&load),
                            affine: None,
                        };
                        solver.solve(state, &case)
                    }
                    LoadTarget::Opening(u) => {
                        state.x[rim] = ctx.rest_gap_m + u + offset;
                        let case = LoadCase::held(PressureControl::Volume(ctx.fluid_volume_m3));
                        solver.solve(state, &case)
                    }
                }
            },
            |solver, state, t| {
                let dt = t - last_t.get();
                match ctx.compute_sample(&solver.model, &mut asm, state, (t, dt, last_gap.get())) {
                    Ok(s) => samples.push(s),
                    Err(e) => {
                        sample_error.get_or_insert(e);
                    }
                }
                last_t.set(t);
                last_gap.set(state.x[rim] - offset);
            },
        )?;
        match sample_error {
            Some(e) => Err(e),
            None => Ok(samples),
        }
    }
}
