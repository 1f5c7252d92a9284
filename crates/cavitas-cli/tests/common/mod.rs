//! Running the `cavitas` binary from the repository root, as a user does.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cavitas_hdf5::{RunPaths, RunReader};

/// Runs `cavitas` with `args` in the repository root and waits for it.
pub fn cavitas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cavitas"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the binary runs")
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The process's standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The one JSON object a successful `--json` run prints.
pub fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "failed: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("stdout is one JSON object")
}

/// Starts `cavitas args…` writing `out`, waits for its first checkpoint, lets it run `settle`
/// longer (a kill may land inside a later checkpoint), then kills it hard (SIGKILL); asserts
/// it had not finished.
pub fn kill_after_checkpoint(args: &[&str], out: &Path, settle: Duration) {
    let paths = RunPaths::new(out);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cavitas"))
        .args(args)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !paths.checkpoint.exists() {
        assert!(Instant::now() < deadline, "no checkpoint within 120 s");
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(settle);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!out.exists(), "the run finished before it was killed");
}

/// Every dataset, the events and the stored summary (if any) of two run files, bit for bit
/// (provenance attributes may differ).
pub fn assert_same_datasets(a: &Path, b: &Path) {
    let (ra, rb) = (RunReader::open(a).unwrap(), RunReader::open(b).unwrap());
    let paths = ra.dataset_paths().unwrap();
    assert_eq!(paths, rb.dataset_paths().unwrap());
    for path in paths.iter().filter(|p| *p != "events/kind") {
        let (x, y) = (ra.array(path).unwrap(), rb.array(path).unwrap());
        assert_eq!(x.shape, y.shape, "{path}");
        assert_eq!(x.unit, y.unit, "{path}");
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert!(bits(&x.values) == bits(&y.values), "{path} differs");
    }
    assert_eq!(ra.events().unwrap(), rb.events().unwrap());
    assert_eq!(
        ra.attribute("summary_json").unwrap(),
        rb.attribute("summary_json").unwrap()
    );
}
