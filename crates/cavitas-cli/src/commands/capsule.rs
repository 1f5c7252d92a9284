//! `cavitas capsule`: the capsule on its own — fill it with more fluid (no bubbles, bones
//! held) and report pressure, strain and volume.

use std::path::PathBuf;

use anyhow::Context;
use cavitas_solver::config::{ConfigDocument, ConfigError, Validate, Validator};
use cavitas_solver::fem::capsule_config::CapsuleConfig;
use cavitas_solver::fem::capsule_injection::inject_fluid;
use clap::Args;
use serde::Deserialize;

use crate::exit::InputError;

/// The built-in capsule when no CONFIG is given: the lumbar facet preset.
const DEFAULT_CAPSULE: (&str, &str) = (
    "capsule/facet.toml",
    include_str!("../../../../configs/capsule/facet.toml"),
);

/// Arguments of `cavitas capsule`.
#[derive(Debug, Args)]
pub struct CapsuleArgs {
    /// Capsule file (TOML with a `[capsule]` table). Without it, the facet preset.
    pub config: Option<PathBuf>,
    /// Override a key: `--set capsule.thickness_m=1.2e-3` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Fluid to inject beyond the resting volume (mL).
    #[arg(
        long,
        value_name = "V",
        default_value_t = 0.3,
        allow_negative_numbers = true
    )]
    pub inject_ml: f64,
    /// Print one machine-readable JSON object (resolved config included) instead of text.
    #[arg(long, help_heading = "Output")]
    pub json: bool,
}

/// The part of a scenario this command reads; other tables (`[joint]`, `[loading]`, …) are
/// allowed and ignored.
#[derive(Debug, Deserialize)]
struct CapsuleDocument {
    capsule: CapsuleConfig,
}

/// Runs `cavitas capsule`.
pub fn run(args: &CapsuleArgs) -> anyhow::Result<()> {
    let doc = ConfigDocument::load(args.config.as_deref(), DEFAULT_CAPSULE, &args.overrides)?;
    let parsed: CapsuleDocument = doc.parse()?;
    let origin = doc.origin();
    Validator::check(origin, &parsed)?;
    if !(args.inject_ml.is_finite() && args.inject_ml > -1e3 && args.inject_ml <= 1e3) {
        return Err(InputError(format!(
            "--inject-ml {} is out of range; allowed: a number in (-1000, 1000] mL",
            args.inject_ml
        ))
        .into());
    }
    let model = parsed.capsule.build_model().map_err(|e| ConfigError::Key {
        origin: origin.clone(),
        key: "capsule.geometry".into(),
        message: e.to_string(),
    })?;
    let solver = &parsed.capsule.solver;
    let result = inject_fluid(
        model,
        solver.newton(),
        args.inject_ml * 1e-6,
        solver.load_steps,
        solver.max_step_cuts,
    )
    .with_context(|| {
        format!(
            "injecting {} mL into the capsule of {origin}",
            args.inject_ml
        )
    })?;
    if args.json {
        let table = serde_json::to_value(doc.table()).context("converting the config to JSON")?;
        let out = serde_json::json!({
            "command": "capsule",
            "config_origin": origin.to_string(),
            "inject_ml": args.inject_ml,
            "pressure_pa": result.transmural_pa,
            "absolute_pressure_pa": result.pressure_pa,
            "rest_pressure_pa": result.rest_transmural_pa,
            "max_principal_strain": result.max_principal_strain,
            "volume_ml": result.volume_m3 * 1e6,
            "rest_volume_ml": result.rest_volume_m3 * 1e6,
            "compliance_m3_per_pa": result.compliance_m3_per_pa,
            "rest_compliance_m3_per_pa": result.rest_compliance_m3_per_pa,
            "config": table,
            "config_text": doc.resolved_text(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("capsule: {origin}");
        println!(
            "  rest:     volume {:.4} mL, pressure {:+.1} Pa (relative to tissue), dV/dp {:.3e} m³/Pa",
            result.rest_volume_m3 * 1e6,
            result.rest_transmural_pa,
            result.rest_compliance_m3_per_pa
        );
        println!(
            "  injected: {} mL -> volume {:.4} mL, pressure {:+.1} Pa (absolute {:.1} Pa), dV/dp {:.3e} m³/Pa",
            args.inject_ml,
            result.volume_m3 * 1e6,
            result.transmural_pa,
            result.pressure_pa,
            result.compliance_m3_per_pa
        );
        println!(
            "  max first principal strain {:.1} %",
            100.0 * result.max_principal_strain
        );
    }
    Ok(())
}

impl Validate for CapsuleDocument {
    fn validate(&self, v: &mut Validator<'_>) {
        v.nested("capsule", &self.capsule);
    }
}
