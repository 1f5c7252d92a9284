//! `-o out.h5`, `--force`, `--resume` and `merge` as a user meets them: files read back
//! through `cavitas_hdf5::RunReader` and compared with the `--json` summary, and a run
//! SIGKILLed mid-way and resumed ending bit for bit as an uninterrupted one (CPU backend).

use std::path::{Path, PathBuf};

use cavitas_hdf5::{RunPaths, RunReader};

mod common;

use common::{assert_same_datasets, cavitas, json, kill_at_fault_point, stderr};

/// A small scenario: the default ensemble (64 bubbles in two groups) over 100 intervals.
const SCENARIO: &str = "configs/bubble/ensemble.toml";
const SHORT: &str = "duration_s=5.0e-5";

/// A fresh, empty directory for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cavitas-out-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs the short ensemble on the CPU into `out` with extra arguments; returns the JSON.
fn run_to(out: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "run",
        SCENARIO,
        "--set",
        SHORT,
        "--backend",
        "cpu",
        "--json",
        "-o",
    ];
    args.push(s(out));
    args.extend_from_slice(extra);
    json(&cavitas(&args))
}

/// Equal up to the last bit or two: serde_json (without `float_roundtrip`) may parse a
/// printed f64 one ulp off.
fn same(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs())
}

fn all_same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| same(x, y))
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn run_file_round_trips_the_json_summary() {
    let dir = temp_dir("round-trip");
    let out = dir.join("run.h5");
    let summary = run_to(&out, &[]);
    assert!(out.exists() && !RunPaths::new(&out).partial.exists());
    let r = RunReader::open(&out).unwrap();
    assert!(r.is_complete());

    let p = r.provenance().unwrap();
    assert_eq!(p.backend, "cpu");
    assert_eq!(p.precision, "f64");
    let config: toml::Table = p.config_text.parse().unwrap();
    assert_eq!(config["duration_s"].as_float(), Some(5.0e-5));
    assert_eq!(p.cavitas_version, env!("CARGO_PKG_VERSION"));
    assert!(!p.git_revision.is_empty() && !p.start_time.is_empty());
    assert!(r.wall_time_s().unwrap().unwrap() > 0.0);

    let intervals = summary["intervals"].as_u64().unwrap() as usize;
    let t = r.column("bubbles/primary", "t").unwrap();
    let radius = r.column("bubbles/primary", "radius").unwrap();
    assert_eq!((t.unit.as_str(), radius.unit.as_str()), ("s", "m"));
    assert_eq!(t.shape, vec![intervals + 1]);
    assert_eq!(radius.shape, vec![intervals + 1]);
    assert_eq!(t.values[0], 0.0);
    assert!((t.values[intervals] - 5.0e-5).abs() < 1e-18);
    let r_max = radius.values.iter().copied().fold(f64::MIN, f64::max);
    let primary_max = summary["primary_radius_max_m"].as_f64().unwrap();
    assert!(r_max <= primary_max * (1.0 + 1e-15) && r_max > 0.5 * primary_max);

    let groups = summary["group_count"].as_u64().unwrap() as usize;
    let volume = r.array("bubbles/groups/gas_volume").unwrap();
    assert_eq!(volume.shape, vec![intervals + 1, groups]);
    assert_eq!(volume.unit, "m^3");
    for (name, unit) in [
        ("gas_volume_rate", "m^3/s"),
        ("gas_volume_acceleration", "m^3/s^2"),
        ("bubble_gas_n2", "mol"),
        ("dissolved_gas_co2", "mol"),
        ("active", "1"),
    ] {
        assert_eq!(
            r.array(&format!("bubbles/groups/{name}")).unwrap().unit,
            unit
        );
    }
    // The last row is the end state of each group, as in the summary.
    for (g, group) in summary["groups"].as_array().unwrap().iter().enumerate() {
        let last = |name: &str| {
            r.array(&format!("bubbles/groups/{name}")).unwrap().values[intervals * groups + g]
        };
        assert!(same(
            last("gas_volume"),
            group["gas_volume_m3"].as_f64().unwrap()
        ));
        assert!(same(
            last("dissolved_gas_n2"),
            group["dissolved_gas_mol"]["n2"].as_f64().unwrap()
        ));
        assert_eq!(last("active"), group["active"].as_f64().unwrap());
    }

    let bubbles = summary["bubble_count"].as_u64().unwrap() as usize;
    let final_max = r.array("bubbles/final/radius_max").unwrap();
    assert_eq!(final_max.shape, vec![bubbles]);
    assert_eq!(final_max.unit, "m");
    assert!(all_same(
        &final_max.values,
        &floats(&summary["radius_max_m"])
    ));
    assert!(all_same(
        &r.array("bubbles/final/radius_min").unwrap().values,
        &floats(&summary["radius_min_m"])
    ));
    let status = r.array("bubbles/final/status").unwrap().values;
    let vanished = status.iter().filter(|&&x| x == 1.0).count();
    let summary_vanished: u64 = summary["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["vanished"].as_u64().unwrap())
        .sum();
    assert_eq!(vanished as u64, summary_vanished);
    let events = r.events().unwrap();
    assert_eq!(events.len(), vanished);
    assert!(events.iter().all(|e| e.kind == "dissolution"));
    let t_event = r.array("bubbles/final/t_event").unwrap().values;
    for e in &events {
        assert_eq!(status[e.value as usize], 1.0);
        assert_eq!(t_event[e.value as usize], e.t);
    }
    assert_eq!(summary["output"]["path"].as_str(), Some(s(&out)));
}

#[test]
fn an_existing_run_file_is_refused_and_replaced_with_force() {
    let dir = temp_dir("force");
    let out = dir.join("run.h5");
    std::fs::write(&out, "keep me").unwrap();
    let refused = cavitas(&[
        "bubble",
        SCENARIO,
        "--set",
        SHORT,
        "--backend",
        "cpu",
        "-o",
        s(&out),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains(s(&out)), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    assert!(!RunPaths::new(&out).partial.exists());

    run_to(&out, &["--force"]);
    assert!(RunReader::open(&out).unwrap().is_complete());
}

#[test]
fn bad_restart_files_exit_2_with_a_clear_message() {
    let dir = temp_dir("bad-resume");
    let finished = dir.join("done.h5");
    run_to(&finished, &[]);
    let not_h5 = dir.join("text.h5");
    std::fs::write(RunPaths::new(&not_h5).partial, "not hdf5").unwrap();
    let no_checkpoint = dir.join("no-checkpoint.h5");
    std::fs::copy(&finished, RunPaths::new(&no_checkpoint).partial).unwrap();
    let cases: [(PathBuf, &str); 4] = [
        (finished, "the run has finished"),
        (no_checkpoint, "no checkpoint to resume from"),
        (dir.join("missing.h5"), "no unfinished run"),
        (not_h5, "not an HDF5 file"),
    ];
    for (path, expected) in cases {
        let o = cavitas(&["run", "--resume", s(&path)]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{}", stderr(&o));
    }
}

#[test]
fn a_killed_run_resumes_to_the_uninterrupted_file_bit_for_bit() {
    let dir = temp_dir("kill");
    let reference = dir.join("reference.h5");
    let every_interval = "checkpoint_interval_s=0";
    let reference_json = run_to(&reference, &["--set", every_interval]);

    let out = dir.join("killed.h5");
    let paths = RunPaths::new(&out);
    let mut args = vec!["run", SCENARIO, "--set", SHORT, "--set", every_interval];
    args.extend(["--backend", "cpu", "--json", "-o", s(&out)]);
    // Held at its third checkpoint, after the checkpoint is committed and before the writer
    // cleans up and reopens the file, then killed there.
    kill_at_fault_point(&args, &out, "checkpoint:committed", 3);

    // The killed file opens, unfinished, with the data of its last checkpoint.
    {
        let r = RunReader::open_incomplete(&out).unwrap();
        assert!(!r.is_complete());
        let ck = r.checkpoint().unwrap().expect("a checkpoint");
        let step = ck.state.step;
        assert!(step >= 1 && step < reference_json["intervals"].as_u64().unwrap());
        assert_eq!(ck.rows["bubbles/primary/radius"], step + 1);
        assert_eq!(ck.rows["bubbles/groups/gas_volume"], step + 1);
        assert_eq!(ck.state.f64_arrays["slot_r"].len(), 64);
        let trace = &ck.state.f64_arrays["trace_radius"];
        let whole = r.column("bubbles/primary", "radius").unwrap().values;
        let reference_r = RunReader::open(&reference)
            .unwrap()
            .column("bubbles/primary", "radius")
            .unwrap()
            .values;
        assert_eq!(whole[..], reference_r[..whole.len()]);
        assert_eq!(trace[..], reference_r[..trace.len()]);
    }

    let resumed = json(&cavitas(&["run", "--resume", s(&out), "--json"]));
    assert!(out.exists() && !paths.partial.exists() && !paths.checkpoint.exists());
    assert_same_datasets(&reference, &out);
    for key in [
        "radius_max_m",
        "accepted_steps",
        "rejected_steps",
        "rhs_evaluations",
    ] {
        assert_eq!(resumed[key], reference_json[key], "{key}");
    }
    assert_eq!(resumed["groups"], reference_json["groups"]);
    let (a, b) = (
        RunReader::open(&reference).unwrap().provenance().unwrap(),
        RunReader::open(&out).unwrap().provenance().unwrap(),
    );
    assert_eq!(a.config_text, b.config_text);
}

#[test]
fn two_runs_merge_into_a_sweep() {
    let dir = temp_dir("merge");
    let (a, b) = (dir.join("a.h5"), dir.join("b.h5"));
    run_to(&a, &[]);
    run_to(&b, &["--set", "group.0.pressure.amplitude_pa=4.0e4"]);
    let sweep = dir.join("sweep.h5");
    let o = cavitas(&["merge", s(&sweep), s(&a), s(&b)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = RunReader::open(&sweep).unwrap();
    assert_eq!(r.shards().unwrap().len(), 2);
    let radius = r.array("bubbles/primary/radius").unwrap();
    assert_eq!(radius.shape, vec![2, 101]);
    assert_eq!(radius.unit, "m");
    let from_b = RunReader::open(&b)
        .unwrap()
        .column("bubbles/primary", "radius")
        .unwrap()
        .values;
    assert_eq!(radius.values[101..], from_b[..]);
    assert_eq!(
        r.shape("bubbles/groups/gas_volume").unwrap(),
        vec![2, 101, 2]
    );

    let again = cavitas(&["merge", s(&sweep), s(&a), s(&b)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    let forced = cavitas(&["merge", s(&sweep), s(&a), s(&b), "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
}

/// Every way `merge` refuses its shards exits with a message naming the file, and leaves no
/// output behind: a merged sweep given as a shard (2), shards of different shapes (2), a
/// shard cut short (2), a shard that is not there (1: an I/O error, not bad input).
#[test]
fn merge_refuses_shards_that_do_not_merge() {
    let dir = temp_dir("merge-errors");
    let (a, b) = (dir.join("a.h5"), dir.join("b.h5"));
    run_to(&a, &[]);
    run_to(&b, &[]);
    let sweep = dir.join("sweep.h5");
    assert!(
        cavitas(&["merge", s(&sweep), s(&a), s(&b)])
            .status
            .success()
    );
    // One group instead of two: /bubbles/groups/* have another trailing shape.
    let single = dir.join("single.h5");
    json(&cavitas(&[
        "bubble",
        "configs/bubble/minnaert.toml",
        "--set",
        "duration_s=2e-5",
        "--backend",
        "cpu",
        "--json",
        "-o",
        s(&single),
    ]));
    // A copy of `b` cut short, as a copy interrupted midway leaves it.
    let damaged = dir.join("damaged.h5");
    let bytes = std::fs::read(&b).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    let missing = dir.join("missing.h5");
    let cases: [(&[&Path], i32, &str); 4] = [
        (&[&a, &sweep], 2, "is a merged sweep, not a run shard"),
        (&[&a, &single], 2, "unlike the first shard"),
        (&[&a, &damaged], 2, "damaged.h5"),
        // A shard that is not there is bad input (issue 16): exit 2.
        (&[&a, &missing], 2, "missing.h5"),
    ];
    for (i, (shards, code, message)) in cases.iter().enumerate() {
        let out = dir.join(format!("refused_{i}.h5"));
        let mut args = vec!["merge", s(&out)];
        args.extend(shards.iter().map(|p| s(p)));
        let o = cavitas(&args);
        assert_eq!(o.status.code(), Some(*code), "case {i}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "case {i}: {}", stderr(&o));
        assert!(!out.exists(), "case {i}: an output was left");
    }
}

#[test]
fn an_empty_cavity_vanishes_by_a_collapse_event_at_the_summary_time() {
    let dir = temp_dir("collapse");
    let out = dir.join("rayleigh.h5");
    let summary = json(&cavitas(&[
        "bubble",
        "configs/bubble/rayleigh-collapse.toml",
        "--backend",
        "cpu",
        "--json",
        "-o",
        s(&out),
    ]));
    let events = RunReader::open(&out).unwrap().events().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].kind, "collapse");
    assert_eq!(events[0].value, summary["primary_bubble"].as_f64().unwrap());
    assert!(same(
        events[0].t,
        summary["collapse_time_s"].as_f64().unwrap()
    ));
}

/// A run written by the GPU backend, killed (held at its third committed checkpoint through
/// the fault hook) and resumed: the resume runs on the GPU again (the backend request is in
/// the file) and ends as the uninterrupted GPU run does: bit for bit, but for the liquid's
/// dissolved gas. Skips loudly without an adapter.
#[test]
fn a_killed_gpu_run_resumes_on_the_gpu() {
    let adapters = json(&cavitas(&["info", "--json"]))["adapters"]
        .as_array()
        .unwrap()
        .len();
    if adapters == 0 {
        assert!(
            std::env::var("CAVITAS_REQUIRE_GPU").as_deref() != Ok("1"),
            "CAVITAS_REQUIRE_GPU=1 but no adapter"
        );
        eprintln!("SKIPPED a_killed_gpu_run_resumes_on_the_gpu: no GPU adapter");
        return;
    }
    let dir = temp_dir("gpu-kill");
    let every_interval = "checkpoint_interval_s=0";
    let gpu = ["--backend", "gpu", "--json"];
    let reference = dir.join("reference.h5");
    let mut args = vec!["run", SCENARIO, "--set", SHORT, "--set", every_interval];
    args.extend(gpu);
    let mut reference_args = args.clone();
    reference_args.extend(["-o", s(&reference)]);
    let reference_json = json(&cavitas(&reference_args));
    assert_eq!(reference_json["backend"]["kind"], "gpu");

    let out = dir.join("killed.h5");
    args.extend(["-o", s(&out)]);
    kill_at_fault_point(&args, &out, "checkpoint:committed", 3);
    let resumed = json(&cavitas(&["run", "--resume", s(&out), "--json"]));
    assert_eq!(resumed["backend"]["kind"], "gpu", "{}", resumed["backend"]);
    let (ra, rb) = (
        RunReader::open(&reference).unwrap(),
        RunReader::open(&out).unwrap(),
    );
    let paths = ra.dataset_paths().unwrap();
    assert_eq!(paths, rb.dataset_paths().unwrap());
    for path in paths.iter().filter(|p| *p != "events/kind") {
        let (x, y) = (ra.array(path).unwrap(), rb.array(path).unwrap());
        assert_eq!(x.shape, y.shape, "{path}");
        let scale = x.values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let worst = x
            .values
            .iter()
            .zip(&y.values)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f64, f64::max);
        let relative = if scale > 0.0 { worst / scale } else { worst };
        eprintln!("GPU resume {path}: {relative:e}");
        // Measured on llvmpipe: every dataset bit for bit but the liquid's dissolved gas,
        // 1.1e-11 of its largest value at worst (N2; CO2 2e-13, O2 7e-12): the resumed
        // run's dissolved gas is not restored exactly (a finding: TESTING.md). Bound 5e-11.
        let bound = if path.starts_with("bubbles/groups/dissolved_gas_") {
            5e-11
        } else {
            0.0
        };
        assert!(relative <= bound, "{path}: {relative:e}");
    }
}
