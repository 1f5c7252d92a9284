//! [`SweepDir`]: the output folder of a sweep.
//!
//! ```text
//! DIR/sweep.json                  the manifest: every case's id and overrides
//! DIR/cases/case-0007.h5          a finished case's run file (RunWriter; `.partial` while
//!                                 it runs: only a finished run has this name)
//! DIR/status/shard-0-of-4.jsonl   each shard's status log (CaseRecord lines)
//! ```
//!
//! Every shard writes the same manifest; a folder holding another sweep's manifest is
//! refused, so cases of two sweeps never mix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::case_record::{CaseRecord, StatusLog};
use crate::shard::Shard;
use crate::sweep_error::SweepError;
use crate::sweep_plan::{BaseConfig, SweepPlan};

/// `format` of the manifest.
pub const MANIFEST_FORMAT: &str = "cavitas-sweep-manifest 1";

/// The manifest of a sweep folder: what every case is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SweepManifest {
    /// [`MANIFEST_FORMAT`].
    pub format: String,
    /// The sweep file, as given.
    pub sweep_file: PathBuf,
    /// The base configuration (a path, or `<built-in ...>`).
    pub base: String,
    /// SHA-256 of the base configuration's text.
    pub base_sha256: String,
    /// The overrides of every case.
    pub set: Vec<String>,
    /// The swept keys.
    pub parameters: Vec<String>,
    /// Every case.
    pub cases: Vec<ManifestCase>,
}

/// One case of the manifest.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ManifestCase {
    /// The case id.
    pub id: String,
    /// `key=value` per swept key, in the order of `parameters`.
    pub assignments: Vec<String>,
}

impl SweepManifest {
    /// The manifest of `plan`.
    pub fn of(plan: &SweepPlan) -> Self {
        let text = match &plan.base {
            BaseConfig::File { text, .. } => text.as_str(),
            BaseConfig::BuiltIn(s) => s.text,
        };
        Self {
            format: MANIFEST_FORMAT.into(),
            sweep_file: plan.file.clone(),
            base: plan.base.describe(),
            base_sha256: cavitas_hdf5::Sha256::hex_digest(text.as_bytes()),
            set: plan.spec.set.clone(),
            parameters: plan.parameters.clone(),
            cases: plan
                .cases
                .iter()
                .map(|c| ManifestCase {
                    id: c.id.clone(),
                    assignments: c.assignments(&plan.parameters),
                })
                .collect(),
        }
    }

    /// Whether `other` describes the same cases (paths may be spelled differently).
    fn same_cases(&self, other: &Self) -> bool {
        self.format == other.format
            && self.base_sha256 == other.base_sha256
            && self.set == other.set
            && self.parameters == other.parameters
            && self.cases == other.cases
    }
}

/// A sweep's output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepDir {
    /// The folder.
    pub root: PathBuf,
}

impl SweepDir {
    /// The folder at `root` (nothing is created yet).
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
    }

    /// `DIR/sweep.json`.
    pub fn manifest_path(&self) -> PathBuf {
        self.root.join("sweep.json")
    }

    /// `DIR/cases/<id>.h5`: the run file of a case.
    pub fn case_file(&self, id: &str) -> PathBuf {
        self.root.join("cases").join(format!("{id}.h5"))
    }

    /// `DIR/status/<shard label>.jsonl`.
    pub fn status_log(&self, shard: Shard) -> PathBuf {
        self.root
            .join("status")
            .join(format!("{}.jsonl", shard.label()))
    }

    /// Creates the folders and writes the manifest of `plan`, or checks that the one there
    /// describes the same cases.
    pub fn prepare(&self, plan: &SweepPlan) -> Result<(), SweepError> {
        if self.root.exists() && !self.root.is_dir() {
            return Err(SweepError::Folder {
                path: self.root.clone(),
                message: "a file, not a folder; -o names the sweep's output folder".into(),
            });
        }
        for sub in [self.root.join("cases"), self.root.join("status")] {
            std::fs::create_dir_all(&sub).map_err(SweepError::io(&sub))?;
        }
        let ours = SweepManifest::of(plan);
        let path = self.manifest_path();
        if path.exists() {
            let theirs = self.read_manifest()?;
            if !theirs.same_cases(&ours) {
                return Err(SweepError::Folder {
                    path: self.root.clone(),
                    message: format!(
                        "holds the cases of another sweep ({} over base {}); give another -o \
                         folder, or remove this one",
                        theirs.sweep_file.display(),
                        theirs.base
                    ),
                });
            }
            return Ok(());
        }
        let text = serde_json::to_string_pretty(&ours).map_err(|e| SweepError::Record {
            path: path.clone(),
            message: e.to_string(),
        })?;
        // Shards may start together: each writes its own temporary and renames it (the
        // manifests are identical).
        let tmp = self
            .root
            .join(format!("sweep.json.{}.tmp", std::process::id()));
        std::fs::write(&tmp, text).map_err(SweepError::io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(SweepError::io(&path))
    }

    /// The manifest of the folder.
    pub fn read_manifest(&self) -> Result<SweepManifest, SweepError> {
        let path = self.manifest_path();
        if !path.exists() {
            return Err(SweepError::Folder {
                path: self.root.clone(),
                message: "not a sweep folder (no sweep.json); write one with \
                          `cavitas sweep SWEEP.toml -o DIR`"
                    .into(),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(SweepError::io(&path))?;
        let manifest: SweepManifest =
            serde_json::from_str(&text).map_err(|e| SweepError::Record {
                path: path.clone(),
                message: format!("not a sweep manifest: {e}"),
            })?;
        if manifest.format != MANIFEST_FORMAT {
            return Err(SweepError::Record {
                path,
                message: format!(
                    "format `{}`; this cavitas reads `{MANIFEST_FORMAT}`",
                    manifest.format
                ),
            });
        }
        Ok(manifest)
    }

    /// Every status record of every shard's log, by case id, in log order (a case run
    /// again after its record was written has several).
    pub fn read_records(&self) -> Result<BTreeMap<String, Vec<CaseRecord>>, SweepError> {
        let folder = self.root.join("status");
        let mut by_case: BTreeMap<String, Vec<CaseRecord>> = BTreeMap::new();
        if !folder.is_dir() {
            return Ok(by_case);
        }
        let mut logs: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(SweepError::io(&folder))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        logs.sort();
        for log in logs {
            for record in StatusLog::read(&log)? {
                by_case.entry(record.case.clone()).or_default().push(record);
            }
        }
        Ok(by_case)
    }
}
