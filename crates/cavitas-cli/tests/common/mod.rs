//! Running the `cavitas` binary from the repository root, as a user does.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
