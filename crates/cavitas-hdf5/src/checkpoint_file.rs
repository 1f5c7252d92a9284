//! The checkpoint sidecar `out.h5.ckpt`: a small, complete HDF5 file written
//! to a temporary name and renamed into place, so at every instant the last
//! finished checkpoint is on disk whole (see SCHEMA.md, "Checkpoints").

use std::collections::BTreeSet;
use std::path::Path;

use rust_hdf5::H5File;

use crate::backend_call::backend_call;
use crate::checkpoint_state::CheckpointState;
use crate::event::Event;
use crate::file_probe::FileProbe;
use crate::h5_access::{
    ReadAccess, ensure_group, set_dataset_attr, write_f64, write_strings, write_u64,
};
use crate::integrity::{CHECKSUM_ATTR, dataset_digest, hash_strings};
use crate::output_error::{OutputError, Result};
use crate::series_decl::{SeriesDecl, SeriesKind, shape_from_string, shape_to_string};
use crate::sha256::Sha256;
use crate::{CHECKPOINT_FORMAT, SCHEMA_VERSION};
use rust_hdf5::{H5Dataset, H5Group};

/// The state of one streamed dataset at a checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StreamRecord {
    pub path: String,
    pub item_shape: Vec<usize>,
    pub chunk_rows: usize,
    /// Rows stored in the run file (whole chunks).
    pub rows_on_disk: u64,
    /// The tail rows not yet in the run file, row-major.
    pub pending: Vec<f64>,
    /// SHA-256 (hex) of the `rows_on_disk` rows in the run file (their f64
    /// little-endian bytes): what resume checks the run file against.
    pub rows_sha256: String,
}

/// Everything `--resume` needs, as stored in the sidecar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CheckpointFile {
    /// 1 for the first checkpoint of the run, counting across resumes.
    pub sequence: u64,
    /// Wall time of the run up to this checkpoint, s (all sessions).
    pub wall_time_s: f64,
    pub state: CheckpointState,
    pub streams: Vec<StreamRecord>,
    pub series: Vec<SeriesDecl>,
    pub statics: Vec<String>,
    pub events: Vec<Event>,
    /// `run_id` of the run (root attribute of its run file).
    pub run_id: String,
    /// File name (next to the run file) of the copy of the run file as it was
    /// at this checkpoint, its length in bytes and its SHA-256 (hex).
    pub base_file: String,
    pub base_len: u64,
    pub base_sha256: String,
}

/// The root attributes of a sidecar, all covered by `state_sha256`.
const SIDECAR_ATTRS: [&str; 5] = ["run_id", "base_file", "base_len", "base_sha256", "output"];

impl CheckpointFile {
    /// SHA-256 (hex) over everything the sidecar holds, in a fixed order: the
    /// checkpoint's identity (run id, base copy, output name), time, step,
    /// sequence, wall time, every state array (name, length, values), every
    /// stream (path, shape, chunk rows, rows on disk, their digest, pending
    /// rows), the series, the statics and the events. Stored as the root
    /// attribute `state_sha256` and checked before anything is resumed.
    pub fn state_digest(&self, output_name: &str) -> String {
        let mut h = Sha256::new();
        let text = |h: &mut Sha256, s: &str| {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        for v in [
            self.run_id.as_str(),
            self.base_file.as_str(),
            self.base_sha256.as_str(),
            output_name,
        ] {
            text(&mut h, v);
        }
        h.update_u64(&[self.base_len, self.state.step, self.sequence]);
        h.update_f64(&[self.state.t, self.wall_time_s]);
        h.update_u64(&[self.state.f64_arrays.len() as u64]);
        for (name, v) in &self.state.f64_arrays {
            text(&mut h, name);
            h.update_u64(&[v.len() as u64]);
            h.update_f64(v);
        }
        h.update_u64(&[self.state.u64_arrays.len() as u64]);
        for (name, v) in &self.state.u64_arrays {
            text(&mut h, name);
            h.update_u64(&[v.len() as u64]);
            h.update_u64(v);
        }
        h.update_u64(&[self.streams.len() as u64]);
        for s in &self.streams {
            text(&mut h, &s.path);
            text(&mut h, &shape_to_string(&s.item_shape));
            h.update_u64(&[s.chunk_rows as u64, s.rows_on_disk, s.pending.len() as u64]);
            text(&mut h, &s.rows_sha256);
            h.update_f64(&s.pending);
        }
        h.update_u64(&[self.series.len() as u64]);
        for d in &self.series {
            text(&mut h, &d.group);
            text(&mut h, d.kind.as_str());
            text(&mut h, &d.names.join(","));
            text(&mut h, &shape_to_string(&d.item_shape));
            text(&mut h, &shape_to_string(&d.streams));
        }
        h.update_u64(&[self.statics.len() as u64]);
        for st in &self.statics {
            text(&mut h, st);
        }
        h.update_u64(&[self.events.len() as u64]);
        for e in &self.events {
            text(&mut h, &e.kind);
            h.update_f64(&[e.t, e.value]);
        }
        h.hex_so_far()
    }

    /// Write the sidecar to `path` (a temporary name; the caller renames it
    /// into place) and close it, which fsyncs.
    pub fn write(&self, path: &Path, output_name: &str) -> Result<()> {
        let h5 = backend_call(path, "creating checkpoint", || H5File::create(path))?;
        let digest = self.state_digest(output_name);
        let base_len = self.base_len.to_string();
        backend_call(path, "writing checkpoint attributes", || {
            h5.set_attr_string("format", CHECKPOINT_FORMAT)?;
            h5.set_attr_string("schema_version", &SCHEMA_VERSION.to_string())?;
            h5.set_attr_string("output", output_name)?;
            h5.set_attr_string("run_id", &self.run_id)?;
            h5.set_attr_string("base_file", &self.base_file)?;
            h5.set_attr_string("base_len", &base_len)?;
            h5.set_attr_string("base_sha256", &self.base_sha256)?;
            h5.set_attr_string("state_sha256", &digest)
        })?;
        let _ = SIDECAR_ATTRS;
        let mut groups = BTreeSet::new();
        let ck = ensure_group(path, &h5, &mut groups, "checkpoint")?;
        let t = put_f64(path, &ck, "t", &[self.state.t])?;
        set_dataset_attr(path, &t, "units", "s")?;
        put_u64(path, &ck, "step", &[self.state.step])?;
        put_u64(path, &ck, "sequence", &[self.sequence])?;
        let w = put_f64(path, &ck, "wall_time_s", &[self.wall_time_s])?;
        set_dataset_attr(path, &w, "units", "s")?;

        let f64_names: Vec<String> = self.state.f64_arrays.keys().cloned().collect();
        let u64_names: Vec<String> = self.state.u64_arrays.keys().cloned().collect();
        let sf = ensure_group(path, &h5, &mut groups, "checkpoint/state_f64")?;
        for (name, v) in &self.state.f64_arrays {
            if !v.is_empty() {
                put_f64(path, &sf, name, v)?;
            }
        }
        let su = ensure_group(path, &h5, &mut groups, "checkpoint/state_u64")?;
        for (name, v) in &self.state.u64_arrays {
            if !v.is_empty() {
                put_u64(path, &su, name, v)?;
            }
        }
        if !f64_names.is_empty() {
            put_strings(path, &ck, "state_f64_names", &f64_names)?;
        }
        if !u64_names.is_empty() {
            put_strings(path, &ck, "state_u64_names", &u64_names)?;
        }

        let st = ensure_group(path, &h5, &mut groups, "streams")?;
        if !self.streams.is_empty() {
            let s = &self.streams;
            put_strings(
                path,
                &st,
                "path",
                &s.iter().map(|r| r.path.clone()).collect::<Vec<_>>(),
            )?;
            let shapes: Vec<String> = s.iter().map(|r| shape_to_string(&r.item_shape)).collect();
            put_strings(path, &st, "item_shape", &shapes)?;
            let digests: Vec<String> = s.iter().map(|r| r.rows_sha256.clone()).collect();
            put_strings(path, &st, "rows_sha256", &digests)?;
            put_u64(
                path,
                &st,
                "chunk_rows",
                &s.iter().map(|r| r.chunk_rows as u64).collect::<Vec<_>>(),
            )?;
            put_u64(
                path,
                &st,
                "rows_on_disk",
                &s.iter().map(|r| r.rows_on_disk).collect::<Vec<_>>(),
            )?;
            for (i, r) in s.iter().enumerate() {
                if !r.pending.is_empty() {
                    put_f64(path, &st, &format!("pending_{i}"), &r.pending)?;
                }
            }
        }

        let se = ensure_group(path, &h5, &mut groups, "series")?;
        if !self.series.is_empty() {
            let d = &self.series;
            put_strings(
                path,
                &se,
                "group",
                &d.iter().map(|x| x.group.clone()).collect::<Vec<_>>(),
            )?;
            put_strings(
                path,
                &se,
                "kind",
                &d.iter()
                    .map(|x| x.kind.as_str().to_string())
                    .collect::<Vec<_>>(),
            )?;
            put_strings(
                path,
                &se,
                "names",
                &d.iter().map(|x| x.names.join(",")).collect::<Vec<_>>(),
            )?;
            put_strings(
                path,
                &se,
                "item_shape",
                &d.iter()
                    .map(|x| shape_to_string(&x.item_shape))
                    .collect::<Vec<_>>(),
            )?;
            put_strings(
                path,
                &se,
                "streams",
                &d.iter()
                    .map(|x| shape_to_string(&x.streams))
                    .collect::<Vec<_>>(),
            )?;
        }
        if !self.statics.is_empty() {
            let g = ensure_group(path, &h5, &mut groups, "statics")?;
            put_strings(path, &g, "path", &self.statics)?;
        }
        if !self.events.is_empty() {
            let g = ensure_group(path, &h5, &mut groups, "events")?;
            put_f64(
                path,
                &g,
                "t",
                &self.events.iter().map(|e| e.t).collect::<Vec<_>>(),
            )?;
            put_f64(
                path,
                &g,
                "value",
                &self.events.iter().map(|e| e.value).collect::<Vec<_>>(),
            )?;
            put_strings(
                path,
                &g,
                "kind",
                &self
                    .events
                    .iter()
                    .map(|e| e.kind.clone())
                    .collect::<Vec<_>>(),
            )?;
        }
        backend_call(path, "closing checkpoint", || h5.close())
    }

    /// Read and validate a sidecar.
    pub fn read(path: &Path) -> Result<Self> {
        // A sidecar the backend cannot open is damaged in its structure
        // (superblock, object headers): refused like any other damage.
        let structure = |e: OutputError| match e {
            OutputError::Io { .. } => e,
            other => OutputError::Damaged {
                path: path.to_path_buf(),
                objects: vec!["file structure".into()],
                detail: format!("{other}; nothing was resumed or changed"),
            },
        };
        FileProbe::check(path).map_err(structure)?;
        let h5 =
            backend_call(path, "opening checkpoint", || H5File::open(path)).map_err(structure)?;
        let r = ReadAccess {
            file: path,
            h5: &h5,
        };
        match r.group_attr("", "format")? {
            Some(f) if f == CHECKPOINT_FORMAT => {}
            other => {
                return Err(OutputError::NotCavitas {
                    path: path.to_path_buf(),
                    detail: format!(
                        "root attribute format = {other:?}, expected {CHECKPOINT_FORMAT:?}"
                    ),
                });
            }
        }
        let version = r.group_attr("", "schema_version")?.unwrap_or_default();
        if version != SCHEMA_VERSION.to_string() {
            return Err(OutputError::SchemaVersion {
                path: path.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        // Every dataset against its own checksum first, so damage is named.
        let mut damaged = Vec::new();
        for p in r.dataset_paths()? {
            let ok = match r.dataset_attr(&p, CHECKSUM_ATTR) {
                Ok(Some(want)) => dataset_digest(&r, &p, None).is_ok_and(|got| got == want),
                _ => false,
            };
            if !ok {
                damaged.push(format!("/{p}"));
            }
        }
        if !damaged.is_empty() {
            return Err(OutputError::Damaged {
                path: path.to_path_buf(),
                detail: "checkpoint datasets do not match their sha256 checksums; nothing was resumed or changed".into(),
                objects: damaged,
            });
        }
        let corrupt = |detail: String| OutputError::Mismatch {
            object: format!("checkpoint {}", path.display()),
            detail,
        };
        let scalar_f64 = |p: &str| -> Result<f64> {
            r.f64(p)?
                .first()
                .copied()
                .ok_or_else(|| corrupt(format!("/{p} is empty")))
        };
        let scalar_u64 = |p: &str| -> Result<u64> {
            r.u64(p)?
                .first()
                .copied()
                .ok_or_else(|| corrupt(format!("/{p} is empty")))
        };
        let mut state =
            CheckpointState::new(scalar_f64("checkpoint/t")?, scalar_u64("checkpoint/step")?);
        for name in r.strings_or_empty("checkpoint/state_f64_names")? {
            let p = format!("checkpoint/state_f64/{name}");
            let v = if r.has_dataset(&p) {
                r.f64(&p)?
            } else {
                Vec::new()
            };
            state.f64_arrays.insert(name, v);
        }
        for name in r.strings_or_empty("checkpoint/state_u64_names")? {
            let p = format!("checkpoint/state_u64/{name}");
            let v = if r.has_dataset(&p) {
                r.u64(&p)?
            } else {
                Vec::new()
            };
            state.u64_arrays.insert(name, v);
        }

        let paths = r.strings_or_empty("streams/path")?;
        let mut streams = Vec::with_capacity(paths.len());
        if !paths.is_empty() {
            let shapes = r.strings("streams/item_shape")?;
            let chunk_rows = r.u64("streams/chunk_rows")?;
            let rows = r.u64("streams/rows_on_disk")?;
            let digests = r.strings("streams/rows_sha256")?;
            if shapes.len() != paths.len()
                || chunk_rows.len() != paths.len()
                || rows.len() != paths.len()
            {
                return Err(corrupt("stream tables have different lengths".into()));
            }
            for (i, p) in paths.into_iter().enumerate() {
                let item_shape = shape_from_string(&shapes[i])
                    .ok_or_else(|| corrupt(format!("bad item shape {:?}", shapes[i])))?;
                let pend_path = format!("streams/pending_{i}");
                let pending = if r.has_dataset(&pend_path) {
                    r.f64(&pend_path)?
                } else {
                    Vec::new()
                };
                let item_len = item_shape.iter().product::<usize>().max(1);
                if !pending.len().is_multiple_of(item_len) || chunk_rows[i] == 0 {
                    return Err(corrupt(format!(
                        "stream {p}: pending rows or chunk size inconsistent"
                    )));
                }
                streams.push(StreamRecord {
                    path: p,
                    item_shape,
                    chunk_rows: chunk_rows[i] as usize,
                    rows_on_disk: rows[i],
                    pending,
                    rows_sha256: digests.get(i).cloned().unwrap_or_default(),
                });
            }
        }

        let groups = r.strings_or_empty("series/group")?;
        let mut series = Vec::with_capacity(groups.len());
        if !groups.is_empty() {
            let kinds = r.strings("series/kind")?;
            let names = r.strings("series/names")?;
            let shapes = r.strings("series/item_shape")?;
            let idx = r.strings("series/streams")?;
            if [kinds.len(), names.len(), shapes.len(), idx.len()]
                .iter()
                .any(|&n| n != groups.len())
            {
                return Err(corrupt("series tables have different lengths".into()));
            }
            for (i, group) in groups.into_iter().enumerate() {
                let kind = SeriesKind::parse(&kinds[i])
                    .ok_or_else(|| corrupt(format!("bad series kind {:?}", kinds[i])))?;
                let item_shape = shape_from_string(&shapes[i])
                    .ok_or_else(|| corrupt("bad item shape".into()))?;
                let stream_idx =
                    shape_from_string(&idx[i]).ok_or_else(|| corrupt("bad stream list".into()))?;
                if stream_idx.iter().any(|&s| s >= streams.len()) {
                    return Err(corrupt(format!(
                        "series {group} names a stream that does not exist"
                    )));
                }
                series.push(SeriesDecl {
                    group,
                    kind,
                    names: names[i]
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                    item_shape,
                    streams: stream_idx,
                });
            }
        }
        let statics = r.strings_or_empty("statics/path")?;
        let kinds = r.strings_or_empty("events/kind")?;
        let events = if kinds.is_empty() {
            Vec::new()
        } else {
            let t = r.f64("events/t")?;
            let v = r.f64("events/value")?;
            if t.len() != kinds.len() || v.len() != kinds.len() {
                return Err(corrupt("event columns have different lengths".into()));
            }
            kinds
                .into_iter()
                .zip(t)
                .zip(v)
                .map(|((kind, t), value)| Event { t, kind, value })
                .collect()
        };
        let attr =
            |name: &str| -> Result<String> { Ok(r.group_attr("", name)?.unwrap_or_default()) };
        let base_len_text = attr("base_len")?;
        let ck = Self {
            sequence: scalar_u64("checkpoint/sequence")?,
            wall_time_s: scalar_f64("checkpoint/wall_time_s")?,
            state,
            streams,
            series,
            statics,
            events,
            run_id: attr("run_id")?,
            base_file: attr("base_file")?,
            base_len: base_len_text.parse().unwrap_or(u64::MAX),
            base_sha256: attr("base_sha256")?,
        };
        let stored = attr("state_sha256")?;
        if stored.is_empty() || stored != ck.state_digest(&attr("output")?) {
            return Err(OutputError::Damaged {
                path: path.to_path_buf(),
                objects: vec!["root attributes (state_sha256)".into()],
                detail: "the checkpoint does not match its state_sha256 digest; nothing was resumed or changed".into(),
            });
        }
        Ok(ck)
    }
}

/// Write a 1-D f64 dataset with its `sha256` checksum attribute.
fn put_f64(path: &Path, group: &H5Group, name: &str, data: &[f64]) -> Result<H5Dataset> {
    let ds = write_f64(path, group, name, data)?;
    let mut h = Sha256::new();
    h.update_f64(data);
    set_dataset_attr(path, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
    Ok(ds)
}

/// Write a 1-D u64 dataset with its `sha256` checksum attribute.
fn put_u64(path: &Path, group: &H5Group, name: &str, data: &[u64]) -> Result<H5Dataset> {
    let ds = write_u64(path, group, name, data)?;
    let mut h = Sha256::new();
    h.update_u64(data);
    set_dataset_attr(path, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
    Ok(ds)
}

/// Write a 1-D string dataset with its `sha256` checksum attribute.
fn put_strings(path: &Path, group: &H5Group, name: &str, data: &[String]) -> Result<H5Dataset> {
    let ds = write_strings(path, group, name, data)?;
    let mut h = Sha256::new();
    hash_strings(&mut h, data);
    set_dataset_attr(path, &ds, CHECKSUM_ATTR, &h.hex_so_far())?;
    Ok(ds)
}
