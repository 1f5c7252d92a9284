//! `cavitas capsule`: the capsule on its own — fill it with more fluid (no bubbles, bones
//! held) and report pressure, strain and volume.

use std::path::PathBuf;

use clap::Args;

/// Arguments of `cavitas capsule`.
#[derive(Debug, Args)]
pub struct CapsuleArgs {
    /// Capsule file (a `[capsule]` table, or a joint scenario whose capsule to fill).
    /// Without it, the lumbar facet preset.
    pub config: Option<PathBuf>,
    /// Override a key of the scenario, as dotted.key=value. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Fluid to inject beyond the resting volume (mL); default: the scenario's
    /// `injection.volume_ml` (0.3 mL unless it says otherwise).
    #[arg(long, value_name = "V", allow_negative_numbers = true)]
    pub inject_ml: Option<f64>,
    /// Print one machine-readable JSON object (resolved config included) instead of text.
    #[arg(long, help_heading = "Output")]
    pub json: bool,
}
