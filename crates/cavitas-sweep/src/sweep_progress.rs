//! [`SweepProgress`]: the progress bar of a sweep on stderr: cases done of the shard's cases
//! to run, rate and ETA, and each failure as a line above the bar.

use crate::case_record::{CaseRecord, CaseStatus};
use crate::sweep_runner::{ShardPlan, SweepObserver};

/// A progress bar (hidden when stderr is no terminal, or when asked).
#[derive(Debug)]
pub struct SweepProgress {
    bar: indicatif::ProgressBar,
    failed: usize,
}

impl SweepProgress {
    /// A bar; `hidden` draws nothing (`-q`).
    pub fn new(hidden: bool) -> Self {
        let bar = if hidden {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{prefix} [{bar:30}] {pos}/{len} cases  {per_sec}  ETA {eta}  {msg}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        };
        Self { bar, failed: 0 }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl SweepObserver for SweepProgress {
    fn on_plan(&mut self, plan: &ShardPlan) {
        self.bar.set_prefix(format!("sweep {}", plan.shard.label()));
        self.bar.set_length(plan.to_run.len() as u64);
        self.bar.reset_eta();
    }

    fn on_case(&mut self, record: &CaseRecord) {
        if record.status == CaseStatus::Failed {
            self.failed += 1;
            self.bar.set_message(format!("{} failed", self.failed));
        }
        self.bar.inc(1);
    }

    fn on_case_elsewhere(&mut self, _case: &str) {
        self.bar.inc(1);
    }
}
