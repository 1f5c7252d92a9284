//! Throughput of the HDF5 output: appending time-series rows and bubble
//! snapshots through `cavitas_hdf5::RunFile` (create, append, finish), and the
//! cost of one checkpoint. Results in benches/RESULTS.md.
//!
//! `cargo bench -p cavitas-benches --bench hdf5_write`

use std::hint::black_box;
use std::path::PathBuf;

use cavitas_hdf5::{CheckpointState, Column, CreateOptions, Provenance, RunFile};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const ROWS: usize = 200_000;
const COLUMNS: usize = 6;
const BUBBLES: usize = 10_000;
const SNAPSHOTS: usize = 100;

fn provenance() -> Provenance {
    Provenance {
        cavitas_version: env!("CARGO_PKG_VERSION").into(),
        git_revision: "bench".into(),
        config_text: "bench = true\n".into(),
        backend: "cpu".into(),
        adapter: "bench".into(),
        precision: "f64".into(),
        start_time: Provenance::utc_now_iso8601(),
    }
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("cavitas-hdf5-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Smooth signal plus low-bit noise, so compression sees realistic data
/// rather than constants (an xorshift supplies the noise).
fn signal(n: usize, phase: f64) -> Vec<f64> {
    let mut s = 0x9e37_79b9_7f4a_7c15u64 ^ phase.to_bits();
    (0..n)
        .map(|i| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let noise = (s >> 11) as f64 / (1u64 << 53) as f64;
            1e-4 * (1.0 + (i as f64 * 1e-3 + phase).sin()) * (1.0 + 1e-6 * noise)
        })
        .collect()
}

fn columns() -> Vec<Column> {
    [
        "t",
        "gap",
        "force",
        "pressure",
        "capsule_volume",
        "cavity_volume",
    ]
    .iter()
    .map(|n| Column::new(n, "SI", "bench column"))
    .collect()
}

fn options(deflate_level: u32) -> CreateOptions {
    CreateOptions {
        deflate_level,
        ..CreateOptions::force(true)
    }
}

fn write_rows(path: &std::path::Path, rows: &[f64], level: u32) {
    let mut run = RunFile::create(path, &provenance(), options(level)).unwrap();
    let ts = run.time_series("joint", &columns()).unwrap();
    for row in rows.chunks_exact(COLUMNS) {
        run.append_row(ts, row).unwrap();
    }
    run.finish().unwrap();
}

fn write_snapshots(path: &std::path::Path, radius: &[Vec<f64>], velocity: &[Vec<f64>], level: u32) {
    let mut run = RunFile::create(path, &provenance(), options(level)).unwrap();
    let snaps = run
        .snapshots(
            "bubbles",
            &[BUBBLES],
            &[
                Column::new("radius", "m", "bubble radius"),
                Column::new("wall_velocity", "m/s", "bubble wall velocity"),
            ],
        )
        .unwrap();
    for (k, (r, v)) in radius.iter().zip(velocity).enumerate() {
        run.append_snapshot(snaps, k as f64 * 1e-5, &[r, v])
            .unwrap();
    }
    run.finish().unwrap();
}

fn bench(c: &mut Criterion) {
    let d = dir();
    let cols: Vec<Vec<f64>> = (0..COLUMNS).map(|c| signal(ROWS, c as f64)).collect();
    let rows: Vec<f64> = (0..ROWS)
        .flat_map(|i| cols.iter().map(move |c| c[i]))
        .collect();
    let radius: Vec<Vec<f64>> = (0..SNAPSHOTS).map(|k| signal(BUBBLES, k as f64)).collect();
    let velocity: Vec<Vec<f64>> = (0..SNAPSHOTS)
        .map(|k| signal(BUBBLES, 0.5 + k as f64))
        .collect();

    let mut g = c.benchmark_group("hdf5_write");
    g.sample_size(10);
    // Level 1 is the default (CreateOptions); 4 and 0 (no compression) show
    // the trade between size and time.
    for level in [1u32, 4, 0] {
        let rows_path = d.join(format!("rows_{level}.h5"));
        let snaps_path = d.join(format!("snaps_{level}.h5"));
        g.throughput(Throughput::Bytes((ROWS * COLUMNS * 8) as u64));
        g.bench_function(format!("time_series_rows_200k_x6_deflate{level}"), |b| {
            b.iter(|| write_rows(&rows_path, black_box(&rows), level))
        });
        g.throughput(Throughput::Bytes((SNAPSHOTS * BUBBLES * 2 * 8) as u64));
        g.bench_function(
            format!("bubble_snapshots_100_x_10k_x2_deflate{level}"),
            |b| {
                b.iter(|| {
                    write_snapshots(&snaps_path, black_box(&radius), black_box(&velocity), level)
                })
            },
        );
        let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "deflate {level}: rows file {} bytes for {} raw, snapshot file {} bytes for {} raw",
            size(&rows_path),
            ROWS * COLUMNS * 8,
            size(&snaps_path),
            SNAPSHOTS * BUBBLES * 2 * 8
        );
    }
    g.finish();

    // One checkpoint of a run with the groups above and a 1e4-value state.
    let mut g = c.benchmark_group("hdf5_checkpoint");
    g.sample_size(20);
    let path = d.join("ckpt.h5");
    let mut run = RunFile::create(&path, &provenance(), CreateOptions::force(true)).unwrap();
    let ts = run.time_series("joint", &columns()).unwrap();
    for row in rows.chunks_exact(COLUMNS).take(10_000) {
        run.append_row(ts, row).unwrap();
    }
    let state = CheckpointState::new(1.0, 10_000).with_f64("bubbles", radius[0].clone());
    g.bench_function("checkpoint", |b| {
        b.iter(|| run.checkpoint(black_box(&state)).unwrap())
    });
    g.finish();
    run.finish().unwrap();
    let _ = std::fs::remove_dir_all(&d);
}

criterion_group!(benches, bench);
criterion_main!(benches);
