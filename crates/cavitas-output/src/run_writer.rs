//! [`RunWriter`]: a run's HDF5 file, written as the run goes. It is the run's
//! [`RunObserver`]: it creates the file when the run starts (once it knows the backend),
//! streams every sample, stores the checkpoints, and [`RunWriter::finish`] completes it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cavitas_hdf5::{CreateOptions, RunFile, RunPaths};
use cavitas_solver::compute::BackendRequest;
use cavitas_solver::config::ConfigDocument;
use cavitas_solver::driver::{
    ObserverError, RunObserver, RunOutcome, RunStart, RunView, ScenarioKind, SolverCheckpoint,
};

use crate::bubble_field_writer::BubbleFieldWriter;
use crate::crack_writer::CrackWriter;
use crate::provenance::provenance;
use crate::resume::{BACKEND_REQUEST, ResumedRun};
use crate::write_error::{InputError, WriteError};
use crate::written::Written;

/// The kind-specific part of an open run file.
#[derive(Debug)]
enum Layout {
    /// Not declared yet (the run has not started).
    Pending,
    Crack(Box<CrackWriter>),
    BubbleField(BubbleFieldWriter),
}

/// What to create when the run starts.
#[derive(Debug)]
struct Planned {
    path: PathBuf,
    options: CreateOptions,
    doc: ConfigDocument,
    request: BackendRequest,
}

/// A run file being written.
#[derive(Debug)]
pub struct RunWriter {
    planned: Option<Planned>,
    file: Option<RunFile>,
    layout: Layout,
    /// The checkpoint's own arrays when resuming (the crack writer keeps its state there).
    resumed_f64: Option<std::collections::BTreeMap<String, Vec<f64>>>,
    /// Seconds spent inside calls to the writer.
    seconds: f64,
    checkpoints: u64,
}

impl RunWriter {
    /// A file to create at `path` when the run described by `doc` starts on the backend
    /// `request` asks for. Refuses at once (before anything runs) an output that exists
    /// unless `options` force it, or a path inside a missing folder.
    pub fn plan(
        path: &Path,
        options: CreateOptions,
        doc: &ConfigDocument,
        request: &BackendRequest,
    ) -> Result<Self, WriteError> {
        if path.is_dir() {
            return Err(InputError(format!(
                "-o {}: a folder, not a file; name the run file (out.h5)",
                path.display()
            ))
            .into());
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(InputError(format!(
                "-o {}: the folder {} does not exist",
                path.display(),
                parent.display()
            ))
            .into());
        }
        if path.exists() && !options.force {
            return Err(InputError(format!(
                "{}: the output file exists; pass --force to replace it, or choose another path",
                path.display()
            ))
            .into());
        }
        Ok(Self {
            planned: Some(Planned {
                path: path.to_path_buf(),
                options,
                doc: doc.clone(),
                request: request.clone(),
            }),
            file: None,
            layout: Layout::Pending,
            resumed_f64: None,
            seconds: 0.0,
            checkpoints: 0,
        })
    }

    /// Continues the unfinished file of `resumed`.
    pub fn resuming(resumed: &mut ResumedRun) -> Self {
        Self {
            planned: None,
            file: resumed.take_file(),
            layout: Layout::Pending,
            resumed_f64: Some(resumed.f64_arrays.clone()),
            seconds: resumed.open_seconds,
            checkpoints: 0,
        }
    }

    /// The paths of the run file (output, `.partial`, `.ckpt`).
    pub fn paths(&self) -> RunPaths {
        match (&self.file, &self.planned) {
            (Some(f), _) => f.paths().clone(),
            (None, Some(p)) => RunPaths::new(&p.path),
            (None, None) => unreachable!("a writer has a file or a plan"),
        }
    }

    fn timed<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, WriteError>,
    ) -> Result<T, WriteError> {
        let started = Instant::now();
        let out = f(self);
        self.seconds += started.elapsed().as_secs_f64();
        out
    }

    fn file(&mut self) -> &mut RunFile {
        self.file
            .as_mut()
            .expect("the file is open once the run has started")
    }

    /// Completes the file with what only the end of the run knows, marks it complete and
    /// renames it to its output path. `started` is when the command began (for the cost).
    pub fn finish(
        mut self,
        outcome: &mut RunOutcome,
        started: Instant,
    ) -> Result<Written, WriteError> {
        let began = Instant::now();
        let file = self
            .file
            .take()
            .ok_or_else(|| InputError("the run file was never created".into()))?;
        let layout = std::mem::replace(&mut self.layout, Layout::Pending);
        let path = match (layout, outcome) {
            (Layout::Crack(writer), RunOutcome::Crack(o)) => {
                let o = &mut **o;
                writer.finish(file, &mut o.run, &o.sound, &o.summary)?
            }
            (Layout::BubbleField(_), RunOutcome::BubbleField(o)) => {
                BubbleFieldWriter::finish(file, &o.scenario, o)?
            }
            _ => {
                return Err(InputError(
                    "the run's outcome is not of the kind its file was declared for".into(),
                )
                .into());
            }
        };
        self.seconds += began.elapsed().as_secs_f64();
        Ok(Written::new(path, self.seconds, self.checkpoints, started))
    }

    fn start(&mut self, start: RunStart<'_>) -> Result<(), WriteError> {
        if let Some(plan) = self.planned.take() {
            if start.kind == ScenarioKind::Capsule {
                return Err(InputError(format!(
                    "-o {}: a capsule study has no time history to write; use --json",
                    plan.path.display()
                ))
                .into());
            }
            let mut file = RunFile::create(
                &plan.path,
                &provenance(&plan.doc, start.backend),
                plan.options,
            )?;
            let request =
                serde_json::to_string(&plan.request).map_err(|source| WriteError::Json {
                    what: "the backend request",
                    source,
                })?;
            file.set_attribute(BACKEND_REQUEST, &request)?;
            self.file = Some(file);
        }
        let resumed_f64 = self.resumed_f64.take();
        self.layout = match start.view {
            RunView::Crack(run) => {
                let file = self.file();
                Layout::Crack(Box::new(match &resumed_f64 {
                    Some(arrays) => CrackWriter::resumed(file, arrays, run)?,
                    None => CrackWriter::create(file, run)?,
                }))
            }
            RunView::BubbleFieldStart(s) => {
                Layout::BubbleField(BubbleFieldWriter::declare(self.file(), &s)?)
            }
            RunView::BubbleFieldInterval(_) | RunView::Capsule => {
                return Err(InputError(format!(
                    "a {} run cannot be written to a run file",
                    start.kind.name()
                ))
                .into());
            }
        };
        Ok(())
    }

    fn sample(&mut self, view: RunView<'_>) -> Result<(), WriteError> {
        let file = self.file.as_mut().expect("declared at the start");
        match (&mut self.layout, view) {
            (Layout::Crack(w), RunView::Crack(run)) => w.on_sample(file, run),
            (Layout::BubbleField(w), RunView::BubbleFieldInterval(s)) => w.on_interval(file, &s),
            _ => Err(InputError("a sample of another kind of run".into()).into()),
        }
    }

    fn store(&mut self, checkpoint: &SolverCheckpoint) -> Result<(), WriteError> {
        let file = self.file.as_mut().expect("declared at the start");
        match (&mut self.layout, checkpoint) {
            (Layout::Crack(w), SolverCheckpoint::Crack(c)) => w.checkpoint(file, c)?,
            (Layout::BubbleField(_), SolverCheckpoint::BubbleField(c)) => {
                BubbleFieldWriter::checkpoint(file, c)?
            }
            _ => return Err(InputError("a checkpoint of another kind of run".into()).into()),
        }
        self.checkpoints += 1;
        Ok(())
    }
}

impl RunObserver for RunWriter {
    fn on_start(&mut self, start: RunStart<'_>) -> Result<(), ObserverError> {
        Ok(self.timed(|w| w.start(start))?)
    }

    fn on_sample(&mut self, view: RunView<'_>) -> Result<(), ObserverError> {
        Ok(self.timed(|w| w.sample(view))?)
    }

    fn wants_checkpoints(&self) -> bool {
        true
    }

    fn on_checkpoint(&mut self, checkpoint: &SolverCheckpoint) -> Result<(), ObserverError> {
        Ok(self.timed(|w| w.store(checkpoint))?)
    }
}
