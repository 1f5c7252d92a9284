//! Why a film solve failed. Every failure is reported; none is silent.

use crate::fem::banded_matrix::SingularMatrix;

/// A failed film construction or solve.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FilmError {
    /// An input is outside its allowed range.
    #[error("film input `{name}` = {value:e} is out of range; allowed: {allowed}")]
    InvalidInput {
        /// The input's name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A slice has the wrong length.
    #[error("film input `{name}` has {found} entries; the film has {expected} cells")]
    WrongLength {
        /// The input's name.
        name: &'static str,
        /// Entries given.
        found: usize,
        /// Entries expected.
        expected: usize,
    },
    /// A non-finite value appeared (in an input or during the solve).
    #[error("non-finite {quantity} at index {index}: {value}")]
    NonFinite {
        /// What was not finite.
        quantity: &'static str,
        /// Cell or face index (0 where there is none).
        index: usize,
        /// The value.
        value: f64,
    },
    /// The flow curve could not be inverted.
    #[error("rheology: cannot invert the flow curve at shear stress {stress_pa:e} Pa: {message}")]
    Rheology {
        /// The stress.
        stress_pa: f64,
        /// Why.
        message: String,
    },
    /// The Jacobian of the film's Newton solve is singular.
    #[error(transparent)]
    Singular(#[from] SingularMatrix),
    /// Newton used up its iterations.
    #[error(
        "film Newton did not converge in {iterations} iterations: scaled residual {residual:.3e} \
         > tolerance {tolerance:.1e}"
    )]
    NotConverged {
        /// Iterations used.
        iterations: usize,
        /// Scaled residual `max|R_i| / scale` at the end.
        residual: f64,
        /// Requested tolerance.
        tolerance: f64,
    },
    /// No step length along the Newton direction reduced the residual.
    #[error(
        "film line search failed at Newton iteration {iteration}: no step length reduced the \
         scaled residual {residual:.3e}"
    )]
    LineSearchFailed {
        /// Newton iteration.
        iteration: usize,
        /// Scaled residual before the step.
        residual: f64,
    },
}
