//! Crack scenario files (`configs/mcp-traction.toml`, `configs/facet-hvla.toml`,
//! `configs/mcp-refractory.toml`): the capsule, the joint and its loading, the synovial
//! fluid and its gases, the nuclei, and the numerics of the coupled solve.

use serde::{Deserialize, Serialize};

use crate::acoustics::AcousticsConfig;
use crate::bubbles::liquid::Liquid;
use crate::bubbles::model::{BubbleModel, Tolerances};
use crate::bubbles::nuclei::{GasContent, Nuclei};
use crate::bubbles::scenario::GasTensions;
use crate::config::{ConfigError, ConfigOrigin, Validate, Validator};
use crate::fem::capsule_config::CapsuleConfig;
use crate::joint::{JointConfig, LoadingProtocol};

/// A coupled joint scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrackScenario {
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// The capsule (`[capsule]`); its geometry must be a joint (`shape = "joint"`).
    pub capsule: CapsuleConfig,
    /// The gap degree of freedom and what acts on it (`[joint]`).
    pub joint: JointConfig,
    /// Loading protocol (`[loading]`).
    pub loading: LoadingProtocol,
    /// The synovial fluid (`[fluid]`).
    #[serde(default)]
    pub fluid: FluidConfig,
    /// Nuclei in the joint space (`[nuclei]`); `region_m` is not used: centres are drawn
    /// uniformly over the articular disc, at mid-gap.
    pub nuclei: Nuclei,
    /// Nuclei made at the separating contact (`[tribonucleation]`).
    #[serde(default)]
    pub tribonucleation: Tribonucleation,
    /// Bubble dynamics model (`[bubbles]`).
    #[serde(default)]
    pub bubbles: BubbleModel,
    /// Bubble integrator tolerances (`[tolerances]`).
    #[serde(default)]
    pub tolerances: Tolerances,
    /// Macro steps and the pressure closure (`[coupling]`).
    #[serde(default)]
    pub coupling: CouplingSettings,
    /// Listener and sound analysis (`[acoustics]`).
    #[serde(default)]
    pub acoustics: AcousticsConfig,
    /// What counts as a crack (`[events]`).
    #[serde(default)]
    pub events: EventSettings,
    /// What `cavitas run -o` writes and how often it checkpoints (`[output]`).
    #[serde(default)]
    pub output: OutputSettings,
    /// Search for the refractory period (`[refractory]`); needs `protocol =
    /// "repeated_pulls"` with `pulls = 2`: the wait between them is bisected.
    #[serde(default)]
    pub refractory: Option<RefractorySettings>,
}

/// `[fluid]`: the trapped synovial fluid and its dissolved gases.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FluidConfig {
    /// Fluid volume at rest (m³). Default: the volume of the capsule's reference shape.
    /// Range: (0, 1e-4].
    pub volume_m3: Option<f64>,
    /// Liquid properties (`[fluid.liquid]`).
    pub liquid: Liquid,
    /// Dissolved gas tensions at rest (`[fluid.dissolved]`, Pa each).
    pub dissolved: GasTensions,
    /// Perfusion: the dissolved gas relaxes towards the tissue tensions with this time
    /// constant (s), the only sink (or source) of gas; absent: a closed joint.
    /// Range: (0, 1e7].
    pub perfusion_time_s: Option<f64>,
}

/// `[tribonucleation]`: a nucleus made where the articular surfaces separate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tribonucleation {
    /// Make nuclei at the contact when the cartilage contact unloads (the surfaces
    /// separate) while the joint is opening. Default false.
    pub enabled: bool,
    /// Radius of each nucleus made (m). Default 5e-6. Range: [1e-8, 1e-3].
    pub radius_m: f64,
    /// Number made. Default 1. Range: [1, 1000].
    pub count: u32,
}

impl Default for Tribonucleation {
    fn default() -> Self {
        Self {
            enabled: false,
            radius_m: 5e-6,
            count: 1,
        }
    }
}

/// `[coupling]`: adaptive macro steps of the joint–capsule–bubble solve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CouplingSettings {
    /// Largest change of the fluid pressure in one macro step (Pa). Default 500.
    /// Range: (0, 1e6].
    pub pressure_step_pa: f64,
    /// Largest relative change of the gas volume in one macro step (of the larger of the
    /// volume and `gas_volume_floor_m3`). Default 0.05. Range: (0, 1].
    pub volume_step_fraction: f64,
    /// Gas volumes below this do not limit the step (m³). Default 1e-15 (a 6 µm sphere).
    /// Range: (0, 1e-6].
    pub gas_volume_floor_m3: f64,
    /// Local error allowed in the gap per step (m): `Δt²/2 |Δa|` of the implicit (backward
    /// Euler) gap dynamics. Default 2e-7. Range: (0, 1e-3].
    pub gap_error_m: f64,
    /// Largest change of the applied force in one macro step (N). Default 0.5.
    /// Range: (0, 1e5].
    pub load_step_n: f64,
    /// Longest macro step (s). Default 5. Range: (0, 1e4].
    pub max_step_s: f64,
    /// Shortest macro step before the run gives up (s). Default 1e-11. Range: (0, 1e-3].
    pub min_step_s: f64,
    /// The pressure closure has converged when the capsule's pressure and the pressure
    /// the bubbles were advanced under agree to this (Pa). Default 0.05. Range: (0, 1e3].
    pub closure_tolerance_pa: f64,
    /// Iterations of the pressure closure before the step is cut. Default 20.
    /// Range: [2, 200].
    pub max_closure_iterations: u32,
    /// An activation threshold (Blake pressure) is located in time to this (Pa).
    /// Default 2. Range: (0, 1e4].
    pub event_pressure_tolerance_pa: f64,
    /// A dynamic bubble returns to equilibrium once its radius is within this relative
    /// distance of its equilibrium radius and its wall speed below this fraction of
    /// `R / t_natural`. Default 1e-4. Range: (0, 0.1].
    pub settle_tolerance: f64,
    /// Simulated time (s). Default: the loading protocol's duration. Range: (0, 1e6].
    pub duration_s: Option<f64>,
}

impl Default for CouplingSettings {
    fn default() -> Self {
        Self {
            pressure_step_pa: 500.0,
            volume_step_fraction: 0.05,
            gas_volume_floor_m3: 1e-15,
            gap_error_m: 2e-7,
            load_step_n: 0.5,
            max_step_s: 5.0,
            min_step_s: 1e-11,
            closure_tolerance_pa: 0.05,
            max_closure_iterations: 20,
            event_pressure_tolerance_pa: 2.0,
            settle_tolerance: 1e-4,
            duration_s: None,
        }
    }
}

/// `[events]`: what counts as a crack.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventSettings {
    /// A bubble has cavitated once it grows beyond this radius (m; visible on MRI).
    /// Default 50e-6. Range: (0, 0.01].
    pub cavitation_radius_m: f64,
    /// A crack is a cavitation during which the gap opens faster than this (m/s): a jump,
    /// not a creep. Default 0.01 (10 mm/s; traction creeps at µm/s, a crack opens at
    /// ~0.1 m/s). Range: (0, 100].
    pub crack_gap_speed_m_s: f64,
    /// The gap "after" the crack is read this long after the jump (s). Default 0.05.
    /// Range: (0, 10].
    pub settle_s: f64,
}

impl Default for EventSettings {
    fn default() -> Self {
        Self {
            cavitation_radius_m: 50e-6,
            crack_gap_speed_m_s: 0.01,
            settle_s: 0.05,
        }
    }
}

/// `[output]`: the run file of `cavitas run -o out.h5` (the physics does not read it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputSettings {
    /// Wall-clock time between checkpoints (s); 0 checkpoints after every macro step.
    /// Default 300. Range: [0, 1e9].
    pub checkpoint_interval_s: f64,
    /// Simulated time between snapshots of the bubbles and the capsule (s); 0 takes one at
    /// every macro step, as `/joint` does. Default 0. Range: [0, 1e6].
    pub snapshot_interval_s: f64,
}

impl Default for OutputSettings {
    fn default() -> Self {
        Self {
            checkpoint_interval_s: 300.0,
            snapshot_interval_s: 0.0,
        }
    }
}

impl Validate for OutputSettings {
    fn validate(&self, v: &mut Validator<'_>) {
        v.within(
            "checkpoint_interval_s",
            self.checkpoint_interval_s,
            0.0,
            1e9,
        );
        v.within("snapshot_interval_s", self.snapshot_interval_s, 0.0, 1e6);
    }
}

/// `[refractory]`: bisection on the wait between two pulls.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefractorySettings {
    /// Shortest wait tried (s). Range: [0, 1e5].
    pub min_wait_s: f64,
    /// Longest wait tried (s). Range: (min_wait_s, 1e5].
    pub max_wait_s: f64,
    /// Bisection stops when the bracket is this narrow (s). Range: (0, 1e4].
    pub tolerance_s: f64,
}

impl Validate for FluidConfig {
    fn validate(&self, v: &mut Validator<'_>) {
        if let Some(volume) = self.volume_m3 {
            v.require(
                volume.is_finite() && volume > 0.0 && volume <= 1e-4,
                "volume_m3",
                volume,
                "a volume in (0, 1e-4] m³",
            );
        }
        v.nested("liquid", &self.liquid);
        v.nested("dissolved", &self.dissolved);
        if let Some(tau) = self.perfusion_time_s {
            v.require(
                tau.is_finite() && tau > 0.0 && tau <= 1e7,
                "perfusion_time_s",
                tau,
                "a time in (0, 1e7] s",
            );
        }
    }
}

impl Validate for Tribonucleation {
    fn validate(&self, v: &mut Validator<'_>) {
        v.within("radius_m", self.radius_m, 1e-8, 1e-3);
        v.require(
            (1..=1000).contains(&self.count),
            "count",
            self.count,
            "an integer in [1, 1000]",
        );
    }
}

fn in_open_closed(v: &mut Validator<'_>, key: &str, x: f64, hi: f64) {
    v.require(
        x.is_finite() && x > 0.0 && x <= hi,
        key,
        x,
        &format!("a number in (0, {hi:e}]"),
    );
}

impl Validate for CouplingSettings {
    fn validate(&self, v: &mut Validator<'_>) {
        in_open_closed(v, "pressure_step_pa", self.pressure_step_pa, 1e6);
        in_open_closed(v, "volume_step_fraction", self.volume_step_fraction, 1.0);
        in_open_closed(v, "gas_volume_floor_m3", self.gas_volume_floor_m3, 1e-6);
        in_open_closed(v, "gap_error_m", self.gap_error_m, 1e-3);
        in_open_closed(v, "load_step_n", self.load_step_n, 1e5);
        in_open_closed(v, "max_step_s", self.max_step_s, 1e4);
        in_open_closed(v, "min_step_s", self.min_step_s, 1e-3);
        in_open_closed(v, "closure_tolerance_pa", self.closure_tolerance_pa, 1e3);
        v.require(
            (2..=200).contains(&self.max_closure_iterations),
            "max_closure_iterations",
            self.max_closure_iterations,
            "an integer in [2, 200]",
        );
        in_open_closed(
            v,
            "event_pressure_tolerance_pa",
            self.event_pressure_tolerance_pa,
            1e4,
        );
        in_open_closed(v, "settle_tolerance", self.settle_tolerance, 0.1);
        if let Some(d) = self.duration_s {
            in_open_closed(v, "duration_s", d, 1e6);
        }
    }
}

impl Validate for EventSettings {
    fn validate(&self, v: &mut Validator<'_>) {
        in_open_closed(v, "cavitation_radius_m", self.cavitation_radius_m, 0.01);
        in_open_closed(v, "crack_gap_speed_m_s", self.crack_gap_speed_m_s, 100.0);
        in_open_closed(v, "settle_s", self.settle_s, 10.0);
    }
}

impl Validate for RefractorySettings {
    fn validate(&self, v: &mut Validator<'_>) {
        v.within("min_wait_s", self.min_wait_s, 0.0, 1e5);
        v.require(
            self.max_wait_s.is_finite()
                && self.max_wait_s > self.min_wait_s
                && self.max_wait_s <= 1e5,
            "max_wait_s",
            self.max_wait_s,
            "a wait in (min_wait_s, 1e5] s",
        );
        in_open_closed(v, "tolerance_s", self.tolerance_s, 1e4);
    }
}

impl Validate for CrackScenario {
    fn validate(&self, v: &mut Validator<'_>) {
        v.nested("capsule", &self.capsule);
        v.nested("joint", &self.joint);
        v.nested("loading", &self.loading);
        v.nested("fluid", &self.fluid);
        v.nested("nuclei", &self.nuclei);
        v.nested("tribonucleation", &self.tribonucleation);
        v.nested("bubbles", &self.bubbles);
        v.nested("tolerances", &self.tolerances);
        v.nested("coupling", &self.coupling);
        v.nested("acoustics", &self.acoustics);
        v.nested("events", &self.events);
        v.nested("output", &self.output);
        if let Some(r) = &self.refractory {
            v.nested("refractory", r);
        }
    }
}

impl CrackScenario {
    /// Range checks, then the checks that span tables; reads a tabulated thrust pulse (so a
    /// bad one is refused before anything runs; [`super::CrackRun::new`] resolves the
    /// loading it runs).
    pub fn check(&self, origin: &ConfigOrigin) -> Result<(), ConfigError> {
        Validator::check(origin, self)?;
        let out_of_range = |key: &str, value: String, allowed: &str| ConfigError::OutOfRange {
            origin: origin.clone(),
            key: key.into(),
            value,
            allowed: allowed.into(),
        };
        if self.capsule.articular_radius_m().is_none() {
            return Err(out_of_range(
                "capsule.geometry.shape",
                "not a joint".into(),
                "\"joint\" (a crack scenario needs the two bones and the gap)",
            ));
        }
        if self.nuclei.gas != GasContent::Equilibrium {
            return Err(out_of_range(
                "nuclei.gas",
                format!("{:?}", self.nuclei.gas),
                "\"equilibrium\" (nuclei of a joint hold gas)",
            ));
        }
        if self.bubbles.near_field_coupling {
            return Err(out_of_range(
                "bubbles.near_field_coupling",
                "true".into(),
                "false: in the joint the bubbles interact through the shared fluid pressure",
            ));
        }
        if self.refractory.is_some() {
            let two_pulls = matches!(
                self.loading,
                LoadingProtocol::RepeatedPulls { pulls: 2, .. }
            );
            if !two_pulls {
                return Err(out_of_range(
                    "loading.protocol",
                    "not repeated_pulls with pulls = 2".into(),
                    "protocol = \"repeated_pulls\" with pulls = 2 when [refractory] is given",
                ));
            }
        }
        self.loading.resolve(origin).map(|_| ())
    }
}
