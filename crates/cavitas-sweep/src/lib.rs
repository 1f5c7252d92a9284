//! Parameter sweeps of cavitas (`cavitas sweep`, `cavitas merge DIR`).
//!
//! - [`SweepFile`], [`AxisSpec`], [`SampleSpec`]: the sweep file (TOML) as written: a base
//!   scenario, fixed overrides, axes (lists, linear and log ranges, zipped or in product)
//!   and samples (Latin hypercube, Sobol) over any config key.
//! - [`SweepPlan`]: the file checked and its cases ([`SweepCase`]) generated; each case is
//!   the base document with overrides, through the `--set` machinery.
//! - [`Shard`]: which cases one process runs (`--shard i/n`, or the Slurm array task).
//! - [`run_sweep`]: runs a shard's cases in parallel on CPU threads, one run file each
//!   (`DIR/cases/<id>.h5`), records each case ([`CaseRecord`]) in the shard's status log,
//!   and skips finished cases when rerun. [`SweepDir`] is the folder's layout.
//! - [`merge_study`]: the folder merged into one file with the `/sweep` table.
//!
//! The format is documented with examples in `configs/sweeps/README.md`.

mod axis;
mod case_record;
mod sample_design;
mod shard;
mod study_table;
mod sweep_case;
mod sweep_dir;
mod sweep_error;
mod sweep_file;
mod sweep_plan;
mod sweep_progress;
mod sweep_runner;

pub use axis::{AxisSpec, RangeSpec};
pub use case_record::{CaseRecord, CaseStatus, StatusLog};
pub use sample_design::{
    BoundSpec, SOBOL_MAX_DIMENSIONS, SampleMethod, SampleSpec, Scale, latin_hypercube, sobol,
};
pub use shard::Shard;
pub use study_table::{StudyMerge, merge_study};
pub use sweep_case::SweepCase;
pub use sweep_dir::{MANIFEST_FORMAT, ManifestCase, SweepDir, SweepManifest};
pub use sweep_error::SweepError;
pub use sweep_file::SweepFile;
pub use sweep_plan::{BaseConfig, MAX_CASES, SweepPlan};
pub use sweep_progress::SweepProgress;
pub use sweep_runner::{
    NoSweepObserver, ShardPlan, SweepObserver, SweepOptions, SweepReport, run_sweep,
};
