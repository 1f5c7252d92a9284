//! Must-show 1: everything written is read back equal by our reader.

mod common;

use cavitas_hdf5::{
    Column, CreateOptions, Event, FileKind, OutputError, RunFile, RunReader, SCHEMA_VERSION,
    XdmfCapsule, merge_shards,
};
use common::*;

#[test]
fn run_file_round_trips_bit_for_bit() {
    let dir = temp_dir("rt");
    let out = dir.join("run.h5");
    let steps = 1000;
    write_toy(&out, steps, 0);
    assert!(!dir.join("run.h5.partial").exists());
    assert!(!dir.join("run.h5.ckpt").exists());

    // Regenerate the expected values the same way.
    let mut toy = Toy::new();
    let mut rows = vec![toy.row()];
    let mut radii = vec![toy.radius.clone()];
    let mut disp = vec![toy.capsule_displacement()];
    let mut snap_t = vec![toy.t];
    let mut events = Vec::new();
    while toy.step < steps {
        toy.advance();
        rows.push(toy.row());
        if toy.step.is_multiple_of(SNAP_EVERY) {
            radii.push(toy.radius.clone());
            disp.push(toy.capsule_displacement());
            snap_t.push(toy.t);
        }
        if toy.step.is_multiple_of(250) {
            events.push(Event::new(toy.t, "sample_event", toy.x));
        }
    }

    let r = RunReader::open(&out).unwrap();
    assert_eq!(r.kind(), FileKind::Run);
    assert!(r.is_complete());
    assert_eq!(r.provenance().unwrap(), provenance());
    assert_eq!(
        r.attribute("config_hash").unwrap().unwrap(),
        provenance().config_hash()
    );
    assert_eq!(
        r.attribute("schema_version").unwrap().unwrap(),
        SCHEMA_VERSION.to_string()
    );
    assert!(r.wall_time_s().unwrap().unwrap() >= 0.0);
    assert_eq!(
        r.columns("joint").unwrap(),
        [
            "t",
            "gap",
            "force",
            "pressure",
            "capsule_volume",
            "gas_volume"
        ]
    );
    for (c, col) in joint_columns().iter().enumerate() {
        let a = r.column("joint", &col.name).unwrap();
        assert_eq!(a.shape, vec![rows.len()]);
        assert_eq!(a.unit, col.unit);
        assert_eq!(a.description, col.description);
        let want: Vec<f64> = rows.iter().map(|row| row[c]).collect();
        assert_eq!(a.values, want, "column {}", col.name);
    }
    let rad = r.array("bubbles/radius").unwrap();
    assert_eq!(rad.shape, vec![radii.len(), N_BUBBLES]);
    assert_eq!(rad.unit, "m");
    assert_eq!(rad.values, radii.concat());
    assert_eq!(r.array("bubbles/t").unwrap().values, snap_t);
    assert_eq!(r.array("bubbles/volume").unwrap().unit, "m^3");
    let d = r.array("capsule/displacement").unwrap();
    assert_eq!(d.shape, vec![disp.len(), N_NODES, 2]);
    assert_eq!(d.values, disp.concat());
    let nodes = r.array("capsule/nodes_ref").unwrap();
    assert_eq!(nodes.shape, vec![N_NODES, 2]);
    assert_eq!(nodes.values, nodes_ref());
    assert_eq!(r.events().unwrap(), events);
    assert!(r.checkpoint().unwrap().is_none());
}

#[test]
fn checkpoints_do_not_change_the_data() {
    let dir = temp_dir("ck");
    let a = write_toy(&dir.join("plain.h5"), 700, 0);
    let b = write_toy(&dir.join("ckpt.h5"), 700, 97);
    assert_same_data(&a, &b);
    let r = RunReader::open(&b).unwrap();
    assert_eq!(r.attribute("checkpoints").unwrap().unwrap(), "7");
}

#[test]
fn existing_output_is_never_overwritten_without_force() {
    let dir = temp_dir("force");
    let out = dir.join("run.h5");
    std::fs::write(&out, b"precious").unwrap();
    let err = RunFile::create(&out, &provenance(), CreateOptions::default()).unwrap_err();
    assert!(matches!(err, OutputError::Exists { .. }), "{err}");
    assert!(err.to_string().contains("run.h5") && err.to_string().contains("--force"));

    // With force the old file survives until the new run finishes.
    let mut run = RunFile::create(&out, &provenance(), CreateOptions::force(true)).unwrap();
    let ts = run.time_series("joint", &joint_columns()).unwrap();
    run.append_row(ts, &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"precious");
    // A second writer at the same path sees the unfinished run.
    let err = RunFile::create(&out, &provenance(), CreateOptions::default()).unwrap_err();
    assert!(matches!(err, OutputError::Locked { .. }), "{err}");
    // Not even with force: the live run's files are left alone.
    let err = RunFile::create(&out, &provenance(), CreateOptions::force(true)).unwrap_err();
    assert!(matches!(err, OutputError::Locked { .. }), "{err}");
    assert!(dir.join("run.h5.partial").exists());
    run.finish().unwrap();
    let r = RunReader::open(&out).unwrap();
    assert_eq!(r.column("joint", "gas_volume").unwrap().values, vec![5.0]);
}

#[test]
fn bad_appends_are_errors_not_panics() {
    let dir = temp_dir("bad-append");
    let mut run =
        RunFile::create(&dir.join("r.h5"), &provenance(), CreateOptions::default()).unwrap();
    let ts = run.time_series("joint", &joint_columns()).unwrap();
    assert!(run.append_row(ts, &[1.0, 2.0]).is_err());
    let s = run
        .snapshots("bubbles", &[3], &[Column::new("radius", "m", "R")])
        .unwrap();
    assert!(run.append_snapshot(s, 0.0, &[&[1.0, 2.0]]).is_err());
    assert!(run.time_series("joint", &joint_columns()[..2]).is_err());
    assert!(run.time_series("/abs", &joint_columns()).is_err());
    assert!(
        run.snapshots("x", &[], &[Column::new("a", "m", "")])
            .is_err()
    );
    assert!(
        run.checkpoint(&cavitas_hdf5::CheckpointState::new(0.0, 0).with_f64("a/b", vec![1.0]))
            .is_err()
    );
}

#[test]
fn resume_after_abandoned_session_matches_uninterrupted_run() {
    let dir = temp_dir("resume");
    let reference = write_toy(&dir.join("reference.h5"), 900, 0);
    let out = dir.join("run.h5");
    {
        let mut run = RunFile::create(&out, &provenance(), small_chunks()).unwrap();
        let h = declare(&mut run);
        let mut toy = Toy::new();
        write_step(&mut run, &h, &toy);
        run_toy(&mut run, &h, &mut toy, 400, 150, |_| {});
        // Abandon at step 400: last checkpoint at 300; 100 rows after it.
        drop(run);
    }
    let err = RunReader::open(&out).unwrap_err();
    assert!(matches!(err, OutputError::Incomplete { .. }), "{err}");
    let partial = RunReader::open_incomplete(&out).unwrap();
    assert!(!partial.is_complete());
    let ck = partial.checkpoint().unwrap().unwrap();
    assert_eq!(ck.sequence, 2);
    assert_eq!(ck.state.step, 300);
    assert_eq!(ck.rows["joint/t"], 301);
    drop(partial);

    let (mut run, state) = RunFile::resume(&out).unwrap();
    assert!(run.is_resumed());
    let mut toy = Toy::from_state(&state);
    assert_eq!(toy.step, 300);
    let h = declare(&mut run);
    run_toy(&mut run, &h, &mut toy, 900, 150, |_| {});
    run.finish().unwrap();
    assert_same_data(&reference, &out);
}

#[test]
fn merged_sweep_reads_back_through_virtual_datasets() {
    let dir = temp_dir("merge");
    let a = write_toy(&dir.join("shard_0.h5"), 300, 0);
    let b = write_toy(&dir.join("shard_1.h5"), 520, 0);
    let merged = dir.join("sweep.h5");
    merge_shards(&[a.clone(), b.clone()], &merged, false).unwrap();
    assert!(matches!(
        merge_shards(&[a.clone(), b.clone()], &merged, false),
        Err(OutputError::Exists { .. })
    ));
    let m = RunReader::open(&merged).unwrap();
    assert_eq!(m.kind(), FileKind::Sweep);
    assert_eq!(m.shards().unwrap(), ["shard_0.h5", "shard_1.h5"]);
    let ra = RunReader::open(&a).unwrap();
    let rb = RunReader::open(&b).unwrap();
    for p in [
        "joint/gap",
        "bubbles/radius",
        "capsule/displacement",
        "capsule/nodes_ref",
    ] {
        let va = ra.array(p).unwrap();
        let vb = rb.array(p).unwrap();
        let vm = m.array(p).unwrap();
        let rows = va.shape[0].max(vb.shape[0]);
        let mut want_shape = vec![2, rows];
        want_shape.extend_from_slice(&va.shape[1..]);
        assert_eq!(vm.shape, want_shape, "{p}");
        assert_eq!(vm.unit, va.unit);
        assert_eq!(
            m.rows_per_shard(p).unwrap(),
            vec![va.shape[0] as u64, vb.shape[0] as u64]
        );
        let per_row: usize = va.shape[1..].iter().product();
        let stride = rows * per_row;
        assert_eq!(&vm.values[..va.values.len()], &va.values[..], "{p} shard 0");
        assert!(
            vm.values[va.values.len()..stride]
                .iter()
                .all(|v| v.is_nan()),
            "{p} padding"
        );
        assert_eq!(
            &vm.values[stride..stride + vb.values.len()],
            &vb.values[..],
            "{p} shard 1"
        );
    }
    let ev = m.events().unwrap();
    assert_eq!(
        ev.len(),
        ra.events().unwrap().len() + rb.events().unwrap().len()
    );
    // The shard column is uint64: reading it as f64 is a type error, not a reinterpretation.
    assert!(matches!(
        m.array("events/shard"),
        Err(OutputError::Mismatch { .. })
    ));
}

#[test]
fn xdmf_sidecar_is_well_formed_and_names_existing_datasets() {
    let dir = temp_dir("xdmf");
    let out = write_toy(&dir.join("run.h5"), 200, 0);
    let r = RunReader::open(&out).unwrap();
    let x = XdmfCapsule::from_run(&r, "capsule").unwrap();
    assert_eq!(x.n_nodes, N_NODES);
    assert_eq!(x.times.len(), 21);
    let path = XdmfCapsule::sidecar_path(&out);
    assert_eq!(path, dir.join("run.xdmf"));
    x.write(&path).unwrap();
    let xml = std::fs::read_to_string(&path).unwrap();
    check_well_formed(&xml);
    // Every HDF reference names a dataset of the run file with the shape stated.
    let mut n_refs = 0;
    for piece in xml.split("Format=\"HDF\">").skip(1) {
        let target = &piece[..piece.find('<').unwrap()];
        let (file, ds) = target.split_once(":/").unwrap();
        assert_eq!(file, "run.h5");
        assert_eq!(r.shape(ds).unwrap(), vec![N_NODES, 2], "{ds}");
        n_refs += 1;
    }
    assert_eq!(n_refs, 21);
    assert_eq!(xml.matches("<Time ").count(), 21);
    assert_eq!(xml.matches("TopologyType=\"Polyline\"").count(), 21);
    assert!(!xml.contains("Function") && !xml.contains("Reference"));
    // The connectivity of every grid: the meridian's N_NODES nodes joined in order, node i
    // to node i + 1, by N_NODES − 1 two-node segments (every node used, none twice but the
    // interior ones, no segment closing the curve).
    let expected: Vec<u32> = (0..N_NODES as u32 - 1).flat_map(|i| [i, i + 1]).collect();
    let mut grids = 0;
    for topology in xml.split("TopologyType=\"Polyline\"").skip(1) {
        let head = &topology[..topology.find('>').unwrap()];
        assert!(head.contains("NodesPerElement=\"2\""), "{head}");
        assert!(
            head.contains(&format!("NumberOfElements=\"{}\"", N_NODES - 1)),
            "{head}"
        );
        let item = topology.split("Format=\"XML\">").nth(1).unwrap();
        let ids: Vec<u32> = item[..item.find('<').unwrap()]
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(ids, expected);
        grids += 1;
    }
    assert_eq!(grids, 21);
    // Geometry XY on the reference nodes, displacement a nodal vector of N_NODES x 2.
    assert_eq!(xml.matches("<Geometry GeometryType=\"XY\">").count(), 21);
    assert_eq!(
        xml.matches(&format!(
            "<DataItem Dimensions=\"{N_NODES} 2\" NumberType=\"Float\" Precision=\"8\" Format=\"XML\">"
        ))
        .count(),
        21
    );
    // The displacement of the last grid, inline, is the last snapshot's bit for bit.
    let last = xml.rsplit("Center=\"Node\">").next().unwrap();
    let text = last.split("Format=\"XML\">").nth(1).unwrap();
    let values: Vec<f64> = text[..text.find('<').unwrap()]
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let d = r.array("capsule/displacement").unwrap().values;
    assert_eq!(values, d[20 * 2 * N_NODES..].to_vec());
}

/// Minimal XML well-formedness: balanced, properly nested tags, quoted attributes.
fn check_well_formed(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').expect("unterminated tag") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched </{name}>"
            );
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap().to_string());
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

#[test]
fn run_attributes_round_trip_and_the_writers_own_are_refused() {
    let dir = temp_dir("attrs");
    let out = dir.join("run.h5");
    let mut run = RunFile::create(&out, &provenance(), CreateOptions::default()).unwrap();
    let summary = "{\"t_crack_s\": 16.348, \"note\": \"ünïcode\"}";
    run.set_attribute("summary_json", summary).unwrap();
    for owned in ["complete", "config_hash", "schema_version"] {
        assert!(
            matches!(
                run.set_attribute(owned, "x"),
                Err(OutputError::Mismatch { .. })
            ),
            "{owned}"
        );
    }
    assert!(run.set_attribute("a/b", "x").is_err(), "not a plain name");
    run.finish().unwrap();
    let r = RunReader::open(&out).unwrap();
    assert_eq!(r.attribute("summary_json").unwrap().unwrap(), summary);
    assert_eq!(r.attribute("complete").unwrap().unwrap(), "true");
}

#[test]
fn category_columns_are_int32_with_their_names_and_survive_a_resume() {
    let dir = temp_dir("category");
    let out = dir.join("run.h5");
    let phase = Column::category(
        "phase",
        "phase of the joint",
        &[(0, "creep"), (1, "crack"), (2, "cavity")],
    );
    let columns = [Column::new("t", "s", "time"), phase.clone()];
    let regime = Column::category("regime", "regime", &[(0, "dormant"), (3, "gone")]);
    let options = CreateOptions {
        series_chunk_rows: 4,
        snapshot_chunk_bytes: 8 * 3 * 2,
        ..CreateOptions::default()
    };
    let code = |i: u64| [0.0, 1.0, 2.0][(i / 5 % 3) as usize];
    let write = |run: &mut RunFile, from: u64, to: u64| {
        let ts = run.time_series("state", &columns).unwrap();
        let sn = run
            .snapshots_with_axes("field", &[("bubble", 3)], std::slice::from_ref(&regime))
            .unwrap();
        for i in from..to {
            run.append_row(ts, &[i as f64, code(i)]).unwrap();
            let r = if i % 2 == 0 { 0.0 } else { 3.0 };
            run.append_snapshot(sn, i as f64, &[&[r, 3.0, 0.0]])
                .unwrap();
        }
    };
    {
        let mut run = RunFile::create(&out, &provenance(), options.clone()).unwrap();
        write(&mut run, 0, 10);
        // A value that is not a listed code is refused.
        let ts = run.time_series("state", &columns).unwrap();
        assert!(matches!(
            run.append_row(ts, &[10.0, 1.5]),
            Err(OutputError::Mismatch { .. })
        ));
        run.write_array(
            "final",
            &[2],
            &[2.0, 0.0],
            &Column::category("phase", "", &[(0, "creep"), (2, "cavity")]),
        )
        .unwrap();
        run.checkpoint(&cavitas_hdf5::CheckpointState::new(9.0, 9))
            .unwrap();
        write(&mut run, 10, 13); // lost with the session
    }
    let (mut run, state) = RunFile::resume(&out).unwrap();
    assert_eq!(state.step, 9);
    write(&mut run, 10, 23);
    run.finish().unwrap();
    let r = RunReader::open_verified(&out).unwrap();
    let p = r.column("state", "phase").unwrap();
    assert_eq!(p.values, (0..23).map(code).collect::<Vec<_>>());
    assert_eq!(p.unit, "1");
    assert_eq!(
        r.categories("state/phase").unwrap().unwrap(),
        vec![
            (0, "creep".to_string()),
            (1, "crack".to_string()),
            (2, "cavity".to_string())
        ]
    );
    assert!(r.categories("state/t").unwrap().is_none());
    assert_eq!(r.array("final/phase").unwrap().values, vec![2.0, 0.0]);
    let reg = r.array("field/regime").unwrap();
    assert_eq!(reg.shape, vec![23, 3]);
    assert_eq!(&reg.values[3..6], &[3.0, 3.0, 0.0]);
    assert_eq!(r.array("field/bubble").unwrap().values, vec![0.0, 1.0, 2.0]);
}
