//! Capsule scenario files (`configs/capsule/*.toml`): the capsule on its own, filled with
//! more fluid (bones held, no bubbles) — `cavitas capsule`, or `cavitas run` on such a file.

use serde::{Deserialize, Serialize};

use super::capsule_config::CapsuleConfig;
use crate::config::{Validate, Validator};

/// A capsule scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapsuleScenario {
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// The capsule (`[capsule]`).
    pub capsule: CapsuleConfig,
    /// What is injected (`[injection]`).
    #[serde(default)]
    pub injection: Injection,
}

/// `[injection]`: fluid added to the resting capsule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Injection {
    /// Fluid injected beyond the resting volume (mL; negative withdraws). Default 0.3 (the
    /// in-situ facet injection of REFERENCE-DATA). Range: (-1000, 1000].
    pub volume_ml: f64,
}

impl Default for Injection {
    fn default() -> Self {
        Self { volume_ml: 0.3 }
    }
}

impl Validate for Injection {
    fn validate(&self, v: &mut Validator<'_>) {
        v.require(
            self.volume_ml.is_finite() && self.volume_ml > -1e3 && self.volume_ml <= 1e3,
            "volume_ml",
            self.volume_ml,
            "a volume in (-1000, 1000] mL",
        );
    }
}

impl Validate for CapsuleScenario {
    fn validate(&self, v: &mut Validator<'_>) {
        v.nested("capsule", &self.capsule);
        v.nested("injection", &self.injection);
    }
}
