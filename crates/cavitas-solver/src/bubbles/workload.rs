//! The standard benchmark workload: `n` synovial nuclei (log-normal, median 2 µm) in groups
//! of 1,000 under a 50 kHz, 30 kPa pressure oscillation with gas transfer. Used by
//! `cavitas bench` and the criterion benches, so both time the same thing.

use std::time::Instant;

use super::backend::BubbleBackend;
use super::run::{BubbleError, BubbleRun, PressureSpan};
use super::scenario::BubbleScenario;

/// Bubbles per group in the workload.
pub const GROUP_SIZE: usize = 1000;

/// The workload scenario for `bubbles` nuclei advanced over `intervals` intervals of 1 µs.
pub fn benchmark_scenario(bubbles: usize, intervals: u32) -> BubbleScenario {
    let groups = bubbles.div_ceil(GROUP_SIZE).max(1);
    let per_group = bubbles.clamp(1, GROUP_SIZE);
    let text = format!(
        r#"
duration_s = {duration:e}
sample_interval_s = 1.0e-6
[tolerances]
relative = 1.0e-5
absolute = 1.0e-8
[[group]]
name = "bench"
copies = {groups}
fluid_volume_m3 = 1.0e-7
pressure = {{ kind = "sine", mean_pa = 1.0e5, amplitude_pa = 3.0e4, frequency_hz = 5.0e4 }}
nuclei = {{ distribution = "log-normal", median_radius_m = 2.0e-6, geometric_std = 1.4, count = {per_group}, seed = 3 }}
"#,
        duration = f64::from(intervals) * 1e-6,
    );
    toml::from_str(&text).expect("the benchmark scenario parses")
}

/// Timing of one backend on the workload.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WorkloadTiming {
    pub bubbles: usize,
    pub intervals: u32,
    /// Wall-clock time of the interval loop, s.
    pub wall_time_s: f64,
    pub accepted_steps: u64,
    pub rejected_steps: u64,
    /// Six per attempted step plus one per bubble per interval.
    pub rhs_evaluations: u64,
    /// Grind time: wall nanoseconds per bubble right-hand-side evaluation.
    pub ns_per_rhs: f64,
}

/// Loads the workload into `backend` and times `intervals` intervals (upload and the final
/// download excluded; the per-interval sums read back included).
pub fn time_workload(
    backend: Box<dyn BubbleBackend>,
    bubbles: usize,
    intervals: u32,
) -> Result<WorkloadTiming, BubbleError> {
    let scenario = benchmark_scenario(bubbles, intervals);
    let (field, built) = scenario.build_field();
    let groups = built.len();
    let mut run = BubbleRun::new(field, backend, false)?;
    let protocol = &scenario.groups[0].pressure;
    let dt = 1e-6;
    let started = Instant::now();
    let mut bubble_intervals = 0u64;
    for k in 0..intervals {
        let span = PressureSpan {
            start_pa: protocol.pressure_pa(f64::from(k) * dt, 0.0),
            end_pa: protocol.pressure_pa(f64::from(k + 1) * dt, 0.0),
        };
        bubble_intervals += run
            .group_states()
            .iter()
            .map(|g| u64::from(g.active))
            .sum::<u64>();
        run.advance(dt, &vec![span; groups])?;
    }
    let wall_time_s = started.elapsed().as_secs_f64();
    let field = run.sync()?;
    let accepted: u64 = field.slots.iter().map(|s| u64::from(s.accepted)).sum();
    let rejected: u64 = field.slots.iter().map(|s| u64::from(s.rejected)).sum();
    let rhs = 6 * (accepted + rejected) + bubble_intervals;
    Ok(WorkloadTiming {
        bubbles: field.len(),
        intervals,
        wall_time_s,
        accepted_steps: accepted,
        rejected_steps: rejected,
        rhs_evaluations: rhs,
        ns_per_rhs: wall_time_s * 1e9 / rhs as f64,
    })
}
