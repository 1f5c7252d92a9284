//! `cavitas bench`: the same bubble workload on every adapter wgpu finds and on the CPU
//! backend, with throughput and ratios.

use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::bubbles::model::Tolerances;
use cavitas_solver::bubbles::workload::{WorkloadTiming, benchmark_scenario, time_workload};
use cavitas_solver::gpu::{AdapterFilter, GpuBubbleBackend, GpuContext, list_adapters};

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
    let mut rows: Vec<Row> = Vec::new();
    for &n in &args.bubbles {
        let first = rows.len();
        if cpu {
            for (threads, label) in [(1usize, "1 thread"), (0, "all threads")] {
                let timing = time_workload(
                    Box::new(CpuBackend::<f64>::new(&tolerances, threads)),
                    n,
                    intervals,
                )?;
                rows.push(Row {
                    backend: "cpu".into(),
                    adapter: format!("rayon, {label}"),
                    precision: "f64".into(),
                    timing,
                    speedup_vs_cpu_f64: None,
                });
            }
            let timing = time_workload(
                Box::new(CpuBackend::<f32>::new(&tolerances, 0)),
                n,
                intervals,
            )?;
            rows.push(Row {
                backend: "cpu".into(),
                adapter: "rayon, all threads".into(),
                precision: "f32".into(),
                timing,
                speedup_vs_cpu_f64: None,
            });
        }
        if gpu {
            for adapter in list_adapters() {
                let ctx = match GpuContext::open(&AdapterFilter::Any {
                    name: Some(adapter.name.clone()),
                }) {
                    Ok(ctx) => ctx,
                    Err(e) => {
                        eprintln!("skipping {}: {e}", adapter.name);
                        continue;
                    }
                };
                let label = ctx.adapter_label();
                let timing = time_workload(
                    Box::new(GpuBubbleBackend::new(ctx, &tolerances)),
                    n,
                    intervals,
                )?;
                rows.push(Row {
                    backend: "gpu".into(),
                    adapter: label,
                    precision: "f32".into(),
                    timing,
                    speedup_vs_cpu_f64: None,
                });
            }
        }
        let reference = rows[first..]
            .iter()
            .find(|r| {
                r.backend == "cpu" && r.precision == "f64" && r.adapter.ends_with("all threads")
            })
            .map(|r| r.timing.wall_seconds);
        for row in &mut rows[first..] {
            row.speedup_vs_cpu_f64 = reference.map(|w| w / row.timing.wall_seconds);
        }
    }
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
            r.timing.wall_seconds,
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
