//! Must-show 4: bad files get clear errors and never a panic.

mod common;

use std::path::Path;

use cavitas_hdf5::{OutputError, RunReader, SCHEMA_VERSION};
use common::*;

#[test]
fn not_hdf5() {
    let dir = temp_dir("bad");
    let p = dir.join("notes.h5");
    std::fs::write(&p, "time,gap\n0,1e-4\n".repeat(20)).unwrap();
    let err = RunReader::open(&p).unwrap_err();
    assert!(matches!(err, OutputError::NotHdf5 { .. }), "{err}");
    assert!(err.to_string().contains("notes.h5"));
    let empty = dir.join("empty.h5");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        RunReader::open(&empty).unwrap_err(),
        OutputError::Truncated { .. }
    ));
    let missing = RunReader::open(&dir.join("nope.h5")).unwrap_err();
    assert!(matches!(missing, OutputError::Io { .. }), "{missing}");
}

#[test]
fn truncated() {
    let dir = temp_dir("trunc");
    let good = write_toy(&dir.join("good.h5"), 500, 0);
    let bytes = std::fs::read(&good).unwrap();
    let p = dir.join("cut.h5");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    let err = RunReader::open(&p).unwrap_err();
    assert!(matches!(err, OutputError::Truncated { .. }), "{err}");
    assert!(err.to_string().contains("truncated"));
}

#[test]
fn another_programs_hdf5_file() {
    let dir = temp_dir("foreign");
    let p = dir.join("foreign.h5");
    let f = rust_hdf5::H5File::create(&p).unwrap();
    f.new_dataset::<f64>()
        .shape([3usize])
        .create("x")
        .unwrap()
        .write_raw(&[1.0, 2.0, 3.0])
        .unwrap();
    f.set_attr_string("creator", "someone else").unwrap();
    f.close().unwrap();
    let err = RunReader::open(&p).unwrap_err();
    assert!(matches!(err, OutputError::NotCavitas { .. }), "{err}");

    let q = dir.join("other_format.h5");
    let f = rust_hdf5::H5File::create(&q).unwrap();
    f.set_attr_string("format", "netcdf4").unwrap();
    f.close().unwrap();
    let err = RunReader::open(&q).unwrap_err();
    assert!(
        matches!(&err, OutputError::NotCavitas { detail, .. } if detail.contains("netcdf4")),
        "{err}"
    );
}

fn set_root_attr(path: &Path, name: &str, value: &str) {
    let f = rust_hdf5::H5File::open_rw(path).unwrap();
    f.set_attr_string(name, value).unwrap();
    f.close().unwrap();
}

#[test]
fn other_schema_version_and_unfinished_runs() {
    let dir = temp_dir("version");
    let p = write_toy(&dir.join("v.h5"), 100, 0);
    set_root_attr(&p, "schema_version", "99");
    let err = RunReader::open(&p).unwrap_err();
    assert!(
        matches!(&err, OutputError::SchemaVersion { found, supported, .. }
            if found == "99" && *supported == SCHEMA_VERSION),
        "{err}"
    );
    let q = write_toy(&dir.join("u.h5"), 100, 0);
    set_root_attr(&q, "complete", "false");
    assert!(matches!(
        RunReader::open(&q).unwrap_err(),
        OutputError::Incomplete { .. }
    ));
    assert!(RunReader::open_incomplete(&q).is_ok());
    // A checkpoint sidecar is not a run file.
    let out = dir.join("k.h5");
    let mut run = cavitas_hdf5::RunFile::create(&out, &provenance(), small_chunks()).unwrap();
    let h = declare(&mut run);
    let mut toy = Toy::new();
    run_toy(&mut run, &h, &mut toy, 50, 50, |_| {});
    let err = RunReader::open(&dir.join("k.h5.ckpt")).unwrap_err();
    assert!(matches!(err, OutputError::NotCavitas { .. }), "{err}");
    // Resume refuses a path with no checkpoint.
    assert!(matches!(
        cavitas_hdf5::RunFile::resume(&dir.join("none.h5")).unwrap_err(),
        OutputError::NoCheckpoint { .. }
    ));
}

/// Read everything a reader offers; any error is fine, a panic is not.
fn read_everything(p: &Path) -> Result<usize, OutputError> {
    let r = RunReader::open(p)?;
    let mut n = 0;
    r.provenance()?;
    for path in r.dataset_paths()? {
        if path == "events/kind" {
            continue;
        }
        n += r.array(&path)?.values.len();
    }
    n += r.events()?.len();
    Ok(n)
}

/// xorshift64 so the corruptions are reproducible.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn corrupted_bytes_give_errors_not_panics() {
    let dir = temp_dir("fuzz");
    let good = write_toy(&dir.join("good.h5"), 300, 0);
    let bytes = std::fs::read(&good).unwrap();
    let full = read_everything(&good).unwrap();
    let p = dir.join("bad.h5");
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let (mut ok, mut errors, mut same) = (0, 0, 0);
    let mut panics = Vec::new();
    // Silence the default hook: the backend's panics are caught and counted.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for case in 0..400 {
        let mut b = bytes.clone();
        match next(&mut seed) % 4 {
            0 => b.truncate((next(&mut seed) % bytes.len() as u64) as usize),
            1 => {
                // Flip bytes in the first 4 KiB, where the superblock and headers live.
                for _ in 0..1 + next(&mut seed) % 4 {
                    let i = (next(&mut seed) % 4096.min(b.len() as u64)) as usize;
                    b[i] ^= 1 << (next(&mut seed) % 8);
                }
            }
            _ => {
                for _ in 0..1 + next(&mut seed) % 8 {
                    let i = (next(&mut seed) % b.len() as u64) as usize;
                    b[i] = next(&mut seed) as u8;
                }
            }
        }
        std::fs::write(&p, &b).unwrap();
        match std::panic::catch_unwind(|| read_everything(&p)) {
            Ok(Ok(n)) if n == full => same += 1,
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                errors += 1;
                assert!(
                    e.to_string().contains("bad.h5"),
                    "error must name the file: {e}"
                );
                if let OutputError::BackendPanic { message, .. } = &e {
                    panics.push(format!("case {case}: {message}"));
                }
            }
            Err(_) => panic!("case {case}: a panic escaped the reader"),
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "fuzz: {errors} errors ({} caught backend panics), {ok} read with other sizes, {same} read with the full size (corruption in unused bytes)",
        panics.len()
    );
    for p in panics.iter().take(5) {
        eprintln!("  caught backend panic: {p}");
    }
    assert!(
        errors > 100,
        "corruption should mostly be detected ({errors} errors)"
    );
}

/// Files written by the HDF5 C library through h5py (superblock v0 and v3),
/// committed as fixtures: `tests/data/README.md` says how they were made.
#[test]
fn files_from_the_reference_library() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let err = RunReader::open(&data.join("h5py_foreign.h5")).unwrap_err();
    assert!(
        matches!(&err, OutputError::NotCavitas { detail, .. } if detail.contains("format")),
        "{err}"
    );
    // The superblock's end-of-file address is found in the v0 layout too.
    let dir = temp_dir("c-lib");
    let bytes = std::fs::read(data.join("h5py_foreign.h5")).unwrap();
    let cut = dir.join("cut_v0.h5");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let err = RunReader::open(&cut).unwrap_err();
    assert!(
        matches!(&err, OutputError::Truncated { expected, actual, .. }
            if *expected == bytes.len() as u64 && *actual == bytes.len() as u64 - 100),
        "{err}"
    );
    let err = RunReader::open(&data.join("h5py_schema99.h5")).unwrap_err();
    assert!(
        matches!(&err, OutputError::SchemaVersion { found, .. } if found == "99"),
        "{err}"
    );
}
