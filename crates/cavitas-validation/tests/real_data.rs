//! Real data in: a researcher's digitised CSV compared with the simulation's measurements,
//! and real cine series as PNG frames or DICOM measured by the same reader.

use std::path::{Path, PathBuf};

use cavitas_validation::{
    CineSeries, EventRules, FrameEncoding, JointAnatomy, MeasurementSeries, MriProtocol,
    ReaderSettings, SampledTimeline, SeriesComparison, SyntheticScanner, ValidationError,
    parse_digitised_csv, read_dicom_series, read_png_series, write_dicom_series, write_png_series,
};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cavitas-real-data-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A simulated series of 12 frames at 3.2 frames/s: the joint space 2.2 mm until the jump
/// in frame 5, then 3.5 mm; a cavity of 10 mm² from frame 5.
fn simulated() -> MeasurementSeries {
    let n = 12;
    let times: Vec<f64> = (0..n).map(|k| (k as f64 + 0.5) * 0.3125).collect();
    MeasurementSeries {
        times_s: times,
        frame_period_s: 0.3125,
        joint_space_m: (0..n)
            .map(|k| Some(if k < 5 { 2.2e-3 } else { 3.5e-3 }))
            .collect(),
        joint_space_uncertainty_m: vec![Some(0.5e-3); n],
        cavity_area_m2: (0..n)
            .map(|k| Some(if k < 5 { 0.0 } else { 10e-6 }))
            .collect(),
        cavity_area_uncertainty_m2: vec![Some(4e-6); n],
    }
}

/// The CSV a researcher would write for `series`, each value taken from frame
/// `k - shift` (the same series `shift` frames later), the gap scaled by `scale`.
fn csv_of(series: &MeasurementSeries, shift: usize, scale: f64) -> String {
    let mut text = String::from("# digitised by hand\ntime_s,gap_mm,cavity_area_mm2\n");
    for k in 0..series.len() {
        let src = k.saturating_sub(shift);
        text += &format!(
            "{},{},{}\n",
            series.times_s[k],
            series.joint_space_m[src].unwrap() * 1e3 * scale,
            series.cavity_area_m2[src].unwrap() * 1e6
        );
    }
    text
}

#[test]
fn the_csv_reads_in_si_units_with_gaps_for_frames_not_measured() {
    let text = "time_ms,gap_um,cavity_area_mm2\n156.25,2200,\n468.75,,0\n781.25,3500,10.5\n";
    let s = parse_digitised_csv(text, Path::new("obs.csv")).unwrap();
    assert_eq!(s.times_s, vec![0.15625, 0.46875, 0.78125]);
    assert_eq!(s.frame_period_s, 0.3125);
    assert_eq!(s.joint_space_m[1], None);
    assert!((s.joint_space_m[2].unwrap() - 3.5e-3).abs() < 1e-15);
    assert_eq!(s.cavity_area_m2[0], None);
    assert!((s.cavity_area_m2[2].unwrap() - 10.5e-6).abs() < 1e-18);
}

#[test]
fn a_bad_csv_is_refused_naming_file_line_and_column() {
    let check = |text: &str, line: u64, column: usize, needle: &str| {
        let e = parse_digitised_csv(text, Path::new("obs.csv")).unwrap_err();
        let message = e.to_string();
        match e {
            ValidationError::Csv {
                line: l, column: c, ..
            } => {
                assert_eq!((l, c), (line, column), "{message}");
            }
            other => panic!("not a CSV error: {other}"),
        }
        assert!(message.starts_with("obs.csv, line"), "{message}");
        assert!(message.contains(needle), "{message}");
    };
    check("time_s,gap_inch\n0,1\n", 1, 2, "unknown column");
    check(
        "time_s,gap_mm\n0,2.2\n0.3,two\n",
        3,
        2,
        "\"two\" is not a number",
    );
    check("# note\ntime_s,gap_mm\n0,2.2\n0.3,-1\n", 4, 2, "negative");
    check(
        "time_s,gap_mm\n0.3,2.2\n0.3,2.3\n",
        3,
        1,
        "times must increase",
    );
    check("gap_mm,cavity_area_mm2\n2.2,0\n", 1, 0, "no time column");
    check(
        "time_s,gap_mm,gap_m\n0,2.2,0.0022\n",
        1,
        3,
        "the same quantity as column 2",
    );
    check("time_s,gap_mm\n0,2.2\n", 1, 0, "at least two frames");
}

#[test]
fn a_csv_one_frame_late_is_reported_one_frame_late() {
    let sim = simulated();
    let obs = parse_digitised_csv(&csv_of(&sim, 1, 1.0), Path::new("late.csv")).unwrap();
    let c = SeriesComparison::compare(&sim, &obs, &EventRules::default()).unwrap();
    assert_eq!(c.matched_frames, 12);
    assert_eq!(c.gap_jump.0.unwrap().frame, 5);
    assert_eq!(c.gap_jump.1.unwrap().frame, 6);
    assert_eq!(c.gap_jump_offset_frames, Some(1));
    assert_eq!(c.first_cavity_offset_frames, Some(1));
    // The same series on time: no offset, no error.
    let same = parse_digitised_csv(&csv_of(&sim, 0, 1.0), Path::new("same.csv")).unwrap();
    let c = SeriesComparison::compare(&sim, &same, &EventRules::default()).unwrap();
    assert_eq!(c.gap_jump_offset_frames, Some(0));
    assert_eq!(c.first_cavity_offset_frames, Some(0));
    // Round-off of the decimal text (mm) is all that is left.
    assert!(c.gap_rms_error_m.unwrap() < 1e-15);
    assert!(c.cavity_area_rms_error_m2.unwrap() < 1e-18);
}

#[test]
fn a_gap_series_ten_percent_larger_is_reported_as_about_ten_percent_rms_error() {
    let sim = simulated();
    let obs = parse_digitised_csv(&csv_of(&sim, 0, 1.1), Path::new("scaled.csv")).unwrap();
    let c = SeriesComparison::compare(&sim, &obs, &EventRules::default()).unwrap();
    // Every frame is off by a tenth of the simulated gap: RMS error 0.1 × RMS(simulated),
    // 0.1 / 1.1 = 9.1 % of the observed gap (errors are relative to the observation).
    let rms_sim = (sim
        .joint_space_m
        .iter()
        .map(|v| v.unwrap().powi(2))
        .sum::<f64>()
        / 12.0)
        .sqrt();
    assert!((c.gap_rms_error_m.unwrap() - 0.1 * rms_sim).abs() < 1e-12);
    assert!((c.gap_rms_relative.unwrap() - 0.1 / 1.1).abs() < 1e-9);
    // Areas untouched; the events stay put (a scaled jump is still the largest step).
    assert!(c.cavity_area_rms_error_m2.unwrap() < 1e-18);
    assert_eq!(c.gap_jump_offset_frames, Some(0));
}

/// A small synthetic crack, five frames (40 × 40 pixels, fewer sub-samples: this is about
/// file formats, not accuracy).
fn small_series() -> (MriProtocol, CineSeries) {
    let mut protocol = MriProtocol {
        time_samples_per_frame: 2,
        in_plane_supersampling: 2,
        through_slice_samples: 2,
        ..MriProtocol::default()
    };
    protocol.slice.field_of_view_m = [20e-3, 20e-3];
    let times = vec![0.0, 0.7, 0.701, 1.6];
    let timeline = SampledTimeline::new(
        JointAnatomy::default(),
        times.clone(),
        vec![0.2e-3, 0.2e-3, 1.5e-3, 1.5e-3],
    )
    .unwrap()
    .with_cavities(
        vec![[0.0, 0.0, 0.75e-3]],
        times,
        vec![vec![0.0], vec![0.0], vec![3e-3], vec![3e-3]],
    )
    .unwrap();
    let series = SyntheticScanner::new(protocol)
        .unwrap()
        .cine(&timeline, 0.0, 1.6)
        .unwrap();
    (protocol, series)
}

#[test]
fn a_dicom_series_is_measured_like_the_same_frames_as_png() {
    let (protocol, series) = small_series();
    assert_eq!(series.len(), 5);
    let dir = temp_dir("formats");
    let encoding = FrameEncoding::default();
    write_png_series(&dir.join("png"), &series, &encoding).unwrap();
    write_dicom_series(
        &dir.join("dicom"),
        &series,
        &encoding,
        protocol.slice.thickness_m,
    )
    .unwrap();
    let from_png = read_png_series(&dir.join("png"), None).unwrap();
    let from_dicom = read_dicom_series(&dir.join("dicom")).unwrap();
    // Both decode count × 2⁻¹⁴: the same values, pixel sizes and times.
    assert_eq!(from_png.frames, from_dicom.frames);
    for (a, b) in from_png.times_s.iter().zip(&from_dicom.times_s) {
        assert!((a - b).abs() < 1e-12, "{a} {b}");
    }
    // And within half a count of the frames written.
    for (read, written) in from_png.frames.iter().zip(&series.frames) {
        assert_eq!(read.pixel_size_m, written.pixel_size_m);
        for (r, w) in read.values.iter().zip(&written.values) {
            assert!((r - w).abs() <= 0.5 / 16384.0 + 1e-7, "{r} {w}");
        }
    }
    let reader = ReaderSettings::for_protocol(&protocol, 7.5e-3);
    let m_png = reader.measure_series(&from_png).unwrap();
    let m_dicom = reader.measure_series(&from_dicom).unwrap();
    assert_eq!(m_png.joint_space_m, m_dicom.joint_space_m);
    assert_eq!(m_png.cavity_area_m2, m_dicom.cavity_area_m2);
    let rules = EventRules::default();
    assert_eq!(m_png.gap_jump(&rules).map(|e| e.frame), Some(2));
    assert_eq!(
        m_png.gap_jump(&rules).map(|e| e.frame),
        m_dicom.gap_jump(&rules).map(|e| e.frame)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unreadable_frames_are_refused_naming_the_file() {
    let dir = temp_dir("bad");
    std::fs::write(dir.join("frame_0000.png"), b"not a png").unwrap();
    std::fs::write(dir.join("frame_times.csv"), "time_s\n0.1\n").unwrap();
    let e = read_png_series(&dir, Some([0.5e-3; 2]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("frame_0000.png") && e.contains("not a readable PNG"),
        "{e}"
    );
    std::fs::write(dir.join("frame_times.csv"), "seconds\n0.1\n").unwrap();
    let e = read_png_series(&dir, Some([0.5e-3; 2]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("frame_times.csv") && e.contains("time_s or time_ms"),
        "{e}"
    );
    let dcm = dir.join("x.dcm");
    std::fs::write(&dcm, b"DICM? no").unwrap();
    let e = read_dicom_series(&dcm).unwrap_err().to_string();
    assert!(
        e.contains("x.dcm") && e.contains("not a readable DICOM"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The template shipped in `validation/kawchuk-2015/` is a valid header for the format.
#[test]
fn the_shipped_template_is_the_documented_format() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../validation/kawchuk-2015/digitised_template.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text += "0.15625,2.2,0\n0.46875,2.3,1.5\n";
    let s = parse_digitised_csv(&text, &path).unwrap();
    assert_eq!(s.len(), 2);
    assert!((s.cavity_area_m2[1].unwrap() - 1.5e-6).abs() < 1e-18);
}
