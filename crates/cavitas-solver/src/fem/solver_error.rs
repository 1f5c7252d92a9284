//! Why a capsule solve failed. Every failure is reported; none is silent.

use super::banded_matrix::SingularMatrix;
use super::capsule_model::InvertedElement;

/// A failed solve.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SolverError {
    /// An element inverted at the starting state of a solve.
    #[error(transparent)]
    Inverted(#[from] InvertedElement),
    /// The tangent (or the bordered volume system) is singular.
    #[error(transparent)]
    Singular(#[from] SingularMatrix),
    /// The bordered volume-control system is singular (`vᵀ K⁻¹ v = 0`).
    #[error("the volume constraint is singular (dV/dp = vᵀ K⁻¹ v = {0:e})")]
    SingularConstraint(f64),
    /// Newton used up its iterations.
    #[error(
        "Newton did not converge in {iterations} iterations: scaled residual {residual:.3e} \
         > tolerance {tolerance:.1e}"
    )]
    NotConverged {
        /// Iterations used.
        iterations: usize,
        /// Scaled residual at the end.
        residual: f64,
        /// Requested tolerance.
        tolerance: f64,
    },
    /// No step length along the Newton direction reduced the residual.
    #[error(
        "line search failed at Newton iteration {iteration}: no step length reduced the \
         scaled residual {residual:.3e}{}",
        .inverted.map(|e| format!(" (last trial: {e})")).unwrap_or_default()
    )]
    LineSearchFailed {
        /// Newton iteration.
        iteration: usize,
        /// Scaled residual before the step.
        residual: f64,
        /// The inversion that stopped the last trial step, if one did.
        inverted: Option<InvertedElement>,
    },
    /// A load step failed even after cutting it down.
    #[error(
        "load step towards {parameter} = {target:e} did not converge (last converged \
         {parameter} = {reached:e}, step cut {cuts} times)"
    )]
    LoadStep {
        /// What is being stepped (e.g. `volume_m3`, `force_n`, `time_s`).
        parameter: String,
        /// The value the failed step aimed at.
        target: f64,
        /// The last converged value.
        reached: f64,
        /// Cuts made.
        cuts: usize,
        /// The failure of the smallest step.
        #[source]
        source: Box<SolverError>,
    },
    /// A non-finite value appeared.
    #[error("non-finite {what} in the capsule solve")]
    NonFinite {
        /// Which quantity.
        what: &'static str,
    },
}
