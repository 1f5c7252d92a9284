//! Dimensionless coefficients of one group of bubbles (one joint, one liquid), precomputed
//! on the host and shared verbatim by the CPU reference and the GPU kernel.

use super::liquid::Liquid;
use super::model::{BubbleModel, Compressibility};
use super::per_species::PerSpecies;
use super::scales::Scales;
use super::species::{GAS_CONSTANT, GasSpecies, SPECIES_COUNT, carried_species};
use crate::real::Real;

/// Coefficients of the dimensionless Keller–Miksis and Epstein–Plesset equations.
///
/// With `r = R/L`, `u = Ṙ/U`, `τ = t/T`, `p* = p/P` and gas content `ν_k = n_k R T/(P L³)`:
///
/// `[(1 − εu) r + 4 j ε μ] u' = j[(1 + εu)(p_B − p_∞) + ε r (ṗ_g + 2σu/r² + 4μu²/r²)] − 1.5(1 − εu/3)u²`
///
/// `p_B = p_g + p_v − 2σ/r − 4μu/r`,
/// `ν_k' = 4π d_k s_k r (f_k − ν_k p_g/N)(1 + r/sqrt(π d_k age))`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "T: serde::Deserialize<'de> + Default"))]
pub struct GroupCoefficients<T> {
    /// `j = ρ_s / ρ`, inverse density ratio.
    pub inv_density: T,
    /// `ε = U / c` (zero for an incompressible liquid).
    pub mach: T,
    /// `σ / (P L)`.
    pub surface_tension: T,
    /// `μ U / (P L)`.
    pub viscosity: T,
    /// `p_v / P`.
    pub vapour_pressure: T,
    /// Polytropic index κ (1 for isothermal).
    pub polytropic_index: T,
    /// Dimensionless co-volume `b_k P / (R T)` per species (zero without a hard core).
    pub covolume: PerSpecies<T>,
    /// Dimensionless diffusivity `D_k T / L²` per species.
    pub diffusivity: PerSpecies<T>,
    /// Dimensionless solubility `R T H_k` per species (zero without mass transfer).
    pub solubility: PerSpecies<T>,
    /// 1 for each species the group carries as a degree of freedom, 0 for an optional
    /// species it leaves out (see [`carried_species`]): the integrators' error norm runs
    /// over the carried species.
    pub carried: PerSpecies<T>,
}

impl GroupCoefficients<f64> {
    /// Coefficients for `liquid` and `model` under `scales`.
    pub fn new(liquid: &Liquid, model: &BubbleModel, scales: &Scales) -> Self {
        let p = scales.pressure_pa;
        let l = scales.length_m;
        let u = scales.velocity_m_s();
        let t = scales.time_s();
        let temperature = liquid.temperature_k;
        let per_species = |f: &dyn Fn(GasSpecies) -> f64| PerSpecies::from_fn(f);
        Self {
            inv_density: scales.density_kg_m3 / liquid.density_kg_m3,
            mach: match model.compressibility {
                Compressibility::KellerMiksis => u / liquid.sound_speed_m_s,
                Compressibility::Incompressible => 0.0,
            },
            surface_tension: liquid.surface_tension_n_m / (p * l),
            viscosity: liquid.viscosity_pa_s * u / (p * l),
            vapour_pressure: liquid.vapour_pressure_pa / p,
            polytropic_index: model.effective_polytropic_index(),
            covolume: per_species(&|s| {
                if model.hard_core {
                    s.covolume_m3_mol() * p / (GAS_CONSTANT * temperature)
                } else {
                    0.0
                }
            }),
            diffusivity: per_species(&|s| s.diffusivity_37c_m2_s() * t / (l * l)),
            solubility: per_species(&|s| {
                if model.mass_transfer {
                    GAS_CONSTANT * temperature * s.henry_mol_m3_pa(temperature)
                } else {
                    0.0
                }
            }),
            carried: PerSpecies(carried_species(&[], &[])),
        }
    }

    /// The same coefficients for a group whose liquid holds `tensions_pa` and whose nuclei
    /// hold gas of mole `fractions`: an optional species neither gives is not carried.
    pub fn carrying(mut self, tensions_pa: &[f64], fractions: &[f64]) -> Self {
        self.carried = PerSpecies(carried_species(tensions_pa, fractions));
        self
    }

    /// Gas content per species of a bubble of dimensionless radius `r` whose gas, of mole
    /// `fractions`, is at dimensionless pressure `p_gas` (van der Waals co-volume included):
    /// `p_g (v − N b) = N`, so `N = p_g v / (1 + p_g b)`.
    pub fn gas_content(
        &self,
        r: f64,
        p_gas: f64,
        fractions: [f64; SPECIES_COUNT],
    ) -> [f64; SPECIES_COUNT] {
        let volume = 4.0 * std::f64::consts::PI / 3.0 * r.powi(3);
        let core: f64 = (0..SPECIES_COUNT)
            .map(|k| fractions[k] * self.covolume[k])
            .sum();
        let total = p_gas * volume / (1.0 + p_gas * core);
        fractions.map(|x| x * total)
    }

    /// The same coefficients rounded to `T`.
    pub fn cast<T: Real>(&self) -> GroupCoefficients<T> {
        let c = |a: PerSpecies<f64>| a.map(T::lit);
        GroupCoefficients {
            inv_density: T::lit(self.inv_density),
            mach: T::lit(self.mach),
            surface_tension: T::lit(self.surface_tension),
            viscosity: T::lit(self.viscosity),
            vapour_pressure: T::lit(self.vapour_pressure),
            polytropic_index: T::lit(self.polytropic_index),
            covolume: c(self.covolume),
            diffusivity: c(self.diffusivity),
            solubility: c(self.solubility),
            carried: c(self.carried),
        }
    }
}

/// What drives a group over one interval: the far-field pressure, linear in time, and the
/// far-field dissolved gas, frozen over the interval.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GroupForcing<T> {
    /// `p_∞ / P` at the start of the interval.
    pub pressure_start: T,
    /// `d(p_∞ / P)/dτ` over the interval.
    pub pressure_slope: T,
    /// Far-field saturation pressure `c_k / (H_k P)` per species.
    pub saturation: [T; SPECIES_COUNT],
}

impl GroupForcing<f64> {
    /// Rounded to `T`.
    pub fn cast<T: Real>(&self) -> GroupForcing<T> {
        GroupForcing {
            pressure_start: T::lit(self.pressure_start),
            pressure_slope: T::lit(self.pressure_slope),
            saturation: self.saturation.map(T::lit),
        }
    }
}
