//! [`PerSpecies`]: one value per gas species, in the order of the species table.
//!
//! Serialised keyed by species name in human-readable formats (TOML, JSON: `{ co2 = 0.1,
//! n2 = 0.9 }`; a species left out takes `T::default()`), and as a length-prefixed sequence
//! in binary formats (checkpoints), where a sequence written before a species was appended
//! to the table decodes with the new species at `T::default()`.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut, Index, IndexMut};

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::species::{GasSpecies, SPECIES_COUNT};

/// One value per gas species, indexed by [`GasSpecies`] or by position.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PerSpecies<T>(pub [T; SPECIES_COUNT]);

impl<T> PerSpecies<T> {
    /// The value of each species from `f`.
    pub fn from_fn(mut f: impl FnMut(GasSpecies) -> T) -> Self {
        Self(std::array::from_fn(|k| f(GasSpecies::ALL[k])))
    }

    /// Each value through `f`.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> PerSpecies<U> {
        PerSpecies(self.0.map(f))
    }

    /// `(species, value)` in table order.
    pub fn iter_species(&self) -> impl Iterator<Item = (GasSpecies, &T)> {
        GasSpecies::ALL.into_iter().zip(self.0.iter())
    }
}

impl PerSpecies<f64> {
    /// The sum over species (in table order, from +0).
    pub fn total(&self) -> f64 {
        self.0.iter().fold(0.0, |a, &b| a + b)
    }

    /// Each value over the sum: mole fractions of amounts, or zeros when the sum is not
    /// positive.
    pub fn fractions(&self) -> Self {
        let sum: f64 = self.0.iter().sum();
        self.map(|x| if sum > 0.0 { x / sum } else { 0.0 })
    }
}

impl<T> IntoIterator for PerSpecies<T> {
    type Item = T;
    type IntoIter = std::array::IntoIter<T, SPECIES_COUNT>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a PerSpecies<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> From<[T; SPECIES_COUNT]> for PerSpecies<T> {
    fn from(a: [T; SPECIES_COUNT]) -> Self {
        Self(a)
    }
}

impl<T> Deref for PerSpecies<T> {
    type Target = [T; SPECIES_COUNT];
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> DerefMut for PerSpecies<T> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<T> Index<GasSpecies> for PerSpecies<T> {
    type Output = T;
    fn index(&self, s: GasSpecies) -> &T {
        &self.0[s.index()]
    }
}

impl<T> IndexMut<GasSpecies> for PerSpecies<T> {
    fn index_mut(&mut self, s: GasSpecies) -> &mut T {
        &mut self.0[s.index()]
    }
}

impl<T> Index<usize> for PerSpecies<T> {
    type Output = T;
    fn index(&self, k: usize) -> &T {
        &self.0[k]
    }
}

impl<T> IndexMut<usize> for PerSpecies<T> {
    fn index_mut(&mut self, k: usize) -> &mut T {
        &mut self.0[k]
    }
}

impl<T: fmt::Debug> fmt::Debug for PerSpecies<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (s, v) in self.iter_species() {
            map.entry(&s.name(), v);
        }
        map.finish()
    }
}

impl<T: Serialize> Serialize for PerSpecies<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let mut map = serializer.serialize_map(Some(SPECIES_COUNT))?;
            for (s, v) in self.iter_species() {
                map.serialize_entry(s.name(), v)?;
            }
            map.end()
        } else {
            let mut seq = serializer.serialize_seq(Some(SPECIES_COUNT))?;
            for v in &self.0 {
                seq.serialize_element(v)?;
            }
            seq.end()
        }
    }
}

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for PerSpecies<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = SpeciesVisitor {
            suffix: "",
            defaults: PerSpecies::<T>::default(),
            marker: PhantomData,
        };
        if deserializer.is_human_readable() {
            deserializer.deserialize_map(visitor)
        } else {
            deserializer.deserialize_seq(visitor)
        }
    }
}

/// Reads species-keyed maps (`<name><suffix> = value`) and binary sequences.
pub(crate) struct SpeciesVisitor<T> {
    /// Appended to each species name to make its key (`"_pa"` for tensions).
    pub(crate) suffix: &'static str,
    /// The value of a species the input leaves out.
    pub(crate) defaults: PerSpecies<T>,
    pub(crate) marker: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpeciesVisitor<T> {
    type Value = PerSpecies<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a table with keys among {}",
            GasSpecies::list_names(self.suffix)
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = self.defaults;
        let mut seen = [false; SPECIES_COUNT];
        while let Some(key) = map.next_key::<String>()? {
            let species = key
                .strip_suffix(self.suffix)
                .and_then(GasSpecies::from_name)
                .ok_or_else(|| {
                    de::Error::custom(format_args!(
                        "unknown field `{key}`, expected one of {}",
                        GasSpecies::list_names(self.suffix)
                    ))
                })?;
            if std::mem::replace(&mut seen[species.index()], true) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            out[species] = map.next_value()?;
        }
        Ok(out)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = self.defaults;
        let mut k = 0;
        while let Some(value) = seq.next_element()? {
            if k == SPECIES_COUNT {
                return Err(de::Error::invalid_length(
                    k + 1,
                    &"at most one value per species",
                ));
            }
            out.0[k] = value;
            k += 1;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_readable_is_keyed_by_name_and_missing_species_default() {
        let x: PerSpecies<f64> = serde_json::from_str(r#"{"n2": 1.0}"#).unwrap();
        assert_eq!(x[GasSpecies::N2], 1.0);
        assert_eq!(x[GasSpecies::Co2], 0.0);
        let back = serde_json::to_value(x).unwrap();
        assert_eq!(back["n2"], 1.0);
        assert_eq!(back.as_object().unwrap().len(), SPECIES_COUNT);
    }

    #[test]
    fn unknown_and_duplicate_keys_are_refused_with_the_allowed_names() {
        let e = serde_json::from_str::<PerSpecies<f64>>(r#"{"he": 1.0}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("he") && e.contains("co2"), "{e}");
        let e = serde_json::from_str::<PerSpecies<f64>>(r#"{"n2": 1.0, "n2": 2.0}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("duplicate"), "{e}");
    }

    /// A checkpoint written before a species was appended holds one value fewer: it decodes
    /// with the new species at its default.
    #[test]
    fn binary_sequences_written_with_fewer_species_decode_padded() {
        let full = PerSpecies::from_fn(|s| s.index() as f64 + 1.0);
        let bytes = postcard::to_stdvec(&full).unwrap();
        assert_eq!(
            postcard::from_bytes::<PerSpecies<f64>>(&bytes).unwrap(),
            full
        );
        let short: Vec<f64> = full.0[..SPECIES_COUNT - 1].to_vec();
        let bytes = postcard::to_stdvec(&short).unwrap();
        let padded: PerSpecies<f64> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(padded[SPECIES_COUNT - 1], 0.0);
        assert_eq!(padded.0[..SPECIES_COUNT - 1], full.0[..SPECIES_COUNT - 1]);
    }
}
