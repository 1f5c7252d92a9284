//! Properties of the liquid around the bubbles (synovial fluid, or water for the analytic
//! cases).

use serde::{Deserialize, Serialize};

use crate::config::{Validate, Validator};

/// The liquid. Defaults: synovial fluid at 37 °C with its Newtonian high-shear viscosity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Liquid {
    /// Density, kg/m³ (default 1000; allowed > 0).
    pub density_kg_m3: f64,
    /// Dynamic viscosity, Pa s (default 0.01, synovial high-shear; allowed >= 0).
    pub viscosity_pa_s: f64,
    /// Surface tension, N/m (default 0.07, water at 37 °C; allowed >= 0).
    pub surface_tension_n_m: f64,
    /// Vapour pressure, Pa (default 6300, water at 37 °C; allowed >= 0).
    pub vapour_pressure_pa: f64,
    /// Speed of sound, m/s (default 1500; allowed > 0).
    pub sound_speed_m_s: f64,
    /// Temperature, K (default 310.15; allowed 250–400).
    pub temperature_k: f64,
}

impl Default for Liquid {
    fn default() -> Self {
        Self {
            density_kg_m3: 1000.0,
            viscosity_pa_s: 0.01,
            surface_tension_n_m: 0.07,
            vapour_pressure_pa: 6300.0,
            sound_speed_m_s: 1500.0,
            temperature_k: 310.15,
        }
    }
}

impl Validate for Liquid {
    fn validate(&self, v: &mut Validator<'_>) {
        // Upper bounds past every liquid of interest: mercury is 13.5e3 kg/m³ and 0.49 N/m;
        // synovial fluid's zero-shear viscosity is of order 1–10 Pa·s (validation/synovial-rheology);
        // water's vapour pressure at the 400 K temperature bound is 0.25 MPa.
        v.positive("density_kg_m3", self.density_kg_m3, 2e4);
        v.non_negative("viscosity_pa_s", self.viscosity_pa_s, 1e3);
        v.non_negative("surface_tension_n_m", self.surface_tension_n_m, 1.0);
        v.non_negative("vapour_pressure_pa", self.vapour_pressure_pa, 1e6);
        v.positive("sound_speed_m_s", self.sound_speed_m_s, 1e4);
        v.within("temperature_k", self.temperature_k, 250.0, 400.0);
    }
}
