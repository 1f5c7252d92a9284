//! A medium the pop radiates through, and the far-field monopole it gives.

use serde::Serialize;

/// Density and speed of sound of a medium (air around the finger, or the tissue and
/// synovial fluid inside it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct AcousticMedium {
    /// Density, kg/m³.
    pub density_kg_m3: f64,
    /// Speed of sound, m/s.
    pub sound_speed_m_s: f64,
}

impl AcousticMedium {
    /// Pressure per unit volume acceleration of a monopole at `distance_m`, Pa s²/m³:
    /// `p(r, t) = ρ V''(t − r/c) / (4π r)`, so this is `ρ / (4π r)`.
    pub fn monopole_gain(&self, distance_m: f64) -> f64 {
        self.density_kg_m3 / (4.0 * std::f64::consts::PI * distance_m)
    }

    /// Travel time of sound over `distance_m`, s: the retardation `r / c`.
    pub fn delay_s(&self, distance_m: f64) -> f64 {
        distance_m / self.sound_speed_m_s
    }
}

/// Euclidean distance between two points, m.
pub(crate) fn distance_m(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}
