//! The progress bar on stderr: a [`RunObserver`] that shows how far a run has come.

use cavitas_solver::driver::{ObserverError, Progress, RunObserver, RunStart};

use super::shared::progress_bar;

/// A progress bar (hidden when stderr is no terminal, with `--json` or `-q`).
#[derive(Debug)]
pub struct ProgressBar {
    bar: indicatif::ProgressBar,
    /// How `auto` chose the backend, kept for the report.
    pub notice: Option<String>,
    /// Print the notice on stderr as the run starts.
    print_notice: bool,
}

impl ProgressBar {
    /// A bar labelled `label`; `hidden` hides it and its notices (JSON or quiet output).
    pub fn new(label: &str, hidden: bool) -> Self {
        Self {
            bar: progress_bar(hidden, label),
            notice: None,
            print_notice: !hidden,
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl RunObserver for ProgressBar {
    fn on_start(&mut self, start: RunStart<'_>) -> Result<(), ObserverError> {
        if let Some(notice) = start.notice {
            if self.print_notice {
                self.bar.suspend(|| eprintln!("{notice}"));
            }
            self.notice = Some(notice.to_string());
        }
        Ok(())
    }

    fn on_progress(&mut self, p: &Progress<'_>) {
        match p.joint {
            // A coupled run takes thousands of steps: redraw every 64.
            Some(j) if j.accepted_steps.is_multiple_of(64) => {
                self.bar.set_position((p.fraction * 1000.0) as u64);
                self.bar.set_message(format!(
                    "t {:.4} s  {:?}  gap {:.3} mm  p {:.1} kPa  {}",
                    p.time_s,
                    j.phase,
                    j.gap_m * 1e3,
                    j.pressure_pa * 1e-3,
                    j.last_event.unwrap_or("")
                ));
            }
            Some(_) => {}
            None => self.bar.set_position((p.fraction * 1000.0) as u64),
        }
    }
}
