//! The refractory protocol: crack, release, wait `t_w`, pull again. Bisection on `t_w`
//! finds the shortest wait after which the second pull cracks again.
//!
//! Everything up to the end of the first release is the same for every wait, so it runs
//! once; each trial continues from that state with its own wait.

use serde::Serialize;

use crate::joint::{LoadingProtocol, LoadingSchedule};

use super::crack_run::{CrackError, CrackRun};
use super::crack_scenario::RefractorySettings;

/// One wait tried.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RefractoryTrial {
    /// Wait between the pulls (s).
    pub wait_s: f64,
    /// Whether the second pull cracked.
    pub recracked: bool,
    /// Volume of the cavity when the second pull began (m³; its gas and vapour).
    pub residual_cavity_m3: f64,
}

/// Result of the bisection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefractoryOutcome {
    /// Shortest wait found after which the joint cracks again (s), within the bracket
    /// tolerance (the upper end of the final bracket); `None` when the first pull did not
    /// crack or the longest wait did not suffice.
    pub period_s: Option<f64>,
    /// Why there is no period, if there is none.
    pub note: Option<String>,
    /// The waits tried, in order.
    pub trials: Vec<RefractoryTrial>,
}

fn with_wait(schedule: &LoadingSchedule, wait: f64) -> (LoadingSchedule, f64, f64) {
    let mut s = schedule.clone();
    let LoadingProtocol::RepeatedPulls {
        ramp_s,
        hold_s,
        wait_s,
        ..
    } = &mut s.protocol
    else {
        unreachable!("checked by CrackScenario::check")
    };
    *wait_s = wait;
    let release = 2.0 * *ramp_s + *hold_s;
    // The second pull's peak ends at release + wait + ramp + hold.
    let second_peak_end = release + wait + *ramp_s + *hold_s;
    let end = s.duration_s();
    (s, second_peak_end, end)
}

/// Runs the refractory protocol on a fresh `run` and leaves it at the end of the full
/// protocol with the wait found (or the longest wait), so its series, events and sound
/// describe that run. `observe` sees every accepted step of every trial.
pub fn find_refractory_period(
    run: &mut CrackRun,
    settings: RefractorySettings,
    mut observe: impl FnMut(&CrackRun),
) -> Result<RefractoryOutcome, CrackError> {
    let base = run.context().schedule.clone();
    let LoadingProtocol::RepeatedPulls { ramp_s, hold_s, .. } = base.protocol else {
        unreachable!("checked by CrackScenario::check")
    };
    let release = 2.0 * ramp_s + hold_s;
    // The first pull and release, with the longest wait scheduled.
    let (schedule, _, end) = with_wait(&base, settings.max_wait_s);
    run.set_schedule(schedule, end);
    run.run_until(release, &mut observe)?;
    let mut outcome = RefractoryOutcome {
        period_s: None,
        note: None,
        trials: Vec::new(),
    };
    if run.monitor().cracks().is_empty() {
        outcome.note = Some("the first pull did not crack".into());
        run.run_to_end(&mut observe)?;
        return Ok(outcome);
    }
    let released = run.snapshot()?;
    let mut trial = |run: &mut CrackRun, wait: f64, outcome: &mut RefractoryOutcome| {
        run.restore(&released)?;
        let (schedule, peak_end, end) = with_wait(&base, wait);
        run.set_schedule(schedule, end);
        run.run_until(release + wait, &mut observe)?;
        let residual_cavity_m3 = run.population().cavity_volume_m3()?;
        run.run_until(peak_end, &mut observe)?;
        let recracked = run.monitor().cracks().len() >= 2;
        outcome.trials.push(RefractoryTrial {
            wait_s: wait,
            recracked,
            residual_cavity_m3,
        });
        Ok::<bool, CrackError>(recracked)
    };
    let (mut lo, mut hi) = (settings.min_wait_s, settings.max_wait_s);
    if !trial(run, hi, &mut outcome)? {
        outcome.note = Some(format!("no second crack after the longest wait, {hi} s"));
    } else if trial(run, lo, &mut outcome)? {
        outcome.period_s = Some(lo);
        outcome.note = Some(format!(
            "the joint cracks again after the shortest wait tried, {lo} s"
        ));
    } else {
        while hi - lo > settings.tolerance_s {
            let mid = 0.5 * (lo + hi);
            if trial(run, mid, &mut outcome)? {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        outcome.period_s = Some(hi);
    }
    // Leave the run at the end of the protocol with the wait found.
    let wait = outcome.period_s.unwrap_or(settings.max_wait_s);
    run.restore(&released)?;
    let (schedule, _, end) = with_wait(&base, wait);
    run.set_schedule(schedule, end);
    run.run_to_end(&mut observe)?;
    Ok(outcome)
}
