//! Validation of cavitas against published observations: the datasets of `validation/`,
//! the metrics a reader of the images makes, and a synthetic cine MRI of the simulated joint.
//!
//! Built so far: [`joint_record`], a coupled run's joint read back from its run file and
//! sampled at a cine frame rate. The comparisons with the published datasets are the next
//! piece of work; until then the verification of each part lives with the part: the bubble
//! field against Rayleigh, Minnaert, Blake and Epstein–Plesset in
//! `cavitas-solver/tests/bubble_analytic.rs`, the capsule against membrane solutions and the
//! facet-capsule data of Little & Khalsa (2005) in `cavitas-solver/tests/capsule_*.rs`, and
//! the crack in `cavitas-solver/tests/crack.rs`.

pub mod joint_record;

pub use joint_record::JointRecord;
