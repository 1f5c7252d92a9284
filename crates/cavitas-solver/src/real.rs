//! The floating-point type the CPU reference is generic over (f32 to match the GPU, f64 as
//! the reference).

use num_traits::{Float, FloatConst};

/// A floating-point scalar: `f32` or `f64`.
pub trait Real:
    Float + FloatConst + Send + Sync + Copy + std::fmt::Debug + Default + 'static
{
    /// Converts an `f64` literal or parameter into this type (rounding for `f32`).
    fn lit(x: f64) -> Self;
    /// Widens to `f64` for reporting.
    fn to_f64(self) -> f64;
    /// Name for reports: `"f32"` or `"f64"`.
    const NAME: &'static str;
}

impl Real for f32 {
    fn lit(x: f64) -> Self {
        x as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    const NAME: &'static str = "f32";
}

impl Real for f64 {
    fn lit(x: f64) -> Self {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    const NAME: &'static str = "f64";
}
