//! The coupled crack: the default `cavitas run` (MCP traction, CPU f64 backend, one thread)
//! end to end, and its creep phase alone (no bubble dynamics), so a regression in either the
//! capsule–pressure closure or the bubble sub-cycling shows.

use std::hint::black_box;

use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::config::ConfigDocument;
use cavitas_solver::coupling::{CrackRun, CrackScenario};
use criterion::{Criterion, criterion_group, criterion_main};

const TRACTION: (&str, &str) = (
    "configs/mcp-traction.toml",
    include_str!("../../configs/mcp-traction.toml"),
);

fn default_run(until_s: Option<f64>) -> f64 {
    let doc = ConfigDocument::load(None, TRACTION, &[]).expect("default parses");
    let scenario: CrackScenario = doc.parse().expect("default is a crack scenario");
    scenario.check(doc.origin()).expect("default is valid");
    let backend = Box::new(CpuBackend::<f64>::new(&scenario.tolerances, 1));
    let mut run = CrackRun::new(scenario, doc.origin(), backend).expect("rest state");
    match until_s {
        Some(t) => run.run_until(t, &mut |_| {}).expect("creep"),
        None => run.run_to_end(|_| {}).expect("default run"),
    }
    run.time_s()
}

fn crack(c: &mut Criterion) {
    let mut group = c.benchmark_group("crack");
    group.sample_size(10);
    // The creep to 16 s (just before the onset near 16.35 s): capsule and closure only.
    group.bench_function("mcp_traction_creep_16s", |b| {
        b.iter(|| black_box(default_run(Some(16.0))))
    });
    group.bench_function("mcp_traction_default_run", |b| {
        b.iter(|| black_box(default_run(None)))
    });
    group.finish();
}

criterion_group!(benches, crack);
criterion_main!(benches);
