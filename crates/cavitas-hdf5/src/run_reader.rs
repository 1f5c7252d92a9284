//! Reading cavitas files back: validation of what the file is, then typed
//! access to time series, snapshots, events, attributes and the checkpoint.

use std::path::{Path, PathBuf};

use rust_hdf5::H5File;

use crate::SCHEMA_VERSION;
use crate::backend_call::backend_call;
use crate::checkpoint_file::CheckpointFile;
use crate::checkpoint_info::CheckpointInfo;
use crate::event::Event;
use crate::file_kind::FileKind;
use crate::file_probe::FileProbe;
use crate::h5_access::ReadAccess;
use crate::integrity::VerifyReport;
use crate::output_error::{OutputError, Result};
use crate::provenance::Provenance;
use crate::run_paths::RunPaths;

/// One dataset read back: shape, unit (`units` attribute), description and
/// row-major values.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrayData {
    pub shape: Vec<usize>,
    /// SI unit from the dataset's `units` attribute.
    pub unit: String,
    pub description: String,
    pub values: Vec<f64>,
}

/// An open cavitas run or sweep file.
pub struct RunReader {
    path: PathBuf,
    /// The run's paths (from the path asked for, also when a checkpoint's
    /// copy was opened instead of an unreadable `.partial`).
    paths: RunPaths,
    h5: H5File,
    kind: FileKind,
    complete: bool,
}

impl std::fmt::Debug for RunReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunReader")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("complete", &self.complete)
            .finish_non_exhaustive()
    }
}

impl RunReader {
    /// Open a finished run or merged sweep. Errors clearly for a missing file,
    /// a file that is not HDF5, a truncated file, another program's HDF5 file,
    /// another schema version, and an unfinished run.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, false)
    }

    /// Like [`open`](Self::open) but also opens an unfinished run (given its
    /// output path or its `.partial`): it holds every whole chunk up to its
    /// last checkpoint; [`checkpoint`](Self::checkpoint) has the rest.
    pub fn open_incomplete(path: &Path) -> Result<Self> {
        Self::open_with(path, true)
    }

    fn open_with(path: &Path, allow_incomplete: bool) -> Result<Self> {
        let paths = RunPaths::new(path);
        match Self::open_exactly(path, allow_incomplete, paths.clone()) {
            Err(e) if allow_incomplete && !matches!(e, OutputError::Io { .. }) => {
                // An unreadable unfinished run: read the copy its checkpoint keeps.
                match Self::checkpoint_copy(&paths) {
                    Some(base) => Self::open_exactly(&base, true, paths).map_err(|_| e),
                    None => Err(e),
                }
            }
            other => other,
        }
    }

    /// The checkpoint's copy of an unfinished run, when the checkpoint and the
    /// copy both verify.
    fn checkpoint_copy(paths: &RunPaths) -> Option<PathBuf> {
        if !paths.checkpoint.exists() {
            return None;
        }
        let ck = CheckpointFile::read(&paths.checkpoint).ok()?;
        if ck.base_file.is_empty() || ck.base_file.contains('/') {
            return None;
        }
        let base = match paths.partial.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.join(&ck.base_file),
            _ => PathBuf::from(&ck.base_file),
        };
        let (len, sha) = crate::integrity::file_digest(&base).ok()?;
        (len == ck.base_len && sha == ck.base_sha256).then_some(base)
    }

    fn open_exactly(path: &Path, allow_incomplete: bool, paths: RunPaths) -> Result<Self> {
        let mut path = path.to_path_buf();
        if !path.exists() {
            let partial = RunPaths::new(&path).partial;
            if partial.exists() {
                if !allow_incomplete {
                    return Err(OutputError::Incomplete { path: partial });
                }
                path = partial;
            }
        }
        FileProbe::check(&path)?;
        let h5 = backend_call(&path, "opening", || H5File::open(&path))?;
        let r = ReadAccess {
            file: &path,
            h5: &h5,
        };
        let format = r
            .group_attr("", "format")?
            .ok_or_else(|| OutputError::NotCavitas {
                path: path.clone(),
                detail: "no root attribute `format`".into(),
            })?;
        let kind = match FileKind::parse(&format) {
            Some(FileKind::Checkpoint) => {
                return Err(OutputError::NotCavitas {
                    path: path.clone(),
                    detail: "this is a checkpoint sidecar; open the run file next to it".into(),
                });
            }
            Some(k) => k,
            None => {
                return Err(OutputError::NotCavitas {
                    path: path.clone(),
                    detail: format!("root attribute format = {format:?}"),
                });
            }
        };
        let version = r
            .group_attr("", "schema_version")?
            .unwrap_or_else(|| "<missing>".into());
        if version != SCHEMA_VERSION.to_string() {
            return Err(OutputError::SchemaVersion {
                path: path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let complete = r.group_attr("", "complete")?.as_deref() == Some("true");
        if !complete && !allow_incomplete {
            return Err(OutputError::Incomplete { path });
        }
        Ok(Self {
            path,
            paths,
            h5,
            kind,
            complete,
        })
    }

    pub(crate) fn access(&self) -> ReadAccess<'_> {
        ReadAccess {
            file: &self.path,
            h5: &self.h5,
        }
    }

    /// The file actually opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run or merged sweep.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// Whether the run finished (`complete = "true"`).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// A root attribute (all root attributes are strings), `None` if absent.
    pub fn attribute(&self, name: &str) -> Result<Option<String>> {
        self.access().group_attr("", name)
    }

    /// The codes and names of a category dataset (see
    /// [`Column::category`](crate::Column::category)), `None` for another dataset.
    pub fn categories(&self, path: &str) -> Result<Option<Vec<(i32, String)>>> {
        self.access().categories(path)
    }

    /// Names of the root attributes.
    pub fn attribute_names(&self) -> Result<Vec<String>> {
        backend_call(&self.path, "listing root attributes", || {
            self.h5.attr_names()
        })
    }

    /// Names of the attributes of a dataset.
    pub fn dataset_attribute_names(&self, path: &str) -> Result<Vec<String>> {
        let ds = self.access().dataset(path)?;
        backend_call(&self.path, "listing attributes", || ds.attr_names())
    }

    /// A group attribute, `None` if absent.
    pub fn group_attribute(&self, group: &str, name: &str) -> Result<Option<String>> {
        self.access().group_attr(group, name)
    }

    /// The provenance stored in the root attributes.
    pub fn provenance(&self) -> Result<Provenance> {
        let get = |n: &str| -> Result<String> { Ok(self.attribute(n)?.unwrap_or_default()) };
        Ok(Provenance {
            cavitas_version: get("cavitas_version")?,
            git_revision: get("git_revision")?,
            config_text: get("config_text")?,
            backend: get("backend")?,
            adapter: get("adapter")?,
            precision: get("precision")?,
            start_time: get("start_time")?,
        })
    }

    /// Wall time of the run, s (`None` until it finished).
    pub fn wall_time_s(&self) -> Result<Option<f64>> {
        Ok(self
            .attribute("wall_time_s")?
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|v| v.is_finite()))
    }

    /// The groups directly under `/`.
    pub fn groups(&self) -> Result<Vec<String>> {
        self.access().root_groups()
    }

    /// Column names of a time-series group, or field names of a snapshot
    /// group, in declaration order.
    pub fn columns(&self, group: &str) -> Result<Vec<String>> {
        let r = self.access();
        let list = match r.group_attr(group, "columns")? {
            Some(c) => c,
            None => r
                .group_attr(group, "fields")?
                .ok_or_else(|| OutputError::Missing {
                    path: self.path.clone(),
                    object: format!("attribute columns/fields of /{group}"),
                })?,
        };
        Ok(list
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// Any f64 dataset with its unit, e.g. `joint/gap` or `bubbles/radius`.
    pub fn array(&self, path: &str) -> Result<ArrayData> {
        let r = self.access();
        let (shape, values) = r.f64_with_shape(path)?;
        let unit = r
            .dataset_attr(path, "units")?
            .ok_or_else(|| OutputError::Missing {
                path: self.path.clone(),
                object: format!("attribute units of /{path}"),
            })?;
        let description = r.dataset_attr(path, "description")?.unwrap_or_default();
        let expected: usize = shape.iter().product();
        if values.len() != expected {
            return Err(OutputError::Shape {
                path: self.path.clone(),
                object: format!("/{path}"),
                expected: format!("{} values", values.len()),
                found: shape,
            });
        }
        Ok(ArrayData {
            shape,
            unit,
            description,
            values,
        })
    }

    /// Any UTF-8 string dataset, e.g. `sweep/status` of a merged study.
    pub fn strings(&self, path: &str) -> Result<Vec<String>> {
        self.access().strings(path)
    }

    /// One column of a time series, e.g. `column("joint", "gap")`.
    pub fn column(&self, group: &str, name: &str) -> Result<ArrayData> {
        self.array(&format!("{group}/{name}"))
    }

    /// The events in time order of recording.
    pub fn events(&self) -> Result<Vec<Event>> {
        let r = self.access();
        let t = r.f64("events/t")?;
        let v = r.f64("events/value")?;
        let kinds = r.strings("events/kind")?;
        if t.len() != v.len() || t.len() != kinds.len() {
            return Err(OutputError::Shape {
                path: self.path.clone(),
                object: "/events/kind".into(),
                expected: format!("{} rows like /events/t", t.len()),
                found: vec![kinds.len()],
            });
        }
        Ok(kinds
            .into_iter()
            .zip(t)
            .zip(v)
            .map(|((kind, t), value)| Event { t, kind, value })
            .collect())
    }

    /// The last checkpoint of an unfinished run (`None` if the run has no
    /// checkpoint sidecar, e.g. because it finished).
    pub fn checkpoint(&self) -> Result<Option<CheckpointInfo>> {
        let ck_path = self.paths.checkpoint.clone();
        if !ck_path.exists() {
            return Ok(None);
        }
        let ck = CheckpointFile::read(&ck_path)?;
        Ok(Some(CheckpointInfo {
            sequence: ck.sequence,
            wall_time_s: ck.wall_time_s,
            rows: ck
                .streams
                .iter()
                .map(|s| {
                    let item: usize = s.item_shape.iter().product::<usize>().max(1);
                    (
                        s.path.clone(),
                        s.rows_on_disk + (s.pending.len() / item) as u64,
                    )
                })
                .collect(),
            rows_in_run_file: ck
                .streams
                .iter()
                .map(|s| (s.path.clone(), s.rows_on_disk))
                .collect(),
            state: ck.state,
            events: ck.events,
        }))
    }

    /// Check every checksum of the file (see [`verify`](crate::verify)): the
    /// report names each damaged dataset. Reads the whole file.
    pub fn verify(&self) -> Result<VerifyReport> {
        crate::integrity::verify(&self.path)
    }

    /// [`open`](Self::open) and [`verify`](Self::verify): a damaged file is
    /// refused with [`OutputError::Damaged`] naming every damaged dataset.
    pub fn open_verified(path: &Path) -> Result<Self> {
        let r = Self::open(path)?;
        r.verify()?.into_result()?;
        Ok(r)
    }

    /// Every dataset path in the file (no leading `/`), sorted.
    pub fn dataset_paths(&self) -> Result<Vec<String>> {
        self.access().dataset_paths()
    }

    /// Shape of a dataset without reading its values.
    pub fn shape(&self, path: &str) -> Result<Vec<usize>> {
        self.access().shape(path)
    }

    /// A string attribute of a dataset (e.g. `units`), `None` if absent.
    pub fn dataset_attribute(&self, path: &str, name: &str) -> Result<Option<String>> {
        self.access().dataset_attr(path, name)
    }

    /// Rows contributed by each shard to a dataset of a merged sweep.
    pub fn rows_per_shard(&self, path: &str) -> Result<Vec<u64>> {
        let ds = self.access().dataset(path)?;
        backend_call(&self.path, "reading rows_per_shard", || {
            ds.attr("rows_per_shard")?.read_numeric_as::<u64>()
        })
    }

    /// The shard files of a merged sweep, as stored (relative to this file).
    pub fn shards(&self) -> Result<Vec<String>> {
        self.access().strings("shards/path")
    }
}
