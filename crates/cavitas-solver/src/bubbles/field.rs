//! The host-side bubble field: every bubble's slot in f64, grouped by joint, with the
//! dissolved gas of each group's liquid. Backends load from it and store back into it.

use std::ops::Range;

use super::coefficients::GroupCoefficients;
use super::per_species::PerSpecies;
use super::scales::Scales;
use super::species::{GAS_CONSTANT, SPECIES_COUNT};
use super::state::{BubbleSlot, BubbleStatus};

/// One group of bubbles sharing a liquid, a far-field pressure and a dissolved-gas pool.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BubbleGroup {
    /// Label for reports.
    pub name: String,
    /// Dimensionless coefficients of the group's liquid and model.
    pub coefficients: GroupCoefficients<f64>,
    /// Liquid temperature, K (converts gas content to moles).
    pub temperature_k: f64,
    /// Volume of liquid holding the dissolved gas, m³.
    pub fluid_volume_m3: f64,
    /// Dissolved gas per species, dimensionless gas content (see [`Scales::moles_per_unit`]).
    pub dissolved: PerSpecies<f64>,
    /// Henry solubility times `R T` per species, whatever the mass-transfer switch
    /// (converts dissolved gas into a saturation pressure).
    pub solubility_rt: PerSpecies<f64>,
    /// Bubbles of this group: a contiguous range of slots.
    pub bubbles: Range<usize>,
}

impl BubbleGroup {
    /// A group whose liquid (`fluid_volume_m3` of it, at `temperature_k`) holds gas
    /// dissolved at the partial pressures `tensions_pa` (Henry: `c_k = H_k(T) p_k`), with
    /// its bubbles in `bubbles`.
    pub fn with_dissolved_tensions(
        name: String,
        coefficients: GroupCoefficients<f64>,
        scales: &Scales,
        temperature_k: f64,
        fluid_volume_m3: f64,
        tensions_pa: [f64; SPECIES_COUNT],
        bubbles: Range<usize>,
    ) -> Self {
        let solubility_rt = PerSpecies::from_fn(|s| {
            GAS_CONSTANT * temperature_k * s.henry_mol_m3_pa(temperature_k)
        });
        let volume_ratio = fluid_volume_m3 / scales.length_m.powi(3);
        Self {
            name,
            coefficients,
            temperature_k,
            fluid_volume_m3,
            // c_k = H_k p_k, in gas-content units: ν = c V_f R T / (P L³).
            dissolved: PerSpecies(std::array::from_fn(|k| {
                tensions_pa[k] / scales.pressure_pa * solubility_rt[k] * volume_ratio
            })),
            solubility_rt,
            bubbles,
        }
    }

    /// Far-field saturation pressure `c_k / (H_k P)` of each species, dimensionless.
    pub fn saturation(&self, scales: &Scales) -> [f64; SPECIES_COUNT] {
        let volume = self.fluid_volume_m3 / scales.length_m.powi(3);
        let mut out = [0.0; SPECIES_COUNT];
        for s in 0..SPECIES_COUNT {
            out[s] = self.dissolved[s] / (self.solubility_rt[s] * volume);
        }
        out
    }
}

/// All bubbles and groups of a run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BubbleField {
    /// Reference scales.
    pub scales: Scales,
    /// Groups, in slot order.
    pub groups: Vec<BubbleGroup>,
    /// Every bubble, grouped contiguously.
    pub slots: Vec<BubbleSlot<f64>>,
    /// Bubble centres, dimensionless (`x / L`), used by the near-field coupling.
    pub positions: Vec<[f64; 3]>,
}

impl BubbleField {
    /// Number of bubbles.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when the field holds no bubble.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Total gas per species of a group, bubbles (active ones) plus liquid, in moles.
    pub fn group_gas_moles(&self, group: usize) -> [f64; SPECIES_COUNT] {
        let g = &self.groups[group];
        let unit = self.scales.moles_per_unit(g.temperature_k);
        let mut out = g.dissolved.0;
        for slot in &self.slots[g.bubbles.clone()] {
            if slot.status == BubbleStatus::Active {
                for (o, n) in out.iter_mut().zip(slot.y.n) {
                    *o += n;
                }
            }
        }
        out.map(|x| x * unit)
    }

    /// Total gas in the run, all species and groups, in moles.
    pub fn total_gas_moles(&self) -> f64 {
        (0..self.groups.len())
            .map(|g| self.group_gas_moles(g).iter().sum::<f64>())
            .sum()
    }
}
