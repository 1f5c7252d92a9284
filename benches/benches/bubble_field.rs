//! Bubble-field throughput. Grind time: wall nanoseconds per bubble right-hand-side
//! evaluation, for the CPU in f64 (one thread and all threads) and every GPU adapter, at
//! 1e3, 1e5 and 1e6 bubbles; and the cost of one accepted Dormand–Prince step of a single
//! bubble on the CPU in f64. Throughput is reported in RHS evaluations (or steps) per second.
//!
//! `cargo bench -p cavitas-benches --bench bubble_field` (set `CAVITAS_BENCH_SIZES=1000,100000`
//! to skip the million-bubble cases on small machines).

use std::time::Duration;

use cavitas_solver::bubbles::backend::BubbleBackend;
use cavitas_solver::bubbles::coefficients::{GroupCoefficients, GroupForcing};
use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::bubbles::dormand_prince::{StepControl, advance_bubble};
use cavitas_solver::bubbles::keller_miksis::RhsInputs;
use cavitas_solver::bubbles::workload::{benchmark_scenario, time_workload};
use cavitas_solver::gpu::{AdapterFilter, GpuBubbleBackend, GpuContext, list_adapters};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn sizes() -> Vec<usize> {
    std::env::var("CAVITAS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 100_000, 1_000_000])
}

/// Intervals of 1 µs per timed run (a 2 µm nucleus rings at ~1.5 MHz, so each bubble takes
/// tens of steps per run; the per-interval read-back of group sums is included).
const INTERVALS: u32 = 5;

/// RHS evaluations one workload run performs (measured once, outside the timing).
fn evaluations(make: &dyn Fn() -> Box<dyn BubbleBackend>, bubbles: usize) -> u64 {
    time_workload(make(), bubbles, INTERVALS)
        .expect("workload runs")
        .rhs_evaluations
}

fn bench_backend(c: &mut Criterion, name: &str, make: &dyn Fn() -> Box<dyn BubbleBackend>) {
    let mut group = c.benchmark_group(format!("bubble_field/{name}"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for bubbles in sizes() {
        group.throughput(Throughput::Elements(evaluations(make, bubbles)));
        // Only the interval loop is timed: building the field, uploading it and the final
        // download are set-up, not integration.
        group.bench_function(format!("{bubbles}_bubbles"), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        let timing =
                            time_workload(make(), bubbles, INTERVALS).expect("workload runs");
                        Duration::from_secs_f64(timing.wall_time_s)
                    })
                    .sum()
            })
        });
    }
    group.finish();
}

fn grind_time(c: &mut Criterion) {
    let tolerances = benchmark_scenario(1, 1).tolerances;
    bench_backend(c, "cpu_f64_1_thread", &|| {
        Box::new(CpuBackend::<f64>::new(&tolerances, 1))
    });
    bench_backend(c, "cpu_f64_all_threads", &|| {
        Box::new(CpuBackend::<f64>::new(&tolerances, 0))
    });
    for adapter in list_adapters() {
        let label = format!("gpu_{}_{}", adapter.backend, adapter.name)
            .replace([' ', '(', ')', ',', '/'], "_");
        let name = adapter.name.clone();
        bench_backend(c, &label, &|| {
            let ctx = GpuContext::open(&AdapterFilter::Any {
                name: Some(name.clone()),
            })
            .expect("adapter opens");
            Box::new(GpuBubbleBackend::new(ctx, &tolerances))
        });
    }
}

/// One 2 µm bubble ringing under a 50 kHz drive for 1 ms: the time per accepted step.
fn single_bubble_step(c: &mut Criterion) {
    let scenario = benchmark_scenario(1, 1);
    let (field, _) = scenario.build_field();
    let coefficients: GroupCoefficients<f64> = field.groups[0].coefficients;
    let forcing = GroupForcing {
        pressure_start: 0.7,
        pressure_slope: 0.0,
        saturation: field.groups[0].saturation(&field.scales),
    };
    let control = StepControl {
        rtol: 1e-6,
        atol: 1e-9,
        max_steps: u32::MAX,
    };
    let interval = 1e-3 / field.scales.time_s();
    let run = || {
        let mut slot = field.slots[0];
        let inputs = RhsInputs {
            coefficients: &coefficients,
            forcing: &forcing,
            v_ref: slot.v_ref,
            pair_pressure: 0.0,
            age_start: slot.age,
        };
        advance_bubble(&mut slot, &inputs, &control, interval, 0.0);
        slot
    };
    let steps = u64::from(run().accepted);
    let mut group = c.benchmark_group("bubble_field/single_bubble_cpu_f64");
    group.throughput(Throughput::Elements(steps));
    group.bench_function(format!("{steps}_accepted_steps"), |b| b.iter(run));
    group.finish();
}

criterion_group!(benches, single_bubble_step, grind_time);
criterion_main!(benches);
