//! Loading the shipped scenarios, so the tests exercise the files users run.

#![allow(dead_code)]

use std::path::PathBuf;

use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::bubbles::scenario::BubbleScenario;
use cavitas_solver::bubbles::study::{BubbleOutcome, run_bubble_scenario};
use cavitas_solver::config::ConfigDocument;

/// `configs/bubble/<name>.toml` with `overrides` applied, parsed and checked.
pub fn scenario(name: &str, overrides: &[&str]) -> BubbleScenario {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("configs/bubble/{name}.toml"));
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let doc = ConfigDocument::load(Some(&path), ("unused", ""), &overrides).expect("config loads");
    let scenario: BubbleScenario = doc.parse().expect("config parses");
    scenario.check(doc.origin()).expect("config is valid");
    scenario
}

/// Runs on the CPU reference in f64.
pub fn run_cpu_f64(scenario: &BubbleScenario) -> BubbleOutcome {
    run_bubble_scenario(
        scenario,
        Box::new(CpuBackend::<f64>::new(&scenario.tolerances, 0)),
    )
    .expect("run succeeds")
}

/// Relative difference.
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Every `.toml` under the crate's `configs/`, sorted: scenarios, joint presets and sweep
/// files alike (callers pick).
pub fn shipped_config_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("configs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
