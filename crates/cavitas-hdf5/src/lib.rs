//! `cavitas-hdf5` owns the on-disk format of cavitas: one HDF5 file per run,
//! streamed while the run goes, checkpointed so a killed run can resume, read
//! back by [`RunReader`], merged across sweep shards with virtual datasets,
//! and shown in ParaView through an XDMF sidecar. The layout is documented in
//! `SCHEMA.md` next to this crate's `Cargo.toml`.
//!
//! The HDF5 backend is the pure-Rust `rust-hdf5` crate (pinned); no type of it
//! appears in this crate's API, so it can be replaced without touching callers.
//!
//! Life cycle of a run file:
//!
//! 1. [`RunFile::create`] takes `out.h5.lock` (a second live writer is refused,
//!    forced or not), writes `out.h5.partial` with provenance attributes,
//!    `run_id` and `complete = "false"`; an existing `out.h5` is refused unless forced.
//! 2. [`RunFile::time_series`] / [`RunFile::snapshots`] /
//!    [`RunFile::snapshots_with_axes`] declare groups (with dimension scales);
//!    `append_*` buffer rows and write whole chunks only, hashing them.
//! 3. [`RunFile::checkpoint`] closes the file (complete HDF5 up to the last
//!    whole chunk), copies it to `out.h5.ckpt.<n>.base`, writes the solver
//!    state, the buffered tail, the row digests and the copy's SHA-256 to
//!    `out.h5.ckpt` atomically (all under `state_sha256`), and reopens.
//!    [`RunFile::resume`] verifies the checkpoint, rebuilds the `.partial`
//!    from the copy and restarts there.
//! 4. [`RunFile::finish`] writes the rest and every dataset's `sha256`, sets
//!    `complete = "true"` and `attrs_sha256`, verifies the closed file, renames
//!    it to `out.h5`, and only then removes the checkpoint.
//!
//! [`verify`] checks every checksum of any cavitas file; [`RunReader::verify`],
//! [`RunReader::open_verified`] and [`merge_shards`] use it. `CAVITAS_TEST_FAULT`
//! ([`FAULT_ENV`]) is a test hook that aborts, pauses or fails at the named
//! points ([`FAULT_POINTS`]) of checkpoint and finish.

mod backend_call;
mod checkpoint_file;
mod checkpoint_info;
mod checkpoint_state;
mod column;
mod create_options;
mod event;
mod fault;
mod file_kind;
mod file_probe;
mod h5_access;
mod integrity;
mod names;
mod output_error;
mod provenance;
mod run_file;
mod run_lock;
mod run_paths;
mod run_reader;
mod series_decl;
mod sha256;
mod shard_merge;
mod snapshots;
mod streamed_dataset;
mod sweep_table;
mod time_series;
mod xdmf_capsule;

pub use checkpoint_info::CheckpointInfo;
pub use checkpoint_state::CheckpointState;
pub use column::Column;
pub use create_options::CreateOptions;
pub use event::Event;
pub use fault::{FAULT_ENV, FAULT_POINTS};
pub use file_kind::FileKind;
pub use integrity::{VerifyReport, verify};
pub use output_error::{OutputError, Result};
pub use provenance::Provenance;
pub use run_file::RunFile;
pub use run_paths::RunPaths;
pub use run_reader::{ArrayData, RunReader};
pub use sha256::Sha256;
pub use shard_merge::{merge_shards, merge_sweep};
pub use snapshots::Snapshots;
pub use sweep_table::{SweepColumn, SweepColumnValues, SweepTable};
pub use time_series::TimeSeries;
pub use xdmf_capsule::XdmfCapsule;

/// Version of the layout in SCHEMA.md. Readers accept exactly this version;
/// any change to names, shapes, units or meaning of existing objects bumps it.
/// History: 1 the first layout; 2 `/joint/gas_volume` becomes `cavity_volume` (it is
/// mostly vapour), with `vapour_volume`, `gas_volume_1atm` and `perfusion_gas_<species>`
/// added.
pub const SCHEMA_VERSION: u32 = 2;

/// Root attribute `format` of a run file.
pub const RUN_FORMAT: &str = "cavitas-run";
/// Root attribute `format` of a merged sweep file.
pub const SWEEP_FORMAT: &str = "cavitas-sweep";
/// Root attribute `format` of a checkpoint sidecar.
pub const CHECKPOINT_FORMAT: &str = "cavitas-checkpoint";
