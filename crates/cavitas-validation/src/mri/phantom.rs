//! Test objects of known geometry, imaged through the same scanner as the joint.

use super::slice_image::SliceImage;
use super::synthetic_scanner::SyntheticScanner;

/// A phantom defined in the slice's own coordinates (uniform through the slice).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phantom {
    /// A horizontal band of width `width_m` (m) centred `centre_v_m` (m) above the image
    /// centre, of signal `inside`, in a background `outside`: a joint space of known width.
    Band {
        /// Width across the band (m).
        width_m: f64,
        /// Offset of its middle from the image centre, up (m).
        centre_v_m: f64,
        /// Signal inside the band.
        inside: f64,
        /// Signal outside.
        outside: f64,
    },
    /// A disc of radius `radius_m` (m) centred at `(u, v)` (m) from the image centre, of
    /// signal `inside` in a background `outside`: a cavity of known area.
    Disc {
        /// Radius (m).
        radius_m: f64,
        /// Centre in the image plane (m).
        centre_m: [f64; 2],
        /// Signal inside the disc.
        inside: f64,
        /// Signal outside.
        outside: f64,
    },
}

impl Phantom {
    /// Signal at in-plane `(u, v)` (m).
    pub fn signal(&self, u: f64, v: f64) -> f64 {
        match *self {
            Self::Band {
                width_m,
                centre_v_m,
                inside,
                outside,
            } => {
                if (v - centre_v_m).abs() < 0.5 * width_m {
                    inside
                } else {
                    outside
                }
            }
            Self::Disc {
                radius_m,
                centre_m,
                inside,
                outside,
            } => {
                if (u - centre_m[0]).hypot(v - centre_m[1]) < radius_m {
                    inside
                } else {
                    outside
                }
            }
        }
    }

    /// The phantom imaged by `scanner`, with its noise from stream `stream`.
    pub fn image(&self, scanner: &SyntheticScanner, stream: u64) -> SliceImage {
        let mut image = scanner.image_slice_function(|u, v, _| self.signal(u, v) as f32);
        scanner.add_noise(&mut image, stream);
        image
    }
}
