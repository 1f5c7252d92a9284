//! A coupled run file read as a timeline of the joint (`read_run_timeline`), written here
//! through the same writer as `cavitas run -o`, then imaged and measured end to end.

use cavitas_hdf5::{Column, CreateOptions, Event, Provenance, RunFile};
use cavitas_validation::{
    EventRules, JointTimeline, MriProtocol, ReaderSettings, SyntheticScanner, read_run_timeline,
};

fn provenance(config_text: &str) -> Provenance {
    Provenance {
        cavitas_version: "0.1.0".into(),
        git_revision: "test".into(),
        config_text: config_text.into(),
        backend: "cpu".into(),
        adapter: "test".into(),
        precision: "f64".into(),
        start_time: Provenance::utc_now_iso8601(),
    }
}

/// The gap creeps from 0.2 mm and jumps to 1.6 mm at 1.0 s; two nuclei, one of which
/// grows to 2.5 mm at the jump; a tribonucleated bubble (no snapshots) holds 10 mm³ more.
fn write_run(path: &std::path::Path) {
    let config = "[capsule]\nthickness_m = 0.8e-3\n[capsule.geometry]\nshape = \"joint\"\n\
                  rim_radius_m = 6.0e-3\ngap_m = 0.2e-3\nattachment_offset_m = 1.0e-3\n\
                  [joint.contact]\nlayer_thickness_m = 0.8e-3\n";
    let mut file = RunFile::create(path, &provenance(config), CreateOptions::default()).unwrap();
    let joint = file
        .time_series(
            "joint",
            &[
                Column::new("t", "s", "time"),
                Column::new("gap", "m", "gap"),
                Column::new("cavity_volume", "m^3", "cavity volume"),
            ],
        )
        .unwrap();
    let k = 5;
    let capsule = file
        .snapshots(
            "capsule",
            &[k, 2],
            &[Column::new("displacement", "m", "displacement")],
        )
        .unwrap();
    let bubbles = file
        .snapshots("bubbles", &[2], &[Column::new("radius", "m", "radius")])
        .unwrap();
    let rest: Vec<f64> = (0..k)
        .flat_map(|n| {
            [
                6.0e-3,
                -1.0e-3 + n as f64 * (1.2e-3 + 1.0e-3) / (k - 1) as f64,
            ]
        })
        .collect();
    file.write_array(
        "capsule",
        &[k, 2],
        &rest,
        &Column::new("nodes_ref", "m", "rest nodes"),
    )
    .unwrap();
    let gap = |t: f64| if t < 1.0 { 0.2e-3 } else { 1.6e-3 };
    let big = |t: f64| if t < 1.0 { 2e-6 } else { 2.5e-3 };
    let sphere = |r: f64| 4.0 / 3.0 * std::f64::consts::PI * r * r * r;
    let tribo = 10e-9;
    for s in 0..=20 {
        let t = s as f64 * 0.1;
        let gas = sphere(big(t)) + sphere(1e-6) + if t >= 1.0 { tribo } else { 0.0 };
        file.append_row(joint, &[t, gap(t), gas]).unwrap();
        // The moving end of the capsule follows the gap; nothing else moves.
        let disp: Vec<f64> = (0..k)
            .flat_map(|n| [0.0, (gap(t) - 0.2e-3) * n as f64 / (k - 1) as f64])
            .collect();
        file.append_snapshot(capsule, t, &[&disp]).unwrap();
        file.append_snapshot(bubbles, t, &[&[big(t), 1e-6]])
            .unwrap();
    }
    // Final positions: the two nuclei and the tribonucleated bubble.
    file.write_array(
        "bubbles/final",
        &[3, 3],
        &[0.0, 0.0, 0.1e-3, 3.0e-3, 0.0, 0.1e-3, -1.0e-3, 0.0, 0.1e-3],
        &Column::new("position", "m", "bubble centre"),
    )
    .unwrap();
    file.record_event(Event::new(0.999, "cavitation_onset", -20e3));
    file.record_event(Event::new(1.0, "gap_jump", 0.9e-3));
    file.finish().unwrap();
}

#[test]
fn a_run_file_becomes_a_timeline_of_the_joint_and_its_images_show_the_crack() {
    let dir = std::env::temp_dir().join(format!("cavitas-run-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.h5");
    let _ = std::fs::remove_file(&path);
    write_run(&path);

    let timeline = read_run_timeline(&path).unwrap();
    let anatomy = timeline.anatomy();
    assert_eq!(anatomy.proximal.rim_radius_m, 6.0e-3);
    assert_eq!(anatomy.distal.cartilage_thickness_m, 0.8e-3);
    assert_eq!(anatomy.capsule_thickness_m, 0.8e-3);
    assert_eq!(timeline.time_span_s(), (0.0, 2.0));
    assert_eq!(timeline.events()[1], ("gap_jump".to_string(), 1.0));

    let before = timeline.scene_at(0.5);
    let after = timeline.scene_at(1.5);
    assert_eq!(before.gap_m, 0.2e-3);
    assert_eq!(after.gap_m, 1.6e-3);
    // The capsule: rest nodes plus the snapshot's displacement.
    let last = after.capsule.nodes_m()[4];
    assert!((last[0] - 6.0e-3).abs() < 1e-15 && (last[1] - (1.2e-3 + 1.4e-3)).abs() < 1e-15);
    // Cavities: the two nuclei, then the tribonucleated bubble's gas as one more cavity.
    assert_eq!(before.cavities.len(), 2);
    assert_eq!(after.cavities.len(), 3);
    assert_eq!(after.cavities[0].radius_m, 2.5e-3);
    assert_eq!(after.cavities[2].centre_m, [-1.0e-3, 0.0, 0.1e-3]);
    // The extra cavity holds the 10 mm³ the snapshots miss: a difference of volumes of
    // about 75 mm³, exact to round-off (1e-9 relative is generous for a few operations).
    assert!((after.cavities[2].volume_m3() / 10e-9 - 1.0).abs() < 1e-9);

    // Imaged and read: the jump and the cavity are dated to the frame holding 1.0 s.
    let protocol = MriProtocol {
        time_samples_per_frame: 4,
        ..MriProtocol::default()
    };
    let series = SyntheticScanner::new(protocol)
        .unwrap()
        .cine(&timeline, 0.0, 2.0)
        .unwrap();
    let m = ReaderSettings::for_protocol(&protocol, anatomy.proximal.rim_radius_m)
        .measure_series(&series)
        .unwrap();
    let rules = EventRules::default();
    let jump = m.gap_jump(&rules).unwrap();
    let cavity = m.first_cavity(&rules).unwrap();
    // Frame 3 acquires over [0.9375, 1.25) s.
    assert_eq!(jump.frame, 3);
    assert!(cavity.frame == 3 || cavity.frame == 4, "{}", cavity.frame);
    // Before: 0.8 + 0.2 + 0.8 mm; after: 0.8 + 1.6 + 0.8 mm; within a quarter pixel (the
    // phantoms' accuracy).
    let q = 0.25 * protocol.slice.pixel_size_m;
    assert!(
        (m.joint_space_m[0].unwrap() - 1.8e-3).abs() < q,
        "{:?}",
        m.joint_space_m[0]
    );
    assert!(
        (m.joint_space_m[5].unwrap() - 3.2e-3).abs() < q,
        "{:?}",
        m.joint_space_m[5]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
