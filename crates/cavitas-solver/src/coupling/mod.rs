//! The crack: capsule, fluid and bubble field coupled through the fluid pressure.
//!
//! - [`crack_scenario`]: the scenario file of a coupled run.
//! - [`equilibrium_bubble`]: bubbles in mechanical equilibrium (Blake point, stable radius,
//!   quasi-static gas flux).
//! - [`cavity_population`]: every bubble in its regime — dormant nucleus, dynamic (the
//!   backend), settled cavity — sharing one dissolved-gas pool.
//! - [`gap_motion`]: the gap's implicit time discretisation.
//! - [`crack_run`]: adaptive macro steps with the pressure closure.
//! - [`step_control`]: the macro-step controller's constants and verdicts.
//! - [`crack_checkpoint`]: the run's evolving state, for checkpoint files and `--resume`.
//! - [`crack_events`]: onset, cavitation, gap jump, re-crack, located in time.
//! - [`refractory`]: bisection on the wait between two pulls.
//! - [`released_gas`]: gas apart from vapour, at 1 atm and 37 °C.
//! - [`gas_budget`]: where the gas went — bubbles, fluid, blood.
//! - [`crack_summary`]: the figures a researcher reads off a run.

// Negated comparisons (`!(x > 0.0)`) deliberately reject NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod cavity_population;
pub mod crack_checkpoint;
pub mod crack_events;
pub mod crack_run;
pub mod crack_scenario;
pub mod crack_summary;
pub mod equilibrium_bubble;
pub mod gap_motion;
pub mod gas_budget;
pub mod refractory;
pub mod released_gas;
pub mod step_control;

pub use crack_checkpoint::{CrackCheckpoint, CrackCheckpointError};
pub use crack_run::{CrackError, CrackRun, JointSample, Phase};
pub use crack_scenario::CrackScenario;
pub use crack_summary::CrackSummary;
