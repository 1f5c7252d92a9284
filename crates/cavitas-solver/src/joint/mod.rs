//! Joint mechanics around the capsule: one axial degree of freedom, the gap `h`.
//!
//! `m_eff h'' = F_load(t) − F_lig(h) − F_cap − F_p − F_film + F_contact`, with the capsule
//! and fluid forces `F_cap + F_p` from [`crate::fem::CapsuleResponse`].
//!
//! - [`joint_config`]: the `[joint]` table.
//! - [`ligament`]: collateral ligaments, a spring with a toe region.
//! - [`thin_film`]: Stefan resistance of the film at small gaps.
//! - [`cartilage_contact`]: the cartilage carrying the resting closing force.
//! - [`joint_forces`]: ligament, contact and film forces at one gap and rate.
//! - [`loading_protocol`]: force ramp, displacement ramp, HVLA thrust, repeated pulls.
//! - [`quasi_static_traction`]: the quasi-static driver with the fluid volume held.

// Index loops mirror the element equations (nodes a, b; dofs i, j); negated comparisons
// (`!(x > 0.0)`) deliberately reject NaN.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord)]

pub mod cartilage_contact;
pub mod joint_config;
pub mod joint_forces;
pub mod ligament;
pub mod loading_protocol;
pub mod quasi_static_traction;
pub mod thin_film;

pub use joint_config::JointConfig;
pub use joint_forces::JointForces;
pub use loading_protocol::{LoadTarget, LoadingProtocol, LoadingSchedule};
pub use quasi_static_traction::{QuasiStaticTraction, TractionContext, TractionSample};
