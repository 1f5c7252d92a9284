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
use crate::file_probe::FileProbe;
use crate::h5_access::{ensure_group, set_dataset_attr, write_shaped_f64};
use crate::names::{check_group_path, check_link_name};
use crate::output_error::{OutputError, Result};
use crate::provenance::Provenance;
use crate::run_paths::RunPaths;
use crate::series_decl::{SeriesDecl, SeriesKind, shape_to_string};
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
const ROOT_ATTRIBUTES: [&str; 13] = [
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
        for stale in [&paths.partial, &paths.checkpoint] {
            if stale.exists() {
                std::fs::remove_file(stale).map_err(io_err(stale))?;
            }
        }
        if options.series_chunk_rows == 0
            || options.snapshot_chunk_bytes == 0
            || options.deflate_level > 9
        {
            return Err(OutputError::Mismatch {
                object: "CreateOptions".into(),
                detail: "chunk sizes must be positive and deflate_level at most 9".into(),
            });
        }
        let file = paths.partial.clone();
        let h5 = backend_call(&file, "creating the run file", || H5File::create(&file))?;
        let attrs: [(&str, String); ROOT_ATTRIBUTES.len()] = [
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
        };
        run.declare_events()?;
        Ok(run)
    }

    /// Continue an unfinished run from its last checkpoint. `path` is the
    /// output path (or its `.partial`/`.ckpt`). Returns the writer, positioned
    /// exactly at the checkpoint (rows written after it are dropped), and the
    /// solver state saved there.
    pub fn resume(path: &Path) -> Result<(Self, CheckpointState)> {
        let paths = RunPaths::new(path);
        if !paths.checkpoint.exists() || !paths.partial.exists() {
            return Err(OutputError::NoCheckpoint {
                path: paths.partial.clone(),
                checkpoint: paths.checkpoint.clone(),
            });
        }
        let ck = CheckpointFile::read(&paths.checkpoint)?;
        let file = paths.partial.clone();
        FileProbe::check(&file)?;
        let h5 = backend_call(&file, "opening the run file to resume", || {
            H5File::open_rw(&file)
        })?;
        let mut streams = Vec::with_capacity(ck.streams.len());
        for rec in &ck.streams {
            let mut s = StreamedDataset {
                path: rec.path.clone(),
                item_shape: rec.item_shape.clone(),
                chunk_rows: rec.chunk_rows,
                rows_on_disk: rec.rows_on_disk,
                pending: rec.pending.clone(),
                handle: None,
            };
            s.open_handle(&file, &h5)?;
            let handle = s.handle.as_ref().expect("just opened");
            let shape = handle.shape();
            let on_disk = shape.first().copied().unwrap_or(0) as u64;
            if on_disk < rec.rows_on_disk || shape[1..] != rec.item_shape[..] {
                return Err(OutputError::Shape {
                    path: file.clone(),
                    object: format!("/{}", rec.path),
                    expected: format!(
                        "at least {} rows of {:?} (the checkpoint)",
                        rec.rows_on_disk, rec.item_shape
                    ),
                    found: shape,
                });
            }
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
        let h5 = self.h5.as_ref().expect("open while the run lives");
        let group = ensure_group(&file, h5, &mut self.groups, path)?;
        let ds = write_shaped_f64(&file, &group, &column.name, shape, data)?;
        set_dataset_attr(&file, &ds, "units", &column.unit)?;
        set_dataset_attr(&file, &ds, "description", &column.description)?;
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
        let h5 = self.h5.as_ref().expect("open while the run lives");
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
    /// 2. write the solver `state`, the row counts, the tail rows that do not
    ///    fill a chunk yet and the events to `out.h5.ckpt.tmp`, fsync, rename
    ///    over `out.h5.ckpt`;
    /// 3. reopen the run file for appending.
    pub fn checkpoint(&mut self, state: &CheckpointState) -> Result<()> {
        state.validate()?;
        let file = self.paths.partial.clone();
        self.close_h5()?;
        let record = CheckpointFile {
            sequence: self.checkpoints + 1,
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
                })
                .collect(),
            series: self.series.clone(),
            statics: self.statics.clone(),
            events: self.events.clone(),
        };
        let output_name = self
            .paths
            .output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        record.write_atomically(&self.paths.checkpoint, &output_name)?;
        self.checkpoints += 1;
        let h5 = backend_call(&file, "reopening the run file", || H5File::open_rw(&file))?;
        for s in &mut self.streams {
            s.open_handle(&file, &h5)?;
        }
        self.h5 = Some(h5);
        Ok(())
    }

    /// Write everything buffered and the events, mark the file complete with
    /// its wall time, close it and rename it to the output path; remove the
    /// checkpoint. Returns the output path.
    pub fn finish(mut self) -> Result<PathBuf> {
        let file = self.paths.partial.clone();
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
        let wall = self.wall_time_s();
        let h5 = self.h5.as_ref().expect("open while the run lives");
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        if !kinds.is_empty() {
            backend_call(&file, "writing /events/kind", || {
                h5.append_vlen_strings("events/kind", &kinds)
            })?;
        }
        let checkpoints = self.checkpoints.to_string();
        backend_call(&file, "marking the run complete", || {
            h5.set_attr_string("wall_time_s", &format!("{wall:.6}"))?;
            h5.set_attr_string("checkpoints", &checkpoints)?;
            h5.set_attr_string("complete", "true")
        })?;
        self.close_h5()?;
        if self.paths.output.exists() && !self.options.force && !self.resumed {
            return Err(OutputError::Exists {
                path: self.paths.output.clone(),
            });
        }
        rename_durably(&file, &self.paths.output)?;
        if self.paths.checkpoint.exists() {
            std::fs::remove_file(&self.paths.checkpoint).map_err(io_err(&self.paths.checkpoint))?;
            sync_parent_dir(&self.paths.checkpoint)?;
        }
        Ok(self.paths.output.clone())
    }

    /// Wall time of the run so far, s (earlier sessions included).
    pub fn wall_time_s(&self) -> f64 {
        self.prior_wall_s + self.session_start.elapsed().as_secs_f64()
    }

    fn close_h5(&mut self) -> Result<()> {
        for s in &mut self.streams {
            s.handle = None;
        }
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
        self.declare_with_chunk(
            "events",
            SeriesKind::TimeSeries,
            &columns,
            &[],
            Some(EVENT_CHUNK_ROWS),
        )?;
        let h5 = self.h5.as_ref().expect("open while the run lives");
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
        Ok(())
    }

    fn declare(
        &mut self,
        group: &str,
        kind: SeriesKind,
        columns: &[Column],
        item_shape: &[usize],
    ) -> Result<usize> {
        self.declare_with_chunk(group, kind, columns, item_shape, None)
    }

    fn declare_with_chunk(
        &mut self,
        group: &str,
        kind: SeriesKind,
        columns: &[Column],
        item_shape: &[usize],
        chunk_rows: Option<usize>,
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
        let h5 = self.h5.as_ref().expect("open while the run lives");
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
        self.series.push(SeriesDecl {
            group: group.to_string(),
            kind,
            names,
            item_shape: item_shape.to_vec(),
            streams,
        });
        Ok(self.series.len() - 1)
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
        self.streams.push(StreamedDataset {
            path,
            item_shape: item_shape.to_vec(),
            chunk_rows,
            rows_on_disk: 0,
            pending: Vec::new(),
            handle: Some(ds),
        });
        Ok(self.streams.len() - 1)
    }
}
