//! The finish protocol and the faults around it, each in a child process (this
//! test binary re-run on `child_entry`, as `kill_test.rs` does) so that a fault
//! injected with `CAVITAS_TEST_FAULT` (an abort, a pause, a full disk) hits only
//! that run:
//!
//! - a run aborted at every named point of checkpoint and finish resumes to a
//!   file equal to the uninterrupted run's, data and attributes (all but when
//!   and how long it ran, and its id);
//! - a full disk during a checkpoint leaves no temporary file and the previous
//!   checkpoint in place, and the run resumes from it;
//! - a second writer is refused while the first lives (forced or not) without
//!   touching its files, and takes over the lock once the first is dead.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use cavitas_hdf5::{CreateOptions, FAULT_ENV, FAULT_POINTS, OutputError, RunFile, RunReader};
use common::*;

const ENV_OUT: &str = "CAVITAS_HDF5_INTEGRITY_CHILD";
const STEPS: u64 = 700;
const CKPT_EVERY: u64 = 97;

/// The child: a whole toy run with a checkpoint every `CKPT_EVERY` steps. A
/// failed checkpoint is reported on stdout and the process exits at once (3),
/// as a run that dies of its error does.
#[test]
#[ignore = "the child process of the tests below, run by them with --ignored"]
fn child_entry() {
    let Ok(out) = std::env::var(ENV_OUT) else {
        // Run by hand with --ignored: only a spawned child has work to do.
        eprintln!("child_entry: no output named in the environment; nothing to do");
        return;
    };
    let mut stdout = std::io::stdout();
    let mut run = RunFile::create(Path::new(&out), &provenance(), small_chunks()).unwrap();
    let h = declare(&mut run);
    let mut toy = Toy::new();
    write_step(&mut run, &h, &toy);
    while toy.step < STEPS {
        toy.advance();
        write_step(&mut run, &h, &toy);
        if toy.step.is_multiple_of(CKPT_EVERY) {
            if let Err(e) = run.checkpoint(&toy.state()) {
                writeln!(stdout, "CHECKPOINT_FAILED {e}").unwrap();
                stdout.flush().unwrap();
                std::process::exit(3);
            }
            writeln!(stdout, "CHECKPOINT {}", toy.step).unwrap();
            stdout.flush().unwrap();
        }
    }
    run.finish().unwrap();
    writeln!(stdout, "FINISHED").unwrap();
}

fn spawn(out: &Path, fault: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "child_entry",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ENV_OUT, out)
        .env(FAULT_ENV, fault)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Resume `out` and run the toy to the end (or accept that finish had already
/// renamed the output), then check it equals `reference` and nothing is left.
fn resume_to_the_end(out: &Path, reference: &Path, what: &str) {
    match RunFile::resume(out) {
        Ok((mut run, state)) => {
            let mut toy = Toy::from_state(&state);
            let h = declare(&mut run);
            run_toy(&mut run, &h, &mut toy, STEPS, CKPT_EVERY, |_| {});
            run.finish().unwrap();
        }
        Err(OutputError::AlreadyFinished { .. }) => {
            assert!(
                ["finish:renamed", "finish:checkpoint-removed", "finish:done"].contains(&what),
                "{what}: AlreadyFinished before the rename"
            );
        }
        Err(e) => panic!("{what}: resume failed: {e}"),
    }
    assert_same_file(reference, out);
    let left: Vec<PathBuf> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            let base = out.file_name().unwrap().to_string_lossy().to_string();
            n.starts_with(&base) && n != base
        })
        .collect();
    assert!(left.is_empty(), "{what}: left behind {left:?}");
}

#[test]
fn abort_at_every_point_of_checkpoint_and_finish_then_resume() {
    let dir = temp_dir("every-point");
    let reference = write_toy(&dir.join("reference.h5"), STEPS, CKPT_EVERY);
    for (i, point) in FAULT_POINTS.iter().enumerate() {
        // The second checkpoint (so a previous one exists), the only finish.
        let nth = if point.starts_with("checkpoint:") {
            2
        } else {
            1
        };
        let sub = dir.join(format!("p{i}"));
        std::fs::create_dir_all(&sub).unwrap();
        let out = sub.join("run.h5");
        let child = spawn(&out, &format!("{point}:abort@{nth}"));
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "{point}: the child was not stopped"
        );
        assert!(
            stderr.contains(&format!("{FAULT_ENV} abort at {point}")),
            "{point}: {stderr}"
        );
        if point.starts_with("finish:") && *point != "finish:begin" {
            // What the kill left: a resumable run or a finished file, never neither.
            assert!(out.exists() || dir.join(format!("p{i}/run.h5.ckpt")).exists());
        }
        resume_to_the_end(&out, &reference, point);
    }
}

#[test]
fn disk_full_during_a_checkpoint_keeps_the_last_good_one() {
    let dir = temp_dir("enospc");
    let reference = write_toy(&dir.join("reference.h5"), STEPS, CKPT_EVERY);
    for (i, point) in ["checkpoint:base-written", "checkpoint:sidecar-written"]
        .iter()
        .enumerate()
    {
        let sub = dir.join(format!("d{i}"));
        std::fs::create_dir_all(&sub).unwrap();
        let out = sub.join("run.h5");
        let output = spawn(&out, &format!("{point}:enospc@3"))
            .wait_with_output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(3), "{point}: {stdout}");
        assert!(stdout.contains("No space left on device"), "{stdout}");
        let names: Vec<String> = std::fs::read_dir(&sub)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
        assert!(
            !names.iter().any(|n| n == "run.h5.ckpt.3.base"),
            "{names:?}"
        );
        assert!(names.iter().any(|n| n == "run.h5.ckpt.2.base"), "{names:?}");
        let ck = RunReader::open_incomplete(&out)
            .unwrap()
            .checkpoint()
            .unwrap()
            .unwrap();
        assert_eq!(ck.sequence, 2, "{point}: the last good checkpoint is kept");
        resume_to_the_end(&out, &reference, point);
    }
}

#[test]
fn a_second_writer_is_refused_and_a_dead_ones_lock_is_taken() {
    let dir = temp_dir("lock");
    let reference = write_toy(&dir.join("reference.h5"), STEPS, CKPT_EVERY);
    let out = dir.join("run.h5");
    let mut child = spawn(&out, "checkpoint:reopened:pause@1");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "child ended early"
        );
        if line.contains("paused at checkpoint:reopened") {
            break;
        }
    }
    let partial = std::fs::read(dir.join("run.h5.partial")).unwrap();
    let ckpt = std::fs::read(dir.join("run.h5.ckpt")).unwrap();
    for force in [false, true] {
        let err = RunFile::create(&out, &provenance(), CreateOptions::force(force)).unwrap_err();
        assert!(matches!(err, OutputError::Locked { .. }), "{err}");
        assert!(err.to_string().contains(&child.id().to_string()), "{err}");
    }
    assert!(matches!(
        RunFile::resume(&out).unwrap_err(),
        OutputError::Locked { .. }
    ));
    assert_eq!(std::fs::read(dir.join("run.h5.partial")).unwrap(), partial);
    assert_eq!(std::fs::read(dir.join("run.h5.ckpt")).unwrap(), ckpt);
    // Let it go on: it finishes as if nothing had happened.
    child.stdin.take().unwrap().write_all(b"\n").unwrap();
    assert!(child.wait().unwrap().success());
    assert_same_file(&reference, &out);

    // A writer killed while holding the lock leaves its file; the lock is free.
    let out2 = dir.join("killed.h5");
    let status = spawn(&out2, "checkpoint:committed:abort@1").wait().unwrap();
    assert!(!status.success());
    assert!(dir.join("killed.h5.lock").exists());
    resume_to_the_end(&out2, &reference, "checkpoint:committed");
}
