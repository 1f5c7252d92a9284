//! The gas budget of a coupled run: where the joint's gas is at the end — in the bubbles,
//! dissolved in the synovial fluid — and what the blood exchanged with the fluid by
//! perfusion on the way.
//!
//! Gas is conserved between the bubbles and the fluid (every exchange is taken from one and
//! given to the other; a tribonucleated nucleus takes its gas from the fluid); perfusion is
//! the only exchange with the outside, integrated as the run goes. So
//!
//! `bubbles(t) + dissolved(t) = initial + perfusion(t)`
//!
//! per species, to rounding. A budget that does not close is a bug, not a physical effect.

use serde::Serialize;

use crate::bubbles::per_species::PerSpecies;

use super::crack_run::JointSample;

/// Where the gas went, per species (mol) and in total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GasBudget {
    /// Gas at the start, dissolved in the fluid and held by the nuclei (mol).
    pub initial_mol: PerSpecies<f64>,
    /// Gas in the bubbles at the end (mol).
    pub bubbles_mol: PerSpecies<f64>,
    /// Gas dissolved in the fluid at the end (mol).
    pub dissolved_mol: PerSpecies<f64>,
    /// Gas the fluid gained from the blood by perfusion over the run (mol; negative when
    /// the blood carried gas away).
    pub perfusion_exchange_mol: PerSpecies<f64>,
    /// All species of `initial_mol` (mol).
    pub initial_total_mol: f64,
    /// All species of `bubbles_mol` (mol).
    pub bubbles_total_mol: f64,
    /// All species of `dissolved_mol` (mol).
    pub dissolved_total_mol: f64,
    /// All species of `perfusion_exchange_mol` (mol).
    pub perfusion_exchange_total_mol: f64,
    /// `(bubbles + dissolved − perfusion − initial) / initial` at the end, all species:
    /// the budget's closure (zero to rounding).
    pub closure_relative: f64,
    /// Largest `|closure|` of any species over every sample of the run, relative to that
    /// species' initial gas (or to the initial total for a species that started at zero).
    pub closure_relative_max: f64,
    /// `(bubbles + dissolved − initial) / initial` at the end: the net change of the
    /// joint's gas, which is the perfusion exchange (dimensionless).
    pub net_change_relative: f64,
}

fn closure(first: &JointSample, s: &JointSample, k: usize) -> f64 {
    s.bubble_gas_mol[k] + s.dissolved_gas_mol[k]
        - s.perfusion_gas_mol[k]
        - (first.bubble_gas_mol[k] + first.dissolved_gas_mol[k])
}

impl GasBudget {
    /// The budget of a run's `samples` (the joint at rest first). `None` without samples.
    pub fn from_samples(samples: &[JointSample]) -> Option<Self> {
        let first = samples.first()?;
        let last = samples.last()?;
        let initial_mol =
            PerSpecies::from_fn(|k| first.bubble_gas_mol[k] + first.dissolved_gas_mol[k]);
        let perfusion_exchange_mol =
            PerSpecies::from_fn(|k| last.perfusion_gas_mol[k] - first.perfusion_gas_mol[k]);
        let initial_total_mol = initial_mol.total();
        let bubbles_total_mol = last.bubble_gas_mol.total();
        let dissolved_total_mol = last.dissolved_gas_mol.total();
        let perfusion_exchange_total_mol = perfusion_exchange_mol.total();
        let species = initial_mol.len();
        let closure_relative_max = samples
            .iter()
            .flat_map(|s| {
                (0..species).map(move |k| {
                    let scale = if initial_mol[k] > 0.0 {
                        initial_mol[k]
                    } else {
                        initial_total_mol
                    };
                    closure(first, s, k).abs() / scale
                })
            })
            .fold(0.0, f64::max);
        let end: f64 = (0..species).map(|k| closure(first, last, k)).sum();
        Some(Self {
            initial_mol,
            bubbles_mol: last.bubble_gas_mol,
            dissolved_mol: last.dissolved_gas_mol,
            perfusion_exchange_mol,
            initial_total_mol,
            bubbles_total_mol,
            dissolved_total_mol,
            perfusion_exchange_total_mol,
            closure_relative: end / initial_total_mol,
            closure_relative_max,
            net_change_relative: (bubbles_total_mol + dissolved_total_mol - initial_total_mol)
                / initial_total_mol,
        })
    }
}
