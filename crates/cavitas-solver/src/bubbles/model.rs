//! Which physics the bubble field includes (models chosen by enums, never integer codes).

use serde::{Deserialize, Serialize};

use crate::config::{Validate, Validator};

/// How the liquid's compressibility enters the wall equation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compressibility {
    /// Keller–Miksis: first-order acoustic radiation through the speed of sound.
    KellerMiksis,
    /// Rayleigh–Plesset: incompressible liquid (the Keller–Miksis equation with `c → ∞`).
    Incompressible,
}

/// How the gas pressure follows the bubble volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GasLaw {
    /// Isothermal: `p_g = n R T / (V − n b)` (the default; slow dynamics and small bubbles).
    Isothermal,
    /// Polytropic with `polytropic_index`: `p_g = n R T/(V_ref − nb) ((V_ref − nb)/(V − nb))^κ`,
    /// with `V_ref` the bubble's initial volume.
    Polytropic,
}

/// Physics switches of the bubble field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BubbleModel {
    /// Liquid compressibility (default `keller-miksis`).
    pub compressibility: Compressibility,
    /// Gas law (default `isothermal`).
    pub gas_law: GasLaw,
    /// Polytropic index κ, used with `gas_law = "polytropic"` (default 1.4; allowed 1–5/3).
    pub polytropic_index: f64,
    /// Van der Waals hard core of the gas (default true).
    pub hard_core: bool,
    /// Per-species gas transfer by diffusion, Epstein–Plesset with the transient term
    /// (default true).
    pub mass_transfer: bool,
    /// Incompressible near-field pressure of the other bubbles of the same group
    /// (tiled O(N²); default false).
    pub near_field_coupling: bool,
    /// A bubble whose radius falls below this fraction of its initial radius has collapsed
    /// (empty cavity) or dissolved (gas bubble); its gas returns to the liquid
    /// (default 0.01; allowed 1e-4–0.5).
    pub vanish_radius_fraction: f64,
}

impl Default for BubbleModel {
    fn default() -> Self {
        Self {
            compressibility: Compressibility::KellerMiksis,
            gas_law: GasLaw::Isothermal,
            polytropic_index: 1.4,
            hard_core: true,
            mass_transfer: true,
            near_field_coupling: false,
            vanish_radius_fraction: 0.01,
        }
    }
}

impl BubbleModel {
    /// The exponent κ actually used (1 for isothermal).
    pub fn effective_polytropic_index(&self) -> f64 {
        match self.gas_law {
            GasLaw::Isothermal => 1.0,
            GasLaw::Polytropic => self.polytropic_index,
        }
    }
}

impl Validate for BubbleModel {
    fn validate(&self, v: &mut Validator<'_>) {
        v.within("polytropic_index", self.polytropic_index, 1.0, 5.0 / 3.0);
        v.within(
            "vanish_radius_fraction",
            self.vanish_radius_fraction,
            1e-4,
            0.5,
        );
    }
}

/// Error control of the per-bubble embedded Runge–Kutta integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tolerances {
    /// Relative tolerance of the mixed error norm (default 1e-6; allowed 1e-12–1e-2; use
    /// >= 1e-5 with f32 arithmetic).
    pub relative: f64,
    /// Absolute tolerance, in units of the length and velocity scales (default 1e-9;
    /// allowed 1e-15–1e-2).
    pub absolute: f64,
    /// Most steps one bubble may take in one interval before the run stops with an error
    /// (default 1000000; allowed >= 100).
    pub max_steps_per_interval: u32,
}

impl Default for Tolerances {
    fn default() -> Self {
        Self {
            relative: 1e-6,
            absolute: 1e-9,
            max_steps_per_interval: 1_000_000,
        }
    }
}

impl Validate for Tolerances {
    fn validate(&self, v: &mut Validator<'_>) {
        v.within("relative", self.relative, 1e-12, 1e-2);
        v.within("absolute", self.absolute, 1e-15, 1e-2);
        v.require(
            self.max_steps_per_interval >= 100,
            "max_steps_per_interval",
            self.max_steps_per_interval,
            "an integer >= 100",
        );
    }
}
