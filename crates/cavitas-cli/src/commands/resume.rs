//! `--resume out.h5`: reopen a killed run at its last checkpoint, with the resolved config
//! and the backend stored in the file.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use cavitas_hdf5::{CheckpointState, RunFile, RunPaths, RunReader};
use cavitas_solver::bubbles::checkpoint::{BubbleCheckpoint, NamedArrays};
use cavitas_solver::compute::{BackendRequest, CpuPrecision};
use cavitas_solver::config::{ConfigDocument, ConfigOrigin};
use cavitas_solver::coupling::CrackCheckpoint;

use crate::exit::InputError;

/// Whether the resolved config of a run is a coupled joint (a `[capsule]` table) rather than
/// a bubble field.
pub fn is_crack_scenario(doc: &ConfigDocument) -> bool {
    doc.table().contains_key("capsule")
}

/// The solver state of a checkpoint, decoded for the kind of run that wrote it.
#[derive(Debug)]
pub enum SolverCheckpoint {
    /// A bubble-field run.
    Bubble(Box<BubbleCheckpoint>),
    /// A coupled joint run.
    Crack(Box<CrackCheckpoint>),
}

/// A run reopened at its last checkpoint.
#[derive(Debug)]
pub struct Resumed {
    pub doc: ConfigDocument,
    pub backend: BackendRequest,
    pub file: RunFile,
    pub checkpoint: SolverCheckpoint,
    /// Every named f64 array of the checkpoint: the solver's, and the writer's own (the time
    /// of the last snapshot of a coupled run).
    pub f64_arrays: BTreeMap<String, Vec<f64>>,
    /// Wall time spent reopening the run file, s.
    pub open_seconds: f64,
}

/// Reopens the unfinished run whose output is `path` (or its `.partial`).
pub fn resume(path: &Path) -> anyhow::Result<Resumed> {
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
    let (provenance, stored) = {
        let reader = RunReader::open_incomplete(&paths.partial)
            .with_context(|| format!("--resume {}", path.display()))?;
        let provenance = reader
            .provenance()
            .with_context(|| format!("--resume {}: reading the provenance", path.display()))?;
        let stored = reader
            .checkpoint()
            .with_context(|| format!("--resume {}: reading the checkpoint", path.display()))?;
        (provenance, stored)
    };
    let backend = match (provenance.backend.as_str(), provenance.precision.as_str()) {
        ("cpu", "f32") => BackendRequest::Cpu {
            precision: CpuPrecision::F32,
            threads: 0,
        },
        ("cpu", _) => BackendRequest::Cpu {
            precision: CpuPrecision::F64,
            threads: 0,
        },
        _ => BackendRequest::Gpu { adapter: None },
    };
    let doc = ConfigDocument::from_text(
        ConfigOrigin::File(paths.partial.clone()),
        &provenance.config_text,
        &[],
    )?;
    // Decode the solver state before the run file is opened for writing, so a damaged
    // checkpoint is refused with the file left as it was.
    let checkpoint = match &stored {
        Some(info) => Some(
            decode(&doc, &info.state)
                .with_context(|| format!("--resume {}: the checkpoint", path.display()))?,
        ),
        None => None,
    };
    let started = std::time::Instant::now();
    let (file, state) =
        RunFile::resume(path).with_context(|| format!("--resume {}", path.display()))?;
    let checkpoint = match checkpoint {
        Some(c) => c,
        // The run file found a checkpoint the reader did not: decode that one.
        None => decode(&doc, &state)
            .with_context(|| format!("--resume {}: the checkpoint", path.display()))?,
    };
    let open_seconds = started.elapsed().as_secs_f64();
    Ok(Resumed {
        doc,
        backend,
        file,
        checkpoint,
        f64_arrays: state.f64_arrays,
        open_seconds,
    })
}

/// The solver state of `state`, for the kind of run `doc` describes.
fn decode(doc: &ConfigDocument, state: &CheckpointState) -> anyhow::Result<SolverCheckpoint> {
    Ok(if is_crack_scenario(doc) {
        SolverCheckpoint::Crack(Box::new(CrackCheckpoint::from_arrays(&state.u64_arrays)?))
    } else {
        SolverCheckpoint::Bubble(Box::new(BubbleCheckpoint::from_arrays(&NamedArrays {
            f64_arrays: state.f64_arrays.clone(),
            u64_arrays: state.u64_arrays.clone(),
        })?))
    })
}
