//! The run file of a coupled joint run (`cavitas run -o`): what it holds, read back through
//! `cavitas_hdf5::RunReader` and compared with the `--json` summary; a run SIGKILLed
//! mid-way and resumed ending bit for bit as the uninterrupted one (CPU backend); two runs
//! merged into a sweep.

use std::path::{Path, PathBuf};

use cavitas_hdf5::{RunPaths, RunReader, XdmfCapsule};

mod common;

use common::{assert_same_datasets, cavitas, json, kill_at_fault_point, stderr};

/// The default traction made quick: a 5 N/s ramp (the crack comes at ~6.6 s), 40 nuclei,
/// and an end 0.3 s after the crack while the cavity rings down and settles.
const QUICK: [&str; 6] = [
    "--set",
    "loading.ramp_s=8.0",
    "--set",
    "nuclei.count=40",
    "--set",
    "coupling.duration_s=6.9",
];

fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cavitas-crack-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn quick_args<'a>(out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["run", "--backend", "cpu", "--json", "-o", s(out)];
    args.extend(QUICK);
    args.extend_from_slice(extra);
    args
}

/// Equal to the last bit or so: serde_json (without `float_roundtrip`) may parse a printed
/// f64 one ulp off.
fn same(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs())
}

#[test]
fn a_coupled_run_file_holds_the_joint_the_capsule_the_bubbles_the_sound_and_the_events() {
    let dir = temp_dir("holds");
    let out = dir.join("quick.h5");
    let summary = json(&cavitas(&quick_args(&out, &[])));
    assert!(summary["crack"].as_bool().unwrap(), "the quick run cracks");
    let r = RunReader::open(&out).unwrap();
    assert!(r.is_complete());
    let steps = summary["statistics"]["accepted"].as_u64().unwrap() as usize;

    // /joint: the rest state, then one row per accepted step, in SI.
    let t = r.column("joint", "t").unwrap();
    assert_eq!((t.shape.clone(), t.unit.as_str()), (vec![steps + 1], "s"));
    assert_eq!(t.values[0], 0.0);
    assert!(t.values.windows(2).all(|w| w[1] > w[0]), "time increases");
    assert!(same(*t.values.last().unwrap(), 6.9));
    let gap = r.column("joint", "gap").unwrap();
    assert_eq!(gap.unit, "m");
    let pressure = r.column("joint", "pressure").unwrap().values;
    let min_p = pressure.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(same(min_p, summary["min_pressure_pa"].as_f64().unwrap()));
    // The gap after the crack as the summary reads it off the series.
    let before = summary["gap_before_mm"].as_f64().unwrap() * 1e-3;
    assert!(gap.values.iter().any(|&h| same(h, before)));

    // /capsule: displacement from the rest nodes, zero at t = 0, and the XDMF sidecar.
    let nodes = r.array("capsule/nodes_ref").unwrap();
    let n_nodes = nodes.shape[0];
    assert_eq!(nodes.shape, vec![n_nodes, 2]);
    let disp = r.array("capsule/displacement").unwrap();
    assert_eq!(disp.shape, vec![steps + 1, n_nodes, 2]);
    assert!(disp.values[..2 * n_nodes].iter().all(|&d| d == 0.0));
    assert!(
        disp.values.iter().any(|&d| d.abs() > 1e-6),
        "the capsule moves"
    );
    let xdmf = std::fs::read_to_string(XdmfCapsule::sidecar_path(&out)).unwrap();
    assert_eq!(xdmf.matches("<Grid Name=\"capsule_").count(), steps + 1);

    // /bubbles: every nucleus per snapshot; one became the cavity and grew past 50 µm.
    let radius = r.array("bubbles/radius").unwrap();
    assert_eq!(radius.shape, vec![steps + 1, 40]);
    let largest = radius.values.iter().copied().fold(0.0, f64::max);
    assert!(largest > 50e-6, "largest radius {largest} m");
    let regime = r.array("bubbles/final/regime").unwrap().values;
    assert!(
        regime.iter().any(|&c| c == 1.0 || c == 2.0),
        "a cavity at the end"
    );

    // /acoustics: the waveforms the summary's SPL comes from.
    for (i, l) in summary["peak_pressure_air_pa"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let p = r
            .array(&format!("acoustics/listener_{i}/pressure_air"))
            .unwrap();
        assert_eq!(p.unit, "Pa");
        // The summary's peak is taken on the solver's fine grid; the stored waveform is that
        // signal band-limited to 0.45 of its sample rate to sample it without aliasing,
        // which moves the peak of a pop resolved by many samples by well under 1 %.
        let peak = p.values.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        let expected = l.as_f64().unwrap();
        assert!(
            (peak - expected).abs() < 1e-2 * expected,
            "{peak} vs {expected}"
        );
        let spectrum = r
            .array(&format!("acoustics/listener_{i}/spectrum_amplitude"))
            .unwrap();
        assert_eq!(spectrum.unit, "Pa");
    }

    // /events: the summary's events in order, with the joint's state at each.
    let events = r.events().unwrap();
    let listed = summary["events"].as_array().unwrap();
    assert_eq!(events.len(), listed.len());
    for (e, j) in events.iter().zip(listed) {
        assert_eq!(e.kind, j["kind"].as_str().unwrap());
        assert!(same(e.t, j["time_s"].as_f64().unwrap()));
    }
    let gaps = r.array("event_state/gap").unwrap().values;
    for (g, j) in gaps.iter().zip(listed) {
        assert!(same(*g, j["gap_m"].as_f64().unwrap()));
    }
    let stored: serde_json::Value =
        serde_json::from_str(&r.attribute("summary_json").unwrap().unwrap()).unwrap();
    assert_eq!(stored["t_crack_s"], summary["t_crack_s"]);
    assert_eq!(stored["events"], summary["events"]);
}

#[test]
fn a_killed_coupled_run_resumes_to_the_uninterrupted_file_bit_for_bit() {
    let dir = temp_dir("kill");
    let often = ["--set", "output.checkpoint_interval_s=0.2"];
    let reference = dir.join("reference.h5");
    let reference_json = json(&cavitas(&quick_args(&reference, &often)));

    let out = dir.join("killed.h5");
    let paths = RunPaths::new(&out);
    // Held inside its first checkpoint (committed, the file not yet reopened) and killed
    // there: a handshake through the test fault hook, not a delay.
    kill_at_fault_point(&quick_args(&out, &often), &out, "checkpoint:committed", 1);

    // The killed file opens, unfinished, with the rows of its last checkpoint.
    {
        let r = RunReader::open_incomplete(&out).unwrap();
        assert!(!r.is_complete());
        let ck = r.checkpoint().unwrap().expect("a checkpoint");
        let steps = ck.state.step;
        let total = reference_json["statistics"]["accepted"].as_u64().unwrap();
        assert!(steps >= 1 && steps < total, "{steps} of {total}");
        assert_eq!(ck.rows["joint/gap"], steps + 1);
        let on_disk = r.column("joint", "gap").unwrap().values;
        let whole = RunReader::open(&reference)
            .unwrap()
            .column("joint", "gap")
            .unwrap()
            .values;
        assert_eq!(on_disk[..], whole[..on_disk.len()]);
    }

    let resumed = json(&cavitas(&["run", "--resume", s(&out), "--json"]));
    assert!(out.exists() && !paths.partial.exists() && !paths.checkpoint.exists());
    assert_same_datasets(&reference, &out);
    for key in [
        "t_crack_s",
        "spl_db",
        "statistics",
        "events",
        "residual_cavity_mm3",
    ] {
        assert_eq!(resumed[key], reference_json[key], "{key}");
    }
}

#[test]
fn bad_output_requests_are_refused_and_coupled_runs_merge() {
    let dir = temp_dir("merge");
    let refused = cavitas(&[
        "run",
        "configs/mcp-refractory.toml",
        "-o",
        s(&dir.join("r.h5")),
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("[refractory]"),
        "{}",
        stderr(&refused)
    );

    // An existing file is kept; a bad [output] key is named with its range.
    let kept = dir.join("kept.h5");
    std::fs::write(&kept, "keep me").unwrap();
    let o = cavitas(&quick_args(&kept, &[]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "keep me");
    let bad = dir.join("bad.h5");
    let o = cavitas(&quick_args(
        &bad,
        &["--set", "output.checkpoint_interval_s=-1"],
    ));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("output.checkpoint_interval_s") && stderr(&o).contains("1e9"),
        "{}",
        stderr(&o)
    );
    assert!(!bad.exists() && !RunPaths::new(&bad).partial.exists());

    let (a, b) = (dir.join("a.h5"), dir.join("b.h5"));
    json(&cavitas(&quick_args(&a, &[])));
    json(&cavitas(&quick_args(
        &b,
        &["--set", "loading.peak_force_n=45.0"],
    )));
    let sweep = dir.join("sweep.h5");
    let o = cavitas(&["merge", s(&sweep), s(&a), s(&b)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = RunReader::open(&sweep).unwrap();
    assert_eq!(r.shards().unwrap().len(), 2);
    // A snapshot group keeps its attributes though its subgroup `final` sorts first.
    assert_eq!(
        r.group_attribute("bubbles", "kind").unwrap().as_deref(),
        Some("snapshots")
    );
    let gap = r.array("joint/gap").unwrap();
    assert_eq!(gap.unit, "m");
    let rows_b = RunReader::open(&b).unwrap().column("joint", "gap").unwrap();
    let max_rows = gap.shape[1];
    assert_eq!(
        gap.values[max_rows..max_rows + rows_b.values.len()],
        rows_b.values[..]
    );
}

/// `run --wav` on a crack: a 16-bit mono 44.1 kHz WAV of the nearest listener's microphone,
/// exactly `acoustics.wav_padding_s` (0.1 s, 4410 samples) of silence at each end, the pop
/// between, its peak at `acoustics.wav_peak_dbfs` (−1 dBFS) to the 16-bit quantisation
/// (one step in 29,000: 3e-4 dB; bound 2e-3 dB). Its calibration, `wav_full_scale_pa` in the
/// JSON, turns the peak sample back into the microphone's peak pressure, which the peak SPL
/// at the nearest listener states independently (to the same quantisation: bound 1e-4).
#[test]
fn wav_of_a_crack_is_the_calibrated_pop_between_silences() {
    let dir = temp_dir("wav");
    let (out, wav) = (dir.join("quick.h5"), dir.join("pop.wav"));
    let summary = json(&cavitas(&quick_args(&out, &["--wav", s(&wav)])));
    assert!(summary["crack"].as_bool().unwrap());
    let bytes = std::fs::read(&wav).unwrap();
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WAVE");
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let (mut at, mut format, mut samples) = (12, None, None);
    while at + 8 <= bytes.len() {
        let (id, size) = (&bytes[at..at + 4], u32_at(at + 4) as usize);
        let body = at + 8;
        if id == b"fmt " {
            // PCM, channels, sample rate, bits per sample.
            format = Some((
                u16_at(body),
                u16_at(body + 2),
                u32_at(body + 4),
                u16_at(body + 14),
            ));
        } else if id == b"data" {
            samples = Some(
                bytes[body..body + size]
                    .chunks_exact(2)
                    .map(|b| i16::from_le_bytes([b[0], b[1]]))
                    .collect::<Vec<i16>>(),
            );
        }
        at = body + size + size % 2;
    }
    assert_eq!(format, Some((1, 1, 44_100, 16)));
    let samples = samples.expect("a data chunk");
    let padding = 4410;
    assert!(samples.len() > 2 * padding, "{} samples", samples.len());
    assert!(samples[..padding].iter().all(|&x| x == 0));
    assert!(samples[samples.len() - padding..].iter().all(|&x| x == 0));
    let pop = &samples[padding..samples.len() - padding];
    let peak = pop.iter().map(|&x| i32::from(x).abs()).max().unwrap();
    let peak_dbfs = 20.0 * (f64::from(peak) / 32767.0).log10();
    assert!((peak_dbfs + 1.0).abs() < 2e-3, "peak at {peak_dbfs} dBFS");
    let full_scale_pa = summary["wav_full_scale_pa"]
        .as_f64()
        .expect("the calibration");
    let peak_pa = f64::from(peak) / 32767.0 * full_scale_pa;
    let spl_peak_pa = 20e-6 * 10f64.powf(summary["spl_db"][0].as_f64().unwrap() / 20.0);
    assert!(
        (peak_pa / spl_peak_pa - 1.0).abs() < 1e-4,
        "WAV peak {peak_pa} Pa, SPL peak {spl_peak_pa} Pa"
    );
    // Sound throughout the pop: at least 90 % of its samples are not digital silence.
    let loud = pop.iter().filter(|&&x| x != 0).count();
    assert!(
        loud as f64 > 0.9 * pop.len() as f64,
        "{loud} of {}",
        pop.len()
    );
}
