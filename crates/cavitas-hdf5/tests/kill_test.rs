//! Must-show 3: a run killed hard (SIGKILL) mid-run leaves a readable file
//! holding everything up to its last checkpoint, and resuming it ends with
//! the same data, bit for bit, as a run never interrupted.
//!
//! The child process is this test binary re-run on `child_entry` (ignored in a normal run,
//! so it never counts as a passing test) with `CAVITAS_HDF5_KILL_CHILD` set. The parent
//! sets the test fault hook `CAVITAS_TEST_FAULT=<point>:pause@<n>`: the child prints
//! `CAVITAS_TEST_FAULT paused at <point>` on stderr when it reaches the `n`-th time the
//! named point of a checkpoint and blocks reading stdin; the parent waits for that line and
//! SIGKILLs it there. A handshake, not a delay: every kill lands where the plan says, on
//! any machine.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use cavitas_hdf5::{FAULT_ENV, OutputError, RunFile, RunReader};
use common::*;

const ENV_OUT: &str = "CAVITAS_HDF5_KILL_CHILD";
const ENV_MODE: &str = "CAVITAS_HDF5_KILL_MODE";
const STEPS: u64 = 2400;

/// Checkpoint every so many steps in the two child modes: `slow` writes 150 steps between
/// checkpoints, `fast` checkpoints every 4 steps.
fn checkpoint_every(mode: &str) -> u64 {
    match mode {
        "fast" => 4,
        _ => 150,
    }
}

#[test]
#[ignore = "the child process of the kill tests, run by them with --ignored"]
fn child_entry() {
    let Ok(out) = std::env::var(ENV_OUT) else {
        // Run by hand with --ignored: only a spawned child has work to do.
        eprintln!("child_entry: no output named in the environment; nothing to do");
        return;
    };
    let ckpt_every = checkpoint_every(&std::env::var(ENV_MODE).unwrap_or_default());
    let mut run = RunFile::create(Path::new(&out), &provenance(), small_chunks()).unwrap();
    let h = declare(&mut run);
    let mut toy = Toy::new();
    write_step(&mut run, &h, &toy);
    while toy.step < STEPS {
        toy.advance();
        write_step(&mut run, &h, &toy);
        if toy.step.is_multiple_of(ckpt_every) {
            run.checkpoint(&toy.state()).unwrap();
        }
    }
    run.finish().unwrap();
}

/// Start a child run in `mode_name`, wait until it says it is paused at the `nth` time it
/// reached the fault point `point`, SIGKILL it there. Panics if it ends first.
fn run_and_kill(out: &Path, mode_name: &str, point: &str, nth: u64) {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "child_entry",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ENV_OUT, out)
        .env(ENV_MODE, mode_name)
        .env(FAULT_ENV, format!("{point}:pause@{nth}"))
        .stdin(Stdio::piped()) // held open: the paused child blocks on it
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let marker = format!("{FAULT_ENV} paused at {point}");
    let mut seen = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.contains(&marker) {
            child.kill().unwrap(); // SIGKILL on Unix
            let status = child.wait().unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                assert_eq!(status.signal(), Some(9), "{status:?}");
            }
            return;
        }
        seen.push(line);
    }
    let status = child.wait().unwrap();
    panic!(
        "{mode_name} child ended ({status:?}) before reaching {point} (time {nth}):\n{}",
        seen.join("\n")
    );
}

fn check_killed_then_resume(reference: &Path, out: &Path, reference_rows: &[[f64; 6]]) {
    // The output path does not exist yet; the reader says why.
    let err = RunReader::open(out).unwrap_err();
    assert!(matches!(err, OutputError::Incomplete { .. }), "{err}");

    // The partial file opens and holds everything up to the last checkpoint.
    let partial = RunReader::open_incomplete(out).unwrap();
    assert!(!partial.is_complete());
    let ck = partial.checkpoint().unwrap().expect("a checkpoint sidecar");
    assert!(ck.sequence >= 1);
    let in_file = ck.rows_in_run_file["joint/t"] as usize;
    let at_ckpt = ck.rows["joint/t"] as usize;
    assert_eq!(at_ckpt as u64, ck.state.step + 1);
    for (c, col) in joint_columns().iter().enumerate() {
        let a = partial.column("joint", &col.name).unwrap();
        assert!(
            a.values.len() >= in_file,
            "{}: {} < {in_file}",
            col.name,
            a.values.len()
        );
        for (i, v) in a.values.iter().enumerate() {
            assert_eq!(
                v.to_bits(),
                reference_rows[i][c].to_bits(),
                "{} row {i}",
                col.name
            );
        }
    }
    let snaps = partial.array("bubbles/radius").unwrap();
    assert!(snaps.shape[0] as u64 >= ck.rows_in_run_file["bubbles/radius"]);
    // Snapshot times reach the file with their snapshots.
    assert_eq!(partial.shape("bubbles/t").unwrap()[0], snaps.shape[0]);
    drop(partial);

    // Resume and finish: same data as the uninterrupted reference.
    let (mut run, state) = RunFile::resume(out).unwrap();
    assert_eq!(state.step, ck.state.step);
    let mut toy = Toy::from_state(&state);
    let h = declare(&mut run);
    run_toy(&mut run, &h, &mut toy, STEPS, 0, |_| {});
    run.finish().unwrap();
    assert_same_data(reference, out);
}

/// Every row the toy produces over `STEPS` steps, the initial state first.
fn toy_rows() -> Vec<[f64; 6]> {
    let mut toy = Toy::new();
    let mut rows = vec![toy.row()];
    while toy.step < STEPS {
        toy.advance();
        rows.push(toy.row());
    }
    rows
}

#[test]
fn sigkill_mid_run_then_resume_matches_uninterrupted_run() {
    let dir = temp_dir("kill");
    let reference = write_toy(&dir.join("reference.h5"), STEPS, 0);
    let rows = toy_rows();
    // Each kill at a named point of a checkpoint (the points in the order a checkpoint
    // reaches them: begin, closed, base-written, sidecar-written, committed, cleaned,
    // reopened), after earlier checkpoints exist: between checkpoints with 150 steps of
    // unsaved rows (`slow`), and inside the checkpoint itself, the file closed or the
    // sidecar half-made (`fast`).
    let plan: [(&str, &str, u64); 9] = [
        ("slow", "checkpoint:begin", 3),
        ("slow", "checkpoint:committed", 1),
        ("slow", "checkpoint:reopened", 2),
        ("slow", "checkpoint:cleaned", 7),
        ("fast", "checkpoint:closed", 2),
        ("fast", "checkpoint:base-written", 5),
        ("fast", "checkpoint:sidecar-written", 11),
        ("fast", "checkpoint:committed", 37),
        ("fast", "checkpoint:begin", 301),
    ];
    for (i, (mode_name, point, nth)) in plan.iter().enumerate() {
        let out = dir.join(format!("run_{i}.h5"));
        run_and_kill(&out, mode_name, point, *nth);
        check_killed_then_resume(&reference, &out, &rows);
    }
}

/// Many kills at pseudo-random checkpoints and points in `fast` mode (a checkpoint every 4
/// steps, 600 in all). Slow; run with
/// `cargo test -p cavitas-hdf5 --test kill_test -- --ignored sigkill_stress`, count from
/// `CAVITAS_HDF5_KILLS` (default 100).
#[test]
#[ignore = "slow: 100 child runs"]
fn sigkill_stress() {
    let n: usize = std::env::var("CAVITAS_HDF5_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let points = [
        "checkpoint:begin",
        "checkpoint:closed",
        "checkpoint:base-written",
        "checkpoint:sidecar-written",
        "checkpoint:committed",
        "checkpoint:cleaned",
        "checkpoint:reopened",
    ];
    let dir = temp_dir("kill-stress");
    let reference = write_toy(&dir.join("reference.h5"), STEPS, 0);
    let rows = toy_rows();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for i in 0..n {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let point = points[(seed % points.len() as u64) as usize];
        // From the second checkpoint on, so a committed one exists before the kill.
        let nth = 2 + (seed >> 8) % (STEPS / 4 - 1);
        let out = dir.join(format!("run_{i}.h5"));
        run_and_kill(&out, "fast", point, nth);
        check_killed_then_resume(&reference, &out, &rows);
        let _ = std::fs::remove_file(&out);
    }
    eprintln!(
        "sigkill_stress: {n} runs killed mid-checkpoint, all readable and resumed bit for bit"
    );
}
