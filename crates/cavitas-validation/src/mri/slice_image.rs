//! One image: a grid of signal values with a pixel size.

use crate::validation_error::ValidationError;

/// A grayscale image, row-major, row 0 at the top. Values are signal (arbitrary units;
/// the synthetic scanner's marrow is 1.0).
#[derive(Debug, Clone, PartialEq)]
pub struct SliceImage {
    /// Width (pixels).
    pub columns: usize,
    /// Height (pixels).
    pub rows: usize,
    /// Pixel spacing `[along a row (between columns), down a column (between rows)]` (m).
    pub pixel_size_m: [f64; 2],
    /// `rows × columns` values.
    pub values: Vec<f32>,
}

impl SliceImage {
    /// An image; `values` must hold `rows × columns` finite values and the pixel size must
    /// be positive.
    pub fn new(
        columns: usize,
        rows: usize,
        pixel_size_m: [f64; 2],
        values: Vec<f32>,
    ) -> Result<Self, ValidationError> {
        if columns == 0 || rows == 0 || values.len() != columns * rows {
            return Err(ValidationError::data(
                "image",
                format!("{} values for {columns} x {rows} pixels", values.len()),
            ));
        }
        if !pixel_size_m.iter().all(|p| p.is_finite() && *p > 0.0) {
            return Err(ValidationError::data(
                "image",
                format!("pixel size {pixel_size_m:?} m must be positive"),
            ));
        }
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(ValidationError::data(
                "image",
                format!(
                    "pixel {i} (row {}, column {}) is not finite",
                    i / columns,
                    i % columns
                ),
            ));
        }
        Ok(Self {
            columns,
            rows,
            pixel_size_m,
            values,
        })
    }

    /// Value at `(row, column)`.
    pub fn get(&self, row: usize, column: usize) -> f32 {
        self.values[row * self.columns + column]
    }

    /// Bilinear interpolation at pixel coordinates `(x, y)` = (column, row) of pixel
    /// centres, clamped to the image.
    pub fn sample(&self, x: f64, y: f64) -> f64 {
        let x = x.clamp(0.0, (self.columns - 1) as f64);
        let y = y.clamp(0.0, (self.rows - 1) as f64);
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.columns - 1), (y0 + 1).min(self.rows - 1));
        let (fx, fy) = (x - x0 as f64, y - y0 as f64);
        let v = |r: usize, c: usize| f64::from(self.get(r, c));
        let top = v(y0, x0) * (1.0 - fx) + v(y0, x1) * fx;
        let bottom = v(y1, x0) * (1.0 - fx) + v(y1, x1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// Smallest and largest value.
    pub fn range(&self) -> (f32, f32) {
        self.values
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            })
    }

    /// Area of one pixel (m²).
    pub fn pixel_area_m2(&self) -> f64 {
        self.pixel_size_m[0] * self.pixel_size_m[1]
    }
}
