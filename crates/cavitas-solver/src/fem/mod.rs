//! The capsule as axisymmetric finite elements (nalgebra and a banded solver).
//!
//! - [`element`]: linear and quadratic meridian elements, Gauss rules.
//! - [`neo_hookean`], [`fibre_reinforced`], [`membrane_material`]: incompressible membrane
//!   laws `W(λ1, λ2)`; [`fibre_law_fit`] fits the fibre law to measured tangent moduli.
//! - [`meridian_mesh`]: the meridian `(r, z)` of the surface of revolution and its ends.
//! - [`membrane_element`], [`capsule_model`]: energy, internal force, consistent tangent,
//!   follower pressure and the enclosed volume (Pappus) with its derivatives.
//! - [`capsule_solver`]: Newton with line search under pressure or volume control, load
//!   stepping, and the pressure-closure interface [`CapsuleResponse`].
//! - [`newmark`]: implicit dynamics (lumped mass, Rayleigh damping).
//! - [`capsule_config`]: the `[capsule]` table of a scenario.

// Index loops mirror the element equations (nodes a, b; dofs i, j); negated comparisons
// (`!(x > 0.0)`) deliberately reject NaN.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord)]

pub mod banded_matrix;
pub mod capsule_config;
pub mod capsule_injection;
pub mod capsule_model;
pub mod capsule_scenario;
pub mod capsule_solver;
pub mod element;
pub mod fibre_law_fit;
pub mod fibre_reinforced;
pub mod membrane_element;
pub mod membrane_material;
pub mod meridian_mesh;
pub mod neo_hookean;
pub mod newmark;
pub mod solver_error;
pub mod strain_energy;

pub use capsule_model::{CapsuleModel, InvertedElement};
pub use capsule_solver::{
    CapsuleResponse, CapsuleSolver, CapsuleState, LoadCase, NewtonSettings, PressureControl,
    RimAction,
};
pub use element::ElementKind;
pub use membrane_material::MembraneMaterial;
pub use solver_error::SolverError;
