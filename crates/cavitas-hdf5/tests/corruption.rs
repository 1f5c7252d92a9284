//! Damage on disk is either refused, naming what is damaged, or harmless: never
//! a silent wrong result, and never a deleted checkpoint.
//!
//! A run is stopped (the process aborts) after its second checkpoint, leaving
//! `out.h5.partial`, `out.h5.ckpt` and the checkpoint's copy of the run file
//! `out.h5.ckpt.2.base`. Each case copies those, damages one of them at one
//! offset (one bit flipped, or 8 to 4096 bytes zeroed) and resumes and
//! finishes the run; a finished file is damaged the same way and verified.
//! Every case must end refused (an error; for a finished file, `verify`
//! naming the damage) or with data and attributes equal to the uninterrupted
//! run's. Its own test binary: it silences the panic hook while comparing.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use cavitas_hdf5::{OutputError, RunFile, verify};
use common::*;

const ENV_OUT: &str = "CAVITAS_HDF5_CORRUPTION_CHILD";
const STEPS: u64 = 700;
const CKPT_EVERY: u64 = 150;
/// Damaged copies per target file (four targets).
const CASES_PER_TARGET: usize = 30;

/// The child: a toy run checkpointed every `CKPT_EVERY` steps, aborted at step 400.
#[test]
#[ignore = "the child process of the tests below, run by them with --ignored"]
fn child_entry() {
    let Ok(out) = std::env::var(ENV_OUT) else {
        // Run by hand with --ignored: only a spawned child has work to do.
        eprintln!("child_entry: no output named in the environment; nothing to do");
        return;
    };
    let mut run = RunFile::create(Path::new(&out), &provenance(), small_chunks()).unwrap();
    let h = declare(&mut run);
    let mut toy = Toy::new();
    write_step(&mut run, &h, &toy);
    run_toy(&mut run, &h, &mut toy, 400, CKPT_EVERY, |_| {});
    std::io::stdout().flush().unwrap();
    std::process::abort();
}

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Damage `bytes` at a random offset: flip one bit, or zero 8..=4096 bytes.
fn damage(bytes: &mut [u8], seed: &mut u64) -> String {
    let at = (next(seed) % bytes.len() as u64) as usize;
    if next(seed).is_multiple_of(2) {
        let bit = next(seed) % 8;
        bytes[at] ^= 1 << bit;
        format!("bit {bit} of byte {at} flipped")
    } else {
        let n = (8 + next(seed) % 4089) as usize;
        let end = (at + n).min(bytes.len());
        bytes[at..end].fill(0);
        format!("bytes {at}..{end} zeroed")
    }
}

fn resume_and_finish(out: &Path) -> Result<(), OutputError> {
    let (mut run, state) = RunFile::resume(out)?;
    let mut toy = Toy::from_state(&state);
    let h = declare(&mut run);
    run_toy(&mut run, &h, &mut toy, STEPS, CKPT_EVERY, |_| {});
    run.finish()?;
    Ok(())
}

fn panic_text(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[derive(Default, Debug)]
struct Tally {
    equal: usize,
    refused_named: usize,
    refused_other: Vec<String>,
    silent_wrong: Vec<String>,
    deleted_checkpoint: Vec<String>,
}

#[test]
fn damaged_files_are_refused_or_harmless() {
    let dir = temp_dir("corruption");
    let reference = write_toy(&dir.join("reference.h5"), STEPS, CKPT_EVERY);
    let stopped = dir.join("stopped.h5");
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_entry",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ENV_OUT, &stopped)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success());
    let originals: Vec<(&str, Vec<u8>)> = [
        "stopped.h5.partial",
        "stopped.h5.ckpt",
        "stopped.h5.ckpt.2.base",
    ]
    .iter()
    .map(|n| (*n, std::fs::read(dir.join(n)).unwrap()))
    .collect();
    let finished = std::fs::read(&reference).unwrap();

    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut tally = Tally::default();
    let mut seed = 0x51f1_5eed_cafe_f00du64;
    let mut case = 0;
    for target in 0..4 {
        for _ in 0..CASES_PER_TARGET {
            case += 1;
            let sub = dir.join(format!("c{case}"));
            std::fs::create_dir_all(&sub).unwrap();
            if target == 3 {
                let mut b = finished.clone();
                let what = format!("finished file: {}", damage(&mut b, &mut seed));
                let p = sub.join("run.h5");
                std::fs::write(&p, &b).unwrap();
                let report = verify(&p).unwrap();
                if !report.is_intact() {
                    assert!(report.damaged.iter().all(|(o, _)| !o.is_empty()));
                    tally.refused_named += 1;
                } else {
                    match std::panic::catch_unwind(|| assert_same_file(&reference, &p)) {
                        Ok(()) => tally.equal += 1,
                        Err(e) => tally
                            .silent_wrong
                            .push(format!("{what}: {}", panic_text(&e))),
                    }
                }
                continue;
            }
            let out = sub.join("stopped.h5");
            let mut what = String::new();
            for (i, (name, bytes)) in originals.iter().enumerate() {
                let mut b = bytes.clone();
                if i == target {
                    what = format!("{name}: {}", damage(&mut b, &mut seed));
                }
                std::fs::write(sub.join(name), &b).unwrap();
            }
            let result = std::panic::catch_unwind(|| resume_and_finish(&out));
            match result {
                Ok(Ok(())) => match std::panic::catch_unwind(|| assert_same_file(&reference, &out))
                {
                    Ok(()) => tally.equal += 1,
                    Err(e) => tally
                        .silent_wrong
                        .push(format!("{what}: {}", panic_text(&e))),
                },
                Ok(Err(e)) => {
                    if matches!(e, OutputError::Damaged { .. }) {
                        tally.refused_named += 1;
                    } else {
                        tally.refused_other.push(format!("{what}: {e}"));
                    }
                    assert!(e.to_string().contains("stopped.h5"), "{what}: {e}");
                    if !sub.join("stopped.h5.ckpt").exists() {
                        tally.deleted_checkpoint.push(what.clone());
                    }
                }
                Err(_) => panic!("{what}: a panic escaped"),
            }
        }
    }
    std::panic::set_hook(hook);
    for r in &tally.refused_other {
        eprintln!("  refused (not by a checksum): {r}");
    }
    eprintln!(
        "corruption: {case} cases: {} equal to the uninterrupted run, {} refused naming the damage, {} refused otherwise, {} silent wrong, {} checkpoints deleted",
        tally.equal,
        tally.refused_named,
        tally.refused_other.len(),
        tally.silent_wrong.len(),
        tally.deleted_checkpoint.len()
    );
    assert!(case >= 100);
    assert!(
        tally.silent_wrong.is_empty(),
        "silent wrong results: {:?}",
        tally.silent_wrong
    );
    assert!(
        tally.deleted_checkpoint.is_empty(),
        "checkpoints deleted: {:?}",
        tally.deleted_checkpoint
    );
    // Damage to the run file or to the copy alone is recovered from the other.
    assert!(tally.equal >= 2 * CASES_PER_TARGET / 2, "{tally:?}");
}
