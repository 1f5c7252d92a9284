//! Golden checkpoints: one of a coupled run and one of a bubble-field run, written by an
//! earlier build and committed under `tests/fixtures/`. Every build must still decode them
//! into the state they hold and resume them in their scenario — or refuse them with a clear
//! version error, if the encoding's version was bumped, and then carry a fixture of the new
//! version. A layout change without a version bump fails here.
//!
//! Regenerate (after a deliberate version bump):
//! `cargo test -p cavitas-solver --test checkpoint_fixtures -- --ignored regenerate`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cavitas_solver::bubbles::checkpoint::{BubbleCheckpoint, NamedArrays};
use cavitas_solver::bubbles::cpu::CpuBackend;
use cavitas_solver::bubbles::scenario::BubbleScenario;
use cavitas_solver::bubbles::species::GasSpecies;
use cavitas_solver::bubbles::study::run_bubble_study;
use cavitas_solver::config::{ConfigDocument, ConfigOrigin};
use cavitas_solver::coupling::crack_checkpoint::{CRACK_CHECKPOINT_VERSION, CrackCheckpointError};
use cavitas_solver::coupling::{CrackCheckpoint, CrackRun, CrackScenario, Phase};
use cavitas_solver::driver::{ObserverError, RunObserver, SolverCheckpoint};
use serde::{Deserialize, Serialize};

/// A fixture file: the scenario text, the checkpoint's arrays (floats as their bits, so NaN
/// and every last bit survive JSON) and values decoded from them when it was written.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Fixture {
    /// What wrote it.
    note: String,
    /// Encoding version of a coupled checkpoint (0 for a bubble field's named arrays).
    version: u64,
    /// The species table of the build that wrote it, in order.
    #[serde(default)]
    species: Vec<String>,
    /// The scenario, resolved.
    config: String,
    f64_bits: BTreeMap<String, Vec<u64>>,
    u64_arrays: BTreeMap<String, Vec<u64>>,
    /// Values the decoded state must hold (bits of f64, or integers).
    expect: BTreeMap<String, u64>,
}

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.json"))
}

fn read_fixture(name: &str) -> Fixture {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; after a version bump write the new fixture with \
             `cargo test -p cavitas-solver --test checkpoint_fixtures -- --ignored regenerate`",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

fn arrays(f: &Fixture) -> NamedArrays {
    NamedArrays {
        f64_arrays: f
            .f64_bits
            .iter()
            .map(|(k, v)| (k.clone(), v.iter().map(|&b| f64::from_bits(b)).collect()))
            .collect(),
        u64_arrays: f.u64_arrays.clone(),
    }
}

fn bits_of(a: &NamedArrays) -> BTreeMap<String, Vec<u64>> {
    a.f64_arrays
        .iter()
        .map(|(k, v)| (k.clone(), v.iter().map(|x| x.to_bits()).collect()))
        .collect()
}

/// The default traction made quick (as in `crack_checkpoint.rs`).
const CRACK_OVERRIDES: &[&str] = &[
    "loading.ramp_s=8.0",
    "nuclei.count=40",
    "coupling.duration_s=6.9",
];

fn crack_run(config: &str) -> CrackRun {
    let doc = ConfigDocument::from_text(ConfigOrigin::BuiltIn("fixture"), config, &[]).unwrap();
    let scenario: CrackScenario = doc.parse().unwrap();
    scenario.check(doc.origin()).unwrap();
    let backend = Box::new(CpuBackend::<f64>::new(&scenario.tolerances, 1));
    CrackRun::new(scenario, doc.origin(), backend).unwrap()
}

fn crack_name(version: u64) -> String {
    format!("crack_checkpoint_v{version}")
}

/// The coupled checkpoint of this build's version decodes into the state it held, encodes
/// back to the same bytes and resumes in its scenario.
#[test]
fn the_coupled_fixture_of_this_version_decodes_and_resumes() {
    let fixture = read_fixture(&crack_name(CRACK_CHECKPOINT_VERSION));
    let checkpoint = CrackCheckpoint::from_arrays(&fixture.u64_arrays).unwrap_or_else(|e| {
        panic!(
            "the committed v{CRACK_CHECKPOINT_VERSION} fixture no longer decodes ({e}): the \
             layout of the coupled state changed; bump CRACK_CHECKPOINT_VERSION and regenerate"
        )
    });
    let expect = |k: &str| fixture.expect[k];
    assert_eq!(
        checkpoint.time_s().to_bits(),
        expect("time_s"),
        "the layout of the coupled state changed (decoded time differs): bump \
         CRACK_CHECKPOINT_VERSION and regenerate the fixture"
    );
    assert_eq!(checkpoint.accepted_steps(), expect("accepted"));
    assert_eq!(checkpoint.series().len() as u64, expect("series"));
    let last = checkpoint.series().last().unwrap();
    assert_eq!(last.pressure_pa.to_bits(), expect("pressure_pa"));
    assert_eq!(last.gap_m.to_bits(), expect("gap_m"));
    let ours: Vec<String> = GasSpecies::ALL.map(|s| s.name().to_string()).to_vec();
    if fixture.species == ours {
        let (_, words) = checkpoint.to_arrays();
        assert!(
            words == fixture.u64_arrays,
            "decoding and encoding again changes the bytes: the layout changed"
        );
    } else {
        // Species appended to the table since: they decode as absent everywhere.
        assert!(
            ours.starts_with(&fixture.species),
            "the species table changed other than by appending: {:?} -> {ours:?}",
            fixture.species
        );
        for sample in checkpoint.series() {
            for k in fixture.species.len()..ours.len() {
                assert_eq!(sample.bubble_gas_mol[k], 0.0);
                assert_eq!(sample.dissolved_gas_mol[k], 0.0);
            }
        }
    }
    let mut run = crack_run(&fixture.config);
    run.resume_from(checkpoint).unwrap();
    assert_eq!(
        run.phase(),
        Phase::Crack,
        "the fixture is taken in the ringing"
    );
    for _ in 0..5 {
        run.step(run.end_time_s()).unwrap();
    }
}

/// Every older coupled fixture is refused with the version that wrote it and the version
/// this build reads, never misread.
#[test]
fn older_coupled_fixtures_are_refused_naming_both_versions() {
    for version in 1..CRACK_CHECKPOINT_VERSION {
        let path = fixture_path(&crack_name(version));
        if !path.exists() {
            continue;
        }
        let fixture = read_fixture(&crack_name(version));
        let err = CrackCheckpoint::from_arrays(&fixture.u64_arrays).unwrap_err();
        assert!(
            matches!(err, CrackCheckpointError::Version { found, expected }
                if found == version && expected == CRACK_CHECKPOINT_VERSION),
            "{err}"
        );
        let message = err.to_string();
        assert!(
            message.contains(&format!("version {version}"))
                && message.contains(&format!("version {CRACK_CHECKPOINT_VERSION}")),
            "{message}"
        );
    }
}

/// A bubble-field scenario shortened to a few intervals.
fn bubble_scenario(config: &str) -> BubbleScenario {
    let doc = ConfigDocument::from_text(ConfigOrigin::BuiltIn("fixture"), config, &[]).unwrap();
    let scenario: BubbleScenario = doc.parse().unwrap();
    scenario.check(doc.origin()).unwrap();
    scenario
}

/// The bubble-field checkpoint (named arrays, self-describing) decodes, holds what it held,
/// fits its scenario and encodes back to the same arrays.
#[test]
fn the_bubble_field_fixture_decodes_and_fits_its_scenario() {
    let fixture = read_fixture("bubble_checkpoint");
    let checkpoint = BubbleCheckpoint::from_arrays(&arrays(&fixture)).unwrap();
    assert_eq!(checkpoint.interval, fixture.expect["interval"]);
    assert_eq!(checkpoint.time_s.to_bits(), fixture.expect["time_s"]);
    let scenario = bubble_scenario(&fixture.config);
    let (field, _) = scenario.build_field();
    let intervals = (scenario.duration_s / scenario.sample_interval_s).round() as u64;
    checkpoint.check_fits(&field, intervals).unwrap();
    let again = checkpoint.to_arrays();
    for (name, bits) in &fixture.f64_bits {
        assert_eq!(
            bits_of(&again).get(name),
            Some(bits),
            "{name} changed on a round trip"
        );
    }
    assert_eq!(again.u64_arrays, fixture.u64_arrays);
    let outcome = run_bubble_study(
        &scenario,
        Box::new(CpuBackend::<f64>::new(&scenario.tolerances, 1)),
        None,
        &mut cavitas_solver::driver::NoObserver,
        Some(checkpoint),
    )
    .unwrap();
    assert_eq!(outcome.summary.intervals, intervals);
}

/// Keeps the first checkpoint a study hands over.
#[derive(Default)]
struct FirstCheckpoint(Option<BubbleCheckpoint>);

impl RunObserver for FirstCheckpoint {
    fn wants_checkpoints(&self) -> bool {
        self.0.is_none()
    }
    fn on_checkpoint(&mut self, c: &SolverCheckpoint) -> Result<(), ObserverError> {
        if let SolverCheckpoint::BubbleField(c) = c {
            self.0 = Some((**c).clone());
        }
        Ok(())
    }
}

/// Writes the fixtures of this build (run by hand after a version bump).
#[test]
#[ignore = "writes tests/fixtures: run by hand after a deliberate version bump"]
fn regenerate() {
    // Coupled: 25 steps into the ringing of the quick traction.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("configs/mcp-traction.toml");
    let overrides: Vec<String> = CRACK_OVERRIDES.iter().map(|s| s.to_string()).collect();
    let doc = ConfigDocument::load(Some(&path), ("unused", ""), &overrides).unwrap();
    let config = doc.resolved_text();
    let mut run = crack_run(&config);
    let end = run.end_time_s();
    while run.phase() != Phase::Crack {
        run.step(end).unwrap();
    }
    let start = run.statistics().accepted;
    while run.statistics().accepted < start + 25 {
        run.step(end).unwrap();
    }
    let checkpoint = run.checkpoint().unwrap();
    let (f64s, u64s) = checkpoint.to_arrays();
    let last = checkpoint.series().last().unwrap();
    let fixture = Fixture {
        note: format!(
            "coupled checkpoint, encoding version {CRACK_CHECKPOINT_VERSION}, cavitas {}",
            env!("CARGO_PKG_VERSION")
        ),
        version: CRACK_CHECKPOINT_VERSION,
        species: species_names(),
        config,
        f64_bits: bits_of(&NamedArrays {
            f64_arrays: f64s,
            u64_arrays: BTreeMap::new(),
        }),
        u64_arrays: u64s,
        expect: BTreeMap::from([
            ("time_s".into(), checkpoint.time_s().to_bits()),
            ("accepted".into(), checkpoint.accepted_steps()),
            ("series".into(), checkpoint.series().len() as u64),
            ("pressure_pa".into(), last.pressure_pa.to_bits()),
            ("gap_m".into(), last.gap_m.to_bits()),
        ]),
    };
    write(&crack_name(CRACK_CHECKPOINT_VERSION), &fixture);

    // Bubble field: the ensemble made short, checkpointed after its first interval.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("configs/bubble/ensemble.toml");
    let overrides = vec![
        "duration_s=5.0e-5".to_string(),
        "checkpoint_interval_s=0".to_string(),
    ];
    let doc = ConfigDocument::load(Some(&path), ("unused", ""), &overrides).unwrap();
    let config = doc.resolved_text();
    let scenario = bubble_scenario(&config);
    let mut first = FirstCheckpoint::default();
    run_bubble_study(
        &scenario,
        Box::new(CpuBackend::<f64>::new(&scenario.tolerances, 1)),
        None,
        &mut first,
        None,
    )
    .unwrap();
    let checkpoint = first.0.expect("a checkpoint after the first interval");
    let a = checkpoint.to_arrays();
    let fixture = Fixture {
        note: format!(
            "bubble-field checkpoint (named arrays), cavitas {}",
            env!("CARGO_PKG_VERSION")
        ),
        version: 0,
        species: species_names(),
        config,
        f64_bits: bits_of(&a),
        u64_arrays: a.u64_arrays.clone(),
        expect: BTreeMap::from([
            ("interval".into(), checkpoint.interval),
            ("time_s".into(), checkpoint.time_s.to_bits()),
        ]),
    };
    write("bubble_checkpoint", &fixture);
}

fn species_names() -> Vec<String> {
    GasSpecies::ALL.map(|s| s.name().to_string()).to_vec()
}

fn write(name: &str, fixture: &Fixture) {
    let path = fixture_path(name);
    std::fs::write(&path, serde_json::to_string(fixture).unwrap()).unwrap();
    eprintln!("wrote {}", path.display());
}
