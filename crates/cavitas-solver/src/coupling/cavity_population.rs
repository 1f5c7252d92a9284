//! Every bubble of the joint in the regime that suits it:
//!
//! - **dormant** nuclei, stabilised (their gas content fixed), in mechanical equilibrium at
//!   the fluid pressure until it falls to their Blake threshold;
//! - **dynamic** bubbles, integrated by the bubble field's backend (GPU or CPU: Keller–Miksis
//!   with Epstein–Plesset transfer) through cavitation and the ringing after it;
//! - **settled** bubbles, in mechanical equilibrium again once they have rung down, with
//!   quasi-static gas transfer integrated on the host over macro steps of seconds.
//!
//! A dormant nucleus becomes dynamic at its Blake threshold; a settled bubble becomes
//! dynamic again at its own threshold (the second pull of the refractory protocol), and a
//! dynamic bubble settles when its radius sits at its equilibrium and its wall is at rest.
//! The liquid's dissolved gas is one pool shared by all three, so gas is conserved exactly.

use crate::bubbles::backend::BubbleBackend;
use crate::bubbles::coefficients::GroupCoefficients;
use crate::bubbles::field::{BubbleField, BubbleGroup};
use crate::bubbles::liquid::Liquid;
use crate::bubbles::model::BubbleModel;
use crate::bubbles::nuclei::{Nuclei, proportions};
use crate::bubbles::per_species::PerSpecies;
use crate::bubbles::run::{BubbleError, BubbleRun, PressureSpan};
use crate::bubbles::scales::Scales;
use crate::bubbles::species::SPECIES_COUNT;
use crate::bubbles::state::{BubbleSlot, BubbleStatus, BubbleVector};

use super::equilibrium_bubble::{
    blake_point, equilibrium_radius, gas_flux, gas_pressure, sphere_volume,
};
use super::released_gas::compute_vapour_share;

/// The regime a bubble is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BubbleRegime {
    /// A stabilised nucleus in equilibrium, its gas fixed.
    Dormant,
    /// Integrated by the backend.
    Dynamic,
    /// In equilibrium, exchanging gas quasi-statically.
    Settled,
    /// Dissolved or collapsed below its vanish radius; its gas is back in the liquid.
    Gone,
}

/// A bubble in equilibrium on the host (dormant or settled), dimensionless.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct HostBubble {
    id: usize,
    /// Gas content per species.
    n: PerSpecies<f64>,
    /// Current equilibrium radius.
    r: f64,
    /// Age (for the transient diffusion term).
    age: f64,
    /// Blake point `(R_c, p_B)` of its gas content.
    blake: Option<(f64, f64)>,
}

impl HostBubble {
    fn new(
        c: &GroupCoefficients<f64>,
        id: usize,
        n: [f64; SPECIES_COUNT],
        r: f64,
        age: f64,
    ) -> Self {
        Self {
            id,
            n: n.into(),
            r,
            age,
            blake: blake_point(c, &n),
        }
    }

    fn threshold(&self) -> f64 {
        self.blake.map_or(f64::NEG_INFINITY, |(_, p)| p)
    }
}

/// What every bubble ever present is and was.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BubbleRecord {
    /// Centre (m).
    pub position_m: [f64; 3],
    /// Radius it started with (m).
    pub initial_radius_m: f64,
    /// Made by tribonucleation rather than drawn from the population.
    pub tribonucleated: bool,
    /// When it first became dynamic (s), if it did.
    pub activated_at_s: Option<f64>,
    /// Largest radius reached (m).
    pub max_radius_m: f64,
    /// Current regime.
    pub regime: BubbleRegime,
}

/// A stored state of the population (for retrying a macro step and for the refractory
/// bisection).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PopulationSnapshot {
    field: BubbleField,
    dormant: Vec<HostBubble>,
    settled: Vec<HostBubble>,
    dynamic_ids: Vec<usize>,
    records: Vec<BubbleRecord>,
    time_s: f64,
    perfused: PerSpecies<f64>,
}

impl PopulationSnapshot {
    /// Every bubble of the stored state.
    pub fn records(&self) -> &[BubbleRecord] {
        &self.records
    }
}

/// Gas totals after an advance, SI units.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct GasTotals {
    /// Volume of all bubbles (m³).
    pub volume_m3: f64,
    /// Volume rate of the dynamic bubbles (m³/s).
    pub volume_rate_m3_s: f64,
    /// Volume acceleration of the dynamic bubbles (m³/s²).
    pub volume_acceleration_m3_s2: f64,
    /// Gas in bubbles per species (mol).
    pub bubble_gas_mol: PerSpecies<f64>,
    /// Gas dissolved in the fluid per species (mol).
    pub dissolved_gas_mol: PerSpecies<f64>,
    /// Gas the fluid has gained from the blood by perfusion since the run began, per
    /// species (mol; negative when the blood carried gas away). With it the gas budget
    /// closes: `bubbles + dissolved − perfusion = initial` to rounding.
    pub perfusion_gas_mol: PerSpecies<f64>,
}

/// One dynamic bubble's volume and its derivatives, SI (for the acoustics).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DynamicSample {
    /// The bubble (index into [`CavityPopulation::records`]).
    pub id: usize,
    /// Volume (m³).
    pub volume_m3: f64,
    /// `dV/dt` (m³/s).
    pub volume_rate_m3_s: f64,
    /// `d²V/dt²` (m³/s²).
    pub volume_acceleration_m3_s2: f64,
}

/// One bubble's state in a run file's `/bubbles` snapshot, SI. A bubble that is gone (or
/// not made yet) reads NaN, regime [`BubbleRegime::Gone`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BubbleState {
    /// Radius (m).
    pub radius_m: f64,
    /// Wall velocity `Ṙ` (m/s); zero for a bubble held in equilibrium.
    pub wall_velocity_m_s: f64,
    /// Gas per species (mol).
    pub gas_mol: PerSpecies<f64>,
    /// Regime.
    pub regime: BubbleRegime,
}

impl BubbleState {
    /// A bubble that is gone, or not made yet.
    pub const GONE: Self = Self {
        radius_m: f64::NAN,
        wall_velocity_m_s: f64::NAN,
        gas_mol: PerSpecies([f64::NAN; SPECIES_COUNT]),
        regime: BubbleRegime::Gone,
    };
}

impl BubbleRegime {
    /// The code written to run files: 0 dormant, 1 dynamic, 2 settled, 3 gone.
    pub fn code(self) -> u8 {
        match self {
            Self::Dormant => 0,
            Self::Dynamic => 1,
            Self::Settled => 2,
            Self::Gone => 3,
        }
    }
}

/// The bubbles of one joint.
pub struct CavityPopulation {
    run: BubbleRun,
    coefficients: GroupCoefficients<f64>,
    liquid: Liquid,
    vanish_fraction: f64,
    dormant: Vec<HostBubble>,
    settled: Vec<HostBubble>,
    dynamic_ids: Vec<usize>,
    records: Vec<BubbleRecord>,
    /// Tissue tensions in dissolved gas-content units (perfusion target).
    tissue_dissolved: [f64; SPECIES_COUNT],
    perfusion_time_s: Option<f64>,
    /// Gas content the fluid has gained from the blood so far (dimensionless, per
    /// species): the running integral of the perfusion exchange.
    perfused: PerSpecies<f64>,
    nuclei_age: f64,
}

impl std::fmt::Debug for CavityPopulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CavityPopulation")
            .field("dormant", &self.dormant.len())
            .field("dynamic", &self.dynamic_ids.len())
            .field("settled", &self.settled.len())
            .finish()
    }
}

/// Where and how the population is made.
#[derive(Debug, Clone)]
pub struct PopulationSpec<'a> {
    /// The liquid.
    pub liquid: &'a Liquid,
    /// The bubble model.
    pub model: &'a BubbleModel,
    /// The nuclei population.
    pub nuclei: &'a Nuclei,
    /// Dissolved tensions per species (Pa).
    pub tensions_pa: [f64; SPECIES_COUNT],
    /// Fluid volume holding the dissolved gas (m³).
    pub fluid_volume_m3: f64,
    /// Fluid pressure at rest (Pa): the nuclei are in equilibrium there.
    pub rest_pressure_pa: f64,
    /// Radius of the articular disc the nuclei lie on (m).
    pub articular_radius_m: f64,
    /// Height of the nuclei's plane (m; mid-gap).
    pub plane_z_m: f64,
    /// Perfusion time constant (s).
    pub perfusion_time_s: Option<f64>,
}

impl CavityPopulation {
    /// The nuclei drawn and held dormant; `backend` will integrate the dynamic bubbles.
    pub fn new(
        spec: &PopulationSpec<'_>,
        backend: Box<dyn BubbleBackend>,
    ) -> Result<Self, BubbleError> {
        let scales = Scales {
            length_m: spec.nuclei.radii.characteristic_radius_m(),
            pressure_pa: 1e5,
            density_kg_m3: spec.liquid.density_kg_m3,
        };
        let fractions = match spec.nuclei.composition {
            Some(c) => c.fractions().0,
            None => proportions(spec.tensions_pa),
        };
        let coefficients = GroupCoefficients::new(spec.liquid, spec.model, &scales)
            .carrying(&spec.tensions_pa, &fractions);
        let group = BubbleGroup::with_dissolved_tensions(
            "joint".into(),
            coefficients,
            &scales,
            spec.liquid.temperature_k,
            spec.fluid_volume_m3,
            spec.tensions_pa,
            0..0,
        );
        let dissolved = group.dissolved;
        let field = BubbleField {
            scales,
            groups: vec![group],
            slots: Vec::new(),
            positions: Vec::new(),
        };
        let run = BubbleRun::new(field, backend, false)?;
        let nuclei_age = spec.nuclei.age_s / scales.time_s();
        let mut population = Self {
            run,
            coefficients,
            liquid: spec.liquid.clone(),
            vanish_fraction: spec.model.vanish_radius_fraction,
            dormant: Vec::new(),
            settled: Vec::new(),
            dynamic_ids: Vec::new(),
            records: Vec::new(),
            tissue_dissolved: dissolved.0,
            perfusion_time_s: spec.perfusion_time_s,
            perfused: PerSpecies::default(),
            nuclei_age,
        };
        let drawn = if spec.nuclei.enabled {
            spec.nuclei.draw(0)
        } else {
            Vec::new()
        };
        for nucleus in drawn {
            // Centres spread uniformly over the articular disc (area-uniform radius).
            let fx = nucleus.position_m[0] / spec.nuclei.region_m[0].max(f64::MIN_POSITIVE);
            let fy = nucleus.position_m[1] / spec.nuclei.region_m[1].max(f64::MIN_POSITIVE);
            let rho = spec.articular_radius_m * fx.clamp(0.0, 1.0).sqrt();
            let phi = 2.0 * std::f64::consts::PI * fy;
            let position = [rho * phi.cos(), rho * phi.sin(), spec.plane_z_m];
            let p_gas = spec.rest_pressure_pa
                + 2.0 * spec.liquid.surface_tension_n_m / nucleus.radius_m
                - spec.liquid.vapour_pressure_pa;
            population.add_nucleus(nucleus.radius_m, p_gas.max(0.0), fractions, position, false);
        }
        Ok(population)
    }

    /// Adds a dormant nucleus of radius `radius_m` whose gas (mole `fractions`) is at
    /// `gas_pressure_pa`; returns its id. A tribonucleated nucleus takes its gas out of the
    /// fluid (it is made from the dissolved gas where the surfaces part); the population's
    /// own nuclei exist before the run begins, so they are part of the initial gas.
    pub fn add_nucleus(
        &mut self,
        radius_m: f64,
        gas_pressure_pa: f64,
        fractions: [f64; SPECIES_COUNT],
        position_m: [f64; 3],
        tribonucleated: bool,
    ) -> usize {
        let scales = self.scales();
        let c = &self.coefficients;
        let r = radius_m / scales.length_m;
        let p_gas = gas_pressure_pa / scales.pressure_pa;
        let core: f64 = (0..SPECIES_COUNT)
            .map(|k| fractions[k] * c.covolume[k])
            .sum();
        // p_g (v − N b) = N  ⇒  N = p_g v / (1 + p_g b).
        let total = p_gas * sphere_volume(r) / (1.0 + p_gas * core);
        let n = fractions.map(|x| x * total);
        let id = self.records.len();
        self.dormant
            .push(HostBubble::new(c, id, n, r, self.nuclei_age));
        if tribonucleated {
            let dissolved = self.run.dissolved_mut(0);
            for k in 0..SPECIES_COUNT {
                dissolved[k] -= n[k];
            }
        }
        self.records.push(BubbleRecord {
            position_m,
            initial_radius_m: radius_m,
            tribonucleated,
            activated_at_s: None,
            max_radius_m: radius_m,
            regime: BubbleRegime::Dormant,
        });
        id
    }

    /// Dimensionless scales.
    pub fn scales(&self) -> Scales {
        self.run.field().scales
    }

    /// The backend integrating dynamic bubbles.
    pub fn backend(&self) -> crate::bubbles::backend::BackendDescription {
        self.run.backend()
    }

    /// Every bubble so far.
    pub fn records(&self) -> &[BubbleRecord] {
        &self.records
    }

    /// Number of dynamic bubbles.
    pub fn dynamic_count(&self) -> usize {
        self.dynamic_ids.len()
    }

    /// Number of settled bubbles.
    pub fn settled_count(&self) -> usize {
        self.settled.len()
    }

    /// Number of dormant nuclei.
    pub fn dormant_count(&self) -> usize {
        self.dormant.len()
    }

    /// Stores the current state.
    pub fn snapshot(&mut self) -> Result<PopulationSnapshot, BubbleError> {
        let time_s = self.run.time_s();
        let field = self.run.sync()?.clone();
        Ok(PopulationSnapshot {
            field,
            dormant: self.dormant.clone(),
            settled: self.settled.clone(),
            dynamic_ids: self.dynamic_ids.clone(),
            records: self.records.clone(),
            time_s,
            perfused: self.perfused,
        })
    }

    /// Returns to a stored state.
    pub fn restore(&mut self, snapshot: &PopulationSnapshot) -> Result<(), BubbleError> {
        self.run
            .replace_field(snapshot.field.clone(), snapshot.time_s)?;
        self.dormant.clone_from(&snapshot.dormant);
        self.settled.clone_from(&snapshot.settled);
        self.dynamic_ids.clone_from(&snapshot.dynamic_ids);
        self.records.clone_from(&snapshot.records);
        self.perfused = snapshot.perfused;
        Ok(())
    }

    /// The highest Blake threshold (Pa) among the dormant and settled bubbles: the fluid
    /// pressure at which the next one cavitates.
    pub fn next_threshold_pa(&self) -> Option<f64> {
        let p = self
            .dormant
            .iter()
            .chain(&self.settled)
            .map(HostBubble::threshold)
            .fold(f64::NEG_INFINITY, f64::max);
        (p > f64::NEG_INFINITY).then(|| p * self.scales().pressure_pa)
    }

    /// Turns every dormant or settled bubble whose Blake threshold is at or above
    /// `pressure_pa − tolerance_pa` dynamic, starting at rest at its equilibrium radius
    /// (its critical radius when the pressure is already below the threshold). Returns the
    /// ids activated.
    pub fn activate(
        &mut self,
        pressure_pa: f64,
        tolerance_pa: f64,
        time_s: f64,
    ) -> Result<Vec<usize>, BubbleError> {
        let scales = self.scales();
        let p = (pressure_pa - tolerance_pa) / scales.pressure_pa;
        let p_here = pressure_pa / scales.pressure_pa;
        let mut chosen = Vec::new();
        for list in [&mut self.dormant, &mut self.settled] {
            let mut i = 0;
            while i < list.len() {
                if list[i].threshold() >= p {
                    chosen.push(list.swap_remove(i));
                } else {
                    i += 1;
                }
            }
        }
        if chosen.is_empty() {
            return Ok(Vec::new());
        }
        let c = self.coefficients;
        let mut field = self.run.sync()?.clone();
        let mut ids = Vec::new();
        for b in chosen {
            let r = equilibrium_radius(&c, &b.n, p_here, b.blake, b.r)
                .or(b.blake.map(|(r_c, _)| r_c))
                .unwrap_or(b.r);
            let record = &mut self.records[b.id];
            record.activated_at_s.get_or_insert(time_s);
            record.regime = BubbleRegime::Dynamic;
            let position = record.position_m;
            let r_initial = record.initial_radius_m / scales.length_m;
            field.slots.push(BubbleSlot {
                y: BubbleVector { r, u: 0.0, n: b.n },
                accel: 0.0,
                age: b.age,
                step: 0.0,
                err_prev: 0.0,
                group: 0,
                v_ref: sphere_volume(r),
                r_vanish: self.vanish_fraction * r_initial.min(r),
                pair_pressure: 0.0,
                r_max: r,
                r_min: r,
                t_event: f64::NAN,
                status: BubbleStatus::Active,
                accepted: 0,
                rejected: 0,
            });
            field.positions.push(position.map(|x| x / scales.length_m));
            self.dynamic_ids.push(b.id);
            ids.push(b.id);
        }
        field.groups[0].bubbles = 0..field.slots.len();
        self.run.replace_field(field, time_s)?;
        Ok(ids)
    }

    /// Moves dynamic bubbles that have rung down to equilibrium at `pressure_pa` into the
    /// settled regime, and drops those that vanished. Returns the ids settled.
    pub fn settle(&mut self, pressure_pa: f64, tolerance: f64) -> Result<Vec<usize>, BubbleError> {
        if self.dynamic_ids.is_empty() {
            return Ok(Vec::new());
        }
        let c = self.coefficients;
        let p = pressure_pa / self.scales().pressure_pa;
        let field = self.run.sync()?;
        let mut keep = Vec::new();
        let mut settled = Vec::new();
        let mut gone = Vec::new();
        for (slot, &id) in field.slots.iter().zip(&self.dynamic_ids) {
            if slot.status == BubbleStatus::Vanished {
                gone.push(id);
                continue;
            }
            let blake = blake_point(&c, &slot.y.n);
            let quiet = equilibrium_radius(&c, &slot.y.n, p, blake, slot.y.r).is_some_and(|r_eq| {
                let r = slot.y.r;
                let p_gas = gas_pressure(&c, r, &slot.y.n);
                // Natural angular frequency of small oscillations, ω² = j (3 p_g − 2σ/r) / r².
                let omega2 = c.inv_density * (3.0 * p_gas - 2.0 * c.surface_tension / r) / (r * r);
                omega2 > 0.0
                    && (r / r_eq - 1.0).abs() < tolerance
                    && slot.y.u.abs() < tolerance * r * omega2.sqrt()
                    && slot.accel.abs() < tolerance * r * omega2
            });
            if quiet {
                settled.push((id, *slot));
            } else {
                keep.push((id, *slot));
            }
        }
        if settled.is_empty() && gone.is_empty() {
            return Ok(Vec::new());
        }
        let mut field = field.clone();
        let positions: Vec<[f64; 3]> = field.positions.clone();
        let index_of = |id: usize| {
            self.dynamic_ids
                .iter()
                .position(|&d| d == id)
                .expect("dynamic id")
        };
        field.positions = keep
            .iter()
            .map(|(id, _)| positions[index_of(*id)])
            .collect();
        field.slots = keep.iter().map(|(_, s)| *s).collect();
        field.groups[0].bubbles = 0..field.slots.len();
        for id in &gone {
            self.records[*id].regime = BubbleRegime::Gone;
        }
        let mut ids = Vec::new();
        for (id, slot) in settled {
            // Keep the radius it has (within the tolerance of equilibrium): the volume the
            // capsule holds stays exactly the bubbles' volume.
            let b = HostBubble::new(&c, id, slot.y.n.0, slot.y.r, slot.age);
            self.records[id].regime = BubbleRegime::Settled;
            self.settled.push(b);
            ids.push(id);
        }
        self.dynamic_ids = keep.iter().map(|(id, _)| *id).collect();
        let time = self.run.time_s();
        self.run.replace_field(field, time)?;
        Ok(ids)
    }

    /// Advances every bubble over `dt_s` with the fluid pressure linear from `start_pa` to
    /// `end_pa`: dynamic bubbles on the backend, settled ones by quasi-static transfer
    /// (their radius in equilibrium with the pressure at the end), dormant ones to their
    /// equilibrium at the end. Fails when a settled or dormant bubble has no equilibrium
    /// at `end_pa` (the caller locates thresholds before stepping past them).
    pub fn advance(
        &mut self,
        dt_s: f64,
        start_pa: f64,
        end_pa: f64,
    ) -> Result<GasTotals, BubbleError> {
        let scales = self.scales();
        let c = self.coefficients;
        self.run
            .advance(dt_s, &[PressureSpan { start_pa, end_pa }])?;
        let p_end = end_pa / scales.pressure_pa;
        let dt = dt_s / scales.time_s();
        let saturation = self.run.field().groups[0].saturation(&scales);
        // Settled bubbles: explicit midpoint sub-steps, each changing the gas by at most 2 %.
        let mut taken = [0.0; SPECIES_COUNT];
        let mut vanished = Vec::new();
        for (index, b) in self.settled.iter_mut().enumerate() {
            let mut t = 0.0;
            let r_vanish =
                self.vanish_fraction * self.records[b.id].initial_radius_m / scales.length_m;
            while t < dt {
                let p_at = |s: f64| {
                    start_pa / scales.pressure_pa + (p_end - start_pa / scales.pressure_pa) * s / dt
                };
                let radius = |n: &[f64; SPECIES_COUNT], p: f64, guess: f64| {
                    equilibrium_radius(&c, n, p, blake_point(&c, n), guess)
                };
                let Some(r0) = radius(&b.n, p_at(t), b.r) else {
                    break;
                };
                let f0 = gas_flux(&c, &saturation, r0, &b.n, b.age);
                let total: f64 = b.n.iter().sum();
                let rate: f64 = f0.iter().map(|x| x.abs()).sum::<f64>();
                let h = if rate > 0.0 {
                    (0.02 * total / rate).min(dt - t)
                } else {
                    dt - t
                };
                let mid: [f64; SPECIES_COUNT] =
                    std::array::from_fn(|k| (b.n[k] + 0.5 * h * f0[k]).max(0.0));
                let Some(r_mid) = radius(&mid, p_at(t + 0.5 * h), r0) else {
                    break;
                };
                let f1 = gas_flux(&c, &saturation, r_mid, &mid, b.age + 0.5 * h);
                for k in 0..SPECIES_COUNT {
                    let new = (b.n[k] + h * f1[k]).max(0.0);
                    taken[k] += new - b.n[k];
                    b.n[k] = new;
                }
                b.age += h;
                t += h;
                b.r = r_mid;
                if b.n.iter().sum::<f64>() <= 0.0 || r_mid < r_vanish {
                    break;
                }
            }
            b.blake = blake_point(&c, &b.n);
            match equilibrium_radius(&c, &b.n, p_end, b.blake, b.r) {
                Some(r) if r >= r_vanish && b.n.iter().sum::<f64>() > 0.0 => b.r = r,
                Some(_) => vanished.push(index),
                None => b.r = b.blake.map_or(b.r, |(r_c, _)| r_c),
            }
        }
        for index in vanished.into_iter().rev() {
            let b = self.settled.swap_remove(index);
            for k in 0..SPECIES_COUNT {
                taken[k] -= b.n[k];
            }
            self.records[b.id].regime = BubbleRegime::Gone;
        }
        let dissolved = self.run.dissolved_mut(0);
        for k in 0..SPECIES_COUNT {
            dissolved[k] -= taken[k];
        }
        if let Some(tau) = self.perfusion_time_s {
            let decay = (-dt_s / tau).exp();
            for k in 0..SPECIES_COUNT {
                let before = dissolved[k];
                dissolved[k] =
                    self.tissue_dissolved[k] + (before - self.tissue_dissolved[k]) * decay;
                self.perfused[k] += dissolved[k] - before;
            }
        }
        for b in &mut self.dormant {
            b.r = equilibrium_radius(&c, &b.n, p_end, b.blake, b.r).unwrap_or(b.r);
        }
        Ok(self.totals())
    }

    /// Gas totals now.
    pub fn totals(&self) -> GasTotals {
        let scales = self.scales();
        let l3 = scales.length_m.powi(3);
        let unit = scales.moles_per_unit(self.liquid.temperature_k);
        let state = self.run.group_states()[0];
        let mut out = GasTotals {
            volume_m3: state.gas_volume_m3,
            volume_rate_m3_s: state.gas_volume_rate_m3_s,
            volume_acceleration_m3_s2: state.gas_volume_acceleration_m3_s2,
            bubble_gas_mol: state.bubble_gas_mol,
            dissolved_gas_mol: state.dissolved_gas_mol,
            perfusion_gas_mol: self.perfused.map(|x| x * unit),
        };
        for b in self.dormant.iter().chain(&self.settled) {
            out.volume_m3 += sphere_volume(b.r) * l3;
            for k in 0..SPECIES_COUNT {
                out.bubble_gas_mol[k] += b.n[k] * unit;
            }
        }
        out
    }

    /// The state of bubbles `0..count` by id, SI (bubbles made later, by tribonucleation,
    /// beyond `count` are left out).
    pub fn bubble_states(&mut self, count: usize) -> Result<Vec<BubbleState>, BubbleError> {
        let scales = self.scales();
        let (l, u) = (scales.length_m, scales.velocity_m_s());
        let moles = scales.moles_per_unit(self.liquid.temperature_k);
        let mut out = vec![BubbleState::GONE; count];
        let mut set = |id: usize, state: BubbleState| {
            if let Some(slot) = out.get_mut(id) {
                *slot = state;
            }
        };
        for (b, regime) in self
            .dormant
            .iter()
            .map(|b| (b, BubbleRegime::Dormant))
            .chain(self.settled.iter().map(|b| (b, BubbleRegime::Settled)))
        {
            set(
                b.id,
                BubbleState {
                    radius_m: b.r * l,
                    wall_velocity_m_s: 0.0,
                    gas_mol: b.n.map(|n| n * moles),
                    regime,
                },
            );
        }
        let field = self.run.sync()?;
        for (slot, &id) in field.slots.iter().zip(&self.dynamic_ids) {
            if slot.status == BubbleStatus::Active {
                set(
                    id,
                    BubbleState {
                        radius_m: slot.y.r * l,
                        wall_velocity_m_s: slot.y.u * u,
                        gas_mol: slot.y.n.map(|n| n * moles),
                        regime: BubbleRegime::Dynamic,
                    },
                );
            }
        }
        Ok(out)
    }

    /// Current radius (m) of every bubble that is not gone, by id.
    pub fn radii_m(&mut self) -> Result<Vec<(usize, f64)>, BubbleError> {
        let l = self.scales().length_m;
        let mut out: Vec<(usize, f64)> = self
            .dormant
            .iter()
            .chain(&self.settled)
            .map(|b| (b.id, b.r * l))
            .collect();
        let field = self.run.sync()?;
        for (slot, &id) in field.slots.iter().zip(&self.dynamic_ids) {
            if slot.status == BubbleStatus::Active {
                out.push((id, slot.y.r * l));
            }
        }
        Ok(out)
    }

    /// Volumes and their derivatives of the dynamic bubbles, and the largest radius each
    /// bubble reached updated in the records.
    pub fn dynamic_samples(&mut self) -> Result<Vec<DynamicSample>, BubbleError> {
        let scales = self.scales();
        let l = scales.length_m;
        let t = scales.time_s();
        let four_pi = 4.0 * std::f64::consts::PI;
        let field = self.run.sync()?;
        let mut out = Vec::with_capacity(self.dynamic_ids.len());
        for (slot, &id) in field.slots.iter().zip(&self.dynamic_ids) {
            if slot.status != BubbleStatus::Active {
                continue;
            }
            let (r, u, a) = (slot.y.r, slot.y.u, slot.accel);
            out.push(DynamicSample {
                id,
                volume_m3: sphere_volume(r) * l.powi(3),
                volume_rate_m3_s: four_pi * r * r * u * l.powi(3) / t,
                volume_acceleration_m3_s2: four_pi * (2.0 * r * u * u + r * r * a) * l.powi(3)
                    / (t * t),
            });
            let rec = &mut self.records[id];
            rec.max_radius_m = rec.max_radius_m.max(slot.r_max * l);
        }
        for b in &self.settled {
            let rec = &mut self.records[b.id];
            rec.max_radius_m = rec.max_radius_m.max(b.r * l);
        }
        Ok(out)
    }

    /// Mole fractions of the gas in the bubbles that have cavitated (dynamic or settled),
    /// or `None` when there are none.
    pub fn cavity_composition(&mut self) -> Result<Option<PerSpecies<f64>>, BubbleError> {
        Ok(self
            .cavity_gas_mol()?
            .and_then(|(total, x)| (total > 0.0).then_some(x)))
    }

    /// Gas (mol) in the bubbles that have cavitated and its mole fractions.
    pub fn cavity_gas_mol(&mut self) -> Result<Option<(f64, PerSpecies<f64>)>, BubbleError> {
        let unit = self.scales().moles_per_unit(self.liquid.temperature_k);
        let mut sum = [0.0; SPECIES_COUNT];
        for b in &self.settled {
            for k in 0..SPECIES_COUNT {
                sum[k] += b.n[k];
            }
        }
        let field = self.run.sync()?;
        for slot in &field.slots {
            if slot.status == BubbleStatus::Active {
                for k in 0..SPECIES_COUNT {
                    sum[k] += slot.y.n[k];
                }
            }
        }
        let total: f64 = sum.iter().sum();
        Ok((total > 0.0).then(|| (total * unit, PerSpecies(sum.map(|x| x / total)))))
    }

    /// The water vapour's share (m³) of the volume of every bubble present (dormant,
    /// dynamic, settled): per bubble `p_v (V − N b) / (p_g + p_v)`, its Amagat partial
    /// volume ([`compute_vapour_share`]), with the gas pressure `p_g` of the bubble's own gas
    /// law (isothermal in equilibrium; the backend's isothermal or polytropic law for a
    /// dynamic bubble). The rest of each bubble's volume is its non-condensable gas.
    pub fn vapour_volume_m3(&mut self) -> Result<f64, BubbleError> {
        let c = self.coefficients;
        let l3 = self.scales().length_m.powi(3);
        let core = |n: &[f64; SPECIES_COUNT]| -> f64 {
            (0..SPECIES_COUNT).map(|k| c.covolume[k] * n[k]).sum()
        };
        let mut v = 0.0;
        for b in self.dormant.iter().chain(&self.settled) {
            v += compute_vapour_share(
                sphere_volume(b.r),
                core(&b.n.0),
                gas_pressure(&c, b.r, &b.n.0),
                c.vapour_pressure,
            );
        }
        let field = self.run.sync()?;
        for slot in &field.slots {
            if slot.status != BubbleStatus::Active {
                continue;
            }
            let n = &slot.y.n.0;
            let total: f64 = n.iter().sum();
            let volume = sphere_volume(slot.y.r);
            let b = core(n);
            let kappa = c.polytropic_index;
            // The gas law of `keller_miksis_rhs`, line for line.
            let p_gas = if total > 0.0 {
                if kappa == 1.0 {
                    total / (volume - b)
                } else {
                    let ref_free = slot.v_ref - b;
                    total / ref_free * (ref_free / (volume - b)).powf(kappa)
                }
            } else {
                0.0
            };
            v += compute_vapour_share(volume, b, p_gas, c.vapour_pressure);
        }
        Ok(v * l3)
    }

    /// Predicted time (s, from now) for the cavity (the bubbles that have cavitated) to
    /// dissolve, from the rate the model already uses for a settled cavity, with the fluid
    /// held at `pressure_pa`; `None` when there is no cavity, when a bubble has no
    /// equilibrium at that pressure, or when the cavity outlasts `horizon_s`. The
    /// population is left as it was.
    ///
    /// Each bubble sits at its equilibrium radius, `p_g(R, n) + p_v − 2σ/R = p`, and
    /// exchanges gas with the fluid by the quasi-static Epstein–Plesset flux with its
    /// transient term, `dn_k/dt = 4π D_k H_k R (s_k − x_k p_g) (1 + R/√(π D_k t))`
    /// ([`gas_flux`]), where `s_k` is the tension of the gas dissolved in the joint's fluid
    /// (its content over `H_k V_f`): the fluid gains what the cavity loses, and perfusion
    /// relaxes it towards the tissue tensions, `ds_k/dt = (s_k,tissue − s_k)/τ`
    /// (`fluid.perfusion_time_s`). The cavity has dissolved when its last bubble falls below
    /// its vanish radius. Holding the pressure is an assumption [A]: the capsule's pressure
    /// rises slightly as the cavity shrinks (it holds `V_f + V_gas`). Steps grow from 0.1 s
    /// by half each to at most `min(τ/50, 60 s)`, which bounds the time's resolution.
    pub fn predict_dissolution_s(
        &mut self,
        pressure_pa: f64,
        horizon_s: f64,
    ) -> Result<Option<f64>, BubbleError> {
        let saved = self.snapshot()?;
        let outcome = self.dissolve_cavity(pressure_pa, horizon_s);
        self.restore(&saved)?;
        outcome
    }

    fn dissolve_cavity(
        &mut self,
        pressure_pa: f64,
        horizon_s: f64,
    ) -> Result<Option<f64>, BubbleError> {
        // Whatever still rings is taken at its equilibrium with its present gas.
        self.settle(pressure_pa, f64::MAX)?;
        if !self.dynamic_ids.is_empty() || self.settled.is_empty() {
            return Ok(None);
        }
        let max_step = self
            .perfusion_time_s
            .map_or(60.0, |tau| (tau / 50.0).min(60.0));
        let (mut t, mut dt) = (0.0, 0.1_f64);
        while !self.settled.is_empty() {
            if t >= horizon_s {
                return Ok(None);
            }
            self.advance(dt, pressure_pa, pressure_pa)?;
            t += dt;
            dt = (1.5 * dt).min(max_step);
        }
        Ok(Some(t))
    }

    /// Gas volume (m³) of the bubbles that have cavitated (dynamic or settled).
    pub fn cavity_volume_m3(&mut self) -> Result<f64, BubbleError> {
        let l3 = self.scales().length_m.powi(3);
        // A fold from +0.0: an empty float `sum()` is −0.0, which reports print as "-0".
        let mut v = self.settled.iter().fold(0.0, |v, b| v + sphere_volume(b.r));
        let field = self.run.sync()?;
        for slot in &field.slots {
            if slot.status == BubbleStatus::Active {
                v += sphere_volume(slot.y.r);
            }
        }
        Ok(v * l3)
    }
}
