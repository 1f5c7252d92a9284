//! Helpers shared by subcommands: backend requests, progress bars, output files.

use std::path::Path;

use cavitas_solver::compute::{BackendRequest, CpuPrecision};

use crate::cli::{BackendArgs, BackendChoice, PrecisionChoice};
use crate::exit::InputError;

/// The backend the arguments ask for.
pub fn backend_request(args: &BackendArgs) -> BackendRequest {
    match args.backend {
        BackendChoice::Auto => BackendRequest::Auto,
        BackendChoice::Gpu => BackendRequest::Gpu {
            adapter: args.adapter.clone(),
        },
        BackendChoice::Cpu => BackendRequest::Cpu {
            precision: match args.cpu_precision {
                PrecisionChoice::F32 => CpuPrecision::F32,
                PrecisionChoice::F64 => CpuPrecision::F64,
            },
            threads: 0,
        },
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal or output is JSON).
pub fn progress_bar(hidden: bool, label: &str) -> indicatif::ProgressBar {
    if hidden {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(1000);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:40}] {percent:>3}% {elapsed_precise} {msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}

/// Refuses to overwrite an existing output file.
pub fn ensure_new_output(path: &Path) -> Result<(), InputError> {
    if path.exists() {
        return Err(InputError(format!(
            "{}: the output file exists; pass --force to replace it, or choose another path",
            path.display()
        )));
    }
    Ok(())
}

/// What the run file cost, for the report.
#[derive(Debug, serde::Serialize)]
pub struct Written {
    /// The finished file.
    pub path: std::path::PathBuf,
    /// Wall time inside the writer (create or reopen, series, snapshots, checkpoints, final
    /// arrays, finish), s.
    pub seconds: f64,
    /// Checkpoints written in this session.
    pub checkpoints: u64,
    /// Wall time of the whole command up to the finished file, s.
    pub wall_seconds: f64,
}

impl Written {
    /// The cost of a finished file: `seconds` inside the writer, `checkpoints` this session,
    /// against the wall time since `started`.
    pub fn new(
        path: std::path::PathBuf,
        seconds: f64,
        checkpoints: u64,
        started: std::time::Instant,
    ) -> Self {
        Self {
            path,
            seconds,
            checkpoints,
            wall_seconds: started.elapsed().as_secs_f64(),
        }
    }

    /// One line for the human summary.
    pub fn describe(&self) -> String {
        format!(
            "output {} ({} checkpoint(s) this session; {:.3} s of {:.3} s wall in output, {:.1} %)",
            self.path.display(),
            self.checkpoints,
            self.seconds,
            self.wall_seconds,
            100.0 * self.seconds / self.wall_seconds
        )
    }
}
