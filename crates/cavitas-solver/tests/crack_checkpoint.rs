//! Checkpoint and restart of a coupled run: a run stopped between two macro steps, encoded,
//! decoded into a fresh run of the same scenario and continued ends in exactly the state of
//! the run that was never stopped (on the CPU backend: bit for bit, compared through the
//! encoding of the whole final state).

use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::config::ConfigDocument;
use cavitas_solver::coupling::crack_checkpoint::CrackCheckpointError;
use cavitas_solver::coupling::{CrackCheckpoint, CrackError, CrackRun, CrackScenario, Phase};

/// The default traction made quick: a faster ramp (the crack comes at ~6.6 s), fewer nuclei,
/// and an end 0.3 s after the crack, so the cavity is still ringing and settling.
const QUICK: &[&str] = &[
    "loading.ramp_s=8.0",
    "nuclei.count=40",
    "coupling.duration_s=6.9",
];

fn fresh_run(extra: &[&str]) -> CrackRun {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/mcp-traction.toml");
    let overrides: Vec<String> = QUICK.iter().chain(extra).map(|s| s.to_string()).collect();
    let doc = ConfigDocument::load(Some(&path), ("unused", ""), &overrides).unwrap();
    let scenario: CrackScenario = doc.parse().unwrap();
    scenario.check(doc.origin()).unwrap();
    let backend = Box::new(CpuBackend::<f64>::new(&scenario.tolerances, 1));
    CrackRun::new(scenario, doc.origin(), backend).unwrap()
}

/// Takes accepted steps until `stop` holds.
fn step_until(run: &mut CrackRun, stop: impl Fn(&CrackRun) -> bool) {
    let end = run.end_time_s();
    while !stop(run) {
        assert!(
            run.time_s() < end,
            "the run ended before the stop condition"
        );
        run.step(end).unwrap();
    }
}

/// Through the file representation: packed words and back.
fn through_arrays(checkpoint: &CrackCheckpoint) -> CrackCheckpoint {
    let (f64s, u64s) = checkpoint.to_arrays();
    assert_eq!(f64s["time_s"], vec![checkpoint.time_s()]);
    CrackCheckpoint::from_arrays(&u64s).unwrap()
}

#[test]
fn a_run_resumed_in_creep_and_in_the_ringing_ends_bit_for_bit_as_the_uninterrupted_one() {
    let mut whole = fresh_run(&[]);
    whole.run_to_end(|_| {}).unwrap();
    assert!(whole.monitor().cracks().len() == 1, "the quick run cracks");
    let expected = whole.checkpoint().unwrap().to_bytes();

    // Stop in the creep, half way to the crack.
    let mut first = fresh_run(&[]);
    step_until(&mut first, |r| r.time_s() > 3.0);
    assert_eq!(first.phase(), Phase::Creep);
    let in_creep = through_arrays(&first.checkpoint().unwrap());
    drop(first);

    // Resume, and stop again 25 steps into the dynamics of the cavity.
    let mut second = fresh_run(&[]);
    second.resume_from(in_creep).unwrap();
    step_until(&mut second, |r| r.phase() == Phase::Crack);
    let start = second.statistics().accepted;
    step_until(&mut second, |r| r.statistics().accepted >= start + 25);
    assert_eq!(second.phase(), Phase::Crack, "still ringing");
    let ringing = through_arrays(&second.checkpoint().unwrap());
    drop(second);

    let mut third = fresh_run(&[]);
    third.resume_from(ringing).unwrap();
    third.run_to_end(|_| {}).unwrap();
    let resumed = third.checkpoint().unwrap().to_bytes();
    assert_eq!(whole.series().len(), third.series().len());
    assert!(
        resumed == expected,
        "the resumed run's final state differs from the uninterrupted run's"
    );
}

#[test]
fn a_checkpoint_of_another_population_is_refused() {
    let mut run = fresh_run(&[]);
    run.step(run.end_time_s()).unwrap();
    let checkpoint = run.checkpoint().unwrap();
    let mut other = fresh_run(&["nuclei.seed=8"]);
    let err = other.resume_from(checkpoint).unwrap_err();
    assert!(
        matches!(
            err,
            CrackError::Checkpoint(CrackCheckpointError::Mismatch(_))
        ),
        "{err}"
    );
    // A damaged encoding is an error, not a panic.
    let mut bytes = run.checkpoint().unwrap().to_bytes();
    bytes.truncate(bytes.len() / 2);
    assert!(CrackCheckpoint::from_bytes(&bytes).is_err());
}
