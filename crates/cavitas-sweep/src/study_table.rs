//! [`merge_study`]: a sweep folder merged into one file: virtual datasets over the finished
//! case files (the leading axis is the row of `/shards/path`) and the `/sweep` table, one
//! row per case of the manifest:
//!
//! | column | type | what |
//! |---|---|---|
//! | `case` | text | the case id |
//! | `status` | text | `ok`, `failed`, or `pending` (not run yet) |
//! | `message` | text | why a failed case failed (empty otherwise) |
//! | `file_index` | int64 | the case's index on the leading axis of the virtual datasets, -1 without a file |
//! | `wall_time_s` | float64 | wall time of the case, s (NaN when unknown) |
//! | each swept key | float64 (numbers) or text | the case's value, the column named by the key |
//! | each scalar figure of the run summary | float64 (numbers, booleans as 0/1, null as NaN) or text | as `cavitas run --json` prints it; nested objects flattened with `.` (`references.minnaert_frequency_hz`) |
//!
//! A figure whose name is already a column is prefixed `summary.`. In pandas:
//!
//! ```python
//! import h5py, pandas as pd
//! df = pd.DataFrame({k: (v.asstr()[()] if v.dtype.kind == "O" else v[()]) for k, v in h5py.File("study.h5")["sweep"].items()})
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cavitas_hdf5::{RunReader, SweepColumn, SweepColumnValues, SweepTable};

use crate::case_record::{CaseRecord, CaseStatus};
use crate::sweep_dir::SweepDir;
use crate::sweep_error::SweepError;

/// What [`merge_study`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyMerge {
    /// The merged file.
    pub path: PathBuf,
    /// Rows of `/sweep` (cases of the sweep).
    pub cases: usize,
    /// Cases finished, failed, not run.
    pub ok: usize,
    pub failed: usize,
    pub pending: usize,
    /// Why the case files were not stacked into virtual datasets (`None`: they were).
    pub unstacked: Option<String>,
}

impl StudyMerge {
    /// What was merged, for people (`dir` is the sweep folder).
    pub fn describe(&self, dir: &Path) -> String {
        let mut text = format!(
            "merged {} case(s) of {} ({} ok, {} failed, {} pending) into {}",
            self.cases,
            dir.display(),
            self.ok,
            self.failed,
            self.pending,
            self.path.display()
        );
        if let Some(why) = &self.unstacked {
            text.push_str(&format!("\n  no virtual datasets: {why}"));
        }
        text
    }
}

/// One case's row before it becomes columns.
struct Row {
    id: String,
    status: &'static str,
    message: String,
    file_index: i64,
    wall_time_s: f64,
    parameters: Vec<toml::Value>,
    figures: BTreeMap<String, serde_json::Value>,
}

/// Merges the sweep folder `dir` into `output` (refused if it exists, unless `force`).
pub fn merge_study(dir: &Path, output: &Path, force: bool) -> Result<StudyMerge, SweepError> {
    let folder = SweepDir::new(dir);
    let manifest = folder.read_manifest()?;
    let records = folder.read_records()?;
    let manifest_path = folder.manifest_path();
    let mut files = Vec::new();
    let mut rows = Vec::with_capacity(manifest.cases.len());
    for case in &manifest.cases {
        let file = folder.case_file(&case.id);
        let record: Option<&CaseRecord> = records.get(&case.id).and_then(|r| r.last());
        let parameters = case
            .assignments
            .iter()
            .map(|a| parse_value(a, &manifest_path))
            .collect::<Result<Vec<_>, _>>()?;
        let mut row = Row {
            id: case.id.clone(),
            status: "pending",
            message: String::new(),
            file_index: -1,
            wall_time_s: record.map_or(f64::NAN, |r| r.wall_time_s),
            parameters,
            figures: BTreeMap::new(),
        };
        if file.exists() {
            row.status = CaseStatus::Ok.name();
            row.file_index = files.len() as i64;
            let summary = match record.and_then(|r| r.summary.clone()) {
                Some(s) => Some(s),
                // Killed between the finished file and its record: the file has it (joint runs).
                None => summary_of_file(&file)?,
            };
            if let Some(summary) = summary {
                flatten("", &summary, &mut row.figures);
            }
            files.push(file);
        } else if let Some(r) = record.filter(|r| r.status == CaseStatus::Failed) {
            row.status = CaseStatus::Failed.name();
            row.message = r.message.clone().unwrap_or_default();
        }
        rows.push(row);
    }
    let table = build_table(&manifest.parameters, &rows);
    let (path, unstacked) =
        cavitas_hdf5::merge_sweep(&files, &table, output, force).map_err(|source| {
            SweepError::Merge {
                path: output.to_path_buf(),
                source: Box::new(source),
            }
        })?;
    let count = |s: &str| rows.iter().filter(|r| r.status == s).count();
    Ok(StudyMerge {
        path,
        cases: rows.len(),
        ok: count("ok"),
        failed: count("failed"),
        pending: count("pending"),
        unstacked,
    })
}

/// The value of a manifest assignment `key=value` (TOML, read exactly).
fn parse_value(assignment: &str, manifest: &Path) -> Result<toml::Value, SweepError> {
    let bad = || SweepError::Record {
        path: manifest.to_path_buf(),
        message: format!("the assignment `{assignment}` is not `key=<TOML value>`"),
    };
    let (_, raw) = assignment.split_once('=').ok_or_else(bad)?;
    format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .ok_or_else(bad)
}

/// The `summary_json` root attribute of a run file, if it has one.
fn summary_of_file(path: &Path) -> Result<Option<serde_json::Value>, SweepError> {
    let merge_err = |source| SweepError::Merge {
        path: path.to_path_buf(),
        source: Box::new(source),
    };
    let reader = RunReader::open(path).map_err(merge_err)?;
    let Some(text) = reader.attribute("summary_json").map_err(merge_err)? else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| SweepError::Record {
            path: path.to_path_buf(),
            message: format!("summary_json: {e}"),
        })
}

/// The scalar figures of a summary, nested objects flattened with `.`; arrays are left out.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, serde_json::Value>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&name, v, out);
            }
        }
        serde_json::Value::Array(_) => {}
        scalar => {
            out.insert(prefix.to_string(), scalar.clone());
        }
    }
}

fn build_table(parameters: &[String], rows: &[Row]) -> SweepTable {
    let text = |f: &dyn Fn(&Row) -> String| SweepColumnValues::Text(rows.iter().map(f).collect());
    let mut columns = vec![
        column("case", "", "the case id", text(&|r| r.id.clone())),
        column(
            "status",
            "",
            "ok, failed, or pending (not run yet)",
            text(&|r| r.status.to_string()),
        ),
        column(
            "message",
            "",
            "why a failed case failed (empty otherwise)",
            text(&|r| r.message.clone()),
        ),
        column(
            "file_index",
            "",
            "the case's index on the leading axis of the virtual datasets (row of \
             /shards/path); -1 without a run file",
            SweepColumnValues::Int(rows.iter().map(|r| r.file_index).collect()),
        ),
        column(
            "wall_time_s",
            "s",
            "wall time of the case (NaN when unknown)",
            SweepColumnValues::Float(rows.iter().map(|r| r.wall_time_s).collect()),
        ),
    ];
    for (k, key) in parameters.iter().enumerate() {
        let values: Vec<&toml::Value> = rows.iter().map(|r| &r.parameters[k]).collect();
        let numeric = values
            .iter()
            .all(|v| matches!(v, toml::Value::Float(_) | toml::Value::Integer(_)));
        let values = if numeric {
            SweepColumnValues::Float(
                values
                    .iter()
                    .map(|v| {
                        v.as_float()
                            .or(v.as_integer().map(|i| i as f64))
                            .unwrap_or(f64::NAN)
                    })
                    .collect(),
            )
        } else {
            SweepColumnValues::Text(
                values
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect(),
            )
        };
        columns.push(column(
            key,
            "",
            "swept config key (its unit is in its name)",
            values,
        ));
    }
    // Every figure any case has, in name order.
    let mut names: Vec<&String> = rows.iter().flat_map(|r| r.figures.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let values: Vec<Option<&serde_json::Value>> =
            rows.iter().map(|r| r.figures.get(name)).collect();
        let numeric = values.iter().all(|v| {
            matches!(
                v,
                None | Some(
                    serde_json::Value::Number(_)
                        | serde_json::Value::Bool(_)
                        | serde_json::Value::Null
                )
            )
        });
        let values = if numeric {
            SweepColumnValues::Float(
                values
                    .iter()
                    .map(|v| match v {
                        Some(serde_json::Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
                        Some(serde_json::Value::Bool(b)) => f64::from(u8::from(*b)),
                        _ => f64::NAN,
                    })
                    .collect(),
            )
        } else {
            SweepColumnValues::Text(
                values
                    .iter()
                    .map(|v| match v {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(serde_json::Value::Null) | None => String::new(),
                        Some(other) => other.to_string(),
                    })
                    .collect(),
            )
        };
        // `/` would open a group in HDF5.
        let name = name.replace(['/', ','], "_");
        let taken = columns.iter().any(|c| c.name == name);
        let name = if taken {
            format!("summary.{name}")
        } else {
            name
        };
        columns.push(column(
            &name,
            "",
            "figure of the run summary (`cavitas run --json`; its unit is in its name)",
            values,
        ));
    }
    SweepTable { columns }
}

fn column(name: &str, units: &str, description: &str, values: SweepColumnValues) -> SweepColumn {
    SweepColumn {
        name: name.to_string(),
        units: units.to_string(),
        description: description.to_string(),
        values,
    }
}
