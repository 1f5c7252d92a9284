//! Dissolved gas species and their solubility, diffusivity and van der Waals co-volume.
//!
//! Sources are transcribed in `validation/gas-properties/README.md`: Henry constants from
//! Sander (2023), diffusivities in water, co-volumes from standard van der Waals tables.

/// Number of gas species carried per bubble.
pub const SPECIES_COUNT: usize = 3;

/// Universal gas constant, J/(mol K).
pub const GAS_CONSTANT: f64 = 8.314_462_618;

/// One mmHg in Pa.
pub const MMHG: f64 = 133.322_387_415;

/// A gas dissolved in synovial fluid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GasSpecies {
    Co2,
    N2,
    O2,
}

impl GasSpecies {
    /// All species, in the order bubbles store their moles.
    pub const ALL: [GasSpecies; SPECIES_COUNT] = [GasSpecies::Co2, GasSpecies::N2, GasSpecies::O2];

    /// Index into per-species arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            GasSpecies::Co2 => "co2",
            GasSpecies::N2 => "n2",
            GasSpecies::O2 => "o2",
        }
    }

    /// Henry solubility at 298.15 K, mol/(m³ Pa) (Sander 2023).
    pub fn henry_298_mol_m3_pa(self) -> f64 {
        match self {
            GasSpecies::Co2 => 3.3e-4,
            GasSpecies::N2 => 6.4e-6,
            GasSpecies::O2 => 1.3e-5,
        }
    }

    /// Temperature dependence `d ln H / d(1/T)`, K (Sander 2023).
    pub fn henry_temperature_coefficient_k(self) -> f64 {
        match self {
            GasSpecies::Co2 => 2400.0,
            GasSpecies::N2 => 1300.0,
            GasSpecies::O2 => 1500.0,
        }
    }

    /// Henry solubility at `temperature_k`, mol/(m³ Pa):
    /// `H(T) = H298 exp[B (1/T − 1/298.15)]`.
    pub fn henry_mol_m3_pa(self, temperature_k: f64) -> f64 {
        self.henry_298_mol_m3_pa()
            * (self.henry_temperature_coefficient_k() * (1.0 / temperature_k - 1.0 / 298.15)).exp()
    }

    /// Diffusivity in water at 37 °C, m²/s (CO2 from 2.47e-9 at 35 °C; N2 and O2 assumed).
    pub fn diffusivity_37c_m2_s(self) -> f64 {
        match self {
            GasSpecies::Co2 => 2.6e-9,
            GasSpecies::N2 => 2.5e-9,
            GasSpecies::O2 => 2.7e-9,
        }
    }

    /// Van der Waals co-volume `b`, m³/mol (hard core of the gas).
    pub fn covolume_m3_mol(self) -> f64 {
        match self {
            GasSpecies::Co2 => 4.267e-5,
            GasSpecies::N2 => 3.87e-5,
            GasSpecies::O2 => 3.18e-5,
        }
    }

    /// Default synovial gas tension, Pa (pCO2 46, pN2 573, pO2 48 mmHg; an assumption [A]).
    pub fn default_tension_pa(self) -> f64 {
        MMHG * match self {
            GasSpecies::Co2 => 46.0,
            GasSpecies::N2 => 573.0,
            GasSpecies::O2 => 48.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// REFERENCE-DATA derives H(37 °C) = 2.42e-4, 5.41e-6, 1.07e-5 mol/(m³ Pa); three
    /// significant figures are quoted, so agreement to 0.5% checks the van 't Hoff form.
    #[test]
    fn henry_constants_at_body_temperature_match_reference_data() {
        let t = 310.15;
        for (s, expected) in GasSpecies::ALL.iter().zip([2.42e-4, 5.41e-6, 1.07e-5]) {
            let h = s.henry_mol_m3_pa(t);
            assert!(
                (h / expected - 1.0).abs() < 5e-3,
                "{s:?}: {h} vs {expected}"
            );
        }
    }

    /// REFERENCE-DATA [D]: dissolved gas at the default tensions is about 76% CO2 by moles.
    #[test]
    fn dissolved_gas_is_three_quarters_co2() {
        let t = 310.15;
        let c: Vec<f64> = GasSpecies::ALL
            .iter()
            .map(|s| s.henry_mol_m3_pa(t) * s.default_tension_pa())
            .collect();
        let fraction = c[0] / c.iter().sum::<f64>();
        assert!((fraction - 0.76).abs() < 0.01, "CO2 fraction {fraction}");
    }
}
