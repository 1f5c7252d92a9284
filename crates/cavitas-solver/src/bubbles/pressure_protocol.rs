//! Far-field pressure histories for bubble-field scenarios.

use serde::{Deserialize, Serialize};

use crate::config::{Validate, Validator};

/// The liquid pressure far from the bubbles as a function of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum PressureProtocol {
    /// Constant pressure, Pa.
    Constant { pressure_pa: f64 },
    /// Linear ramp from `start_pa` to `end_pa` over `duration_s` after `delay_s`, then held.
    Ramp {
        start_pa: f64,
        end_pa: f64,
        duration_s: f64,
        #[serde(default)]
        delay_s: f64,
    },
    /// Quasi-static ramp from `start_pa` to the Blake threshold of the group's largest
    /// nucleus plus `threshold_offset_pa` (negative: below the threshold), then held.
    BlakeRamp {
        start_pa: f64,
        threshold_offset_pa: f64,
        duration_s: f64,
    },
    /// `mean_pa + amplitude_pa sin(2π f t)`. The bubbles see the pressure linear within each
    /// sample interval, so keep `sample_interval_s` well below the period (1/20 or less).
    Sine {
        mean_pa: f64,
        amplitude_pa: f64,
        frequency_hz: f64,
    },
}

impl PressureProtocol {
    /// Pressure at `t` seconds, Pa. `blake_threshold_pa` is the threshold of the group's
    /// largest nucleus (used by [`PressureProtocol::BlakeRamp`] only).
    pub fn pressure_pa(&self, t: f64, blake_threshold_pa: f64) -> f64 {
        let ramp = |start: f64, end: f64, delay: f64, duration: f64| {
            let x = ((t - delay) / duration).clamp(0.0, 1.0);
            start + (end - start) * x
        };
        match *self {
            Self::Constant { pressure_pa } => pressure_pa,
            Self::Ramp {
                start_pa,
                end_pa,
                duration_s,
                delay_s,
            } => ramp(start_pa, end_pa, delay_s, duration_s),
            Self::BlakeRamp {
                start_pa,
                threshold_offset_pa,
                duration_s,
            } => ramp(
                start_pa,
                blake_threshold_pa + threshold_offset_pa,
                0.0,
                duration_s,
            ),
            Self::Sine {
                mean_pa,
                amplitude_pa,
                frequency_hz,
            } => mean_pa + amplitude_pa * (2.0 * std::f64::consts::PI * frequency_hz * t).sin(),
        }
    }

    /// The pressure at `t = 0`, at which nuclei are in equilibrium.
    pub fn initial_pa(&self) -> f64 {
        self.pressure_pa(0.0, 0.0)
    }

    /// True when the protocol needs the Blake threshold of the largest nucleus.
    pub fn needs_blake_threshold(&self) -> bool {
        matches!(self, Self::BlakeRamp { .. })
    }
}

impl Validate for PressureProtocol {
    fn validate(&self, v: &mut Validator<'_>) {
        match *self {
            Self::Constant { pressure_pa } => v.finite("pressure_pa", pressure_pa),
            Self::Ramp {
                start_pa,
                end_pa,
                duration_s,
                delay_s,
            } => {
                v.finite("start_pa", start_pa);
                v.finite("end_pa", end_pa);
                // Durations to about 12 days; amplitudes to 1 GPa (shock-wave lithotripsy peaks
                // near 100 MPa); frequencies to 1 GHz.
                v.positive("duration_s", duration_s, 1e6);
                v.non_negative("delay_s", delay_s, 1e6);
            }
            Self::BlakeRamp {
                start_pa,
                threshold_offset_pa,
                duration_s,
            } => {
                v.finite("start_pa", start_pa);
                v.finite("threshold_offset_pa", threshold_offset_pa);
                v.positive("duration_s", duration_s, 1e6);
            }
            Self::Sine {
                mean_pa,
                amplitude_pa,
                frequency_hz,
            } => {
                v.finite("mean_pa", mean_pa);
                v.non_negative("amplitude_pa", amplitude_pa, 1e9);
                v.positive("frequency_hz", frequency_hz, 1e9);
            }
        }
    }
}
