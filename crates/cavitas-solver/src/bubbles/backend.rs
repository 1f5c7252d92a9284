//! What a compute backend of the bubble field provides, and what it reports per interval.

use super::coefficients::GroupForcing;
use super::field::BubbleField;
use super::species::SPECIES_COUNT;

/// One macro interval to advance every active bubble over.
#[derive(Debug, Clone)]
pub struct IntervalRequest {
    /// Interval length, dimensionless time.
    pub interval: f64,
    /// Absolute dimensionless time at the start (time-stamps events).
    pub t_start: f64,
    /// Forcing of each group over the interval.
    pub forcing: Vec<GroupForcing<f64>>,
}

/// Per-group sums over active bubbles at the end of an interval, dimensionless.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GroupTotals {
    /// `Σ (4π/3) r³`.
    pub volume: f64,
    /// `Σ 4π r² u`.
    pub volume_rate: f64,
    /// `Σ 4π (2 r u² + r² u')`.
    pub volume_acceleration: f64,
    /// `Σ ν_k` per species.
    pub gas: [f64; SPECIES_COUNT],
    /// Bubbles still active.
    pub active: u32,
    /// Bubbles whose integration failed in this group.
    pub failed: u32,
}

/// Name, adapter and arithmetic of a backend, for reports and provenance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackendDescription {
    /// `"cpu"` or `"gpu"`.
    pub kind: String,
    /// Adapter name and API (GPU), or the thread count (CPU).
    pub adapter: String,
    /// `"f32"` or `"f64"`.
    pub precision: String,
}

/// A backend failure that is not bad input.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("GPU: {0}")]
    Gpu(String),
}

/// A compute backend for the bubble field.
pub trait BubbleBackend {
    /// Describes the backend.
    fn describe(&self) -> BackendDescription;
    /// Copies the field (state, constants, coefficients) into the backend.
    fn load(&mut self, field: &BubbleField) -> Result<(), BackendError>;
    /// Advances every active bubble over the interval; near-field pressures, when enabled,
    /// are evaluated at the start and held over the interval.
    fn advance(
        &mut self,
        request: &IntervalRequest,
        near_field: bool,
    ) -> Result<Vec<GroupTotals>, BackendError>;
    /// Current radii (dimensionless) of the given bubbles.
    fn radii(&mut self, indices: &[usize]) -> Result<Vec<f64>, BackendError>;
    /// Copies the bubbles' slots back into the field.
    fn store(&mut self, field: &mut BubbleField) -> Result<(), BackendError>;
}
