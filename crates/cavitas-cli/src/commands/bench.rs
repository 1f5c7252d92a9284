//! `cavitas bench`: the same bubble workload on every adapter wgpu finds and on the CPU
//! backend, with throughput and ratios.

use cavitas_solver::bubbles::bench_case::BenchCase;
use cavitas_solver::bubbles::model::Tolerances;
use cavitas_solver::bubbles::workload::{WorkloadTiming, benchmark_scenario, time_workload};

use super::shared::progress_bar;
use crate::cli::BenchArgs;
use crate::exit::InputError;

#[derive(Debug, serde::Serialize)]
struct Row {
    backend: String,
    adapter: String,
    precision: String,
    #[serde(flatten)]
    timing: WorkloadTiming,
    /// Speed relative to the all-thread CPU f64 row of the same size.
    speedup_vs_cpu_f64: Option<f64>,
}

/// Times the workload; `None` when the adapter will not open (reported on stderr).
fn measure(
    case: &BenchCase,
    tolerances: &Tolerances,
    bubbles: usize,
    intervals: u32,
) -> anyhow::Result<Option<Row>> {
    let opened = match case.open(tolerances) {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("skipping {}: {e}", case.label());
            return Ok(None);
        }
    };
    let timing = time_workload(opened.backend, bubbles, intervals)?;
    Ok(Some(Row {
        backend: opened.kind.into(),
        adapter: opened.adapter,
        precision: opened.precision.into(),
        timing,
        speedup_vs_cpu_f64: None,
    }))
}

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let (cpu, gpu) = match args.backends.as_str() {
        "all" => (true, true),
        "cpu" => (true, false),
        "gpu" => (false, true),
        other => {
            return Err(InputError(format!("--backends `{other}`: allowed: all, cpu, gpu")).into());
        }
    };
    if args.bubbles.iter().any(|&n| n == 0 || n > 4_000_000) {
        return Err(InputError("--bubbles: each count must lie in [1, 4000000]".into()).into());
    }
    let intervals = args.intervals;
    let tolerances: Tolerances = benchmark_scenario(1, 1).tolerances;
    // The CPU rows first (the all-thread f64 row is the reference for the speed-ups), then
    // one row per adapter wgpu finds.
    let cases = BenchCase::all(cpu, gpu);
    let bar = progress_bar(args.json, "bench");
    bar.set_length((cases.len() * args.bubbles.len()) as u64);
    let mut rows: Vec<Row> = Vec::new();
    for &n in &args.bubbles {
        let first = rows.len();
        for case in &cases {
            bar.set_message(format!("{} bubbles, {}", n, case.label()));
            if let Some(row) = measure(case, &tolerances, n, intervals)? {
                rows.push(row);
            }
            bar.inc(1);
        }
        let reference = rows[first..]
            .iter()
            .find(|r| BenchCase::is_reference(&r.backend, &r.precision, &r.adapter))
            .map(|r| r.timing.wall_time_s);
        for row in &mut rows[first..] {
            row.speedup_vs_cpu_f64 = reference.map(|w| w / row.timing.wall_time_s);
        }
    }
    bar.finish_and_clear();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "intervals": intervals, "rows": rows })
            )?
        );
        return Ok(());
    }
    println!(
        "{:<5} {:<44} {:<4} {:>9} {:>10} {:>13} {:>11} {:>8}",
        "kind", "adapter", "prec", "bubbles", "wall s", "RHS evals", "ns/RHS", "speedup"
    );
    for r in &rows {
        println!(
            "{:<5} {:<44} {:<4} {:>9} {:>10.4} {:>13} {:>11.2} {:>8}",
            r.backend,
            truncate(&r.adapter, 44),
            r.precision,
            r.timing.bubbles,
            r.timing.wall_time_s,
            r.timing.rhs_evaluations,
            r.timing.ns_per_rhs,
            r.speedup_vs_cpu_f64
                .map_or("-".into(), |s| format!("{s:.2}x")),
        );
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}
