//! Writes one file of every kind cavitas-hdf5 produces, plus a manifest of
//! the values expected in them, for the independent check with the reference
//! HDF5 C library (`ci/check_hdf5.py`, h5py and h5dump):
//!
//! - `run.h5` + `run.xdmf`: a finished run (time series, bubble and capsule
//!   snapshots, reference nodes, events);
//! - `checkpointed.h5.partial` + `checkpointed.h5.ckpt`: a run checkpointed
//!   and then abandoned without closing (as a killed process leaves it);
//! - `shard_0.h5`, `shard_1.h5`, `sweep.h5`: two shards and their merge.
//!
//! - `categories.h5`: a run with a category column (int32 codes with CF
//!   `flag_values`/`flag_meanings`).
//!
//! `cargo run -p cavitas-hdf5 --example write_sample -- DIR`
//!
//! Modes for `ci/disk_full.sh`: `--disk-full OUT STEPS` writes a toy run with
//! a checkpoint every 500 steps and, on the first error (a full disk),
//! prints `ERROR <message>` and exits 3 at once, as a dying run does;
//! `--resume OUT STEPS` resumes it and finishes it; `--reference OUT STEPS`
//! writes the same run uninterrupted.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

use cavitas_hdf5::{RunFile, RunReader, SCHEMA_VERSION, XdmfCapsule, merge_shards};
use common::*;
use serde_json::{Value, json};

/// Expected facts about one dataset: shape, dtype, units, first and last row
/// (flattened, at most 8 values), sum of finite values and NaN count.
fn expect(shape: &[usize], units: &str, rows: &[Vec<f64>]) -> Value {
    let flat: Vec<f64> = rows.concat();
    let finite_sum: f64 = flat.iter().filter(|v| v.is_finite()).sum();
    let first: Vec<f64> = rows
        .first()
        .map(|r| r.iter().take(8).copied().collect())
        .unwrap_or_default();
    let last: Vec<f64> = rows
        .last()
        .map(|r| r.iter().take(8).copied().collect())
        .unwrap_or_default();
    json!({
        "shape": shape,
        "dtype": "float64",
        "units": units,
        "first": first,
        "last": last,
        "sum": finite_sum,
        "nan_count": flat.iter().filter(|v| v.is_nan()).count(),
    })
}

/// Values the toy writes, regenerated independently of any file.
struct Expected {
    rows: Vec<[f64; 6]>,
    radius: Vec<Vec<f64>>,
    volume: Vec<Vec<f64>>,
    disp: Vec<Vec<f64>>,
    snap_t: Vec<f64>,
    events: Vec<(f64, String, f64)>,
}

fn expected(steps: u64) -> Expected {
    let mut toy = Toy::new();
    let mut e = Expected {
        rows: Vec::new(),
        radius: Vec::new(),
        volume: Vec::new(),
        disp: Vec::new(),
        snap_t: Vec::new(),
        events: Vec::new(),
    };
    loop {
        e.rows.push(toy.row());
        if toy.step.is_multiple_of(SNAP_EVERY) {
            e.radius.push(toy.radius.clone());
            e.volume.push(
                toy.radius
                    .iter()
                    .map(|r| 4.0 / 3.0 * std::f64::consts::PI * r * r * r)
                    .collect(),
            );
            e.disp.push(toy.capsule_displacement());
            e.snap_t.push(toy.t);
        }
        if toy.step.is_multiple_of(250) && toy.step > 0 {
            e.events.push((toy.t, "sample_event".to_string(), toy.x));
        }
        if toy.step >= steps {
            break;
        }
        toy.advance();
    }
    e
}

/// Expectations for the datasets of a run holding the first `rows` rows and
/// `snaps` snapshots of `e`.
fn run_datasets(e: &Expected, rows: usize, snaps: usize) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    for (c, col) in joint_columns().iter().enumerate() {
        let v: Vec<Vec<f64>> = e.rows[..rows].iter().map(|r| vec![r[c]]).collect();
        m.insert(
            format!("joint/{}", col.name),
            expect(&[rows], &col.unit, &v),
        );
    }
    let one = |v: &[f64]| v.iter().map(|x| vec![*x]).collect::<Vec<_>>();
    m.insert(
        "bubbles/t".into(),
        expect(&[snaps], "s", &one(&e.snap_t[..snaps])),
    );
    m.insert(
        "capsule/t".into(),
        expect(&[snaps], "s", &one(&e.snap_t[..snaps])),
    );
    m.insert(
        "bubbles/radius".into(),
        expect(&[snaps, N_BUBBLES], "m", &e.radius[..snaps]),
    );
    m.insert(
        "bubbles/volume".into(),
        expect(&[snaps, N_BUBBLES], "m^3", &e.volume[..snaps]),
    );
    m.insert(
        "capsule/displacement".into(),
        expect(&[snaps, N_NODES, 2], "m", &e.disp[..snaps]),
    );
    let nodes: Vec<Vec<f64>> = nodes_ref().chunks(2).map(|c| c.to_vec()).collect();
    m.insert(
        "capsule/nodes_ref".into(),
        expect(&[N_NODES, 2], "m", &nodes),
    );
    m
}

fn events_json(events: &[(f64, String, f64)]) -> Value {
    json!({
        "t": events.iter().map(|e| e.0).collect::<Vec<_>>(),
        "kind": events.iter().map(|e| e.1.clone()).collect::<Vec<_>>(),
        "value": events.iter().map(|e| e.2).collect::<Vec<_>>(),
    })
}

fn root_attrs(complete: bool) -> Value {
    let p = provenance();
    json!({
        "format": "cavitas-run",
        "schema_version": SCHEMA_VERSION.to_string(),
        "complete": if complete { "true" } else { "false" },
        "cavitas_version": p.cavitas_version,
        "git_revision": p.git_revision,
        "config_text": p.config_text,
        "config_hash": p.config_hash(),
        "backend": p.backend,
        "adapter": p.adapter,
        "precision": p.precision,
        "start_time": p.start_time,
    })
}

/// Child mode: write a run with checkpoints every 200 steps, stop at step
/// 700 without finishing, and abort.
fn abandon(out: &std::path::Path) -> ! {
    let mut w = RunFile::create(out, &provenance(), small_chunks()).unwrap();
    let h = declare(&mut w);
    let mut toy = Toy::new();
    write_step(&mut w, &h, &toy);
    run_toy(&mut w, &h, &mut toy, 700, 200, |_| {});
    std::process::abort();
}

/// `--disk-full`, `--resume`, `--reference`: see the module docs.
fn disk_modes(mode: &str, out: &std::path::Path, steps: u64) -> ! {
    let fail = |what: &str, e: cavitas_hdf5::OutputError| -> ! {
        println!("ERROR {what}: {e}");
        std::process::exit(3);
    };
    match mode {
        "--disk-full" => {
            let mut run = RunFile::create(out, &provenance(), small_chunks())
                .unwrap_or_else(|e| fail("create", e));
            let h = declare(&mut run);
            let mut toy = Toy::new();
            write_step(&mut run, &h, &toy);
            while toy.step < steps {
                toy.advance();
                write_step_checked(&mut run, &h, &toy).unwrap_or_else(|e| fail("append", e));
                if toy.step.is_multiple_of(500) {
                    run.checkpoint(&toy.state())
                        .unwrap_or_else(|e| fail("checkpoint", e));
                    println!("CHECKPOINT {}", toy.step);
                }
            }
            run.finish().unwrap_or_else(|e| fail("finish", e));
        }
        "--resume" => {
            let (mut run, state) = RunFile::resume(out).unwrap_or_else(|e| fail("resume", e));
            let mut toy = Toy::from_state(&state);
            println!("RESUMED at step {}", toy.step);
            let h = declare(&mut run);
            run_toy(&mut run, &h, &mut toy, steps, 500, |_| {});
            run.finish().unwrap_or_else(|e| fail("finish", e));
        }
        _ => {
            write_toy(out, steps, 500);
        }
    }
    println!("FINISHED");
    std::process::exit(0);
}

/// [`write_step`] returning the writer's error instead of panicking.
fn write_step_checked(run: &mut RunFile, h: &ToyHandles, toy: &Toy) -> cavitas_hdf5::Result<()> {
    run.append_row(h.joint, &toy.row())?;
    if toy.step.is_multiple_of(SNAP_EVERY) {
        let vol: Vec<f64> = toy
            .radius
            .iter()
            .map(|r| 4.0 / 3.0 * std::f64::consts::PI * r * r * r)
            .collect();
        run.append_snapshot(h.bubbles, toy.t, &[&toy.radius, &vol])?;
        run.append_snapshot(h.capsule, toy.t, &[&toy.capsule_displacement()])?;
    }
    if toy.step.is_multiple_of(250) && toy.step > 0 {
        run.record_event(cavitas_hdf5::Event::new(toy.t, "sample_event", toy.x));
    }
    Ok(())
}

/// A finished run with a category column and a category snapshot field.
fn write_categories(path: &std::path::Path) {
    let mut run = RunFile::create(path, &provenance(), Default::default()).unwrap();
    let phases = [(0, "creep"), (1, "crack"), (2, "cavity")];
    let ts = run
        .time_series(
            "joint",
            &[
                cavitas_hdf5::Column::new("t", "s", "time"),
                cavitas_hdf5::Column::new("gap", "m", "gap"),
                cavitas_hdf5::Column::category("phase", "phase of the joint", &phases),
            ],
        )
        .unwrap();
    let sn = run
        .snapshots_with_axes(
            "bubbles",
            &[("bubble", 3)],
            &[cavitas_hdf5::Column::category(
                "regime",
                "regime of the bubble",
                &[(0, "dormant"), (1, "dynamic"), (2, "settled"), (3, "gone")],
            )],
        )
        .unwrap();
    for i in 0..30 {
        let phase = if i < 10 {
            0.0
        } else if i < 12 {
            1.0
        } else {
            2.0
        };
        run.append_row(ts, &[i as f64 * 1e-3, 1e-4 + i as f64 * 1e-6, phase])
            .unwrap();
        run.append_snapshot(sn, i as f64 * 1e-3, &[&[0.0, phase.min(1.0), 3.0]])
            .unwrap();
    }
    run.finish().unwrap();
}

fn main() {
    let arg = |i: usize| std::env::args().nth(i);
    if arg(1).as_deref() == Some("--abandon") {
        abandon(std::path::Path::new(&arg(2).unwrap()));
    }
    if let Some(mode) =
        arg(1).filter(|m| ["--disk-full", "--resume", "--reference"].contains(&m.as_str()))
    {
        let out = PathBuf::from(arg(2).expect("OUT"));
        let steps: u64 = arg(3).and_then(|s| s.parse().ok()).unwrap_or(20_000);
        disk_modes(&mode, &out, steps);
    }
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: write_sample DIR");
        std::process::exit(2);
    }));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.contains(".h5") || name.contains(".xdmf") || name == "manifest.json" {
            std::fs::remove_file(&p).unwrap();
        }
    }
    let mut files = Vec::new();

    // 1. A finished run with its XDMF sidecar.
    let steps = 1000;
    let e = expected(steps);
    let run = write_toy(&dir.join("run.h5"), steps, 0);
    let xdmf = XdmfCapsule::sidecar_path(&run);
    XdmfCapsule::from_run(&RunReader::open(&run).unwrap(), "capsule")
        .unwrap()
        .write(&xdmf)
        .unwrap();
    files.push(json!({
        "kind": "run",
        "file": "run.h5",
        "xdmf": "run.xdmf",
        "attrs": root_attrs(true),
        "datasets": run_datasets(&e, e.rows.len(), e.snap_t.len()),
        "events": events_json(&e.events),
    }));

    // 2. A checkpointed run killed mid-way: a child process writes it and
    //    aborts (no destructor runs, as after SIGKILL).
    let out = dir.join("checkpointed.h5");
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--abandon")
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the abandoned run must not exit cleanly");
    let ck = RunReader::open_incomplete(&out)
        .unwrap()
        .checkpoint()
        .unwrap()
        .unwrap();
    let ds = run_datasets_with_counts(&e, &ck.rows_in_run_file);
    files.push(json!({
        "kind": "checkpointed",
        "file": "checkpointed.h5.partial",
        "checkpoint_file": "checkpointed.h5.ckpt",
        "checkpoint": {"t": ck.state.t, "step": ck.state.step, "sequence": ck.sequence},
        "attrs": root_attrs(false),
        "datasets": ds,
    }));

    // 3. Two shards and their merged sweep.
    let e0 = expected(300);
    let e1 = expected(520);
    let s0 = write_toy(&dir.join("shard_0.h5"), 300, 0);
    let s1 = write_toy(&dir.join("shard_1.h5"), 520, 0);
    let sweep = dir.join("sweep.h5");
    merge_shards(&[s0, s1], &sweep, false).unwrap();
    let d0 = run_datasets(&e0, e0.rows.len(), e0.snap_t.len());
    let d1 = run_datasets(&e1, e1.rows.len(), e1.snap_t.len());
    let mut merged = serde_json::Map::new();
    for (path, a) in &d0 {
        let b = &d1[path];
        let sa: Vec<usize> = serde_json::from_value(a["shape"].clone()).unwrap();
        let sb: Vec<usize> = serde_json::from_value(b["shape"].clone()).unwrap();
        let rows = sa[0].max(sb[0]);
        let mut shape = vec![2, rows];
        shape.extend_from_slice(&sa[1..]);
        let per_row: usize = sa[1..].iter().product();
        let nan_count = (rows - sa[0]) * per_row + (rows - sb[0]) * per_row;
        merged.insert(
            path.clone(),
            json!({
                "shape": shape,
                "dtype": "float64",
                "units": a["units"],
                "sum": a["sum"].as_f64().unwrap() + b["sum"].as_f64().unwrap(),
                "nan_count": nan_count,
                "virtual": true,
                "sources": ["shard_0.h5", "shard_1.h5"],
                "rows_per_shard": [sa[0], sb[0]],
            }),
        );
    }
    let mut all_events = e0.events.clone();
    all_events.extend(e1.events.iter().cloned());
    files.push(json!({
        "kind": "sweep",
        "file": "sweep.h5",
        "attrs": {"format": "cavitas-sweep", "schema_version": SCHEMA_VERSION.to_string(), "complete": "true", "n_shards": "2"},
        "datasets": merged,
        "events": events_json(&all_events),
        "shards": ["shard_0.h5", "shard_1.h5"],
    }));
    for (name, e) in [("shard_0.h5", &e0), ("shard_1.h5", &e1)] {
        files.push(json!({
            "kind": "run",
            "file": name,
            "attrs": root_attrs(true),
            "datasets": run_datasets(e, e.rows.len(), e.snap_t.len()),
            "events": events_json(&e.events),
        }));
    }

    // 4. Category columns.
    write_categories(&dir.join("categories.h5"));

    let manifest = json!({"schema_version": SCHEMA_VERSION.to_string(), "files": files});
    let path = dir.join("manifest.json");
    std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    println!("wrote the sample files and {}", path.display());
}

/// Expectations for a partial run: each dataset holds the rows the
/// checkpoint says are in the run file.
fn run_datasets_with_counts(
    e: &Expected,
    counts: &std::collections::BTreeMap<String, u64>,
) -> serde_json::Map<String, Value> {
    let all = run_datasets(e, e.rows.len(), e.snap_t.len());
    let mut m = serde_json::Map::new();
    for (path, n) in counts {
        let n = *n as usize;
        if path.starts_with("events/") {
            continue;
        }
        let v = if let Some(col) = path.strip_prefix("joint/") {
            let c = joint_columns().iter().position(|x| x.name == col).unwrap();
            let rows: Vec<Vec<f64>> = e.rows[..n].iter().map(|r| vec![r[c]]).collect();
            expect(&[n], all[path]["units"].as_str().unwrap(), &rows)
        } else {
            let rows: Vec<Vec<f64>> = match path.as_str() {
                "bubbles/t" | "capsule/t" => e.snap_t[..n].iter().map(|t| vec![*t]).collect(),
                "bubbles/radius" => e.radius[..n].to_vec(),
                "bubbles/volume" => e.volume[..n].to_vec(),
                "capsule/displacement" => e.disp[..n].to_vec(),
                other => panic!("unexpected stream {other}"),
            };
            let mut shape: Vec<usize> = serde_json::from_value(all[path]["shape"].clone()).unwrap();
            shape[0] = n;
            expect(&shape, all[path]["units"].as_str().unwrap(), &rows)
        };
        m.insert(path.clone(), v);
    }
    m.insert("capsule/nodes_ref".into(), all["capsule/nodes_ref"].clone());
    m
}
