//! The whole state of a coupled run between two macro steps, in a form that outlives the
//! process: what `cavitas run -o` stores at a checkpoint and `cavitas run --resume` restores.
//!
//! Restoring a checkpoint into a run built from the same scenario and running on gives, on
//! the CPU backend, bit for bit the run that was never interrupted (tested in
//! `tests/crack_checkpoint.rs`): every evolving quantity — the capsule's nodes, the gap and
//! its speed, the fluid pressure and its rate, the compliances and the proposed step, the
//! bubbles in every regime with their integrator memory, the dissolved gas, the acoustic
//! record, the crack monitor, the counters and the joint series — is kept exactly. What the
//! scenario determines (mesh, material, schedule, liquid) is rebuilt from it.
//!
//! Encoding: the state is serialised with `postcard` (fixed little-endian IEEE floats, so
//! exact) behind a format version; [`CrackCheckpoint::to_arrays`] packs the bytes into `u64`
//! words for the checkpoint file's named arrays.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::cavity_population::PopulationSnapshot;
use super::crack_run::{CrackState, JointSample};

/// Version of the encoding; a checkpoint of another version is refused, not misread.
/// Bump it with every change to the layout of what is encoded (`CrackState`,
/// `PopulationSnapshot`, `JointSample` and everything they hold): postcard is not
/// self-describing, and `tests/checkpoint_fixtures.rs` fails until the golden fixture is
/// either still decoded or regenerated under a new version. History: 1 the first coupled
/// checkpoints; 2 species arrays as length-prefixed sequences, the error norm's carried
/// species; 3 the perfusion exchange integrated in the population (the gas budget) and the
/// joint samples' vapour, gas-at-1-atm and perfusion columns.
pub const CRACK_CHECKPOINT_VERSION: u64 = 3;

/// Name of the `u64` array holding the encoded state, 8 bytes a word, little-endian.
const STATE_WORDS: &str = "crack_state";
/// Name of the `u64` array `[bytes, version]`.
const STATE_HEADER: &str = "crack_state_header";
/// Name of the `f64` array `[time_s]`, readable without decoding.
const STATE_TIME: &str = "time_s";

/// A checkpoint that cannot be decoded or does not fit the run it is restored into.
#[derive(Debug, thiserror::Error)]
pub enum CrackCheckpointError {
    #[error("checkpoint array `{0}` is missing")]
    Missing(&'static str),
    #[error(
        "the checkpoint was written by encoding version {found}; this build reads version \
         {expected} (finish the run with the cavitas that started it, or start it again)"
    )]
    Version { found: u64, expected: u64 },
    #[error("checkpoint header says {bytes} bytes but `{STATE_WORDS}` holds {words} words")]
    Length { bytes: u64, words: usize },
    #[error("checkpoint state cannot be decoded: {0}")]
    Decode(String),
    #[error("the checkpoint does not belong to this scenario: {0}")]
    Mismatch(String),
}

/// Everything of a run that evolves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CrackCheckpoint {
    pub(super) state: CrackState,
    pub(super) population: PopulationSnapshot,
    pub(super) series: Vec<JointSample>,
}

impl CrackCheckpoint {
    /// Simulated time of the checkpoint (s).
    pub fn time_s(&self) -> f64 {
        self.state.time_s
    }

    /// Accepted macro steps up to the checkpoint.
    pub fn accepted_steps(&self) -> u64 {
        self.state.statistics.accepted
    }

    /// The joint samples up to the checkpoint.
    pub fn series(&self) -> &[JointSample] {
        &self.series
    }

    /// The encoded state.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("serialising plain data into a Vec cannot fail")
    }

    /// Decodes [`to_bytes`](Self::to_bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CrackCheckpointError> {
        postcard::from_bytes(bytes).map_err(|e| CrackCheckpointError::Decode(e.to_string()))
    }

    /// Named arrays for a checkpoint file: the encoded state packed into `u64` words, its
    /// length and version, and the time in seconds.
    pub fn to_arrays(&self) -> (BTreeMap<String, Vec<f64>>, BTreeMap<String, Vec<u64>>) {
        let bytes = self.to_bytes();
        let words = bytes
            .chunks(8)
            .map(|c| {
                let mut w = [0_u8; 8];
                w[..c.len()].copy_from_slice(c);
                u64::from_le_bytes(w)
            })
            .collect();
        let f64s = BTreeMap::from([(STATE_TIME.to_string(), vec![self.time_s()])]);
        let u64s = BTreeMap::from([
            (STATE_WORDS.to_string(), words),
            (
                STATE_HEADER.to_string(),
                vec![bytes.len() as u64, CRACK_CHECKPOINT_VERSION],
            ),
        ]);
        (f64s, u64s)
    }

    /// Decodes [`to_arrays`](Self::to_arrays).
    pub fn from_arrays(u64s: &BTreeMap<String, Vec<u64>>) -> Result<Self, CrackCheckpointError> {
        let header = u64s
            .get(STATE_HEADER)
            .ok_or(CrackCheckpointError::Missing(STATE_HEADER))?;
        let &[bytes, version] = header.as_slice() else {
            return Err(CrackCheckpointError::Decode(format!(
                "`{STATE_HEADER}` has {} values, expected 2",
                header.len()
            )));
        };
        if version != CRACK_CHECKPOINT_VERSION {
            return Err(CrackCheckpointError::Version {
                found: version,
                expected: CRACK_CHECKPOINT_VERSION,
            });
        }
        let words = u64s
            .get(STATE_WORDS)
            .ok_or(CrackCheckpointError::Missing(STATE_WORDS))?;
        if bytes.div_ceil(8) != words.len() as u64 {
            return Err(CrackCheckpointError::Length {
                bytes,
                words: words.len(),
            });
        }
        let mut encoded: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        encoded.truncate(bytes as usize);
        Self::from_bytes(&encoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupted_headers_are_refused_with_the_reason() {
        let mut u64s = BTreeMap::new();
        assert!(matches!(
            CrackCheckpoint::from_arrays(&u64s),
            Err(CrackCheckpointError::Missing(STATE_HEADER))
        ));
        u64s.insert(STATE_HEADER.to_string(), vec![16, 99]);
        assert!(matches!(
            CrackCheckpoint::from_arrays(&u64s),
            Err(CrackCheckpointError::Version { found: 99, .. })
        ));
        u64s.insert(STATE_HEADER.to_string(), vec![17, CRACK_CHECKPOINT_VERSION]);
        u64s.insert(STATE_WORDS.to_string(), vec![0, 0]);
        assert!(matches!(
            CrackCheckpoint::from_arrays(&u64s),
            Err(CrackCheckpointError::Length {
                bytes: 17,
                words: 2
            })
        ));
        u64s.insert(STATE_HEADER.to_string(), vec![16, CRACK_CHECKPOINT_VERSION]);
        assert!(matches!(
            CrackCheckpoint::from_arrays(&u64s),
            Err(CrackCheckpointError::Decode(_))
        ));
    }
}
