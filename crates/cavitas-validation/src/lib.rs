//! Validation of cavitas against published observations: the datasets of `validation/`,
//! the metrics a reader of the images makes, and a synthetic cine MRI of the simulated joint.
//!
//! The comparisons need the coupled joint solver (separation, cavity, sound), which is the
//! next piece of work; until then the verification of each part lives with the part:
//! the bubble field against Rayleigh, Minnaert, Blake and Epstein–Plesset in
//! `cavitas-solver/tests/bubble_analytic.rs`, and the capsule against membrane solutions and
//! the facet-capsule data of Little & Khalsa (2005) in `cavitas-solver/tests/capsule_*.rs`.
