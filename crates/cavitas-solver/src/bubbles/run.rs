//! Drives a bubble field through macro intervals: converts the far-field pressure and the
//! dissolved gas of each group into forcing, advances the backend, and keeps each group's
//! dissolved gas so that gas moles are conserved exactly (what bubbles take, the liquid
//! loses).

use super::backend::{
    BackendDescription, BackendError, BubbleBackend, GroupTotals, IntervalRequest,
};
use super::coefficients::GroupForcing;
use super::cpu::compute_group_totals;
use super::field::BubbleField;
use super::per_species::PerSpecies;
use super::species::{GasSpecies, SPECIES_COUNT};

/// Why a bubble-field run stopped.
#[derive(Debug, thiserror::Error)]
pub enum BubbleError {
    #[error(
        "group `{group}`: {count} bubble(s) failed to integrate by t = {time_s:.6e} s (step size \
         underflow or more than tolerances.max_steps_per_interval steps in one interval); \
         loosen tolerances.relative or shorten the sample interval"
    )]
    IntegrationFailed {
        group: String,
        count: u32,
        time_s: f64,
    },
    #[error(
        "group `{group}`: the liquid ran out of dissolved {species} within one interval ending at \
         t = {time_s:.6e} s; shorten the sample interval"
    )]
    Depleted {
        group: String,
        species: &'static str,
        time_s: f64,
    },
    #[error("a non-finite value appeared in group `{group}` at t = {time_s:.6e} s")]
    NonFinite { group: String, time_s: f64 },
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The study's observer (the output writer) failed.
    #[error("writing the output")]
    Observer(#[source] crate::driver::ObserverError),
    /// A checkpoint to resume from does not fit the scenario.
    #[error("cannot resume from the checkpoint")]
    Checkpoint(#[from] super::checkpoint::CheckpointError),
}

/// Far-field pressure of one group over an interval, linear in time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PressureSpan {
    /// Pressure at the start of the interval, Pa.
    pub start_pa: f64,
    /// Pressure at the end of the interval, Pa.
    pub end_pa: f64,
}

/// Per-group results of an interval, in SI units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GroupState {
    /// Total gas volume of the active bubbles, m³.
    pub gas_volume_m3: f64,
    /// Its first time derivative, m³/s.
    pub gas_volume_rate_m3_s: f64,
    /// Its second time derivative, m³/s².
    pub gas_volume_acceleration_m3_s2: f64,
    /// Gas held by the bubbles per species, mol.
    pub bubble_gas_mol: PerSpecies<f64>,
    /// Gas dissolved in the liquid per species, mol.
    pub dissolved_gas_mol: PerSpecies<f64>,
    /// Active bubbles.
    pub active: u32,
}

/// A bubble field, its backend, and the clock.
pub struct BubbleRun {
    field: BubbleField,
    backend: Box<dyn BubbleBackend>,
    near_field: bool,
    time_s: f64,
    totals: Vec<GroupTotals>,
}

impl std::fmt::Debug for BubbleRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BubbleRun")
            .field("backend", &self.backend.describe())
            .field("time_s", &self.time_s)
            .field("bubbles", &self.field.len())
            .finish()
    }
}

impl BubbleRun {
    /// Loads `field` into `backend`.
    pub fn new(
        field: BubbleField,
        mut backend: Box<dyn BubbleBackend>,
        near_field: bool,
    ) -> Result<Self, BubbleError> {
        if !field.is_empty() {
            backend.load(&field)?;
        }
        let totals = field
            .groups
            .iter()
            .map(|g| compute_group_totals(&field.slots[g.bubbles.clone()]))
            .collect();
        Ok(Self {
            field,
            backend,
            near_field,
            time_s: 0.0,
            totals,
        })
    }

    /// Loads `field` (restored from a checkpoint) into `backend` with the clock at
    /// `time_s`, exactly as saved.
    pub fn restore(
        field: BubbleField,
        backend: Box<dyn BubbleBackend>,
        near_field: bool,
        time_s: f64,
    ) -> Result<Self, BubbleError> {
        let mut run = Self::new(field, backend, near_field)?;
        run.time_s = time_s;
        Ok(run)
    }

    /// Replaces the field (bubbles added, removed or restored between intervals) and
    /// reloads the backend, with the clock at `time_s`. The gas the liquid holds comes with
    /// the field, so restoring a stored field restores the whole gas balance.
    pub fn replace_field(&mut self, field: BubbleField, time_s: f64) -> Result<(), BubbleError> {
        if !field.is_empty() {
            self.backend.load(&field)?;
        }
        self.totals = field
            .groups
            .iter()
            .map(|g| compute_group_totals(&field.slots[g.bubbles.clone()]))
            .collect();
        self.field = field;
        self.time_s = time_s;
        Ok(())
    }

    /// The gas dissolved in a group's liquid (dimensionless gas content per species), for
    /// exchanges the backend does not see (bubbles held in equilibrium on the host,
    /// perfusion).
    pub fn dissolved_mut(&mut self, group: usize) -> &mut [f64; SPECIES_COUNT] {
        &mut self.field.groups[group].dissolved
    }

    /// Physical time, s.
    pub fn time_s(&self) -> f64 {
        self.time_s
    }

    /// The backend in use.
    pub fn backend(&self) -> BackendDescription {
        self.backend.describe()
    }

    /// The field as last stored; call [`Self::sync`] first for current bubble slots.
    pub fn field(&self) -> &BubbleField {
        &self.field
    }

    /// Copies the bubbles back from the backend into the host field.
    pub fn sync(&mut self) -> Result<&BubbleField, BubbleError> {
        if !self.field.is_empty() {
            self.backend.store(&mut self.field)?;
        }
        Ok(&self.field)
    }

    /// Current radii of the given bubbles, m.
    pub fn radii_m(&mut self, indices: &[usize]) -> Result<Vec<f64>, BubbleError> {
        let l = self.field.scales.length_m;
        Ok(self
            .backend
            .radii(indices)?
            .into_iter()
            .map(|r| r * l)
            .collect())
    }

    /// Per-group state at the current time, SI units.
    pub fn group_states(&self) -> Vec<GroupState> {
        let s = &self.field.scales;
        let l3 = s.length_m.powi(3);
        let t = s.time_s();
        self.field
            .groups
            .iter()
            .zip(&self.totals)
            .map(|(g, tot)| {
                let unit = s.moles_per_unit(g.temperature_k);
                GroupState {
                    gas_volume_m3: tot.volume * l3,
                    gas_volume_rate_m3_s: tot.volume_rate * l3 / t,
                    gas_volume_acceleration_m3_s2: tot.volume_acceleration * l3 / (t * t),
                    bubble_gas_mol: PerSpecies(tot.gas.map(|x| x * unit)),
                    dissolved_gas_mol: g.dissolved.map(|x| x * unit),
                    active: tot.active,
                }
            })
            .collect()
    }

    /// Advances every group over `interval_s` seconds under its far-field pressure span.
    pub fn advance(
        &mut self,
        interval_s: f64,
        pressures: &[PressureSpan],
    ) -> Result<(), BubbleError> {
        assert_eq!(
            pressures.len(),
            self.field.groups.len(),
            "one pressure span per group"
        );
        let scales = self.field.scales;
        let interval = interval_s / scales.time_s();
        let forcing = self
            .field
            .groups
            .iter()
            .zip(pressures)
            .map(|(g, p)| GroupForcing {
                pressure_start: p.start_pa / scales.pressure_pa,
                pressure_slope: (p.end_pa - p.start_pa) / scales.pressure_pa / interval,
                saturation: g.saturation(&scales),
            })
            .collect();
        let request = IntervalRequest {
            interval,
            t_start: self.time_s / scales.time_s(),
            forcing,
        };
        let totals = if self.field.is_empty() {
            vec![GroupTotals::default(); self.field.groups.len()]
        } else {
            self.backend.advance(&request, self.near_field)?
        };
        let end_time = self.time_s + interval_s;
        for ((group, new), old) in self.field.groups.iter_mut().zip(&totals).zip(&self.totals) {
            if new.failed > 0 {
                return Err(BubbleError::IntegrationFailed {
                    group: group.name.clone(),
                    count: new.failed,
                    time_s: end_time,
                });
            }
            let finite = new.volume.is_finite()
                && new.volume_rate.is_finite()
                && new.volume_acceleration.is_finite()
                && new.gas.iter().all(|x| x.is_finite());
            if !finite {
                return Err(BubbleError::NonFinite {
                    group: group.name.clone(),
                    time_s: end_time,
                });
            }
            for s in GasSpecies::ALL {
                let k = s.index();
                let taken = new.gas[k] - old.gas[k];
                let before = group.dissolved[k];
                group.dissolved[k] = before - taken;
                // Rounding of f32 sums may leave a trace below zero; a real deficit is an error.
                let slack = 1e-6 * (before.abs() + new.gas[k].abs());
                if group.dissolved[k] < -slack {
                    return Err(BubbleError::Depleted {
                        group: group.name.clone(),
                        species: s.name(),
                        time_s: end_time,
                    });
                }
                group.dissolved[k] = group.dissolved[k].max(0.0);
            }
        }
        self.totals = totals;
        self.time_s = end_time;
        Ok(())
    }
}
