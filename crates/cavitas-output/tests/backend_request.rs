//! The backend a run asked for — kind, precision and adapter filter — is stored in its file
//! as data and read back by `--resume`, so a killed run continues on the backend it asked
//! for (not on whatever the provenance strings suggest).

use cavitas_hdf5::CreateOptions;
use cavitas_output::{ResumedRun, RunWriter};
use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::bubbles::scenario::BubbleScenario;
use cavitas_solver::bubbles::study::run_bubble_study;
use cavitas_solver::compute::{BackendRequest, CpuPrecision};
use cavitas_solver::config::ConfigDocument;
use cavitas_solver::driver::{ObserverError, RunObserver, RunStart, RunView, SolverCheckpoint};

/// Passes everything to the writer and stops the run after its first checkpoint, as a kill
/// would (the writer is then dropped unfinished).
struct StopAfterCheckpoint<'a>(&'a mut RunWriter);

impl RunObserver for StopAfterCheckpoint<'_> {
    fn on_start(&mut self, start: RunStart<'_>) -> Result<(), ObserverError> {
        self.0.on_start(start)
    }
    fn on_sample(&mut self, view: RunView<'_>) -> Result<(), ObserverError> {
        self.0.on_sample(view)
    }
    fn wants_checkpoints(&self) -> bool {
        true
    }
    fn on_checkpoint(&mut self, c: &SolverCheckpoint) -> Result<(), ObserverError> {
        self.0.on_checkpoint(c)?;
        Err("stopped after the first checkpoint".into())
    }
}

fn killed_run(request: &BackendRequest, dir: &std::path::Path) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cavitas-solver/configs/bubble/ensemble.toml");
    let overrides = vec![
        "duration_s=5.0e-5".to_string(),
        "checkpoint_interval_s=0".to_string(),
    ];
    let doc = ConfigDocument::load(Some(&path), ("unused", ""), &overrides).unwrap();
    let scenario: BubbleScenario = doc.parse().unwrap();
    scenario.check(doc.origin()).unwrap();
    let out = dir.join("killed.h5");
    let mut writer = RunWriter::plan(&out, CreateOptions::default(), &doc, request).unwrap();
    let stopped = run_bubble_study(
        &scenario,
        Box::new(CpuBackend::<f64>::new(&scenario.tolerances, 1)),
        None,
        &mut StopAfterCheckpoint(&mut writer),
        None,
    );
    assert!(stopped.is_err(), "the run stops at its first checkpoint");
    drop(writer);
    out
}

#[test]
fn resume_reads_back_the_backend_request_with_its_adapter_filter() {
    for (i, request) in [
        BackendRequest::Gpu {
            adapter: Some("llvmpipe".into()),
        },
        BackendRequest::Cpu {
            precision: CpuPrecision::F32,
            threads: 0,
        },
        BackendRequest::Auto,
    ]
    .into_iter()
    .enumerate()
    {
        let dir = std::env::temp_dir().join(format!(
            "cavitas-backend-request-{}-{i}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = killed_run(&request, &dir);
        let resumed = ResumedRun::reopen(&out).unwrap();
        assert_eq!(resumed.request, request);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
