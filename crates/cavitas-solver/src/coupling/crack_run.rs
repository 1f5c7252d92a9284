//! The coupled solve: adaptive macro steps of the joint (gap with inertia), the capsule
//! (quasi-static finite elements) and the bubbles, tied by the fluid pressure.
//!
//! Each macro step `[t, t + Δt]` finds the end pressure `p₁` such that the capsule encloses
//! the fluid and the gas, `V_enclosed(h, capsule) = V_f + V_gas(p₁)`, where the bubbles are
//! sub-cycled over the step under the pressure linear from `p₀` to `p₁`:
//!
//! 1. advance the bubbles from the step's start under the trial `p_k` → `V_gas,k`;
//! 2. solve capsule and gap (one monolithic Newton, volume control) for that volume →
//!    the capsule's pressure `p_cap,k`;
//! 3. update `p_{k+1} = (C p_cap,k − B p_k) / (C − B)` with the capsule–joint compliance
//!    `C = dV/dp` (from the FE tangent) and the bubbles' `B = dV_gas/dp` (secant), the
//!    Newton step of `p = p_cap(V_gas(p))`.
//!
//! Steps adapt to the pressure change, the relative gas volume change, the gap's local
//! error, the load change and the protocol's corners; Blake thresholds are located in time.

use std::collections::BTreeMap;

use crate::acoustics::{AcousticRecorder, SourceSample};
use crate::bubbles::backend::{BackendDescription, BubbleBackend};
use crate::bubbles::nuclei::proportions;
use crate::bubbles::per_species::PerSpecies;
use crate::bubbles::run::BubbleError;
use crate::fem::{CapsuleSolver, CapsuleState, LoadCase, PressureControl, RimAction, SolverError};
use crate::joint::quasi_static_traction::TractionContext;
use crate::joint::{LoadTarget, LoadingSchedule, QuasiStaticTraction};

use super::cavity_population::{CavityPopulation, GasTotals, PopulationSnapshot, PopulationSpec};
use super::crack_checkpoint::{CrackCheckpoint, CrackCheckpointError};
use super::crack_events::{CrackEvent, CrackEventKind, CrackMonitor};
use super::crack_scenario::CrackScenario;
use super::gap_motion::GapMotion;
use super::released_gas::compute_gas_volume_at_reference_m3;
use super::step_control::{StepChanges, StepController, StepVerdict};
use crate::config::{ConfigError, ConfigOrigin};

/// Why a coupled run stopped.
#[derive(Debug, thiserror::Error)]
pub enum CrackError {
    /// The capsule geometry could not be meshed.
    #[error("capsule geometry: {0}")]
    Geometry(String),
    /// The capsule or joint could not be set up at rest.
    #[error("setting the joint at rest")]
    Rest(#[source] crate::joint::quasi_static_traction::TractionError),
    /// The bubble field failed.
    #[error(transparent)]
    Bubbles(#[from] BubbleError),
    /// The capsule's sensitivities could not be evaluated at an accepted state.
    #[error("capsule at t = {time_s:.9e} s")]
    Capsule {
        time_s: f64,
        #[source]
        source: SolverError,
    },
    /// The acoustic record refused a sample.
    #[error("acoustics: {0}")]
    Acoustics(String),
    /// The loading could not be resolved (a tabulated pulse file).
    #[error(transparent)]
    Loading(#[from] ConfigError),
    /// A checkpoint could not be restored.
    #[error(transparent)]
    Checkpoint(#[from] CrackCheckpointError),
    /// The step size fell below `coupling.min_step_s`.
    #[error(
        "at t = {time_s:.9e} s the macro step fell below coupling.min_step_s = {min_step_s:e} s \
         (last failure: {reason}); loosen the coupling tolerances or check the scenario"
    )]
    StepTooSmall {
        time_s: f64,
        min_step_s: f64,
        reason: String,
    },
}

/// What the joint is doing, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// No cavity: the joint creeps and the fluid goes into tension.
    Creep,
    /// Bubbles are integrated dynamically: cavitation and ringing.
    Crack,
    /// A cavity sits in equilibrium and exchanges gas.
    Cavity,
}

/// One accepted macro step.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JointSample {
    /// Time (s).
    pub time_s: f64,
    /// Gap `h` (m).
    pub gap_m: f64,
    /// Gap speed (m/s).
    pub gap_speed_m_s: f64,
    /// Applied axial force (N); for an opening protocol, the force it takes.
    pub force_n: f64,
    /// Fluid pressure (Pa, absolute).
    pub pressure_pa: f64,
    /// Volume the capsule encloses (m³).
    pub capsule_volume_m3: f64,
    /// Volume of all bubbles (m³): the cavity, water vapour and non-condensable gas
    /// together, and the dormant nuclei.
    pub cavity_volume_m3: f64,
    /// The water vapour's share of that volume (m³; Amagat partial volume, see
    /// [`CavityPopulation::vapour_volume_m3`]).
    pub vapour_volume_m3: f64,
    /// Volume the bubbles' non-condensable gas would fill at 1 atm and 37 °C (m³; ideal gas
    /// with the model's co-volume, [`super::released_gas`]).
    pub gas_volume_at_1atm_m3: f64,
    /// Second derivative of the dynamic bubbles' volume (m³/s²).
    pub gas_volume_acceleration_m3_s2: f64,
    /// Gas in bubbles per species (mol).
    pub bubble_gas_mol: PerSpecies<f64>,
    /// Gas dissolved in the fluid per species (mol).
    pub dissolved_gas_mol: PerSpecies<f64>,
    /// Gas the fluid has gained from the blood by perfusion since the start, per species
    /// (mol; negative when carried away): `bubble + dissolved − perfusion` is the initial
    /// gas, to rounding.
    pub perfusion_gas_mol: PerSpecies<f64>,
    /// Dynamic bubbles.
    pub dynamic_bubbles: u32,
    /// Phase.
    pub phase: Phase,
}

/// Counters of the solve.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct StepStatistics {
    /// Accepted macro steps.
    pub accepted: u64,
    /// Rejected macro steps (error too large, threshold located, solve failed).
    pub rejected: u64,
    /// Pressure-closure iterations over accepted steps.
    pub closure_iterations: u64,
    /// Smallest accepted step (s).
    pub min_step_s: f64,
}

/// A coupled run of one joint.
pub struct CrackRun {
    scenario: CrackScenario,
    controller: StepController,
    solver: CapsuleSolver,
    context: TractionContext,
    population: CavityPopulation,
    end_time_s: f64,
    corners: Vec<f64>,
    series: Vec<JointSample>,
    state: CrackState,
}

/// Everything of a run that evolves, besides the bubbles and the series: what a snapshot
/// stores.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct CrackState {
    /// Node positions and transmural pressure of the capsule.
    capsule: CapsuleState,
    gap: GapMotion,
    /// Time (s).
    pub(super) time_s: f64,
    /// Fluid pressure (Pa, absolute).
    pressure_pa: f64,
    /// Its rate over the last step (Pa/s), for the next step's first guess.
    pressure_rate_pa_s: f64,
    /// `dV/dp` of capsule and joint at the current state (m³/Pa).
    system_compliance: f64,
    /// `dV_gas/dp` estimate (m³/Pa, ≤ 0).
    gas_compliance: f64,
    /// Proposed next macro step (s).
    next_step_s: f64,
    gas: GasTotals,
    /// Volume the capsule encloses (m³).
    capsule_volume_m3: f64,
    monitor: CrackMonitor,
    recorder: AcousticRecorder,
    /// Acoustic source index of each bubble id.
    sources: BTreeMap<usize, usize>,
    /// Whether the cartilage carried load at the last step (tribonucleation trigger).
    contact_loaded: bool,
    pub(super) statistics: StepStatistics,
    last_cavity_composition: Option<PerSpecies<f64>>,
    richest_cavity: Option<(f64, PerSpecies<f64>)>,
}

impl std::fmt::Debug for CrackRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrackRun")
            .field("time_s", &self.state.time_s)
            .field("pressure_pa", &self.state.pressure_pa)
            .field("population", &self.population)
            .finish()
    }
}

/// A stored state of a whole run (the refractory bisection continues from it).
#[derive(Debug)]
pub struct CrackSnapshot {
    state: CrackState,
    population: PopulationSnapshot,
    series_len: usize,
}

/// What happened in one attempted step.
enum Attempt {
    Accepted { next_step_s: f64 },
    Rejected { retry_s: f64, reason: String },
}

impl CrackRun {
    /// Sets the joint at rest (the capsule holds the fluid; the nuclei in equilibrium at
    /// the resting pressure) with `backend` for the dynamic bubbles. The scenario has been
    /// checked ([`CrackScenario::check`]); its loading is resolved here (a tabulated pulse
    /// is read relative to `origin`).
    pub fn new(
        scenario: CrackScenario,
        origin: &ConfigOrigin,
        backend: Box<dyn BubbleBackend>,
    ) -> Result<Self, CrackError> {
        let schedule = scenario.loading.resolve(origin)?;
        let model = scenario
            .capsule
            .build_model()
            .map_err(|e| CrackError::Geometry(e.to_string()))?;
        let articular_radius_m = scenario
            .capsule
            .articular_radius_m()
            .expect("checked by CrackScenario::check");
        let mut traction = QuasiStaticTraction::new(
            model,
            scenario.capsule.solver.newton(),
            scenario.joint,
            schedule,
            articular_radius_m,
        )
        .map_err(CrackError::Rest)?;
        if let Some(volume) = scenario.fluid.volume_m3 {
            let QuasiStaticTraction {
                solver,
                state,
                context,
            } = &mut traction;
            solver
                .solve(state, &LoadCase::held(PressureControl::Volume(volume)))
                .map_err(|e| CrackError::Rest(e.into()))?;
            context.fluid_volume_m3 = volume;
            context.rest_transmural_pa = state.dp;
            context.rest_nodes.clone_from(&state.x);
        }
        let QuasiStaticTraction {
            mut solver,
            state: capsule,
            context,
        } = traction;
        let rest_pressure_pa = solver.model.tissue_pressure_pa + capsule.dp;
        let liquid = &scenario.fluid.liquid;
        let population = CavityPopulation::new(
            &PopulationSpec {
                liquid,
                model: &scenario.bubbles,
                nuclei: &scenario.nuclei,
                tensions_pa: scenario.fluid.dissolved.as_array(),
                fluid_volume_m3: context.fluid_volume_m3,
                rest_pressure_pa,
                articular_radius_m,
                plane_z_m: 0.5 * context.rest_gap_m,
                perfusion_time_s: scenario.fluid.perfusion_time_s,
            },
            backend,
        )?;
        let response = solver
            .compute_response(&capsule)
            .map_err(|e| CrackError::Rest(e.into()))?;
        let recorder = AcousticRecorder::new(
            &scenario.acoustics,
            liquid.density_kg_m3,
            liquid.sound_speed_m_s,
        );
        let end_time_s = scenario
            .coupling
            .duration_s
            .unwrap_or_else(|| context.schedule.duration_s());
        let corners = context.schedule.corner_times_s();
        let controller = StepController::default();
        let state = CrackState {
            capsule,
            gap: GapMotion::at_rest(context.rest_gap_m),
            time_s: 0.0,
            pressure_pa: rest_pressure_pa,
            pressure_rate_pa_s: 0.0,
            system_compliance: response.dv_dp,
            gas_compliance: 0.0,
            next_step_s: scenario.coupling.max_step_s.min(controller.first_step_s),
            gas: population.totals(),
            capsule_volume_m3: response.volume_m3,
            monitor: CrackMonitor::new(scenario.events),
            recorder,
            sources: BTreeMap::new(),
            contact_loaded: context.rest_contact_force_n > 0.0,
            statistics: StepStatistics {
                min_step_s: f64::INFINITY,
                ..StepStatistics::default()
            },
            last_cavity_composition: None,
            richest_cavity: None,
        };
        let mut run = Self {
            scenario,
            controller,
            solver,
            context,
            population,
            end_time_s,
            corners,
            series: Vec::new(),
            state,
        };
        run.push_sample(0.0)?;
        Ok(run)
    }

    /// The scenario.
    pub fn scenario(&self) -> &CrackScenario {
        &self.scenario
    }

    /// Time (s).
    pub fn time_s(&self) -> f64 {
        self.state.time_s
    }

    /// End of the run (s).
    pub fn end_time_s(&self) -> f64 {
        self.end_time_s
    }

    /// Changes the loading from now on (the refractory bisection sets the wait) and the end
    /// of the run.
    pub fn set_schedule(&mut self, schedule: LoadingSchedule, end_time_s: f64) {
        self.corners = schedule.corner_times_s();
        self.context.schedule = schedule;
        self.end_time_s = end_time_s;
    }

    /// The loading (owned by the joint's context).
    pub fn schedule(&self) -> &LoadingSchedule {
        &self.context.schedule
    }

    /// The samples so far.
    pub fn series(&self) -> &[JointSample] {
        &self.series
    }

    /// Events so far.
    pub fn events(&self) -> &[CrackEvent] {
        self.state.monitor.events()
    }

    /// The crack monitor.
    pub fn monitor(&self) -> &CrackMonitor {
        &self.state.monitor
    }

    /// The acoustic record.
    pub fn recorder(&self) -> &AcousticRecorder {
        &self.state.recorder
    }

    /// The bubbles.
    pub fn population(&mut self) -> &mut CavityPopulation {
        &mut self.population
    }

    /// The dynamic bubbles' backend.
    pub fn backend(&self) -> BackendDescription {
        self.population.backend()
    }

    /// Step counters.
    pub fn statistics(&self) -> StepStatistics {
        self.state.statistics
    }

    /// The joint at rest.
    pub fn context(&self) -> &TractionContext {
        &self.context
    }

    /// The capsule's node positions now (m).
    pub fn capsule_nodes(&self) -> &[f64] {
        &self.state.capsule.x
    }

    /// Mole fractions of the cavity's gas when a cavity was last present.
    pub fn last_cavity_composition(&self) -> Option<PerSpecies<f64>> {
        self.state.last_cavity_composition
    }

    /// The most gas the cavity held (mol) and its mole fractions then: the gas a crack
    /// releases.
    pub fn richest_cavity(&self) -> Option<(f64, PerSpecies<f64>)> {
        self.state.richest_cavity
    }

    /// Current phase.
    pub fn phase(&self) -> Phase {
        if self.population.dynamic_count() > 0 {
            Phase::Crack
        } else if self.population.settled_count() > 0 {
            Phase::Cavity
        } else {
            Phase::Creep
        }
    }

    /// Stores the whole state.
    pub fn snapshot(&mut self) -> Result<CrackSnapshot, CrackError> {
        Ok(CrackSnapshot {
            state: self.state.clone(),
            population: self.population.snapshot()?,
            series_len: self.series.len(),
        })
    }

    /// Returns to a stored state (of this run).
    pub fn restore(&mut self, s: &CrackSnapshot) -> Result<(), CrackError> {
        self.population.restore(&s.population)?;
        self.state.clone_from(&s.state);
        self.series.truncate(s.series_len);
        Ok(())
    }

    /// Everything of the run that evolves, for a checkpoint file (see
    /// [`CrackCheckpoint`]).
    pub fn checkpoint(&mut self) -> Result<CrackCheckpoint, CrackError> {
        Ok(CrackCheckpoint {
            state: self.state.clone(),
            population: self.population.snapshot()?,
            series: self.series.clone(),
        })
    }

    /// Continues from `checkpoint`, taken from a run of the same scenario: running on gives
    /// the run that was never interrupted. Refuses a checkpoint whose capsule mesh or nuclei
    /// differ from this run's, or that lies past its end.
    pub fn resume_from(&mut self, checkpoint: CrackCheckpoint) -> Result<(), CrackError> {
        let mismatch = |m: String| CrackError::Checkpoint(CrackCheckpointError::Mismatch(m));
        let nodes = checkpoint.state.capsule.x.len();
        if nodes != self.state.capsule.x.len() {
            return Err(mismatch(format!(
                "{} capsule coordinates, the scenario's mesh has {}",
                nodes,
                self.state.capsule.x.len()
            )));
        }
        let ours = self.population.records();
        let theirs = checkpoint.population.records();
        if theirs.len() < ours.len()
            || ours.iter().zip(theirs).any(|(a, b)| {
                a.position_m != b.position_m || a.initial_radius_m != b.initial_radius_m
            })
        {
            return Err(mismatch(
                "its nuclei are not the scenario's (another population or seed)".into(),
            ));
        }
        if !(checkpoint.state.time_s <= self.end_time_s) {
            return Err(mismatch(format!(
                "its time {} s lies past the end of the run, {} s",
                checkpoint.state.time_s, self.end_time_s
            )));
        }
        self.population.restore(&checkpoint.population)?;
        self.state = checkpoint.state;
        self.series = checkpoint.series;
        Ok(())
    }

    /// Whether the run has reached its end.
    pub fn is_finished(&self) -> bool {
        reached(self.state.time_s, self.end_time_s)
    }

    /// Runs to the end, calling `observe` after every accepted step.
    pub fn run_to_end(&mut self, mut observe: impl FnMut(&Self)) -> Result<(), CrackError> {
        self.run_until(self.end_time_s, &mut observe)
    }

    /// Runs to `until_s` (clamped to the end).
    pub fn run_until(
        &mut self,
        until_s: f64,
        observe: &mut impl FnMut(&Self),
    ) -> Result<(), CrackError> {
        let until = until_s.min(self.end_time_s);
        while !reached(self.state.time_s, until) {
            self.step(until)?;
            observe(self);
        }
        Ok(())
    }

    /// One accepted macro step (with as many retries as it takes), never past `until_s`.
    pub fn step(&mut self, until_s: f64) -> Result<(), CrackError> {
        let settings = self.scenario.coupling;
        // Bubbles whose threshold the fluid has reached start their dynamics now.
        let activated = self.population.activate(
            self.state.pressure_pa,
            settings.event_pressure_tolerance_pa,
            self.state.time_s,
        )?;
        for id in activated {
            self.state.monitor.on_activation(
                id,
                self.state.time_s,
                self.current_force(),
                self.state.gap.gap_m,
                self.state.pressure_pa,
            );
        }
        let mut dt = self.state.next_step_s.min(settings.max_step_s);
        let start = self.population.snapshot()?;
        let capsule_start = self.state.capsule.clone();
        loop {
            // Land on the end and on the protocol's corners.
            let limit = self
                .corners
                .iter()
                .copied()
                .find(|&c| c > self.state.time_s * (1.0 + 1e-14) + 1e-300)
                .unwrap_or(f64::INFINITY)
                .min(until_s);
            if self.state.time_s + dt * (1.0 + 1e-9) >= limit {
                dt = limit - self.state.time_s;
            }
            if dt < settings.min_step_s && dt < limit - self.state.time_s {
                return Err(CrackError::StepTooSmall {
                    time_s: self.state.time_s,
                    min_step_s: settings.min_step_s,
                    reason: "step control".into(),
                });
            }
            match self.attempt(dt, &start)? {
                Attempt::Accepted { next_step_s } => {
                    self.state.statistics.accepted += 1;
                    self.state.statistics.min_step_s = self.state.statistics.min_step_s.min(dt);
                    self.state.next_step_s = next_step_s;
                    return self.finish_step(dt);
                }
                Attempt::Rejected { retry_s, reason } => {
                    self.state.statistics.rejected += 1;
                    self.population.restore(&start)?;
                    self.state.capsule.clone_from(&capsule_start);
                    if retry_s < settings.min_step_s {
                        return Err(CrackError::StepTooSmall {
                            time_s: self.state.time_s,
                            min_step_s: settings.min_step_s,
                            reason,
                        });
                    }
                    dt = retry_s;
                }
            }
        }
    }

    fn current_force(&self) -> f64 {
        self.series.last().map_or(0.0, |s| s.force_n)
    }

    /// Tries one macro step of `dt` (the state is left at its end; the caller restores on
    /// rejection).
    fn attempt(&mut self, dt: f64, start: &PopulationSnapshot) -> Result<Attempt, CrackError> {
        let settings = self.scenario.coupling;
        let control = self.controller;
        let failed = |reason: &str| Attempt::Rejected {
            retry_s: control.after_failure(dt),
            reason: reason.into(),
        };
        let t1 = self.state.time_s + dt;
        let p0 = self.state.pressure_pa;
        let c_sys = self.state.system_compliance.max(1e-30);
        let mut b = self.state.gas_compliance.min(0.0);
        let limit = control.prediction_limit * settings.pressure_step_pa;
        let guess_change = (self.state.pressure_rate_pa_s * dt).clamp(-limit, limit);
        let mut p = p0 + guess_change;
        let mut previous: Option<(f64, f64)> = None;
        let mut converged = None;
        for k in 0..settings.max_closure_iterations {
            if k > 0 {
                self.population.restore(start)?;
            }
            let gas = match self.population.advance(dt, p0, p) {
                Ok(g) => g,
                Err(BubbleError::IntegrationFailed { .. } | BubbleError::NonFinite { .. }) => {
                    return Ok(failed("bubble integration failed"));
                }
                Err(e) => return Err(e.into()),
            };
            let target_volume = self.context.fluid_volume_m3 + gas.volume_m3;
            let p_cap = match self.solve_capsule(t1, dt, target_volume) {
                Ok(p) => p,
                Err(e) => return Ok(failed(&format!("capsule solve: {e}"))),
            };
            if let Some((p_prev, v_prev)) = previous {
                let slope = (gas.volume_m3 - v_prev) / (p - p_prev);
                if slope.is_finite() && slope <= 0.0 {
                    b = slope;
                }
            }
            self.state.statistics.closure_iterations += 1;
            if (p_cap - p).abs() <= settings.closure_tolerance_pa {
                converged = Some(gas);
                break;
            }
            previous = Some((p, gas.volume_m3));
            p = (c_sys * p_cap - b * p) / (c_sys - b);
        }
        let Some(gas) = converged else {
            return Ok(failed("pressure closure did not converge"));
        };
        // Blake thresholds are located, not stepped over.
        if let Some(threshold) = self.population.next_threshold_pa()
            && p < threshold
            && p0 > threshold + settings.event_pressure_tolerance_pa
        {
            return Ok(Attempt::Rejected {
                retry_s: control.towards_threshold(
                    dt,
                    (p0, p),
                    threshold,
                    settings.event_pressure_tolerance_pa,
                ),
                reason: "locating a Blake threshold".into(),
            });
        }
        let rim = self.solver.model.rim_dof.expect("a joint");
        let h1 = self.state.capsule.x[rim] - self.solver.model.gap_offset_m;
        let next_gap = self.state.gap.advanced_to(h1, dt);
        let changes = StepChanges {
            pressure_pa: p - p0,
            gas_volume_m3: gas.volume_m3 - self.state.gas.volume_m3,
            gas_volume_scale_m3: gas.volume_m3.max(self.state.gas.volume_m3),
            gap_error_m: self.state.gap.local_error_m(&next_gap, dt),
            force_n: self.largest_force_change_n(dt),
        };
        let next_step_s = match control.judge(control.error_ratio(&changes, &settings), dt) {
            StepVerdict::Reject { retry_s } => {
                return Ok(Attempt::Rejected {
                    retry_s,
                    reason: "step error too large".into(),
                });
            }
            StepVerdict::Accept { next_step_s } => next_step_s,
        };
        self.state.pressure_rate_pa_s = (p - p0) / dt;
        self.state.pressure_pa = p;
        self.state.gas_compliance = b;
        self.state.gas = gas;
        self.state.gap = next_gap;
        self.state.time_s = t1;
        Ok(Attempt::Accepted { next_step_s })
    }

    /// The largest change of a force protocol's load between the step's start and points
    /// inside a step of `dt` (N): a thrust may peak inside the step.
    fn largest_force_change_n(&self, dt: f64) -> f64 {
        let schedule = &self.context.schedule;
        let LoadTarget::Force(a) = schedule.compute_target(self.state.time_s) else {
            return 0.0;
        };
        let samples = self.controller.load_samples;
        (1..=samples)
            .map(|i| {
                match schedule
                    .compute_target(self.state.time_s + dt * f64::from(i) / f64::from(samples))
                {
                    LoadTarget::Force(b) => (b - a).abs(),
                    LoadTarget::Opening(_) => 0.0,
                }
            })
            .fold(0.0, f64::max)
    }

    /// Solves capsule and gap at time `t1` (step `dt`) holding `volume` (m³); returns the
    /// fluid pressure (Pa).
    fn solve_capsule(&mut self, t1: f64, dt: f64, volume: f64) -> Result<f64, SolverError> {
        let ctx = &self.context;
        let offset = self.solver.model.gap_offset_m;
        let rim = self.solver.model.rim_dof.expect("a joint");
        let h0 = self.state.gap.gap_m;
        let mass = ctx.joint.effective_mass_kg;
        let gap = self.state.gap;
        match ctx.schedule.compute_target(t1) {
            LoadTarget::Force(f) => {
                // Start Newton from the inertial prediction, where −m a is small.
                let predicted = h0 + dt * gap.speed_m_s;
                let moved = (self.state.capsule.x[rim] - offset - predicted).abs();
                if moved > 0.5 * (dt * gap.speed_m_s).abs() + 1e-3 * h0 {
                    self.state.capsule.x[rim] = predicted + offset;
                }
                let load = |z: f64| {
                    let h = z - offset;
                    let forces = ctx.compute_joint_forces(h, h0, dt);
                    let (inertia, k_inertia) = gap.inertial_force(mass, h, dt);
                    (
                        forces.add_opening_to(f) + inertia,
                        forces.stiffness_n_per_m + k_inertia,
                    )
                };
                let case = LoadCase {
                    pressure: PressureControl::Volume(volume),
                    rim: RimAction::Loaded(&load),
                    affine: None,
                };
                self.solver.solve(&mut self.state.capsule, &case)?;
            }
            LoadTarget::Opening(u) => {
                self.state.capsule.x[rim] = ctx.rest_gap_m + u + offset;
                self.solver.solve(
                    &mut self.state.capsule,
                    &LoadCase::held(PressureControl::Volume(volume)),
                )?;
            }
        }
        Ok(self.solver.model.tissue_pressure_pa + self.state.capsule.dp)
    }

    /// Book-keeping after an accepted step: compliance, settling, tribonucleation,
    /// samples, sound and events.
    fn finish_step(&mut self, dt: f64) -> Result<(), CrackError> {
        let response = self
            .solver
            .compute_response(&self.state.capsule)
            .map_err(|source| CrackError::Capsule {
                time_s: self.state.time_s,
                source,
            })?;
        self.state.capsule_volume_m3 = response.volume_m3;
        // The gap is free under a force protocol: dV/dp includes the gap's response.
        self.state.system_compliance = match self.context.schedule.compute_target(self.state.time_s)
        {
            LoadTarget::Force(_) => {
                let h = self.state.gap.gap_m;
                let k_joint = self
                    .context
                    .compute_joint_forces(h, h - self.state.gap.speed_m_s * dt, dt)
                    .stiffness_n_per_m;
                let k_ext = k_joint - self.context.joint.effective_mass_kg / (dt * dt);
                let dh_dp = response.dforce_dp / (k_ext - response.dforce_dh);
                let c = response.dv_dp + response.dv_dh * dh_dp;
                if c.is_finite() && c > 0.0 {
                    c
                } else {
                    response.dv_dp
                }
            }
            LoadTarget::Opening(_) => response.dv_dp,
        };
        let settled = self.population.settle(
            self.state.pressure_pa,
            self.scenario.coupling.settle_tolerance,
        )?;
        if !settled.is_empty() {
            self.state.gas = self.population.totals();
        }
        let samples = self.population.dynamic_samples()?;
        let mut sources = Vec::with_capacity(samples.len());
        for s in &samples {
            let records = self.population.records();
            let state = &mut self.state;
            let index = *state
                .sources
                .entry(s.id)
                .or_insert_with(|| state.recorder.add_source(records[s.id].position_m));
            sources.push(SourceSample {
                source: index,
                volume_m3: s.volume_m3,
                volume_rate_m3_s: s.volume_rate_m3_s,
                volume_acceleration_m3_s2: s.volume_acceleration_m3_s2,
            });
        }
        self.state
            .recorder
            .record(self.state.time_s, &sources)
            .map_err(|e| CrackError::Acoustics(e.to_string()))?;
        if self.phase() != Phase::Creep
            && let Some((moles, x)) = self.population.cavity_gas_mol()?
        {
            self.state.last_cavity_composition = Some(x);
            if moles > self.state.richest_cavity.map_or(0.0, |r| r.0) {
                self.state.richest_cavity = Some((moles, x));
            }
        }
        self.check_tribonucleation()?;
        let force = self.push_sample(dt)?;
        let radii = self.population.radii_m()?;
        self.state.monitor.on_step(
            self.state.time_s,
            self.state.gap,
            force,
            self.state.pressure_pa,
            &radii,
            self.phase(),
        );
        Ok(())
    }

    fn check_tribonucleation(&mut self) -> Result<(), CrackError> {
        let tribo = self.scenario.tribonucleation;
        let h = self.state.gap.gap_m;
        let loaded = self.context.compute_joint_forces(h, h, 0.0).contact_n > 0.0;
        if tribo.enabled
            && self.scenario.nuclei.enabled
            && self.state.contact_loaded
            && !loaded
            && self.state.gap.speed_m_s > 0.0
        {
            // The surfaces part: nuclei at the contact centre hold gas at the tensions of
            // the dissolved gas (they come out of the fluid).
            let tensions = self.scenario.fluid.dissolved.as_array();
            let total: f64 = tensions.iter().sum();
            let fractions = proportions(tensions);
            for _ in 0..tribo.count {
                self.population.add_nucleus(
                    tribo.radius_m,
                    total,
                    fractions,
                    [0.0, 0.0, 0.5 * h],
                    true,
                );
            }
            self.state.monitor.push(CrackEvent {
                kind: CrackEventKind::Tribonucleation,
                time_s: self.state.time_s,
                force_n: self.current_force(),
                gap_m: h,
                pressure_pa: self.state.pressure_pa,
                detail: format!(
                    "{} nucleus/nuclei of {:.2e} m at the separating contact",
                    tribo.count, tribo.radius_m
                ),
            });
        }
        self.state.contact_loaded = loaded;
        Ok(())
    }

    fn push_sample(&mut self, dt: f64) -> Result<f64, CrackError> {
        let rim = self.solver.model.rim_dof.expect("a joint");
        let membrane_and_fluid = {
            let mut asm = self.solver.model.new_assembly();
            match self.solver.model.populate_assembly(
                &self.state.capsule.x,
                self.state.capsule.dp,
                false,
                &mut asm,
            ) {
                Ok(()) => asm.force[rim] - self.state.capsule.dp * asm.volume_gradient[rim],
                Err(_) => f64::NAN,
            }
        };
        let force = match self.context.schedule.compute_target(self.state.time_s) {
            LoadTarget::Force(f) => f,
            LoadTarget::Opening(_) => {
                let h = self.state.gap.gap_m;
                self.context
                    .compute_joint_forces(h, h - self.state.gap.speed_m_s * dt, dt)
                    .add_closing_to(membrane_and_fluid)
                    + self.context.joint.effective_mass_kg * self.state.gap.acceleration_m_s2
            }
        };
        let vapour_volume_m3 = self.population.vapour_volume_m3()?;
        let gas = self.state.gas;
        self.series.push(JointSample {
            time_s: self.state.time_s,
            gap_m: self.state.gap.gap_m,
            gap_speed_m_s: self.state.gap.speed_m_s,
            force_n: force,
            pressure_pa: self.state.pressure_pa,
            capsule_volume_m3: self.state.capsule_volume_m3,
            cavity_volume_m3: gas.volume_m3,
            vapour_volume_m3,
            gas_volume_at_1atm_m3: compute_gas_volume_at_reference_m3(
                &gas.bubble_gas_mol,
                self.scenario.bubbles.hard_core,
            ),
            gas_volume_acceleration_m3_s2: gas.volume_acceleration_m3_s2,
            bubble_gas_mol: gas.bubble_gas_mol,
            dissolved_gas_mol: gas.dissolved_gas_mol,
            perfusion_gas_mol: gas.perfusion_gas_mol,
            dynamic_bubbles: self.population.dynamic_count() as u32,
            phase: self.phase(),
        });
        Ok(force)
    }
}

/// Whether `time_s` is at `until_s` to round-off.
fn reached(time_s: f64, until_s: f64) -> bool {
    time_s >= until_s * (1.0 - 1e-14) - 1e-300
}
