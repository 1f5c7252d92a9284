//! How signal values become the 16-bit integers of PNG and DICOM files and back.

/// Signal = count × `rescale_slope` + `rescale_intercept` (the DICOM modality rescale;
/// the PNG files carry the same two numbers in `tEXt` chunks). Counts are 0–65535.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameEncoding {
    /// Signal per count. Default 2⁻¹⁴ = 6.103515625e-05: exact in binary and in the 16
    /// characters of a DICOM decimal string, so both formats decode to the same values;
    /// signals up to 4.0 (four times marrow) fit.
    pub rescale_slope: f64,
    /// Signal at count 0. Default 0.
    pub rescale_intercept: f64,
}

impl Default for FrameEncoding {
    fn default() -> Self {
        Self {
            rescale_slope: 1.0 / 16384.0,
            rescale_intercept: 0.0,
        }
    }
}

impl FrameEncoding {
    /// The count for `signal`, rounded and clamped to 0–65535.
    pub fn count(&self, signal: f32) -> u16 {
        ((f64::from(signal) - self.rescale_intercept) / self.rescale_slope)
            .round()
            .clamp(0.0, 65535.0) as u16
    }

    /// The signal of `count`.
    pub fn signal(&self, count: f64) -> f32 {
        (count * self.rescale_slope + self.rescale_intercept) as f32
    }

    /// A number as DICOM writes a decimal string (at most 16 characters).
    pub fn decimal_string(value: f64) -> String {
        let plain = format!("{value}");
        if plain.len() <= 16 {
            return plain;
        }
        (1..=12)
            .rev()
            .map(|p| format!("{value:.p$e}"))
            .find(|s| s.len() <= 16)
            .unwrap_or_else(|| format!("{value:.0e}"))
    }
}
