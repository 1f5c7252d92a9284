//! Running the `cavitas` binary from the repository root, as a user does.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cavitas_hdf5::RunReader;

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

/// Starts `cavitas args…` writing `out`, holding it at the `nth` fault point `point` (the
/// test hook `CAVITAS_TEST_FAULT=<point>:pause@<nth>` prints `CAVITAS_TEST_FAULT paused at
/// <point>` on stderr and blocks reading stdin), waits for that line, and kills it hard
/// (SIGKILL) there: a handshake, so the kill lands at the same place on any machine. Asserts
/// it had not finished.
pub fn kill_at_fault_point(args: &[&str], out: &Path, point: &str, nth: u32) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cavitas"))
        .args(args)
        .current_dir(repo())
        .env("CAVITAS_TEST_FAULT", format!("{point}:pause@{nth}"))
        .stdin(Stdio::piped()) // held open: the paused child blocks on it
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let marker = format!("CAVITAS_TEST_FAULT paused at {point}");
    let mut seen = Vec::new();
    for line in std::io::BufReader::new(child.stderr.take().unwrap()).split(b'\n') {
        let line = String::from_utf8_lossy(&line.unwrap()).into_owned();
        if line.contains(&marker) {
            child.kill().unwrap(); // SIGKILL, while it waits at the point
            child.wait().unwrap();
            assert!(!out.exists(), "the run finished before it was killed");
            return;
        }
        seen.push(line);
    }
    let status = child.wait().unwrap();
    panic!(
        "the run ended ({status}) before reaching {point} (time {nth}); stderr:\n{}",
        seen.join("\n")
    );
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
