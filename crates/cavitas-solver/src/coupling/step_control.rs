//! How the coupled macro step adapts: the controller's constants, named in one place, and
//! the verdict on a tried step. The tolerances these act on are scenario settings
//! (`[coupling]`, [`CouplingSettings`]); the constants here are the controller's own.

use super::crack_scenario::CouplingSettings;

/// Constants of the macro-step controller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepController {
    /// A step is accepted while its largest error ratio (each change over its allowed
    /// change) is at most this; the slack keeps a step that overshoots slightly.
    pub accept_ratio: f64,
    /// The next step aims at this fraction of the allowed change.
    pub target_ratio: f64,
    /// Largest growth of the step from one accepted step to the next.
    pub max_growth: f64,
    /// Smallest factor a rejected step is cut by.
    pub max_cut: f64,
    /// Factor a step is cut by when a solve inside it fails (bubbles, capsule, closure).
    pub failure_cut: f64,
    /// Samples of the load inside a step, so a thrust that peaks inside it is seen.
    pub load_samples: u32,
    /// Longest first step (s).
    pub first_step_s: f64,
    /// The pressure predicted from the last step's rate is clamped to this many
    /// `pressure_step_pa` (the closure's first guess).
    pub prediction_limit: f64,
    /// A Blake threshold is aimed at this fraction of `event_pressure_tolerance_pa` above it.
    pub threshold_aim: f64,
    /// The fraction of a step that lands on a threshold stays within these bounds.
    pub threshold_fraction: (f64, f64),
}

impl Default for StepController {
    fn default() -> Self {
        Self {
            accept_ratio: 1.25,
            target_ratio: 0.8,
            max_growth: 2.0,
            max_cut: 0.1,
            failure_cut: 0.5,
            load_samples: 8,
            first_step_s: 1e-3,
            prediction_limit: 2.0,
            threshold_aim: 0.5,
            threshold_fraction: (0.01, 0.99),
        }
    }
}

/// What a tried step changed, each in its own unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepChanges {
    /// Change of the fluid pressure (Pa).
    pub pressure_pa: f64,
    /// Change of the gas volume (m³).
    pub gas_volume_m3: f64,
    /// The larger of the gas volumes at the start and the end (m³).
    pub gas_volume_scale_m3: f64,
    /// Local error estimate of the gap (m).
    pub gap_error_m: f64,
    /// Largest change of the applied force inside the step (N).
    pub force_n: f64,
}

/// The controller's verdict on a tried step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepVerdict {
    /// Keep it; try `next_step_s` next.
    Accept { next_step_s: f64 },
    /// Redo it with `retry_s`.
    Reject { retry_s: f64 },
}

impl StepController {
    /// The largest ratio of each change to what `settings` allow in one step.
    pub fn error_ratio(&self, changes: &StepChanges, settings: &CouplingSettings) -> f64 {
        [
            changes.pressure_pa.abs() / settings.pressure_step_pa,
            changes.gas_volume_m3.abs()
                / (settings.volume_step_fraction
                    * changes
                        .gas_volume_scale_m3
                        .max(settings.gas_volume_floor_m3)),
            changes.gap_error_m / settings.gap_error_m,
            changes.force_n / settings.load_step_n,
        ]
        .into_iter()
        .fold(0.0f64, f64::max)
    }

    /// Accepts a step of `dt_s` whose error ratio is `ratio` and proposes the next, or
    /// rejects it with a shorter one.
    pub fn judge(&self, ratio: f64, dt_s: f64) -> StepVerdict {
        if ratio > self.accept_ratio {
            return StepVerdict::Reject {
                retry_s: dt_s * (self.target_ratio / ratio).max(self.max_cut),
            };
        }
        let growth = if ratio > 0.0 {
            (self.target_ratio / ratio).min(self.max_growth)
        } else {
            self.max_growth
        };
        StepVerdict::Accept {
            next_step_s: dt_s * growth,
        }
    }

    /// The step after a failed solve inside one of `dt_s`.
    pub fn after_failure(&self, dt_s: f64) -> f64 {
        self.failure_cut * dt_s
    }

    /// The part of a step of `dt_s` from `p0` to `p1` (Pa) that ends just above the Blake
    /// threshold `threshold_pa`, which the step crossed.
    pub fn towards_threshold(
        &self,
        dt_s: f64,
        (p0, p1): (f64, f64),
        threshold_pa: f64,
        tolerance_pa: f64,
    ) -> f64 {
        let aim = threshold_pa + self.threshold_aim * tolerance_pa;
        let (low, high) = self.threshold_fraction;
        let fraction = ((p0 - aim) / (p0 - p1)).clamp(low, high);
        dt_s * fraction
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_errors_grow_the_step_at_most_by_max_growth_and_large_ones_cut_it() {
        let c = StepController::default();
        assert_eq!(c.judge(0.0, 1.0), StepVerdict::Accept { next_step_s: 2.0 });
        assert_eq!(c.judge(0.8, 1.0), StepVerdict::Accept { next_step_s: 1.0 });
        assert_eq!(c.judge(2.0, 1.0), StepVerdict::Reject { retry_s: 0.4 });
        assert_eq!(c.judge(100.0, 1.0), StepVerdict::Reject { retry_s: 0.1 });
    }

    #[test]
    fn a_threshold_is_landed_on_just_above_it() {
        let c = StepController::default();
        // From 100 Pa to 0 Pa across a threshold at 50 Pa, tolerance 2 Pa: aim at 51 Pa.
        let dt = c.towards_threshold(1.0, (100.0, 0.0), 50.0, 2.0);
        assert!((dt - 0.49).abs() < 1e-15, "{dt}");
    }
}
