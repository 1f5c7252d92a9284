//! Plots, the GIF and the report of a small synthetic crack: every linked PNG exists, is
//! not empty and has the size its function promises; the GIF has one frame per cine frame.

use std::path::{Path, PathBuf};

use cavitas_validation::{
    EventRules, JointAnatomy, JointTimeline, MriProtocol, ReaderSettings, SampledTimeline,
    SeriesComparison, SyntheticScanner, TimeSeriesPanel, ValidationReport, plot_comparison,
    plot_frame_strip, plot_spectrum, plot_time_series, write_cine_gif,
};

fn png_size(path: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    (info.width, info.height)
}

#[test]
fn the_report_links_plots_that_exist_with_their_sizes_and_the_gif_has_every_frame() {
    // CAVITAS_KEEP_REPORT=dir keeps the report there to look at.
    let keep = std::env::var_os("CAVITAS_KEEP_REPORT").map(PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("cavitas-report-{}", std::process::id()))
    });
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // A crack at 0.8 s in a 40 × 40-pixel slice, few sub-samples (this is about files).
    let mut protocol = MriProtocol {
        time_samples_per_frame: 2,
        in_plane_supersampling: 2,
        through_slice_samples: 2,
        ..MriProtocol::default()
    };
    protocol.slice.field_of_view_m = [20e-3, 20e-3];
    let times = vec![0.0, 0.8, 0.801, 2.0];
    let gaps = vec![0.2e-3, 0.3e-3, 1.5e-3, 1.5e-3];
    let timeline = SampledTimeline::new(JointAnatomy::default(), times.clone(), gaps.clone())
        .unwrap()
        .with_cavities(
            vec![[0.0, 0.0, 0.75e-3]],
            times.clone(),
            vec![vec![0.0], vec![0.0], vec![3e-3], vec![3e-3]],
        )
        .unwrap()
        .with_events(vec![("gap_jump".into(), 0.8)]);
    let scanner = SyntheticScanner::new(protocol).unwrap();
    let series = scanner.cine(&timeline, 0.0, 2.0).unwrap();
    assert_eq!(series.len(), 6);
    let reader = ReaderSettings::for_protocol(&protocol, 7.5e-3);
    let measured = reader.measure_series(&series).unwrap();

    let time_series = plot_time_series(
        &dir.join("time_series.png"),
        "Synthetic crack",
        &[
            TimeSeriesPanel {
                label: "gap (mm)".into(),
                times_s: times.clone(),
                values: gaps.iter().map(|g| g * 1e3).collect(),
            },
            TimeSeriesPanel {
                label: "joint space on the images (mm)".into(),
                times_s: measured.times_s.clone(),
                values: measured
                    .joint_space_m
                    .iter()
                    .map(|v| v.unwrap_or(f64::NAN) * 1e3)
                    .collect(),
            },
        ],
        &series.times_s,
        &timeline.events(),
    )
    .unwrap();
    let strip = plot_frame_strip(
        &dir.join("strip.png"),
        "Frames around the crack",
        &[&series.frames[1], &series.frames[2], &series.frames[3]],
        &["0.47 s".into(), "0.78 s".into(), "1.09 s".into()],
        [0.0, 1.2],
        4,
    )
    .unwrap();
    let f: Vec<f64> = (0..200).map(|k| k as f64 * 50.0).collect();
    let a: Vec<f64> = f
        .iter()
        .map(|f| 1.0 / (1.0 + ((f - 2000.0) / 300.0f64).powi(2)))
        .collect();
    let spectrum = plot_spectrum(&dir.join("spectrum.png"), "Pop at 10 cm", &f, &a, "Pa").unwrap();
    // The observed series: the simulated one shifted a frame later (a stand-in).
    let mut observed = measured.clone();
    observed.joint_space_m.rotate_right(1);
    observed.joint_space_m[0] = measured.joint_space_m[0];
    let comparison = plot_comparison(
        &dir.join("comparison.png"),
        "Simulated vs observed",
        &measured,
        &observed,
    )
    .unwrap();
    let c = SeriesComparison::compare(&measured, &observed, &EventRules::default()).unwrap();
    let gif = dir.join("cine.gif");
    write_cine_gif(&gif, &series, [0.0, 1.2], 3).unwrap();

    let mut report = ValidationReport::new("Synthetic cine MRI of a crack");
    report
        .paragraph("A test report.")
        .table(
            &["metric", "value"],
            vec![vec![
                "gap-jump offset (frames)".into(),
                format!("{:?}", c.gap_jump_offset_frames),
            ]],
        )
        .plot("time series", &time_series)
        .plot("frames", &strip)
        .plot("spectrum", &spectrum)
        .plot("comparison", &comparison)
        .image("cine", &gif);
    let report_path = dir.join("report.md");
    report.write(&report_path).unwrap();

    // Every PNG link resolves, relative to the report, to a non-empty PNG of the size
    // the plot functions document.
    let text = std::fs::read_to_string(&report_path).unwrap();
    let links: Vec<PathBuf> = text
        .lines()
        .filter_map(|l| l.strip_prefix("![")?.split_once("](")?.1.strip_suffix(')'))
        .map(|l| dir.join(l))
        .collect();
    assert_eq!(links.len(), 5, "{text}");
    let expected = [
        ("time_series.png", (1000, 60 + 2 * 220)),
        ("strip.png", (3 * (40 * 4 + 10) + 10, 40 * 4 + 60)),
        ("spectrum.png", (900, 500)),
        ("comparison.png", (1000, 700)),
    ];
    for ((name, size), link) in expected.iter().zip(&links) {
        assert_eq!(
            link.file_name().unwrap(),
            *name,
            "links are relative to the report"
        );
        assert!(
            std::fs::metadata(link).unwrap().len() > 1000,
            "{name} is empty"
        );
        assert_eq!(png_size(link), *size, "{name}");
    }
    assert_eq!(strip.width, 3 * (40 * 4 + 10) + 10);
    // The GIF: one frame per cine frame, 40 × 40 pixels enlarged three times, shown for the
    // frame period (31 hundredths of 312.5 ms).
    let mut decoder = gif::DecodeOptions::new()
        .read_info(std::fs::File::open(&links[4]).unwrap())
        .unwrap();
    assert_eq!((decoder.width(), decoder.height()), (120, 120));
    let mut frames = 0;
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!(frame.delay, 31);
        frames += 1;
    }
    assert_eq!(frames, series.len());
    if keep.is_none() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
