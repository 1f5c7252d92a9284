//! Bubble-field scenario files (`configs/bubble/*.toml`): the liquid, the model, the
//! tolerances and one or more groups of nuclei under a far-field pressure history.

use serde::{Deserialize, Serialize};

use super::coefficients::GroupCoefficients;
use super::field::{BubbleField, BubbleGroup};
pub use super::gas_tensions::GasTensions;
use super::liquid::Liquid;
use super::model::{BubbleModel, Tolerances};
use super::nuclei::{GasContent, Nuclei};
use super::pressure_protocol::PressureProtocol;
use super::scales::Scales;
use super::species::SPECIES_COUNT;
use super::state::{BubbleSlot, BubbleStatus, BubbleVector};
use crate::analysis::reference::blake_threshold;
use crate::config::{ConfigError, ConfigOrigin, Validate, Validator};

/// A bubble-field scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BubbleScenario {
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Simulated time, s (allowed > 0).
    pub duration_s: f64,
    /// Macro interval, s: group sums, samples of the primary bubble, near-field updates and
    /// dissolved-gas updates happen at this spacing (allowed > 0, at most `duration_s`).
    pub sample_interval_s: f64,
    /// Wall-clock time between checkpoints of a run written to a file (`-o`), s (default
    /// 300; allowed >= 0 and finite; 0 checkpoints after every macro interval). Checkpoints
    /// never change the results; they let `--resume` continue a killed run.
    #[serde(default = "default_checkpoint_interval")]
    pub checkpoint_interval_s: f64,
    /// Pressure scale of the dimensionless equations, Pa (default 1e5).
    #[serde(default = "default_pressure_scale")]
    pub pressure_scale_pa: f64,
    #[serde(default)]
    pub liquid: Liquid,
    #[serde(default)]
    pub model: BubbleModel,
    #[serde(default)]
    pub tolerances: Tolerances,
    /// Groups of bubbles (`[[group]]`), each a joint with its own pressure and liquid pool.
    #[serde(rename = "group")]
    pub groups: Vec<GroupSpec>,
}

fn default_checkpoint_interval() -> f64 {
    300.0
}

fn default_pressure_scale() -> f64 {
    1e5
}

/// One group of bubbles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Label.
    #[serde(default)]
    pub name: String,
    /// Identical groups to create (independent draws of the nuclei; default 1).
    #[serde(default = "one_copy")]
    pub copies: u32,
    /// Volume of liquid around the bubbles, m³ (default 1e-7, 0.1 mL; allowed > 0).
    #[serde(default = "default_fluid_volume")]
    pub fluid_volume_m3: f64,
    /// Dissolved gas tensions.
    #[serde(default)]
    pub dissolved: GasTensions,
    /// Far-field pressure history.
    pub pressure: PressureProtocol,
    /// The nuclei.
    pub nuclei: Nuclei,
}

fn one_copy() -> u32 {
    1
}
fn default_fluid_volume() -> f64 {
    1e-7
}

impl Validate for GroupSpec {
    fn validate(&self, v: &mut Validator<'_>) {
        v.require(self.copies >= 1, "copies", self.copies, "an integer >= 1");
        v.positive("fluid_volume_m3", self.fluid_volume_m3, 1.0);
        v.nested("dissolved", &self.dissolved);
        v.nested("pressure", &self.pressure);
        v.nested("nuclei", &self.nuclei);
    }
}

impl Validate for BubbleScenario {
    fn validate(&self, v: &mut Validator<'_>) {
        // About 12 days of simulated time: dissolution of the largest bubbles takes hours.
        v.positive("duration_s", self.duration_s, 1e6);
        v.positive("sample_interval_s", self.sample_interval_s, 1e6);
        v.require(
            self.sample_interval_s <= self.duration_s,
            "sample_interval_s",
            self.sample_interval_s,
            "a positive number no larger than duration_s",
        );
        v.require(
            self.duration_s / self.sample_interval_s <= 1e8,
            "sample_interval_s",
            self.sample_interval_s,
            "at least duration_s / 1e8",
        );
        v.require(
            self.checkpoint_interval_s >= 0.0 && self.checkpoint_interval_s <= 1e9,
            "checkpoint_interval_s",
            self.checkpoint_interval_s,
            "a number of seconds from 0 to 1e9 (0: after every interval)",
        );
        v.positive("pressure_scale_pa", self.pressure_scale_pa, 1e9);
        v.nested("liquid", &self.liquid);
        v.nested("model", &self.model);
        v.nested("tolerances", &self.tolerances);
        v.require(
            !self.groups.is_empty(),
            "group",
            "none",
            "at least one [[group]]",
        );
        for (i, g) in self.groups.iter().enumerate() {
            v.nested(format!("group.{i}"), g);
        }
    }
}

/// One group as built: which spec it came from and its Blake threshold reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuiltGroup {
    /// Index into [`BubbleScenario::groups`].
    pub spec: usize,
    /// Blake threshold of the group's largest nucleus, Pa (NaN without surface tension or
    /// gas).
    pub blake_threshold_pa: f64,
    /// Its critical radius, m.
    pub critical_radius_m: f64,
    /// Index of the group's largest nucleus (its primary bubble).
    pub primary: usize,
}

impl BubbleScenario {
    /// Validates the ranges of every parameter and the consistency of the groups.
    pub fn check(&self, origin: &ConfigOrigin) -> Result<(), ConfigError> {
        Validator::check(origin, self)?;
        for (i, g) in self.groups.iter().enumerate() {
            if !g.nuclei.enabled {
                return Err(ConfigError::OutOfRange {
                    origin: origin.clone(),
                    key: format!("group.{i}.nuclei.enabled"),
                    value: "false".into(),
                    allowed: "true (a group is its nuclei; `enabled = false` is the control \
                              of a coupled run)"
                        .into(),
                });
            }
            if g.nuclei.gas == GasContent::Equilibrium && g.nuclei.composition.is_none() {
                let sum: f64 = g.dissolved.as_array().iter().sum();
                if sum <= 0.0 {
                    return Err(ConfigError::OutOfRange {
                        origin: origin.clone(),
                        key: format!("group.{i}.nuclei.composition"),
                        value: "unset, with no dissolved gas".into(),
                        allowed: "a composition, or dissolved gas tensions with a positive sum"
                            .into(),
                    });
                }
            }
            // Gas in equilibrium needs p + 2σ/R > p_v; the largest nucleus is the first to fail.
            if g.nuclei.gas == GasContent::Equilibrium {
                let p0 = g.pressure.initial_pa();
                let largest = (0..g.copies)
                    .map(|copy| g.nuclei.largest_radius_m(u64::from(copy)))
                    .fold(0.0, f64::max);
                let gas = p0 + 2.0 * self.liquid.surface_tension_n_m / largest
                    - self.liquid.vapour_pressure_pa;
                if gas <= 0.0 {
                    return Err(ConfigError::OutOfRange {
                        origin: origin.clone(),
                        key: format!("group.{i}.pressure"),
                        value: format!("{p0} Pa at t = 0"),
                        allowed: format!(
                            "an initial pressure at which every nucleus holds gas in equilibrium: \
                             above {:.6e} Pa for the largest ({largest:.3e} m)",
                            self.liquid.vapour_pressure_pa
                                - 2.0 * self.liquid.surface_tension_n_m / largest
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// The length scale: the geometric mean of the nuclei's characteristic radii.
    pub fn length_scale_m(&self) -> f64 {
        let logs: Vec<f64> = self
            .groups
            .iter()
            .map(|g| g.nuclei.radii.characteristic_radius_m().ln())
            .collect();
        (logs.iter().sum::<f64>() / logs.len() as f64).exp()
    }

    /// Reference scales of the run.
    pub fn scales(&self) -> Scales {
        Scales {
            length_m: self.length_scale_m(),
            pressure_pa: self.pressure_scale_pa,
            density_kg_m3: self.liquid.density_kg_m3,
        }
    }

    /// Builds the field: every group (copies expanded), its nuclei and dissolved gas.
    pub fn build_field(&self) -> (BubbleField, Vec<BuiltGroup>) {
        let scales = self.scales();
        let coefficients = GroupCoefficients::new(&self.liquid, &self.model, &scales);
        let l = scales.length_m;
        let temperature = self.liquid.temperature_k;
        let mut field = BubbleField {
            scales,
            groups: Vec::new(),
            slots: Vec::new(),
            positions: Vec::new(),
        };
        let mut built = Vec::new();
        for (spec_index, spec) in self.groups.iter().enumerate() {
            for copy in 0..spec.copies {
                let p0 = spec.pressure.initial_pa();
                let tensions = spec.dissolved.as_array();
                let fractions = spec.nuclei.gas_fractions(tensions);
                let group_index = field.groups.len() as u32;
                let first = field.slots.len();
                let nuclei = spec.nuclei.draw(u64::from(copy));
                let mut primary = first;
                let mut largest = 0.0;
                for nucleus in &nuclei {
                    let r_eq = nucleus.radius_m / l;
                    let v_eq = 4.0 * std::f64::consts::PI / 3.0 * r_eq.powi(3);
                    let gas = match spec.nuclei.gas {
                        GasContent::Empty => [0.0; SPECIES_COUNT],
                        GasContent::Equilibrium => {
                            let p_gas = (p0
                                + 2.0 * self.liquid.surface_tension_n_m / nucleus.radius_m
                                - self.liquid.vapour_pressure_pa)
                                / scales.pressure_pa;
                            coefficients.gas_content(r_eq, p_gas, fractions)
                        }
                    };
                    let r0 = r_eq * spec.nuclei.initial_radius_factor;
                    if nucleus.radius_m > largest {
                        largest = nucleus.radius_m;
                        primary = field.slots.len();
                    }
                    field.slots.push(BubbleSlot {
                        y: BubbleVector {
                            r: r0,
                            u: 0.0,
                            n: gas.into(),
                        },
                        accel: 0.0,
                        age: spec.nuclei.age_s / scales.time_s(),
                        step: 0.0,
                        err_prev: 0.0,
                        group: group_index,
                        v_ref: v_eq,
                        r_vanish: self.model.vanish_radius_fraction * r0,
                        pair_pressure: 0.0,
                        r_max: r0,
                        r_min: r0,
                        t_event: f64::NAN,
                        status: BubbleStatus::Active,
                        accepted: 0,
                        rejected: 0,
                    });
                    field.positions.push(nucleus.position_m.map(|x| x / l));
                }
                let (critical_radius_m, blake_threshold_pa) = if spec.nuclei.gas
                    == GasContent::Equilibrium
                    && self.liquid.surface_tension_n_m > 0.0
                {
                    blake_threshold(
                        largest,
                        p0,
                        self.liquid.surface_tension_n_m,
                        self.liquid.vapour_pressure_pa,
                    )
                } else {
                    (f64::NAN, f64::NAN)
                };
                let name = if spec.copies > 1 {
                    format!("{}#{copy}", spec.name)
                } else {
                    spec.name.clone()
                };
                field.groups.push(BubbleGroup::with_dissolved_tensions(
                    name,
                    coefficients.carrying(&tensions, &fractions),
                    &scales,
                    temperature,
                    spec.fluid_volume_m3,
                    tensions,
                    first..field.slots.len(),
                ));
                built.push(BuiltGroup {
                    spec: spec_index,
                    blake_threshold_pa,
                    critical_radius_m,
                    primary,
                });
            }
        }
        (field, built)
    }
}
