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

/// The path of the shipped `configs/<rel>`.
pub fn config_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("configs")
        .join(rel)
}

/// `configs/<rel>` (a coupled joint scenario) with `overrides` applied, parsed and checked,
/// with where it came from.
pub fn crack_scenario(
    rel: &str,
    overrides: &[&str],
) -> (
    cavitas_solver::coupling::CrackScenario,
    cavitas_solver::config::ConfigOrigin,
) {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let doc = ConfigDocument::load(Some(&config_path(rel)), ("unused", ""), &overrides).unwrap();
    let scenario: cavitas_solver::coupling::CrackScenario = doc.parse().unwrap();
    scenario.check(doc.origin()).unwrap();
    (scenario, doc.origin().clone())
}

/// Runs `configs/<rel>` on `backend` to its end (through the refractory bisection when the
/// scenario has one) and summarises it.
pub fn run_crack(
    rel: &str,
    overrides: &[&str],
    backend: Box<dyn cavitas_solver::bubbles::backend::BubbleBackend>,
) -> cavitas_solver::coupling::CrackSummary {
    use cavitas_solver::coupling::refractory::find_refractory_period;
    let (scenario, origin) = crack_scenario(rel, overrides);
    let refractory = scenario.refractory;
    let mut run = cavitas_solver::coupling::CrackRun::new(scenario, &origin, backend).unwrap();
    let outcome = match refractory {
        Some(settings) => Some(find_refractory_period(&mut run, settings, |_| {}).unwrap()),
        None => {
            run.run_to_end(|_| {}).unwrap();
            None
        }
    };
    let sound = run.recorder().analyse();
    cavitas_solver::coupling::CrackSummary::new(&mut run, &sound, outcome).unwrap()
}

/// [`run_crack`] on the CPU backend in f64 with one thread (bitwise repeatable).
pub fn run_crack_cpu(rel: &str, overrides: &[&str]) -> cavitas_solver::coupling::CrackSummary {
    let (scenario, _) = crack_scenario(rel, overrides);
    run_crack(
        rel,
        overrides,
        Box::new(CpuBackend::<f64>::new(&scenario.tolerances, 1)),
    )
}
