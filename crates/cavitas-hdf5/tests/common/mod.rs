//! Shared by the integration tests: a small deterministic "solver" that
//! streams like a cavitas run, and helpers to compare files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use cavitas_hdf5::{
    CheckpointState, Column, CreateOptions, Event, Provenance, RunFile, RunReader, Snapshots,
    TimeSeries,
};

/// A fresh empty directory under the target dir's tmp (unique per call).
pub fn temp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cavitas-hdf5-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn provenance() -> Provenance {
    Provenance {
        cavitas_version: "0.1.0".into(),
        git_revision: "abc1234".into(),
        config_text: "[joint]\nkind = \"mcp\"\n".into(),
        backend: "cpu".into(),
        adapter: "test".into(),
        precision: "f64".into(),
        start_time: "2026-11-21T15:00:00Z".into(),
    }
}

pub fn joint_columns() -> Vec<Column> {
    vec![
        Column::new("t", "s", "time"),
        Column::new("gap", "m", "joint gap h"),
        Column::new("force", "N", "applied load"),
        Column::new("pressure", "Pa", "fluid pressure p"),
        Column::new("capsule_volume", "m^3", "volume enclosed by the capsule"),
        Column::new("gas_volume", "m^3", "total bubble volume"),
    ]
}

/// Number of bubbles in the toy field.
pub const N_BUBBLES: usize = 40;
/// Nodes of the toy capsule meridian.
pub const N_NODES: usize = 9;

/// A deterministic toy run: a damped oscillator `x` driving a bubble field.
/// Every step writes a joint row; every `snap_every` steps a snapshot; every
/// `ckpt_every` steps (if > 0) a checkpoint. The state is exactly what the
/// checkpoint stores, so a resumed run continues bit for bit.
#[derive(Debug, Clone, PartialEq)]
pub struct Toy {
    pub step: u64,
    pub t: f64,
    pub x: f64,
    pub v: f64,
    pub radius: Vec<f64>,
}

pub const DT: f64 = 1e-4;

impl Toy {
    pub fn new() -> Self {
        Self {
            step: 0,
            t: 0.0,
            x: 1e-3,
            v: 0.0,
            radius: (0..N_BUBBLES)
                .map(|i| 1e-6 * (1.0 + i as f64 / 7.0))
                .collect(),
        }
    }

    pub fn advance(&mut self) {
        let a = -4.0e4 * self.x - 3.0 * self.v;
        self.v += DT * a;
        self.x += DT * self.v;
        for (i, r) in self.radius.iter_mut().enumerate() {
            *r *= 1.0 + 1e-3 * (self.x * 1e3 + (i as f64).sin()).sin();
        }
        self.step += 1;
        self.t = self.step as f64 * DT;
    }

    pub fn row(&self) -> [f64; 6] {
        let gas: f64 = self
            .radius
            .iter()
            .map(|r| 4.0 / 3.0 * std::f64::consts::PI * r * r * r)
            .sum();
        [
            self.t,
            1e-4 + self.x,
            20.0 * self.x.abs(),
            1e5 - 1e7 * self.x,
            1e-6 + self.x * 1e-4,
            gas,
        ]
    }

    pub fn state(&self) -> CheckpointState {
        CheckpointState::new(self.t, self.step)
            .with_f64("xv", vec![self.x, self.v])
            .with_f64("radius", self.radius.clone())
            .with_u64("rng", vec![self.step.wrapping_mul(6364136223846793005), 7])
    }

    pub fn from_state(s: &CheckpointState) -> Self {
        Self {
            step: s.step,
            t: s.t,
            x: s.f64_arrays["xv"][0],
            v: s.f64_arrays["xv"][1],
            radius: s.f64_arrays["radius"].clone(),
        }
    }

    pub fn capsule_displacement(&self) -> Vec<f64> {
        (0..N_NODES)
            .flat_map(|i| {
                let s = (i as f64 / (N_NODES - 1) as f64 * std::f64::consts::PI).sin();
                [-self.x * 0.1 * s, self.x * 0.05 * s]
            })
            .collect()
    }
}

pub fn nodes_ref() -> Vec<f64> {
    (0..N_NODES)
        .flat_map(|i| {
            let a = i as f64 / (N_NODES - 1) as f64 * std::f64::consts::PI;
            [5e-3 + 2e-3 * a.sin(), -3e-3 * a.cos()]
        })
        .collect()
}

/// Handles of a toy run file.
#[derive(Debug, Clone, Copy)]
pub struct ToyHandles {
    pub joint: TimeSeries,
    pub bubbles: Snapshots,
    pub capsule: Snapshots,
}

pub fn declare(run: &mut RunFile) -> ToyHandles {
    let joint = run.time_series("joint", &joint_columns()).unwrap();
    let bubbles = run
        .snapshots_with_axes(
            "bubbles",
            &[("bubble", N_BUBBLES)],
            &[
                Column::new("radius", "m", "bubble radius R"),
                Column::new("volume", "m^3", "bubble volume 4/3 pi R^3"),
            ],
        )
        .unwrap();
    let capsule = run
        .snapshots_with_axes(
            "capsule",
            &[("node", N_NODES), ("component", 2)],
            &[Column::new(
                "displacement",
                "m",
                "nodal displacement (dr, dz)",
            )],
        )
        .unwrap();
    run.write_array(
        "capsule",
        &[N_NODES, 2],
        &nodes_ref(),
        &Column::new("nodes_ref", "m", "reference nodes (r, z)"),
    )
    .unwrap();
    ToyHandles {
        joint,
        bubbles,
        capsule,
    }
}

/// Options with small chunks so a short run spans many chunks.
pub fn small_chunks() -> CreateOptions {
    CreateOptions {
        series_chunk_rows: 64,
        snapshot_chunk_bytes: 4 * 8 * N_BUBBLES,
        ..CreateOptions::default()
    }
}

pub const SNAP_EVERY: u64 = 10;

/// One step of output for the toy at its current state.
pub fn write_step(run: &mut RunFile, h: &ToyHandles, toy: &Toy) {
    run.append_row(h.joint, &toy.row()).unwrap();
    if toy.step.is_multiple_of(SNAP_EVERY) {
        let vol: Vec<f64> = toy
            .radius
            .iter()
            .map(|r| 4.0 / 3.0 * std::f64::consts::PI * r * r * r)
            .collect();
        run.append_snapshot(h.bubbles, toy.t, &[&toy.radius, &vol])
            .unwrap();
        run.append_snapshot(h.capsule, toy.t, &[&toy.capsule_displacement()])
            .unwrap();
    }
    if toy.step.is_multiple_of(250) && toy.step > 0 {
        run.record_event(Event::new(toy.t, "sample_event", toy.x));
    }
}

/// Run the toy from `toy` to `steps`, checkpointing every `ckpt_every` steps
/// (0 = never) and calling `on_checkpoint` after each.
pub fn run_toy(
    run: &mut RunFile,
    h: &ToyHandles,
    toy: &mut Toy,
    steps: u64,
    ckpt_every: u64,
    mut on_checkpoint: impl FnMut(u64),
) {
    while toy.step < steps {
        toy.advance();
        write_step(run, h, toy);
        if ckpt_every > 0 && toy.step.is_multiple_of(ckpt_every) {
            run.checkpoint(&toy.state()).unwrap();
            on_checkpoint(toy.step);
        }
    }
}

/// Write a complete toy run of `steps` steps to `path`.
pub fn write_toy(path: &Path, steps: u64, ckpt_every: u64) -> PathBuf {
    let mut run = RunFile::create(path, &provenance(), small_chunks()).unwrap();
    let h = declare(&mut run);
    let mut toy = Toy::new();
    write_step(&mut run, &h, &toy);
    run_toy(&mut run, &h, &mut toy, steps, ckpt_every, |_| {});
    run.finish().unwrap()
}

/// Every dataset of two files equal bit for bit (and units equal).
pub fn assert_same_data(a: &Path, b: &Path) {
    let ra = RunReader::open(a).unwrap();
    let rb = RunReader::open(b).unwrap();
    let pa = ra.dataset_paths().unwrap();
    assert_eq!(pa, rb.dataset_paths().unwrap());
    for p in &pa {
        if p == "events/kind" {
            continue;
        }
        let da = ra.array(p).unwrap();
        let db = rb.array(p).unwrap();
        assert_eq!(da.shape, db.shape, "{p}");
        assert_eq!(da.unit, db.unit, "{p}");
        let bits_a: Vec<u64> = da.values.iter().map(|v| v.to_bits()).collect();
        let bits_b: Vec<u64> = db.values.iter().map(|v| v.to_bits()).collect();
        assert!(bits_a == bits_b, "{p} differs");
    }
    assert_eq!(ra.events().unwrap(), rb.events().unwrap());
}

/// Root attributes that differ between two runs of the same data: when and
/// how long it ran, its id, and the digest that covers those.
pub const PER_RUN_ATTRIBUTES: [&str; 4] = ["wall_time_s", "run_id", "attrs_sha256", "start_time"];

/// [`assert_same_data`] plus every attribute equal (root attributes but
/// [`PER_RUN_ATTRIBUTES`]; every dataset attribute, `sha256` included), and
/// both files verify.
pub fn assert_same_file(a: &Path, b: &Path) {
    assert_same_data(a, b);
    let ra = RunReader::open(a).unwrap();
    let rb = RunReader::open(b).unwrap();
    let mut names = ra.attribute_names().unwrap();
    names.sort();
    let mut names_b = rb.attribute_names().unwrap();
    names_b.sort();
    assert_eq!(names, names_b, "root attribute names");
    for n in names
        .iter()
        .filter(|n| !PER_RUN_ATTRIBUTES.contains(&n.as_str()))
    {
        assert_eq!(
            ra.attribute(n).unwrap(),
            rb.attribute(n).unwrap(),
            "root attribute {n}"
        );
    }
    for p in ra.dataset_paths().unwrap() {
        let mut an = ra.dataset_attribute_names(&p).unwrap();
        an.sort();
        let mut bn = rb.dataset_attribute_names(&p).unwrap();
        bn.sort();
        assert_eq!(an, bn, "attribute names of {p}");
        for n in ["units", "description", "sha256"] {
            assert_eq!(
                ra.dataset_attribute(&p, n).unwrap(),
                rb.dataset_attribute(&p, n).unwrap(),
                "{n} of {p}"
            );
        }
    }
    for f in [a, b] {
        let report = cavitas_hdf5::verify(f).unwrap();
        assert!(report.is_intact(), "{}: {:?}", f.display(), report.damaged);
        assert!(report.unchecked.is_empty(), "{:?}", report.unchecked);
    }
}
