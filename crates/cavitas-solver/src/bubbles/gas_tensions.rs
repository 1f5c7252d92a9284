//! [`GasTensions`]: the partial pressures of the gases dissolved in a liquid, one per
//! species, keyed `<species>_pa` in scenario files (`co2_pa = 6133.0`).

use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::per_species::{PerSpecies, SpeciesVisitor};
use super::species::{GasSpecies, SPECIES_COUNT};
use crate::config::{Validate, Validator};

/// Dissolved gas tension per species (Pa each). A species a table leaves out takes its
/// default tension from the species table (pCO2 46, pN2 573, pO2 48 mmHg [A]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GasTensions(pub PerSpecies<f64>);

/// The key suffix of every tension (its unit).
const SUFFIX: &str = "_pa";

impl Default for GasTensions {
    fn default() -> Self {
        Self(PerSpecies::from_fn(GasSpecies::default_tension_pa))
    }
}

impl GasTensions {
    /// In species order (Pa).
    pub fn as_array(&self) -> [f64; SPECIES_COUNT] {
        self.0.0
    }

    /// The tension of `species` (Pa).
    pub fn get(&self, species: GasSpecies) -> f64 {
        self.0[species]
    }
}

impl Serialize for GasTensions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(SPECIES_COUNT))?;
        for (s, v) in self.0.iter_species() {
            map.serialize_entry(&format!("{}{SUFFIX}", s.name()), v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for GasTensions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_map(SpeciesVisitor {
                suffix: SUFFIX,
                defaults: GasTensions::default().0,
                marker: PhantomData,
            })
            .map(Self)
    }
}

impl Validate for GasTensions {
    fn validate(&self, v: &mut Validator<'_>) {
        for (s, &p) in self.0.iter_species() {
            // 10 MPa (100 bar): past saturation diving (~7 MPa); tissue tensions are below 1 atm.
            v.non_negative(&format!("{}{SUFFIX}", s.name()), p, 1e7);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_the_unit_and_missing_species_take_their_default() {
        let t: GasTensions = toml::from_str("co2_pa = 1.0").unwrap();
        assert_eq!(t.get(GasSpecies::Co2), 1.0);
        assert_eq!(t.get(GasSpecies::N2), GasSpecies::N2.default_tension_pa());
        let e = toml::from_str::<GasTensions>("co2 = 1.0")
            .unwrap_err()
            .to_string();
        assert!(e.contains("co2_pa"), "{e}");
        let text = toml::to_string(&t).unwrap();
        assert!(text.contains("co2_pa = 1.0"), "{text}");
    }
}
