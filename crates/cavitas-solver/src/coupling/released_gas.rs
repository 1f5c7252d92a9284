//! Gas apart from vapour: what a cavity holds besides water vapour, expressed the way the
//! published "gas released" figures are (a volume at atmospheric pressure), and the
//! vapour's share of a bubble's volume.
//!
//! A cavity opened at a few kPa is mostly water vapour: its volume says little about the gas
//! the crack released. The non-condensable gas is counted in moles per species; its volume at
//! the reference conditions (1 atm, 37 °C) follows from the bubble model's own equation of
//! state, the ideal gas with the van der Waals hard core
//! (`p (V − Σ_k n_k b_k) = Σ_k n_k R T`, [`crate::bubbles::keller_miksis`]):
//!
//! `V_ref = Σ_k n_k (R T_ref / p_ref + b_k)`,
//!
//! with `b_k` the co-volume of species `k` when the model's `hard_core` is on, zero
//! otherwise.

use crate::bubbles::per_species::PerSpecies;
use crate::bubbles::species::{GAS_CONSTANT, GasSpecies};

/// Reference pressure of a released-gas volume: one standard atmosphere (Pa) [D].
pub const REFERENCE_PRESSURE_PA: f64 = 101_325.0;

/// Reference temperature of a released-gas volume: body temperature, 37 °C (K) [A].
pub const REFERENCE_TEMPERATURE_K: f64 = 310.15;

/// Volume (m³) that gas of `moles` (mol per species) fills at [`REFERENCE_PRESSURE_PA`] and
/// [`REFERENCE_TEMPERATURE_K`]: `Σ_k n_k (R T_ref / p_ref + b_k)`, with the co-volume `b_k`
/// (m³/mol) when `hard_core` is on (the model's equation of state; module docs).
pub fn compute_gas_volume_at_reference_m3(moles: &PerSpecies<f64>, hard_core: bool) -> f64 {
    let ideal = GAS_CONSTANT * REFERENCE_TEMPERATURE_K / REFERENCE_PRESSURE_PA;
    GasSpecies::ALL
        .iter()
        .map(|&s| {
            let b = if hard_core { s.covolume_m3_mol() } else { 0.0 };
            moles[s] * (ideal + b)
        })
        .sum()
}

/// The vapour's share (m³, or any volume unit of `volume`) of a bubble of `volume` whose gas
/// is at partial pressure `gas_pressure` with hard core `core` (same volume unit), under
/// vapour pressure `vapour_pressure`: `p_v (V − N b) / (p_g + p_v)`.
///
/// This is Amagat's partial volume under the model's equation of state: the vapour (an
/// ideal gas) and the gas share the free volume `V − N b` in proportion to their partial
/// pressures, and the gas alone would fill `N R T / (p_g + p_v) + N b` at the bubble's
/// pressure; the two shares add up to `V`. Zero for an empty or vapour-free bubble.
pub fn compute_vapour_share(
    volume: f64,
    core: f64,
    gas_pressure: f64,
    vapour_pressure: f64,
) -> f64 {
    let inside = gas_pressure + vapour_pressure;
    if vapour_pressure > 0.0 && inside > 0.0 && inside.is_finite() {
        vapour_pressure * (volume - core).max(0.0) / inside
    } else {
        0.0
    }
}
