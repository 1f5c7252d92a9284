//! The opaque solver state a checkpoint stores and `--resume` restores.

use std::collections::BTreeMap;

use crate::output_error::{OutputError, Result};

/// Solver state at a checkpoint. The crate does not interpret the arrays: the
/// solver names them and gets them back bit for bit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckpointState {
    /// Simulated time of the checkpoint, s.
    pub t: f64,
    /// Macro step count at the checkpoint.
    pub step: u64,
    /// Named f64 arrays (unit is the solver's business; document it there).
    pub f64_arrays: BTreeMap<String, Vec<f64>>,
    /// Named u64 arrays (counters, RNG state).
    pub u64_arrays: BTreeMap<String, Vec<u64>>,
}

impl CheckpointState {
    /// A state at time `t` (s) and macro step `step` with no arrays.
    pub fn new(t: f64, step: u64) -> Self {
        Self {
            t,
            step,
            ..Default::default()
        }
    }

    /// Add (or replace) a named f64 array.
    pub fn with_f64(mut self, name: &str, values: Vec<f64>) -> Self {
        self.f64_arrays.insert(name.to_string(), values);
        self
    }

    /// Add (or replace) a named u64 array.
    pub fn with_u64(mut self, name: &str, values: Vec<u64>) -> Self {
        self.u64_arrays.insert(name.to_string(), values);
        self
    }

    /// Check every array name is a plain HDF5 link name.
    pub(crate) fn validate(&self) -> Result<()> {
        for name in self.f64_arrays.keys().chain(self.u64_arrays.keys()) {
            crate::names::check_link_name(name)?;
        }
        if self
            .f64_arrays
            .keys()
            .any(|k| self.u64_arrays.contains_key(k))
        {
            return Err(OutputError::Mismatch {
                object: "checkpoint state".into(),
                detail: "an array name is used for both an f64 and a u64 array".into(),
            });
        }
        Ok(())
    }
}
