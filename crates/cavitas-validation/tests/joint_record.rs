//! A coupled run's joint read back for validation: a run file written through the same
//! writer as `cavitas run -o` (a gap that opens linearly, then jumps), sampled at the 3.2
//! frames/s of the published cine MRI.

use cavitas_hdf5::{Column, CreateOptions, Event, Provenance, RunFile};
use cavitas_validation::JointRecord;

fn provenance() -> Provenance {
    Provenance {
        cavitas_version: "0.1.0".into(),
        git_revision: "test".into(),
        config_text: "description = \"joint record test\"\n".into(),
        backend: "cpu".into(),
        adapter: "test".into(),
        precision: "f64".into(),
        start_time: Provenance::utc_now_iso8601(),
    }
}

#[test]
fn the_gap_reads_back_and_samples_at_the_cine_frame_rate() {
    let dir = std::env::temp_dir().join(format!("cavitas-validation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("joint.h5");
    let _ = std::fs::remove_file(&path);
    let mut file = RunFile::create(&path, &provenance(), CreateOptions::default()).unwrap();
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
    // Steps of 0.01 s over 2 s: the gap opens at 0.1 mm/s from 0.2 mm and jumps by 0.1 mm
    // at t = 1.5 s, when 60 mm³ of gas appears.
    let gap = |t: f64| 0.2e-3 + 0.1e-3 * t + if t >= 1.5 { 0.1e-3 } else { 0.0 };
    for k in 0..=200 {
        let t = k as f64 * 0.01;
        let gas = if t >= 1.5 { 60e-9 } else { 0.0 };
        file.append_row(joint, &[t, gap(t), gas]).unwrap();
    }
    file.record_event(Event::new(1.495, "cavitation_onset", -7.0e3));
    file.record_event(Event::new(1.5, "gap_jump", gap(1.5)));
    file.finish().unwrap();

    let record = JointRecord::read(&path).unwrap();
    assert_eq!(record.time_s.len(), 201);
    assert_eq!(record.first_event_s("gap_jump"), Some(1.5));
    assert_eq!(record.first_event_s("re_crack"), None);
    // Linear between steps: exact for the linear creep (to round-off of the sums).
    let h = record.gap_at(0.555).unwrap();
    assert!((h - gap(0.555)).abs() < 1e-15, "{h}");
    assert_eq!(record.gap_at(2.5), None);
    assert_eq!(record.cavity_volume_at(1.7), Some(60e-9));
    // 3.2 frames/s over 2 s: frames at 0, 0.3125, ..., 1.875 s; the frames after the jump
    // see the wider gap.
    let frames = record.gap_frames(3.2);
    assert_eq!(frames.len(), 7);
    assert_eq!(frames[6].0, 1.875);
    for &(t, h) in &frames {
        assert!((h - gap(t)).abs() < 1e-15, "frame at {t} s: {h}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
