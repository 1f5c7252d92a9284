//! The synovial film resolved in radius: the pressure `p(r, t)` between the separating
//! articular surfaces (issue 11, phase 1: the standalone film).
//!
//! **Equation.** On `0 <= r <= a` the axisymmetric Reynolds squeeze-film equation
//!
//! `∂h/∂t + (1/r) ∂(r q)/∂r = s(r, t)`,
//!
//! with `q(r)` (m²/s) the volume flux per unit circumference driven by `∂p/∂r` through the
//! local gap ([`slot_flux`]: exact for a generalized Newtonian fluid,
//! `q = −sign(G) (2/G²) ∫_0^{τ_w} τ γ̇(τ) dτ`, `τ_w = |G| h/2`; Newtonian
//! `q = −h³ ∂p/∂r/(12 μ)`), and `s` (m/s) the volume rate per unit area of cavities growing in
//! the film: a cavity takes up gap that the liquid no longer has to fill, so the liquid drawn
//! in is `∂h/∂t − s` per unit area and a growing cavity relieves the tension around it.
//! Symmetry at `r = 0`; `p(a) = p_rim`, the bulk fluid of the recesses and capsule (today's
//! lumped pressure), given.
//!
//! **Gap.** `h(r, t) = h0(t) + s(r) + w(r, t)`, floored smoothly at the asperity gap: `h0` the
//! joint's degree of freedom, `s(r)` the surfaces' shape ([`surface_shape`]), `w` the
//! cartilage's deflection ([`cartilage_layer`]).
//!
//! **Numerics** ([`reynolds_film`]). Cell-centred finite volumes in `r` (faces `r_{i±1/2}`,
//! optionally graded, [`film_mesh`]), backward Euler in time, Newton with a line search on
//! the cell pressures, a tridiagonal (banded LU) Jacobian. Second order in space.
//!
//! **Coupling** (phase 2). The film is a backward-Euler step like the gap's, driven by two
//! end-of-step inputs, the axial gap `h0` and the rim pressure `p_rim`. Per closure
//! iteration of the joint's implicit macro step, call [`ReynoldsFilm::solve_step`] with the
//! trial `h0` and `p_rim` (it leaves the [`FilmState`] alone and warm-starts from its last
//! solution); then
//! - in the gap's equation of motion the articular-area pressure force becomes
//!   `(p_tissue − p_rim) A + F_film` ([`FilmSolution::film_force_n`]): the film replaces
//!   the Stefan term of [`crate::joint::thin_film`], and its Jacobian entries are
//!   `dF/dh0` and `dF/dp_rim`;
//! - in the volume closure the recesses lose what the film draws,
//!   [`FilmSolution::rim_inflow_m3_s`] (with `dQ/dh0`, `dQ/dp_rim`); the film's own volume
//!   [`FilmSolution::film_volume_m3`] replaces the lumped `π a² h0` of the articular gap;
//! - cavities in the film pass their volume rates per cell
//!   ([`FilmMesh::cell_containing`] places them), and their nuclei see the cell pressures.
//!
//! On acceptance of the macro step, [`FilmState::accept`] the solution. The film has no
//! cavitation limit of its own: its pressure may go below zero (tension); cavitation is the
//! bubbles' job.
//!
//! - [`film_config`]: the `[film]` table.
//! - [`rheology`]: Newtonian and Carreau–Yasuda flow curves and their inverse.
//! - [`slot_flux`]: the flux through a slot for a generalized Newtonian fluid.
//! - [`surface_shape`], [`cartilage_layer`]: the gap's shape and the cartilage's deflection.
//! - [`film_mesh`]: the radial mesh.
//! - [`film_state`], [`film_solution`]: what a step starts from and what it returns.
//! - [`film_error`] says why a construction or a solve failed.

// Negated comparisons (`!(x > 0.0)`) deliberately reject NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod cartilage_layer;
pub mod film_config;
pub mod film_error;
pub mod film_mesh;
pub mod film_solution;
pub mod film_state;
pub mod reynolds_film;
pub mod rheology;
pub mod slot_flux;
pub mod surface_shape;

pub use cartilage_layer::CartilageLayer;
pub use film_config::FilmConfig;
pub use film_error::FilmError;
pub use film_mesh::{FilmMesh, MeshGrading};
pub use film_solution::FilmSolution;
pub use film_state::FilmState;
pub use reynolds_film::{FilmStepInput, ReynoldsFilm};
pub use rheology::Rheology;
pub use slot_flux::SlotFlux;
pub use surface_shape::SurfaceShape;
