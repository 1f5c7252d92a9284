//! `cavitas bench`: the same bubble workload on every adapter wgpu finds and on the CPU
//! backend, with throughput and ratios.

use cavitas_solver::bubbles::backend::BubbleBackend;
use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::bubbles::model::Tolerances;
use cavitas_solver::bubbles::workload::{WorkloadTiming, benchmark_scenario, time_workload};
use cavitas_solver::gpu::{AdapterFilter, GpuBubbleBackend, GpuContext, list_adapters};
use cavitas_solver::real::Real;

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

/// One backend to time.
enum Case {
    Cpu {
        label: &'static str,
        threads: usize,
        make: fn(&Tolerances, usize) -> Box<dyn BubbleBackend>,
        precision: &'static str,
    },
    Gpu {
        name: String,
    },
}

impl Case {
    fn cpu<T: Real>(label: &'static str, threads: usize) -> Self {
        Case::Cpu {
            label,
            threads,
            make: |tolerances, threads| Box::new(CpuBackend::<T>::new(tolerances, threads)),
            precision: T::NAME,
        }
    }

    fn label(&self) -> String {
        match self {
            Case::Cpu {
                label, precision, ..
            } => format!("cpu {precision}, {label}"),
            Case::Gpu { name } => format!("gpu {name}"),
        }
    }

    /// Times the workload; `None` when the adapter will not open (reported on stderr).
    fn measure(
        &self,
        tolerances: &Tolerances,
        bubbles: usize,
        intervals: u32,
    ) -> anyhow::Result<Option<Row>> {
        let (backend, adapter, precision): (Box<dyn BubbleBackend>, String, &str) = match self {
            Case::Cpu {
                label,
                threads,
                make,
                precision,
            } => (
                make(tolerances, *threads),
                format!("rayon, {label}"),
                precision,
            ),
            Case::Gpu { name } => {
                match GpuContext::open(&AdapterFilter::Any {
                    name: Some(name.clone()),
                }) {
                    Ok(ctx) => {
                        let label = ctx.adapter_label();
                        (
                            Box::new(GpuBubbleBackend::new(ctx, tolerances)),
                            label,
                            "f32",
                        )
                    }
                    Err(e) => {
                        eprintln!("skipping {name}: {e}");
                        return Ok(None);
                    }
                }
            }
        };
        let kind = if matches!(self, Case::Cpu { .. }) {
            "cpu"
        } else {
            "gpu"
        };
        let timing = time_workload(backend, bubbles, intervals)?;
        Ok(Some(Row {
            backend: kind.into(),
            adapter,
            precision: precision.into(),
            timing,
            speedup_vs_cpu_f64: None,
        }))
    }
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
    // Every backend to time, in table order: the CPU rows first (the all-thread f64 row is
    // the reference for the speed-ups), then one row per adapter wgpu finds.
    let mut cases: Vec<Case> = Vec::new();
    if cpu {
        cases.push(Case::cpu::<f64>("1 thread", 1));
        cases.push(Case::cpu::<f64>("all threads", 0));
        cases.push(Case::cpu::<f32>("all threads", 0));
    }
    if gpu {
        cases.extend(
            list_adapters()
                .into_iter()
                .map(|a| Case::Gpu { name: a.name }),
        );
    }
    let bar = progress_bar(args.json, "bench");
    bar.set_length((cases.len() * args.bubbles.len()) as u64);
    let mut rows: Vec<Row> = Vec::new();
    for &n in &args.bubbles {
        let first = rows.len();
        for case in &cases {
            bar.set_message(format!("{} bubbles, {}", n, case.label()));
            if let Some(row) = case.measure(&tolerances, n, intervals)? {
                rows.push(row);
            }
            bar.inc(1);
        }
        let reference = rows[first..]
            .iter()
            .find(|r| {
                r.backend == "cpu" && r.precision == "f64" && r.adapter.ends_with("all threads")
            })
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
