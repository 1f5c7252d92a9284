//! [`CaseRecord`]: what became of one case, one JSON line of a shard's status log
//! (`DIR/status/shard-i-of-n.jsonl`). A shard appends one line per case it ran, flushed at
//! once, so a killed sweep loses at most the line being written; a torn last line is
//! ignored when the logs are read.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::sweep_error::SweepError;

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseStatus {
    /// The run finished and its run file is written.
    Ok,
    /// The run stopped with an error (recorded in `message`); the sweep went on.
    Failed,
}

impl CaseStatus {
    /// `ok` or `failed`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Failed => "failed",
        }
    }
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CaseRecord {
    /// The case id (`case-0007`).
    pub case: String,
    pub status: CaseStatus,
    /// Why it failed: the whole error chain, one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Wall time of the case, s.
    pub wall_time_s: f64,
    /// The shard that ran it (`shard-0-of-4`).
    pub shard: String,
    /// The run's summary, as `cavitas run --json` prints it (without the config echo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<serde_json::Value>,
}

/// A shard's status log, open for appending.
#[derive(Debug)]
pub struct StatusLog {
    path: PathBuf,
    file: std::fs::File,
}

impl StatusLog {
    /// Opens (creating) the log at `path` for appending.
    pub fn open(path: &Path) -> Result<Self, SweepError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(SweepError::io(path))?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Appends `record` as one line and flushes it to the disk.
    pub fn append(&mut self, record: &CaseRecord) -> Result<(), SweepError> {
        let mut line = serde_json::to_string(record).map_err(|e| SweepError::Record {
            path: self.path.clone(),
            message: format!("encoding the record of {}: {e}", record.case),
        })?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(SweepError::io(&self.path))
    }

    /// Every record of the log at `path`, in order. A line that does not parse is skipped
    /// with a warning (a torn last line of a killed sweep).
    pub fn read(path: &Path) -> Result<Vec<CaseRecord>, SweepError> {
        let text = std::fs::read_to_string(path).map_err(SweepError::io(path))?;
        let mut records = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(line) {
                Ok(r) => records.push(r),
                Err(e) => log::warn!(
                    "{}:{}: skipped a damaged record: {e}",
                    path.display(),
                    n + 1
                ),
            }
        }
        Ok(records)
    }
}
