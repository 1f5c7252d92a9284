//! Reference scales that make the bubble equations dimensionless, so that f32 stays well
//! conditioned: radii of order one, pressures of order one, moles of order the volume.

/// Length, pressure and density scales; velocity and time follow.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scales {
    /// Length scale `L`, m (typically the median nucleus radius).
    pub length_m: f64,
    /// Pressure scale `P`, Pa (typically atmospheric).
    pub pressure_pa: f64,
    /// Density scale `ρ_s`, kg/m³.
    pub density_kg_m3: f64,
}

impl Scales {
    /// Velocity scale `U = sqrt(P / ρ_s)`, m/s.
    pub fn velocity_m_s(&self) -> f64 {
        (self.pressure_pa / self.density_kg_m3).sqrt()
    }

    /// Time scale `T = L / U`, s.
    pub fn time_s(&self) -> f64 {
        self.length_m / self.velocity_m_s()
    }

    /// Moles per unit of dimensionless gas content at `temperature_k`, mol:
    /// `n = ν P L³ / (R T)`.
    pub fn moles_per_unit(&self, temperature_k: f64) -> f64 {
        self.pressure_pa * self.length_m.powi(3) / (super::species::GAS_CONSTANT * temperature_k)
    }
}
