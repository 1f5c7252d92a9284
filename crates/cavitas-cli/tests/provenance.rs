//! Provenance that is true: the revision a run file records is the one the program was
//! built from, wherever it runs, and the configuration it stores reruns the same figures.

mod common;

use std::path::Path;
use std::process::Command;

use cavitas_hdf5::RunReader;
use common::{json, repo, stderr};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cavitas-prov-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cavitas"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn the_recorded_revision_is_the_build_s_wherever_the_program_runs() {
    let Some(head) = git(&repo(), &["rev-parse", "HEAD"]) else {
        eprintln!("SKIPPED: the source is not a git checkout, so there is no revision to match");
        return;
    };
    // Run from inside another repository, which a run-time `git describe` would record.
    let elsewhere = temp_dir("elsewhere");
    git(&elsewhere, &["init", "-q"]).expect("git init");
    let config = repo().join("configs/bubble/minnaert.toml");
    let out = elsewhere.join("run.h5");
    let o = run_in(
        &elsewhere,
        &[
            "bubble",
            config.to_str().unwrap(),
            "--backend",
            "cpu",
            "--set",
            "duration_s=2e-5",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let recorded = RunReader::open(&out)
        .unwrap()
        .provenance()
        .unwrap()
        .git_revision;
    let sha = recorded.trim_end_matches("-dirty");
    assert_eq!(sha, head, "recorded {recorded}");
    std::fs::remove_dir_all(&elsewhere).unwrap();
}

/// The numbers of a `--json` summary, by path, leaving out what differs between two runs of
/// the same physics (wall time, where the config came from, the output file).
fn figures(value: &serde_json::Value, path: &str, out: &mut Vec<(String, u64)>) {
    const NOT_PHYSICS: [&str; 5] = [
        "wall_time_s",
        "config_origin",
        "output",
        "config",
        "config_text",
    ];
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if path.is_empty() && NOT_PHYSICS.contains(&key.as_str()) {
                    continue;
                }
                figures(v, &format!("{path}/{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                figures(v, &format!("{path}/{i}"), out);
            }
        }
        serde_json::Value::Number(n) => out.push((path.to_string(), n.as_f64().unwrap().to_bits())),
        _ => {}
    }
}

#[test]
fn the_stored_configuration_reruns_the_same_figures_bitwise() {
    let dir = temp_dir("rerun");
    let out = dir.join("first.h5");
    let first = json(&common::cavitas(&[
        "bubble",
        "configs/bubble/dissolution.toml",
        "--backend",
        "cpu",
        "--set",
        "duration_s=0.05",
        "--json",
        "-o",
        out.to_str().unwrap(),
    ]));
    let stored = RunReader::open(&out)
        .unwrap()
        .provenance()
        .unwrap()
        .config_text;
    let rerun_config = dir.join("stored.toml");
    std::fs::write(&rerun_config, &stored).unwrap();
    let second = json(&common::cavitas(&[
        "bubble",
        rerun_config.to_str().unwrap(),
        "--backend",
        "cpu",
        "--json",
    ]));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    figures(&first, "", &mut a);
    figures(&second, "", &mut b);
    assert!(a.len() > 10, "{a:?}");
    assert_eq!(a, b);
    std::fs::remove_dir_all(&dir).unwrap();
}
