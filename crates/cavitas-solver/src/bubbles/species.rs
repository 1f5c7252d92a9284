//! Dissolved gas species and their solubility, diffusivity and van der Waals co-volume: one
//! table, [`SPECIES`], from which every per-species array, key, column and GPU layout is
//! derived. Adding a species is one enum variant and one row here.
//!
//! Sources are transcribed in `validation/gas-properties/README.md`: Henry constants from
//! Sander (2023), diffusivities in water, co-volumes from standard van der Waals tables.

/// Universal gas constant, J/(mol K).
pub const GAS_CONSTANT: f64 = 8.314_462_618;

/// One mmHg in Pa.
pub const MMHG: f64 = 133.322_387_415;

/// A gas dissolved in synovial fluid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GasSpecies {
    Co2,
    N2,
    O2,
    Ar,
}

/// Number of gas species carried per bubble.
pub const SPECIES_COUNT: usize = SPECIES.len();

/// The properties of one species (a row of [`SPECIES`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeciesProperties {
    /// The species.
    pub species: GasSpecies,
    /// Key in configs, JSON and HDF5 column suffixes (`co2`).
    pub name: &'static str,
    /// Chemical formula for printed reports (`CO2`).
    pub formula: &'static str,
    /// Henry solubility `H` at 298.15 K, mol/(m³ Pa) (Sander 2023).
    pub henry_298_mol_m3_pa: f64,
    /// Temperature dependence `d ln H / d(1/T)`, K (Sander 2023).
    pub henry_temperature_coefficient_k: f64,
    /// Diffusivity in water at 37 °C, m²/s.
    pub diffusivity_37c_m2_s: f64,
    /// Van der Waals co-volume `b`, m³/mol (hard core of the gas).
    pub covolume_m3_mol: f64,
    /// Tension a scenario gets when it does not give one, Pa. A species whose default is
    /// zero is optional: a run carries it only when a scenario gives it a tension or a
    /// nucleus holds it (see [`carried_species`]).
    pub default_tension_pa: f64,
}

/// Every species, in the order bubbles store their moles.
pub const SPECIES: [SpeciesProperties; 4] = [
    SpeciesProperties {
        species: GasSpecies::Co2,
        name: "co2",
        formula: "CO2",
        henry_298_mol_m3_pa: 3.3e-4,
        henry_temperature_coefficient_k: 2400.0,
        // 2.47e-9 at 35 °C [P], ~2.6e-9 at 37 °C [D].
        diffusivity_37c_m2_s: 2.6e-9,
        covolume_m3_mol: 4.267e-5,
        // pCO2 46 mmHg [A].
        default_tension_pa: 46.0 * MMHG,
    },
    SpeciesProperties {
        species: GasSpecies::N2,
        name: "n2",
        formula: "N2",
        henry_298_mol_m3_pa: 6.4e-6,
        henry_temperature_coefficient_k: 1300.0,
        // 2.5–3e-9 at 37 °C [A].
        diffusivity_37c_m2_s: 2.5e-9,
        covolume_m3_mol: 3.87e-5,
        // pN2 573 mmHg [A].
        default_tension_pa: 573.0 * MMHG,
    },
    SpeciesProperties {
        species: GasSpecies::O2,
        name: "o2",
        formula: "O2",
        henry_298_mol_m3_pa: 1.3e-5,
        henry_temperature_coefficient_k: 1500.0,
        // 2.5–3e-9 at 37 °C [A].
        diffusivity_37c_m2_s: 2.7e-9,
        covolume_m3_mol: 3.18e-5,
        // pO2 48 mmHg (normal rabbit knee, mean) [P]/[A].
        default_tension_pa: 48.0 * MMHG,
    },
    SpeciesProperties {
        species: GasSpecies::Ar,
        name: "ar",
        formula: "Ar",
        // Sander 2023 [P]: 1.4e-5 mol/(m3 Pa), 1500 K (Clever 1980; Wilhelm et al. 1977).
        henry_298_mol_m3_pa: 1.4e-5,
        henry_temperature_coefficient_k: 1500.0,
        // 2.5e-9 at 25 °C (CRC Handbook) [S], scaled to 37 °C by T/μ (Stokes–Einstein) [D].
        diffusivity_37c_m2_s: 3.4e-9,
        // Van der Waals b of argon, 0.03201 L/mol (CRC Handbook) [S].
        covolume_m3_mol: 3.201e-5,
        // Optional: carried only when a scenario gives a tension. Its tissue tension,
        // 6.7 mmHg (888 Pa) [D], is in validation/gas-properties/README.md.
        default_tension_pa: 0.0,
    },
];

impl GasSpecies {
    /// All species, in the order bubbles store their moles.
    pub const ALL: [GasSpecies; SPECIES_COUNT] = {
        let mut out = [GasSpecies::Co2; SPECIES_COUNT];
        let mut i = 0;
        while i < SPECIES_COUNT {
            out[i] = SPECIES[i].species;
            i += 1;
        }
        out
    };

    /// Index into per-species arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The species' row of [`SPECIES`].
    pub fn properties(self) -> &'static SpeciesProperties {
        &SPECIES[self.index()]
    }

    /// Key for configs, JSON and column suffixes (`co2`).
    pub fn name(self) -> &'static str {
        self.properties().name
    }

    /// Chemical formula for reports (`CO2`).
    pub fn formula(self) -> &'static str {
        self.properties().formula
    }

    /// The species named `name` (a key of [`SpeciesProperties::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        SPECIES.iter().find(|p| p.name == name).map(|p| p.species)
    }

    /// Henry solubility at 298.15 K, mol/(m³ Pa) (Sander 2023).
    pub fn henry_298_mol_m3_pa(self) -> f64 {
        self.properties().henry_298_mol_m3_pa
    }

    /// Temperature dependence `d ln H / d(1/T)`, K (Sander 2023).
    pub fn henry_temperature_coefficient_k(self) -> f64 {
        self.properties().henry_temperature_coefficient_k
    }

    /// Henry solubility at `temperature_k`, mol/(m³ Pa):
    /// `H(T) = H298 exp[B (1/T − 1/298.15)]`.
    pub fn henry_mol_m3_pa(self, temperature_k: f64) -> f64 {
        self.henry_298_mol_m3_pa()
            * (self.henry_temperature_coefficient_k() * (1.0 / temperature_k - 1.0 / 298.15)).exp()
    }

    /// Diffusivity in water at 37 °C, m²/s.
    pub fn diffusivity_37c_m2_s(self) -> f64 {
        self.properties().diffusivity_37c_m2_s
    }

    /// Van der Waals co-volume `b`, m³/mol (hard core of the gas).
    pub fn covolume_m3_mol(self) -> f64 {
        self.properties().covolume_m3_mol
    }

    /// Tension a scenario gets when it gives none, Pa.
    pub fn default_tension_pa(self) -> f64 {
        self.properties().default_tension_pa
    }

    /// Names of every species, for error messages (`co2, n2, o2`).
    pub fn list_names(suffix: &str) -> String {
        SPECIES
            .iter()
            .map(|p| format!("{}{suffix}", p.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Which species a run carries as degrees of freedom (1.0) and which it does not (0.0): a
/// species is carried when its default tension is not zero, or when the scenario gives it
/// a tension or a nucleus fraction above zero. The integrators' error norm runs over the
/// carried species only, so an optional species a scenario leaves out (or sets to zero)
/// changes nothing.
pub fn carried_species(tensions_pa: &[f64], fractions: &[f64]) -> [f64; SPECIES_COUNT] {
    std::array::from_fn(|k| {
        let present = SPECIES[k].default_tension_pa > 0.0
            || tensions_pa.get(k).is_some_and(|&p| p > 0.0)
            || fractions.get(k).is_some_and(|&x| x > 0.0);
        if present { 1.0 } else { 0.0 }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// REFERENCE-DATA derives H(37 °C) = 2.42e-4, 5.41e-6, 1.07e-5 mol/(m³ Pa); three
    /// significant figures are quoted, so agreement to 0.5% checks the van 't Hoff form.
    #[test]
    fn henry_constants_at_body_temperature_match_reference_data() {
        let t = 310.15;
        for (s, expected) in [
            (GasSpecies::Co2, 2.42e-4),
            (GasSpecies::N2, 5.41e-6),
            (GasSpecies::O2, 1.07e-5),
        ] {
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

    #[test]
    fn the_table_is_in_enum_order_and_names_are_unique() {
        for (i, p) in SPECIES.iter().enumerate() {
            assert_eq!(p.species.index(), i, "{}", p.name);
            assert_eq!(GasSpecies::from_name(p.name), Some(p.species));
        }
        assert_eq!(GasSpecies::from_name("he"), None);
    }
}
