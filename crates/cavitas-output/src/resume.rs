//! [`ResumedRun`]: a killed run reopened at its last checkpoint, with the resolved config,
//! the backend request and the solver state stored in its file.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use cavitas_hdf5::{CheckpointState, RunFile, RunPaths, RunReader};
use cavitas_solver::bubbles::checkpoint::NamedArrays;
use cavitas_solver::compute::{BackendRequest, CpuPrecision};
use cavitas_solver::config::{ConfigDocument, ConfigOrigin};
use cavitas_solver::driver::{ScenarioKind, SolverCheckpoint};

use crate::write_error::{InputError, WriteError};

/// Root attribute holding the backend request of the run (JSON of [`BackendRequest`]).
pub const BACKEND_REQUEST: &str = "backend_request";

/// A run reopened at its last checkpoint.
#[derive(Debug)]
pub struct ResumedRun {
    /// The resolved configuration stored in the file.
    pub doc: ConfigDocument,
    /// What kind of run it is.
    pub kind: ScenarioKind,
    /// The backend the run asked for (kind, precision, adapter filter).
    pub request: BackendRequest,
    /// The solver state to continue from.
    pub checkpoint: SolverCheckpoint,
    /// Every f64 array of the checkpoint: the solver's, and the writer's own.
    pub f64_arrays: BTreeMap<String, Vec<f64>>,
    /// Wall time spent reopening the run file, s.
    pub open_seconds: f64,
    file: Option<RunFile>,
}

impl ResumedRun {
    /// Reopens the unfinished run whose output is `path` (or its `.partial`). The solver
    /// state is decoded before the file is opened for writing, so a damaged checkpoint is
    /// refused with the file left as it was.
    pub fn reopen(path: &Path) -> Result<Self, WriteError> {
        let paths = RunPaths::new(path);
        if !paths.partial.exists() {
            if paths.output.exists() {
                let finished = RunReader::open(&paths.output).is_ok();
                return Err(InputError(format!(
                    "{}: {}; there is nothing to resume",
                    paths.output.display(),
                    if finished {
                        "the run has finished"
                    } else {
                        "not an unfinished cavitas run (no .partial file beside it)"
                    }
                ))
                .into());
            }
            return Err(InputError(format!(
                "{}: no unfinished run here (neither it nor {} exists)",
                paths.output.display(),
                paths.partial.display()
            ))
            .into());
        }
        let (provenance, stored, request) = {
            let reader = RunReader::open_incomplete(&paths.partial)?;
            (
                reader.provenance()?,
                reader.checkpoint()?,
                reader.attribute(BACKEND_REQUEST)?,
            )
        };
        let request = match request {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                InputError(format!(
                    "{}: the root attribute {BACKEND_REQUEST} cannot be read: {e}",
                    paths.partial.display()
                ))
            })?,
            // Files written before the request was stored: what the provenance says.
            None => match (provenance.backend.as_str(), provenance.precision.as_str()) {
                ("cpu", "f32") => BackendRequest::Cpu {
                    precision: CpuPrecision::F32,
                    threads: 0,
                },
                ("cpu", _) => BackendRequest::Cpu {
                    precision: CpuPrecision::F64,
                    threads: 0,
                },
                _ => BackendRequest::Gpu { adapter: None },
            },
        };
        let doc = ConfigDocument::from_text(
            ConfigOrigin::File(paths.partial.clone()),
            &provenance.config_text,
            &[],
        )
        .map_err(|e| InputError(format!("{}: its stored configuration: {e}", path.display())))?;
        let kind = ScenarioKind::of_table(doc.table()).ok_or_else(|| {
            InputError(format!(
                "{}: its stored configuration is no scenario cavitas can run",
                path.display()
            ))
        })?;
        let checkpoint = match &stored {
            Some(info) => Some(decode(kind, &info.state)?),
            None => None,
        };
        let started = Instant::now();
        let (file, state) = RunFile::resume(path)?;
        let checkpoint = match checkpoint {
            Some(c) => c,
            // The run file found a checkpoint the reader did not: decode that one.
            None => decode(kind, &state)?,
        };
        Ok(Self {
            doc,
            kind,
            request,
            checkpoint,
            f64_arrays: state.f64_arrays,
            open_seconds: started.elapsed().as_secs_f64(),
            file: Some(file),
        })
    }

    /// The output path the run finishes at.
    pub fn output_path(&self) -> Option<&Path> {
        self.file.as_ref().map(|f| f.paths().output.as_path())
    }

    pub(crate) fn take_file(&mut self) -> Option<RunFile> {
        self.file.take()
    }
}

fn decode(kind: ScenarioKind, state: &CheckpointState) -> Result<SolverCheckpoint, WriteError> {
    Ok(SolverCheckpoint::from_arrays(
        kind,
        &NamedArrays {
            f64_arrays: state.f64_arrays.clone(),
            u64_arrays: state.u64_arrays.clone(),
        },
    )?)
}
