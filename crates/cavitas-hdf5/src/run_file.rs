//! The writer of one run: streams time series and snapshots into
//! `out.h5.partial`, checkpoints, and renames to `out.h5` when finished.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rust_hdf5::{H5File, H5Group};

use crate::backend_call::{backend_call, io_err, rename_durably, sync_parent_dir};
use crate::checkpoint_file::{CheckpointFile, StreamRecord};
use crate::checkpoint_state::CheckpointState;
use crate::column::Column;
use crate::create_options::CreateOptions;
use crate::event::Event;
use crate::fault;
use crate::h5_access::{ReadAccess, ensure_group, set_dataset_attr, write_shaped_f64};
use crate::integrity::{
    ATTRS_DIGEST_ATTR, CHECKSUM_ATTR, CHECKSUMS_ATTR, attrs_digest, dataset_digest, dataset_hasher,
    file_digest, hash_strings, verify,
};
use crate::names::{check_group_path, check_link_name};
use crate::output_error::{OutputError, Result};
use crate::provenance::Provenance;
use crate::run_lock::RunLock;
use crate::run_paths::RunPaths;
use crate::series_decl::{SeriesDecl, SeriesKind, shape_to_string};
use crate::sha256::Sha256;
use crate::snapshots::Snapshots;
use crate::streamed_dataset::StreamedDataset;
use crate::time_series::TimeSeries;
use crate::{RUN_FORMAT, SCHEMA_VERSION};

/// Rows per chunk of the `/events` columns.
const EVENT_CHUNK_ROWS: usize = 256;

/// A run file being written. See the crate docs for the life cycle and
/// SCHEMA.md for the layout.
pub struct RunFile {
    paths: RunPaths,
    h5: Option<H5File>,
    options: CreateOptions,
    streams: Vec<StreamedDataset>,
    series: Vec<SeriesDecl>,
    groups: BTreeSet<String>,
    statics: Vec<String>,
    events: Vec<Event>,
    /// Checkpoints written so far (across resumes).
    checkpoints: u64,
    /// Wall time of earlier sessions (before a resume), s.
    prior_wall_s: f64,
    session_start: Instant,
    resumed: bool,
    /// Unique id of the run (root attribute `run_id`), kept across resumes.
    run_id: String,
    /// The lock on `out.h5.lock`, held while this writer lives.
    lock: Option<RunLock>,
    /// Item-axis scales of the snapshot groups declared in this session, to
    /// attach to a fixed array of the same shape in the group (`nodes_ref`).
    item_scales: std::collections::BTreeMap<String, (Vec<usize>, Vec<rust_hdf5::H5Dataset>)>,
}

impl std::fmt::Debug for RunFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunFile")
            .field("paths", &self.paths)
            .field("open", &self.h5.is_some())
            .field("series", &self.series)
            .field("checkpoints", &self.checkpoints)
            .field("resumed", &self.resumed)
            .finish_non_exhaustive()
    }
}

/// The root attributes the writer owns, in the order `create` writes them.
const ROOT_ATTRIBUTES: [&str; 16] = [
    "format",
    "schema_version",
    "cavitas_version",
    "git_revision",
    "config_text",
    "config_hash",
    "backend",
    "adapter",
    "precision",
    "start_time",
    "wall_time_s",
    "checkpoints",
    "complete",
    "run_id",
    CHECKSUMS_ATTR,
    ATTRS_DIGEST_ATTR,
];

impl RunFile {
    /// Start a run whose finished output will be `path`.
    ///
    /// Writes `path.partial` (root attributes: provenance, `complete=false`).
    /// Fails with [`OutputError::Exists`] if `path` exists, or
    /// [`OutputError::PartialExists`] if an unfinished run is there, unless
    /// `options.force`; with `force`, an existing `path` is replaced only by
    /// [`finish`](Self::finish).
    pub fn create(path: &Path, provenance: &Provenance, options: CreateOptions) -> Result<Self> {
        let paths = RunPaths::new(path);
        if options.series_chunk_rows == 0
            || options.snapshot_chunk_bytes == 0
            || options.deflate_level > 9
        {
            return Err(OutputError::Mismatch {
                object: "CreateOptions".into(),
                detail: "chunk sizes must be positive and deflate_level at most 9".into(),
            });
        }
        // The lock first: a live writer's files are never touched, forced or not.
        let lock = RunLock::acquire(&paths.lock)?;
        if !options.force {
            if paths.output.exists() {
                return Err(OutputError::Exists { path: paths.output });
            }
            if paths.partial.exists() || paths.checkpoint.exists() {
                return Err(OutputError::PartialExists {
                    path: paths.partial,
                });
            }
        }
        // Forced (or only temporaries left): the unfinished run here is ours to discard.
        for stale in paths.leftovers() {
            std::fs::remove_file(&stale).map_err(io_err(&stale))?;
        }
        let file = paths.partial.clone();
        let h5 = backend_call(&file, "creating the run file", || H5File::create(&file))?;
        let run_id = new_run_id();
        let attrs: [(&str, String); ROOT_ATTRIBUTES.len() - 1] = [
            ("format", RUN_FORMAT.to_string()),
            ("schema_version", SCHEMA_VERSION.to_string()),
            ("cavitas_version", provenance.cavitas_version.clone()),
            ("git_revision", provenance.git_revision.clone()),
            ("config_text", provenance.config_text.clone()),
            ("config_hash", provenance.config_hash()),
            ("backend", provenance.backend.clone()),
            ("adapter", provenance.adapter.clone()),
            ("precision", provenance.precision.clone()),
            ("start_time", provenance.start_time.clone()),
            ("wall_time_s", "nan".to_string()),
            ("checkpoints", "0".to_string()),
            ("complete", "false".to_string()),
            ("run_id", run_id.clone()),
            (CHECKSUMS_ATTR, "sha256".to_string()),
        ];
        backend_call(&file, "writing root attributes", || {
            attrs.iter().try_for_each(|(k, v)| h5.set_attr_string(k, v))
        })?;
        let mut run = Self {
            paths,
            h5: Some(h5),
            options,
            streams: Vec::new(),
            series: Vec::new(),
            groups: BTreeSet::new(),
            statics: Vec::new(),
            events: Vec::new(),
            checkpoints: 0,
            prior_wall_s: 0.0,
            session_start: Instant::now(),
            resumed: false,
            run_id,
            lock: Some(lock),
            item_scales: Default::default(),
        };
        run.declare_events()?;
        Ok(run)
    }

    /// Continue an unfinished run from its last checkpoint. `path` is the
    /// output path (or its `.partial`/`.ckpt`). Returns the writer, positioned
    /// exactly at the checkpoint (rows written after it are dropped), and the
    /// solver state saved there.
    ///
    /// The checkpoint is verified first (every dataset against its `sha256`,
    /// then `state_sha256` over all of it); a damaged one is refused with
    /// [`OutputError::Damaged`] naming what is damaged, and nothing is changed.
    /// The run file is then rebuilt from the checkpoint's copy of it
    /// (`out.h5.ckpt.<n>.base`, verified by its SHA-256), so a `.partial`
    /// left unreadable or damaged by a kill (or by anything else) does not
    /// matter; if that copy is missing or damaged, the `.partial` itself is
    /// used when its rows match the checkpoint's digests. When neither can be
    /// trusted the resume is refused, deleting nothing.
    ///
    /// A run whose `finish` had already renamed its output (and was stopped
    /// before removing the checkpoint) is cleaned up and reported as
    /// [`OutputError::AlreadyFinished`].
    pub fn resume(path: &Path) -> Result<(Self, CheckpointState)> {
        let paths = RunPaths::new(path);
        let lock = RunLock::acquire(&paths.lock)?;
        if !paths.checkpoint.exists() {
            if !paths.partial.exists() && finished_output(&paths.output, None) {
                // finish was stopped after removing the checkpoint: clean up.
                for stale in paths.leftovers() {
                    std::fs::remove_file(&stale).map_err(io_err(&stale))?;
                }
                lock.release();
                return Err(OutputError::AlreadyFinished { path: paths.output });
            }
            return Err(OutputError::NoCheckpoint {
                path: paths.partial.clone(),
                checkpoint: paths.checkpoint.clone(),
            });
        }
        let ck = CheckpointFile::read(&paths.checkpoint)?;
        if !paths.partial.exists() && finished_output(&paths.output, Some(&ck.run_id)) {
            // finish renamed the output, then was stopped: only cleaning up is left.
            for stale in paths.leftovers() {
                std::fs::remove_file(&stale).map_err(io_err(&stale))?;
            }
            sync_parent_dir(&paths.checkpoint)?;
            lock.release();
            return Err(OutputError::AlreadyFinished { path: paths.output });
        }
        let file = paths.partial.clone();
        let mut notes = Vec::new();
        let base = base_path(&paths, &ck);
        let restored = match base.as_deref().map(|b| (b, file_digest(b))) {
            Some((b, Ok((len, sha)))) if len == ck.base_len && sha == ck.base_sha256 => {
                let tmp = RunPaths::temporary(&file);
                copy_durably(b, &tmp)?;
                rename_durably(&tmp, &file)?;
                true
            }
            Some((b, Ok(_))) => {
                notes.push(format!(
                    "the checkpoint's copy {} does not match its sha256",
                    b.display()
                ));
                false
            }
            Some((b, Err(e))) => {
                notes.push(format!("the checkpoint's copy {}: {e}", b.display()));
                false
            }
            None => {
                notes.push("the checkpoint has no copy of the run file".into());
                false
            }
        };
        if !restored && !file.exists() {
            return Err(OutputError::Damaged {
                path: file.clone(),
                objects: vec!["the run file (missing)".into()],
                detail: notes.join("; "),
            });
        }
        let hashers = match check_run_file(&file, &ck) {
            Ok(h) => h,
            Err(OutputError::Damaged {
                path,
                objects,
                detail,
            }) => {
                notes.push(detail);
                return Err(OutputError::Damaged {
                    path,
                    objects,
                    detail: notes.join("; "),
                });
            }
            Err(e) => return Err(e),
        };
        let h5 = backend_call(&file, "opening the run file to resume", || {
            H5File::open_rw(&file)
        })?;
        let mut streams = Vec::with_capacity(ck.streams.len());
        for (rec, (hasher, codes)) in ck.streams.iter().zip(hashers) {
            let mut s = StreamedDataset {
                path: rec.path.clone(),
                item_shape: rec.item_shape.clone(),
                chunk_rows: rec.chunk_rows,
                rows_on_disk: rec.rows_on_disk,
                pending: rec.pending.clone(),
                handle: None,
                hasher,
                codes,
            };
            s.open_handle(&file, &h5)?;
            let handle = s.handle.as_ref().expect("just opened");
            let shape = handle.shape();
            let on_disk = shape.first().copied().unwrap_or(0) as u64;
            if on_disk > rec.rows_on_disk {
                // Rows written after the checkpoint: drop them (whole chunks).
                let mut dims = vec![rec.rows_on_disk as usize];
                dims.extend_from_slice(&rec.item_shape);
                backend_call(&file, "truncating to the checkpoint", || {
                    handle.set_extent(&dims)
                })?;
            }
            streams.push(s);
        }
        let groups = ck
            .series
            .iter()
            .flat_map(|d| {
                let parts: Vec<&str> = d.group.split('/').collect();
                (1..=parts.len()).map(move |n| parts[..n].join("/"))
            })
            .chain(
                ck.statics
                    .iter()
                    .filter_map(|p| p.rsplit_once('/').map(|(g, _)| g.to_string())),
            )
            .chain(std::iter::once("events".to_string()))
            .collect();
        let run = Self {
            paths,
            h5: Some(h5),
            options: CreateOptions::default(),
            streams,
            series: ck.series,
            groups,
            statics: ck.statics,
            events: ck.events,
            checkpoints: ck.sequence,
            prior_wall_s: ck.wall_time_s,
            session_start: Instant::now(),
            resumed: true,
            run_id: ck.run_id,
            lock: Some(lock),
            item_scales: Default::default(),
        };
        Ok((run, ck.state))
    }

    /// The paths of this run.
    pub fn paths(&self) -> &RunPaths {
        &self.paths
    }

    /// Whether this writer came from [`resume`](Self::resume).
    pub fn is_resumed(&self) -> bool {
        self.resumed
    }

    /// Declare (or, after a resume, look up) a time series: group `group` with
    /// one 1-D f64 dataset per column. The usual first column is `t` in s.
    pub fn time_series(&mut self, group: &str, columns: &[Column]) -> Result<TimeSeries> {
        check_group_path(group)?;
        let index = self.declare(group, SeriesKind::TimeSeries, columns, &[])?;
        Ok(TimeSeries {
            index,
            n_columns: columns.len(),
        })
    }

    /// Declare (or look up) a snapshot series: group `group` with a 1-D `t`
    /// (s) and one `[t, item_shape...]` dataset per field.
    pub fn snapshots(
        &mut self,
        group: &str,
        item_shape: &[usize],
        fields: &[Column],
    ) -> Result<Snapshots> {
        check_group_path(group)?;
        if item_shape.is_empty() || item_shape.contains(&0) {
            return Err(OutputError::Mismatch {
                object: format!("/{group}"),
                detail: format!(
                    "snapshot item shape {item_shape:?} must be non-empty without zeros"
                ),
            });
        }
        let index = self.declare(group, SeriesKind::Snapshots, fields, item_shape)?;
        Ok(Snapshots {
            index,
            n_fields: fields.len(),
            item_len: item_shape.iter().product(),
        })
    }

    /// [`snapshots`](Self::snapshots) with a name for each item axis, e.g.
    /// `&[("node", k), ("component", 2)]`: each becomes an index dataset
    /// `<group>/<name>` (int32 `0..n`) marked as an HDF5 dimension scale and
    /// attached, with `t`, to every field (and to a fixed array of the item
    /// shape written later in the group, such as `nodes_ref`), so netCDF
    /// readers (xarray through h5netcdf) name every dimension.
    /// [`snapshots`](Self::snapshots) attaches only `t`.
    pub fn snapshots_with_axes(
        &mut self,
        group: &str,
        axes: &[(&str, usize)],
        fields: &[Column],
    ) -> Result<Snapshots> {
        check_group_path(group)?;
        let item_shape: Vec<usize> = axes.iter().map(|(_, n)| *n).collect();
        if item_shape.is_empty() || item_shape.contains(&0) {
            return Err(OutputError::Mismatch {
                object: format!("/{group}"),
                detail: format!(
                    "snapshot item shape {item_shape:?} must be non-empty without zeros"
                ),
            });
        }
        let names: Vec<String> = axes.iter().map(|(n, _)| n.to_string()).collect();
        let index = self.declare_with_chunk(
            group,
            SeriesKind::Snapshots,
            fields,
            &item_shape,
            None,
            &names,
        )?;
        Ok(Snapshots {
            index,
            n_fields: fields.len(),
            item_len: item_shape.iter().product(),
        })
    }

    /// Append one row (one value per column, in declaration order).
    pub fn append_row(&mut self, ts: TimeSeries, row: &[f64]) -> Result<()> {
        self.append_rows(ts, row)
    }

    /// Append rows given row-major (`n_rows * n_columns` values).
    pub fn append_rows(&mut self, ts: TimeSeries, rows: &[f64]) -> Result<()> {
        let decl = &self.series[ts.index];
        let n = ts.n_columns;
        if !rows.len().is_multiple_of(n) {
            return Err(OutputError::Mismatch {
                object: format!("/{}", decl.group),
                detail: format!(
                    "{} values is not a whole number of rows of {n} columns",
                    rows.len()
                ),
            });
        }
        let file = self.paths.partial.clone();
        let n_rows = rows.len() / n;
        // Category codes first, so a bad value leaves no column a row ahead.
        for (c, &s) in decl.streams.iter().enumerate() {
            if let Some(codes) = &self.streams[s].codes {
                let column: Vec<f64> = rows.iter().skip(c).step_by(n).copied().collect();
                crate::streamed_dataset::to_codes(&self.streams[s].path, &column, codes)?;
            }
        }
        for (c, &s) in decl.streams.iter().enumerate() {
            let stream = &mut self.streams[s];
            if n_rows == 1 {
                stream.push(&file, &rows[c..c + 1])?;
            } else {
                let column: Vec<f64> = rows.iter().skip(c).step_by(n).copied().collect();
                stream.push(&file, &column)?;
            }
        }
        Ok(())
    }

    /// Append one snapshot at time `t` (s): one slice of `item_len` values per
    /// field, in declaration order.
    pub fn append_snapshot(&mut self, snaps: Snapshots, t: f64, fields: &[&[f64]]) -> Result<()> {
        let decl = &self.series[snaps.index];
        if fields.len() != snaps.n_fields || fields.iter().any(|f| f.len() != snaps.item_len) {
            return Err(OutputError::Mismatch {
                object: format!("/{}", decl.group),
                detail: format!(
                    "expected {} fields of {} values each",
                    snaps.n_fields, snaps.item_len
                ),
            });
        }
        let file = self.paths.partial.clone();
        let streams = decl.streams.clone();
        for (values, &s) in fields.iter().zip(&streams[1..]) {
            if let Some(codes) = &self.streams[s].codes {
                crate::streamed_dataset::to_codes(&self.streams[s].path, values, codes)?;
            }
        }
        self.streams[streams[0]].push(&file, &[t])?;
        for (values, &s) in fields.iter().zip(&streams[1..]) {
            self.streams[s].push(&file, values)?;
        }
        Ok(())
    }

    /// Write a fixed array (e.g. `/capsule/nodes_ref [n, 2]` in m) with its unit.
    /// After a resume, an array already written is left as it is.
    pub fn write_array(
        &mut self,
        path: &str,
        shape: &[usize],
        data: &[f64],
        column: &Column,
    ) -> Result<()> {
        let full = format!("{path}/{}", column.name);
        if self.statics.contains(&full) {
            if self.resumed {
                return Ok(());
            }
            return Err(OutputError::Mismatch {
                object: format!("/{full}"),
                detail: "written twice".into(),
            });
        }
        check_group_path(path)?;
        check_link_name(&column.name)?;
        if shape.iter().product::<usize>() != data.len() || data.is_empty() {
            return Err(OutputError::Mismatch {
                object: format!("/{full}"),
                detail: format!("{} values do not fill shape {shape:?}", data.len()),
            });
        }
        let file = self.paths.partial.clone();
        let h5 = open_file(&self.h5, &file)?;
        let group = ensure_group(&file, h5, &mut self.groups, path)?;
        let mut h = Sha256::new();
        let ds = if column.is_category() {
            let codes: Vec<i32> = column.categories.iter().map(|(c, _)| *c).collect();
            let ints = crate::streamed_dataset::to_codes(&full, data, &codes)?;
            for v in &ints {
                h.update(&v.to_le_bytes());
            }
            backend_call(&file, &format!("writing /{full}"), || {
                let ds = group
                    .new_dataset::<i32>()
                    .shape(shape)
                    .create(&column.name)?;
                ds.write_raw(&ints)?;
                Ok(ds)
            })?
        } else {
            h.update_f64(data);
            write_shaped_f64(&file, &group, &column.name, shape, data)?
        };
        set_dataset_attr(&file, &ds, "units", &column.unit)?;
        set_dataset_attr(&file, &ds, "description", &column.description)?;
        set_category_attrs(&file, &ds, column)?;
        set_dataset_attr(&file, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
        if let Some((item_shape, scales)) = self.item_scales.get(path)
            && item_shape.as_slice() == shape
        {
            for (i, sc) in scales.iter().enumerate() {
                backend_call(&file, &format!("attaching scales to /{full}"), || {
                    ds.attach_scale(i, sc)
                })?;
            }
        }
        self.statics.push(full);
        Ok(())
    }

    /// Set a root attribute of the run's own (a string: a summary of results, say). The
    /// provenance and life-cycle attributes of SCHEMA.md are the writer's and are refused.
    /// Written at once; after a resume, set it again if it was set after the checkpoint.
    pub fn set_attribute(&mut self, name: &str, value: &str) -> Result<()> {
        if ROOT_ATTRIBUTES.contains(&name) {
            return Err(OutputError::Mismatch {
                object: format!("root attribute `{name}`"),
                detail: "written by the run file itself".into(),
            });
        }
        check_link_name(name)?;
        let file = self.paths.partial.clone();
        let h5 = open_file(&self.h5, &file)?;
        backend_call(&file, "writing a root attribute", || {
            h5.set_attr_string(name, value)
        })
    }

    /// Record an event; events are kept with the checkpoint and written to
    /// `/events` by [`finish`](Self::finish).
    pub fn record_event(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Rows written to a time series so far (on disk or buffered).
    pub fn rows(&self, ts: TimeSeries) -> u64 {
        self.streams[self.series[ts.index].streams[0]].total_rows()
    }

    /// Snapshots written to a snapshot series so far.
    pub fn snapshot_count(&self, snaps: Snapshots) -> u64 {
        self.streams[self.series[snaps.index].streams[0]].total_rows()
    }

    /// Checkpoints written so far (across resumes).
    pub fn checkpoints(&self) -> u64 {
        self.checkpoints
    }

    /// Make the run resumable from here and its file readable up to here.
    ///
    /// 1. close the run file (the backend writes every header and the
    ///    superblock, then fsyncs): a complete HDF5 file holding every whole
    ///    chunk written so far;
    /// 2. copy it to `out.h5.ckpt.<n>.base` (fsync) and take its SHA-256;
    /// 3. write the solver `state`, the row counts and digests, the tail rows
    ///    that do not fill a chunk yet, the events and the copy's name and
    ///    digest to `out.h5.ckpt.tmp` (every dataset with its `sha256`, the
    ///    whole under `state_sha256`), fsync, rename over `out.h5.ckpt`
    ///    (the commit point), fsync the directory;
    /// 4. remove the previous copy and reopen the run file for appending.
    ///
    /// On an error (a full disk, say) before the commit, the temporaries are
    /// removed and the previous checkpoint stays the last good one.
    pub fn checkpoint(&mut self, state: &CheckpointState) -> Result<()> {
        state.validate()?;
        let file = self.paths.partial.clone();
        fault::point("checkpoint:begin", &file)?;
        self.close_h5()?;
        fault::point("checkpoint:closed", &file)?;
        let sequence = self.checkpoints + 1;
        let base = self.paths.base(sequence);
        let tmp = RunPaths::temporary(&self.paths.checkpoint);
        let committed = self.write_checkpoint(state, sequence, &base, &tmp);
        if let Err(e) = committed {
            // Keep the last good checkpoint; leave no half-written file behind.
            for t in [&base, &tmp] {
                if t.exists() {
                    let _ = std::fs::remove_file(t);
                }
            }
            let _ = sync_parent_dir(&tmp);
            let _ = self.reopen();
            return Err(e);
        }
        self.checkpoints = sequence;
        fault::point("checkpoint:committed", &self.paths.checkpoint)?;
        for old in self.paths.leftovers() {
            if old.to_string_lossy().ends_with(".base") && old != base {
                std::fs::remove_file(&old).map_err(io_err(&old))?;
            }
        }
        sync_parent_dir(&base)?;
        fault::point("checkpoint:cleaned", &file)?;
        self.reopen()?;
        fault::point("checkpoint:reopened", &file)?;
        Ok(())
    }

    fn write_checkpoint(
        &self,
        state: &CheckpointState,
        sequence: u64,
        base: &Path,
        tmp: &Path,
    ) -> Result<()> {
        let (base_len, base_sha256) = copy_durably(&self.paths.partial, base)?;
        fault::point("checkpoint:base-written", base)?;
        let record = CheckpointFile {
            sequence,
            wall_time_s: self.wall_time_s(),
            state: state.clone(),
            streams: self
                .streams
                .iter()
                .map(|s| StreamRecord {
                    path: s.path.clone(),
                    item_shape: s.item_shape.clone(),
                    chunk_rows: s.chunk_rows,
                    rows_on_disk: s.rows_on_disk,
                    pending: s.pending.clone(),
                    rows_sha256: s.hasher.hex_so_far(),
                })
                .collect(),
            series: self.series.clone(),
            statics: self.statics.clone(),
            events: self.events.clone(),
            run_id: self.run_id.clone(),
            base_file: file_name(base),
            base_len,
            base_sha256,
        };
        record.write(tmp, &file_name(&self.paths.output))?;
        fault::point("checkpoint:sidecar-written", tmp)?;
        rename_durably(tmp, &self.paths.checkpoint)
    }

    fn reopen(&mut self) -> Result<()> {
        let file = self.paths.partial.clone();
        let h5 = backend_call(&file, "reopening the run file", || H5File::open_rw(&file))?;
        for s in &mut self.streams {
            s.open_handle(&file, &h5)?;
        }
        self.h5 = Some(h5);
        Ok(())
    }

    /// Write everything buffered and the events, mark the file complete with
    /// its wall time and checksums, close it, reopen it read-only and verify
    /// every checksum, rename it to the output path, and only then remove the
    /// checkpoint (and its copy of the run file). Returns the output path.
    ///
    /// A kill at any point leaves a run `resume` continues: before the rename
    /// the checkpoint and its copy are untouched (the `.partial` may be
    /// half-written; resume rebuilds it from the copy), after it the output is
    /// complete and resume only cleans up.
    pub fn finish(mut self) -> Result<PathBuf> {
        let file = self.paths.partial.clone();
        fault::point("finish:begin", &file)?;
        // Events become rows of the /events columns.
        let events = std::mem::take(&mut self.events);
        if !events.is_empty() {
            let decl = self.series.iter().find(|d| d.group == "events").cloned();
            if let Some(decl) = decl {
                let t: Vec<f64> = events.iter().map(|e| e.t).collect();
                let v: Vec<f64> = events.iter().map(|e| e.value).collect();
                self.streams[decl.streams[0]].push(&file, &t)?;
                self.streams[decl.streams[1]].push(&file, &v)?;
            }
        }
        for s in &mut self.streams {
            s.flush_all(&file)?;
        }
        for s in &self.streams {
            let handle = s.handle.as_ref().ok_or_else(|| OutputError::Mismatch {
                object: s.path.clone(),
                detail: "dataset is not open for writing".into(),
            })?;
            set_dataset_attr(&file, handle, CHECKSUM_ATTR, &s.hasher.hex_so_far())?;
        }
        let wall = self.wall_time_s();
        let h5 = open_file(&self.h5, &file)?;
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        if !kinds.is_empty() {
            backend_call(&file, "writing /events/kind", || {
                h5.append_vlen_strings("events/kind", &kinds)
            })?;
        }
        let mut kind_hash = Sha256::new();
        hash_strings(&mut kind_hash, &kinds);
        let kind_ds = backend_call(&file, "opening /events/kind", || {
            h5.dataset_writer("events/kind")
        })?;
        set_dataset_attr(&file, &kind_ds, CHECKSUM_ATTR, &kind_hash.hex_so_far())?;
        drop(kind_ds);
        let checkpoints = self.checkpoints.to_string();
        backend_call(&file, "marking the run complete", || {
            h5.set_attr_string("wall_time_s", &format!("{wall:.6}"))?;
            h5.set_attr_string("checkpoints", &checkpoints)?;
            h5.set_attr_string("complete", "true")
        })?;
        fault::point("finish:written", &file)?;
        self.close_h5()?;
        fault::point("finish:closed", &file)?;
        seal_attributes(&file)?;
        let report = verify(&file)?;
        if !report.unchecked.is_empty() {
            return Err(OutputError::Damaged {
                path: file.clone(),
                objects: report.unchecked.clone(),
                detail: "written without a checksum".into(),
            });
        }
        report.into_result()?;
        fault::point("finish:verified", &file)?;
        if self.paths.output.exists() && !self.options.force && !self.resumed {
            return Err(OutputError::Exists {
                path: self.paths.output.clone(),
            });
        }
        rename_durably(&file, &self.paths.output)?;
        fault::point("finish:renamed", &self.paths.output)?;
        if self.paths.checkpoint.exists() {
            std::fs::remove_file(&self.paths.checkpoint).map_err(io_err(&self.paths.checkpoint))?;
            sync_parent_dir(&self.paths.checkpoint)?;
        }
        fault::point("finish:checkpoint-removed", &self.paths.output)?;
        for stale in self.paths.leftovers() {
            std::fs::remove_file(&stale).map_err(io_err(&stale))?;
        }
        sync_parent_dir(&self.paths.output)?;
        if let Some(lock) = self.lock.take() {
            lock.release();
        }
        fault::point("finish:done", &self.paths.output)?;
        Ok(self.paths.output.clone())
    }

    /// The `run_id` root attribute of this run.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// Wall time of the run so far, s (earlier sessions included).
    pub fn wall_time_s(&self) -> f64 {
        self.prior_wall_s + self.session_start.elapsed().as_secs_f64()
    }

    fn close_h5(&mut self) -> Result<()> {
        for s in &mut self.streams {
            s.handle = None;
        }
        self.item_scales.clear();
        if let Some(h5) = self.h5.take() {
            backend_call(&self.paths.partial, "closing the run file", || h5.close())?;
        }
        Ok(())
    }

    fn declare_events(&mut self) -> Result<()> {
        let file = self.paths.partial.clone();
        let columns = [
            Column::new("t", "s", "time of the event"),
            Column::new(
                "value",
                "SI (per kind, see SCHEMA.md)",
                "value of the event",
            ),
        ];
        let index = self.declare_with_chunk(
            "events",
            SeriesKind::TimeSeries,
            &columns,
            &[],
            Some(EVENT_CHUNK_ROWS),
            &[],
        )?;
        let h5 = open_file(&self.h5, &file)?;
        let group = backend_call(&file, "opening /events", || h5.root_group().group("events"))?;
        let ds = backend_call(&file, "creating /events/kind", || {
            group.create_appendable_vlen_dataset("kind", EVENT_CHUNK_ROWS, None)
        })?;
        set_dataset_attr(&file, &ds, "units", "")?;
        set_dataset_attr(
            &file,
            &ds,
            "description",
            "kind of the event (UTF-8 string)",
        )?;
        let t = self.streams[self.series[index].streams[0]].handle.as_ref();
        if let Some(t) = t {
            backend_call(&file, "attaching /events/t to /events/kind", || {
                ds.attach_scale(0, t)
            })?;
        }
        Ok(())
    }

    fn declare(
        &mut self,
        group: &str,
        kind: SeriesKind,
        columns: &[Column],
        item_shape: &[usize],
    ) -> Result<usize> {
        self.declare_with_chunk(group, kind, columns, item_shape, None, &[])
    }

    fn declare_with_chunk(
        &mut self,
        group: &str,
        kind: SeriesKind,
        columns: &[Column],
        item_shape: &[usize],
        chunk_rows: Option<usize>,
        axis_names: &[String],
    ) -> Result<usize> {
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        if let Some(i) = self.series.iter().position(|d| d.group == group) {
            let d = &self.series[i];
            if d.kind == kind && d.names == names && d.item_shape == item_shape {
                return Ok(i);
            }
            return Err(OutputError::Mismatch {
                object: format!("/{group}"),
                detail: format!(
                    "declared as {} {:?} {:?}, now as {} {names:?} {item_shape:?}",
                    d.kind.as_str(),
                    d.names,
                    d.item_shape,
                    kind.as_str()
                ),
            });
        }
        if columns.is_empty() {
            return Err(OutputError::Mismatch {
                object: format!("/{group}"),
                detail: "no columns".into(),
            });
        }
        let mut seen = BTreeSet::new();
        for c in columns {
            check_link_name(&c.name)?;
            if !seen.insert(c.name.as_str()) || (kind == SeriesKind::Snapshots && c.name == "t") {
                return Err(OutputError::InvalidName {
                    name: c.name.clone(),
                    reason: format!("duplicate or reserved name in /{group}"),
                });
            }
        }
        let file = self.paths.partial.clone();
        let h5 = open_file(&self.h5, &file)?;
        let g = ensure_group(&file, h5, &mut self.groups, group)?;
        let item_len: usize = item_shape.iter().product::<usize>().max(1);
        let chunk_rows = chunk_rows.unwrap_or(match kind {
            SeriesKind::TimeSeries => self.options.series_chunk_rows,
            SeriesKind::Snapshots => (self.options.snapshot_chunk_bytes / (8 * item_len)).max(1),
        });
        let level = self.options.deflate_level;
        backend_call(&file, &format!("writing attributes of /{group}"), || {
            g.set_attr_string("kind", kind.as_str())?;
            g.set_attr_string(
                match kind {
                    SeriesKind::TimeSeries => "columns",
                    SeriesKind::Snapshots => "fields",
                },
                &names.join(","),
            )?;
            g.set_attr_string("item_shape", &shape_to_string(item_shape))
        })?;
        let mut streams = Vec::new();
        if kind == SeriesKind::Snapshots {
            let t = Column::new("t", "s", "time of the snapshot");
            // Same rows per chunk as the fields, so `t` and the fields reach
            // the file together and a killed run has times for its snapshots.
            streams.push(self.create_stream(&g, group, &t, &[], chunk_rows, level)?);
        }
        for c in columns {
            streams.push(self.create_stream(&g, group, c, item_shape, chunk_rows, level)?);
        }
        self.attach_scales(&g, group, kind, &streams, item_shape, axis_names, &names)?;
        self.series.push(SeriesDecl {
            group: group.to_string(),
            kind,
            names,
            item_shape: item_shape.to_vec(),
            streams,
        });
        Ok(self.series.len() - 1)
    }

    /// Dimension scales (HDF5 `DIMENSION_SCALE`, netCDF-4 coordinates): `t`
    /// of a snapshot series, or the first column `t` of a time series, on
    /// axis 0 of every other dataset of the group; and for the item axes of a
    /// snapshot series an index dataset per axis.
    #[allow(clippy::too_many_arguments)]
    fn attach_scales(
        &mut self,
        g: &H5Group,
        group: &str,
        kind: SeriesKind,
        streams: &[usize],
        item_shape: &[usize],
        axis_names: &[String],
        names: &[String],
    ) -> Result<()> {
        let file = self.paths.partial.clone();
        let first = &self.streams[streams[0]];
        let time_first = kind == SeriesKind::Snapshots || first.path.ends_with("/t");
        if time_first && let Some(t) = first.handle.as_ref() {
            backend_call(
                &file,
                &format!("making /{group}/t a dimension scale"),
                || t.set_scale(Some("t")),
            )?;
            for &s in &streams[1..] {
                if let Some(h) = self.streams[s].handle.as_ref() {
                    backend_call(&file, &format!("attaching /{group}/t"), || {
                        h.attach_scale(0, t)
                    })?;
                }
            }
        }
        let mut scales = Vec::new();
        for (i, name) in axis_names.iter().enumerate() {
            check_link_name(name)?;
            if name == "t" || names.contains(name) || axis_names[..i].contains(name) {
                return Err(OutputError::InvalidName {
                    name: name.clone(),
                    reason: format!("axis name clashes with a field of /{group}"),
                });
            }
            let n = item_shape[i];
            let index: Vec<i32> = (0..n as i32).collect();
            let path = format!("{group}/{name}");
            let ds = backend_call(&file, &format!("writing /{path}"), || {
                let ds = g.new_dataset::<i32>().shape([n]).create(name)?;
                ds.write_raw(&index)?;
                ds.set_scale(Some(name))?;
                Ok(ds)
            })?;
            set_dataset_attr(&file, &ds, "units", "")?;
            set_dataset_attr(
                &file,
                &ds,
                "description",
                &format!("index along item axis {} of the fields of /{group}", i + 1),
            )?;
            let mut h = Sha256::new();
            for v in &index {
                h.update(&v.to_le_bytes());
            }
            set_dataset_attr(&file, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
            for &s in &streams[1..] {
                if let Some(f) = self.streams[s].handle.as_ref() {
                    backend_call(&file, &format!("attaching /{path}"), || {
                        f.attach_scale(i + 1, &ds)
                    })?;
                }
            }
            self.statics.push(path);
            scales.push(ds);
        }
        if !scales.is_empty() {
            self.item_scales
                .insert(group.to_string(), (item_shape.to_vec(), scales));
        }
        Ok(())
    }

    fn create_stream(
        &mut self,
        g: &H5Group,
        group: &str,
        column: &Column,
        item_shape: &[usize],
        chunk_rows: usize,
        level: u32,
    ) -> Result<usize> {
        let file = self.paths.partial.clone();
        let mut shape = vec![0usize];
        shape.extend_from_slice(item_shape);
        let mut chunk = vec![chunk_rows];
        chunk.extend_from_slice(item_shape);
        let mut max: Vec<Option<usize>> = vec![None];
        max.extend(item_shape.iter().map(|&d| Some(d)));
        let path = format!("{group}/{}", column.name);
        let ds = backend_call(&file, &format!("creating /{path}"), || {
            if column.is_category() {
                let b = g
                    .new_dataset::<i32>()
                    .shape(&shape)
                    .chunk(&chunk)
                    .max_shape(&max);
                let b = if level > 0 {
                    b.shuffle_deflate(level)
                } else {
                    b
                };
                return b.create(&column.name);
            }
            let b = g
                .new_dataset::<f64>()
                .shape(&shape)
                .chunk(&chunk)
                .max_shape(&max);
            let b = if level > 0 {
                b.shuffle_deflate(level)
            } else {
                b
            };
            b.create(&column.name)
        })?;
        set_dataset_attr(&file, &ds, "units", &column.unit)?;
        set_dataset_attr(&file, &ds, "description", &column.description)?;
        set_category_attrs(&file, &ds, column)?;
        self.streams.push(StreamedDataset {
            path,
            item_shape: item_shape.to_vec(),
            chunk_rows,
            rows_on_disk: 0,
            pending: Vec::new(),
            handle: Some(ds),
            hasher: Sha256::new(),
            codes: column
                .is_category()
                .then(|| column.categories.iter().map(|(c, _)| *c).collect()),
        });
        Ok(self.streams.len() - 1)
    }
}

/// The open run file, or an error naming it once a failed checkpoint left it closed.
fn open_file<'a>(h5: &'a Option<H5File>, file: &Path) -> Result<&'a H5File> {
    h5.as_ref().ok_or_else(|| OutputError::Mismatch {
        object: file.display().to_string(),
        detail: "the run file is closed (a checkpoint failed); resume from the last checkpoint"
            .into(),
    })
}

/// A fresh run id: 32 hex digits of SHA-256 over the time, the process and a counter.
fn new_run_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let mut h = Sha256::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.update(&now.to_le_bytes());
    h.update(&std::process::id().to_le_bytes());
    h.update(&N.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    h.update(format!("{:p}", &N).as_bytes());
    h.hex_so_far()[..32].to_string()
}

/// The file name of a path, as text.
fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// The checkpoint's copy of the run file, next to the run file (a bare file
/// name in the verified sidecar; anything else is not trusted).
fn base_path(paths: &RunPaths, ck: &CheckpointFile) -> Option<PathBuf> {
    if ck.base_file.is_empty() || ck.base_file.contains('/') || ck.base_file.contains('\\') {
        return None;
    }
    Some(match paths.partial.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.join(&ck.base_file),
        _ => PathBuf::from(&ck.base_file),
    })
}

/// Copy `from` to `to` (created anew), fsync it, and return its length and
/// SHA-256 as read back from `to`.
pub(crate) fn copy_durably(from: &Path, to: &Path) -> Result<(u64, String)> {
    if to.exists() {
        std::fs::remove_file(to).map_err(io_err(to))?;
    }
    std::fs::copy(from, to).map_err(io_err(to))?;
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(io_err(to))?;
    sync_parent_dir(to)?;
    file_digest(to)
}

/// Whether `output` is a finished run (of `run_id`, when given) whose
/// checksums all match.
fn finished_output(output: &Path, run_id: Option<&str>) -> bool {
    if !output.exists() {
        return false;
    }
    let Ok(h5) = backend_call(output, "opening", || H5File::open(output)) else {
        return false;
    };
    let r = ReadAccess {
        file: output,
        h5: &h5,
    };
    let attr = |n: &str| r.group_attr("", n).ok().flatten();
    if attr("complete").as_deref() != Some("true") {
        return false;
    }
    if let Some(id) = run_id
        && attr("run_id").as_deref() != Some(id)
    {
        return false;
    }
    drop(h5);
    verify(output).is_ok_and(|r| r.is_intact())
}

/// Check the run file against a verified checkpoint (read-only): it is of the
/// same run, and the rows of every stream it holds up to the checkpoint and
/// every fixed array match their digests. Returns the running hash of each
/// stream's rows and, for a category dataset, its codes (in the checkpoint's
/// stream order).
fn check_run_file(file: &Path, ck: &CheckpointFile) -> Result<Vec<(Sha256, Option<Vec<i32>>)>> {
    let damaged = |objects: Vec<String>, detail: String| OutputError::Damaged {
        path: file.to_path_buf(),
        objects,
        detail,
    };
    crate::file_probe::FileProbe::check(file)
        .map_err(|e| damaged(vec!["file structure".into()], e.to_string()))?;
    let h5 = backend_call(file, "opening the run file to check it", || {
        H5File::open(file)
    })
    .map_err(|e| damaged(vec!["file structure".into()], e.to_string()))?;
    let r = ReadAccess { file, h5: &h5 };
    let run_id = r
        .group_attr("", "run_id")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !ck.run_id.is_empty() && run_id != ck.run_id {
        return Err(damaged(
            vec!["root attribute run_id".into()],
            format!(
                "the run file is of run {run_id:?}, the checkpoint of run {:?}",
                ck.run_id
            ),
        ));
    }
    let mut bad = Vec::new();
    let mut hashers = Vec::with_capacity(ck.streams.len());
    for rec in &ck.streams {
        let object = format!("/{}", rec.path);
        let ok_shape = r.shape(&rec.path).is_ok_and(|s| {
            !s.is_empty() && s[0] as u64 >= rec.rows_on_disk && s[1..] == rec.item_shape[..]
        });
        if !ok_shape {
            bad.push(object);
            hashers.push((Sha256::new(), None));
            continue;
        }
        let codes = match r.categories(&rec.path) {
            Ok(c) => c.map(|c| c.into_iter().map(|(code, _)| code).collect()),
            Err(_) => {
                bad.push(object);
                hashers.push((Sha256::new(), None));
                continue;
            }
        };
        match dataset_hasher(&r, &rec.path, Some(rec.rows_on_disk)) {
            Ok(h) if h.hex_so_far() == rec.rows_sha256 => hashers.push((h, codes)),
            _ => {
                bad.push(object);
                hashers.push((Sha256::new(), None));
            }
        }
    }
    for p in &ck.statics {
        let ok = match r.dataset_attr(p, CHECKSUM_ATTR) {
            Ok(Some(want)) => dataset_digest(&r, p, None).is_ok_and(|got| got == want),
            Ok(None) => r.dataset(p).is_ok(),
            Err(_) => false,
        };
        if !ok {
            bad.push(format!("/{p}"));
        }
    }
    if !bad.is_empty() {
        return Err(damaged(
            bad,
            "the run file does not match the checkpoint's digests".into(),
        ));
    }
    Ok(hashers)
}

/// Write `attrs_sha256` (the digest of every other attribute, read back from
/// the closed file) into `file`.
pub(crate) fn seal_attributes(file: &Path) -> Result<()> {
    let digest = {
        let h5 = backend_call(file, "opening to seal the attributes", || {
            H5File::open(file)
        })?;
        attrs_digest(&ReadAccess { file, h5: &h5 })?
    };
    let h5 = backend_call(file, "opening to seal the attributes", || {
        H5File::open_rw(file)
    })?;
    backend_call(file, "writing attrs_sha256", || {
        h5.set_attr_string(ATTRS_DIGEST_ATTR, &digest)
    })?;
    backend_call(file, "closing", || h5.close())
}

/// `flag_values` and `flag_meanings` of a category dataset (nothing for another).
fn set_category_attrs(file: &Path, ds: &rust_hdf5::H5Dataset, column: &Column) -> Result<()> {
    if !column.is_category() {
        return Ok(());
    }
    if column
        .categories
        .iter()
        .any(|(_, n)| n.is_empty() || n.contains(char::is_whitespace))
    {
        return Err(OutputError::Mismatch {
            object: column.name.clone(),
            detail: "category names must be non-empty and without spaces (CF flag_meanings)".into(),
        });
    }
    let codes: Vec<i32> = column.categories.iter().map(|(c, _)| *c).collect();
    backend_call(file, "writing flag_values", || {
        ds.new_attr::<i32>()
            .shape([codes.len()])
            .create("flag_values")?
            .write_array(&codes)
    })?;
    set_dataset_attr(file, ds, "flag_meanings", &column.flag_meanings())
}
