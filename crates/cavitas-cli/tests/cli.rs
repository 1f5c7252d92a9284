//! The `cavitas` binary as a user meets it: exit codes, messages, JSON figures.

use std::path::PathBuf;

mod common;

use common::{cavitas, json, repo, stderr};

fn temp_config(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cavitas-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn negative_radius_exits_2_naming_file_key_and_range() {
    let text = std::fs::read_to_string(repo().join("configs/bubble/minnaert.toml"))
        .unwrap()
        .replace("radius_m = 1.0e-4", "radius_m = -1.0e-4");
    let path = temp_config("negative.toml", &text);
    let out = cavitas(&["bubble", path.to_str().unwrap(), "--backend", "cpu"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(msg.contains("negative.toml"), "{msg}");
    assert!(msg.contains("group.0.nuclei.radius_m"), "{msg}");
    assert!(msg.contains("allowed: a number in [1e-9, 1e-2]"), "{msg}");
}

#[test]
fn unknown_key_exits_2_naming_it() {
    let text = std::fs::read_to_string(repo().join("configs/bubble/minnaert.toml"))
        .unwrap()
        .replace("[liquid]", "[liquid]\nviscosity = 0.1");
    let path = temp_config("unknown.toml", &text);
    let out = cavitas(&["bubble", path.to_str().unwrap(), "--backend", "cpu"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(
        msg.contains("unknown.toml")
            && msg.contains("liquid")
            && msg.contains("unknown field `viscosity`"),
        "{msg}"
    );
}

#[test]
fn unknown_key_in_an_override_exits_2() {
    let out = cavitas(&[
        "bubble",
        "configs/bubble/minnaert.toml",
        "--set",
        "liquid.densty_kg_m3=900",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("densty_kg_m3"), "{}", stderr(&out));
}

#[test]
fn missing_file_exits_2_naming_it() {
    let out = cavitas(&["bubble", "configs/bubble/does-not-exist.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("configs/bubble/does-not-exist.toml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn out_of_range_override_exits_2_with_the_range() {
    let out = cavitas(&[
        "bubble",
        "configs/bubble/minnaert.toml",
        "--set",
        "tolerances.relative=0.5",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(
        msg.contains("tolerances.relative") && msg.contains("0.5") && msg.contains("allowed"),
        "{msg}"
    );
}

#[test]
fn an_existing_output_file_is_not_overwritten() {
    let path = temp_config("exists.csv", "keep me");
    let out = cavitas(&[
        "bubble",
        "configs/bubble/rayleigh-collapse.toml",
        "--backend",
        "cpu",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
}

/// The JSON summary carries the resolved config, backend, counts and the scenario figures.
#[test]
fn rayleigh_json_has_the_figures_and_the_resolved_config() {
    let v = json(&cavitas(&[
        "bubble",
        "configs/bubble/rayleigh-collapse.toml",
        "--backend",
        "cpu",
        "--json",
        "--set",
        "tolerances.relative=1e-8",
    ]));
    for key in [
        "backend",
        "bubble_count",
        "accepted_steps",
        "rejected_steps",
        "wall_time_s",
        "radius_max_m",
        "radius_min_m",
        "gas_moles_initial",
        "gas_moles_final",
    ] {
        assert!(!v[key].is_null(), "missing {key}");
    }
    assert_eq!(
        v["config"]["tolerances"]["relative"], 1e-8,
        "overrides land in the resolved config"
    );
    assert_eq!(v["backend"]["precision"], "f64");
    let t = v["collapse_time_s"].as_f64().unwrap();
    let reference = v["references"]["rayleigh_collapse_time_s"]
        .as_f64()
        .unwrap();
    assert!((t / reference - 1.0).abs() < 5e-3, "{t} vs {reference}");
}

#[test]
fn blake_json_reports_threshold_and_growth() {
    let v = json(&cavitas(&[
        "bubble",
        "configs/bubble/blake.toml",
        "--backend",
        "cpu",
        "--json",
    ]));
    assert!(
        v["blake_threshold_pa"].as_f64().unwrap() < 0.0,
        "tension threshold"
    );
    assert_eq!(v["grew"], true, "the shipped offset is below the threshold");
}

/// `info --json` lists every adapter with its features and limits, as numbers in the ranges
/// WebGPU guarantees (its downlevel minimums), and agrees with the text form on how many
/// there are. Under `CAVITAS_REQUIRE_GPU=1` (CI) there must be one.
#[test]
fn info_lists_adapters_as_json() {
    let v = json(&cavitas(&["info", "--json"]));
    let adapters = v["adapters"].as_array().expect("an array of adapters");
    let text = cavitas(&["info"]);
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    if adapters.is_empty() {
        assert!(text.contains("no GPU adapter found"), "{text}");
        assert!(
            std::env::var("CAVITAS_REQUIRE_GPU").as_deref() != Ok("1"),
            "CAVITAS_REQUIRE_GPU=1 but info lists no adapter"
        );
        eprintln!("SKIPPED the adapter fields: no GPU adapter");
        return;
    }
    let u = |a: &serde_json::Value, key: &str| {
        a[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key} is not a whole number: {a}"))
    };
    for a in adapters {
        let name = a["name"].as_str().expect("a name");
        assert!(!name.is_empty());
        assert!(text.contains(name), "the text form names {name}: {text}");
        let backend = a["backend"].as_str().unwrap();
        assert!(
            ["vulkan", "metal", "dx12", "gl", "webgpu", "noop"].contains(&backend),
            "{backend}"
        );
        let device_type = a["device_type"].as_str().unwrap();
        assert_eq!(a["emulated"].as_bool(), Some(device_type == "cpu"), "{a}");
        assert!(a["shader_f64"].is_boolean() && a["driver"].is_string());
        assert!(u(a, "max_storage_buffer_binding_size") >= 128 << 20, "{a}");
        assert!(u(a, "max_buffer_size") >= u(a, "max_storage_buffer_binding_size"));
        assert!(u(a, "max_storage_buffers_per_shader_stage") >= 4, "{a}");
        assert!(
            u(a, "max_compute_workgroups_per_dimension") >= 65_535,
            "{a}"
        );
        assert!(u(a, "max_compute_invocations_per_workgroup") >= 256, "{a}");
        assert!(
            u(a, "max_compute_workgroup_storage_size") >= 16 << 10,
            "{a}"
        );
    }
}

#[test]
fn bench_rejects_an_unknown_backend_set() {
    let out = cavitas(&["bench", "--backends", "tpu"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Nuclei cannot start in equilibrium below vapour pressure minus the Laplace pressure of the
/// largest one: the check names the pressure key and the bound.
#[test]
fn an_initial_pressure_no_nucleus_can_balance_exits_2() {
    let out = cavitas(&[
        "bubble",
        "configs/bubble/minnaert.toml",
        "--set",
        "group.0.pressure.pressure_pa=-1e5",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(
        msg.contains("group.0.pressure") && msg.contains("largest"),
        "{msg}"
    );
}

/// Issue 4, must-show 8: an unknown protocol, a negative fluid volume and a thrust file
/// whose time does not increase exit 2, naming the file, the key and what is allowed.
#[test]
fn bad_crack_scenarios_exit_2_with_a_clear_message() {
    let traction = std::fs::read_to_string(repo().join("configs/mcp-traction.toml")).unwrap();
    let unknown = temp_config(
        "unknown-protocol.toml",
        &traction.replace("protocol = \"repeated_pulls\"", "protocol = \"yank\""),
    );
    let out = cavitas(&["run", unknown.to_str().unwrap(), "--backend", "cpu"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(
        msg.contains("unknown-protocol.toml") && msg.contains("loading"),
        "{msg}"
    );
    assert!(msg.contains("yank") && msg.contains("force_ramp"), "{msg}");

    let out = cavitas(&["run", "--set", "fluid.volume_m3=-1e-7", "--backend", "cpu"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(
        msg.contains("fluid.volume_m3") && msg.contains("(0, 1e-4]"),
        "{msg}"
    );

    let facet = std::fs::read_to_string(repo().join("configs/facet-hvla.toml")).unwrap();
    let table = temp_config("thrust.csv", "time_s,force_n\n0,20\n0.05,300\n0.04,20\n");
    let start = facet.find("[loading.pulse]").unwrap();
    let end = start + facet[start..].find("\n\n").unwrap();
    let tabulated = temp_config(
        "tabulated.toml",
        &format!(
            "{}[loading.pulse]\nshape = \"tabulated\"\nfile = \"{}\"{}",
            &facet[..start],
            table.display(),
            &facet[end..]
        ),
    );
    let out = cavitas(&["run", tabulated.to_str().unwrap(), "--backend", "cpu"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(
        msg.contains("loading.pulse.file") && msg.contains("thrust.csv"),
        "{msg}"
    );
    assert!(
        msg.contains("line 4") && msg.contains("does not increase"),
        "{msg}"
    );
}

/// `cavitas run --json` with no scenario runs the default MCP traction and reports the
/// crack figures the issue lists at the top level.
#[test]
fn default_run_json_has_the_crack_figures() {
    let out = cavitas(&[
        "run",
        "--backend",
        "cpu",
        "--json",
        "--set",
        "loading.wait_s=1.0",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    for key in [
        "crack",
        "t_crack_s",
        "force_at_crack_n",
        "gap_before_mm",
        "gap_after_mm",
        "cavity_volume_peak_mm3",
        "vapour_volume_peak_mm3",
        "released_gas_mol",
        "released_gas_mm3_at_1atm",
        "released_gas_fraction_of_joint",
        "gas_composition",
        "residual_cavity_mm3",
        "residual_dissolution_time_s",
        "gas_budget",
        "spl_db",
        "dominant_frequency_hz",
        "pop_duration_ms",
        "collapse_fraction",
        "refractory_period_s",
        "events",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    // Every crack figure is present and, since this run cracks, a number (not `null`) in
    // its physical range and consistent with the others. Only the refractory period, which
    // needs the refractory protocol, is `null`.
    let num = |key: &str| {
        v[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} is not a number: {}", v[key]))
    };
    assert_eq!(v["crack"], true);
    let duration = num("duration_s");
    let t_crack = num("t_crack_s");
    assert!(
        t_crack > 0.0 && t_crack < duration,
        "{t_crack} of {duration}"
    );
    assert!(num("force_at_crack_n") > 0.0);
    let (before, after) = (num("gap_before_mm"), num("gap_after_mm"));
    assert!(before > 0.0 && after > before, "gap {before} -> {after} mm");
    assert!(num("cavity_volume_peak_mm3") > 0.0);
    let vapour = num("vapour_volume_peak_mm3");
    assert!(
        vapour > 0.0 && vapour < num("cavity_volume_peak_mm3"),
        "{vapour}"
    );
    assert!(num("released_gas_mm3_at_1atm") > 0.0);
    let fraction = num("released_gas_fraction_of_joint");
    assert!(fraction > 0.0 && fraction < 1.0, "{fraction}");
    let composition: f64 = v["gas_composition"]
        .as_object()
        .expect("the crack released gas: a composition")
        .values()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!(
        (composition - 1.0).abs() < 1e-9,
        "mole fractions sum to {composition}"
    );
    let residual = num("residual_cavity_mm3");
    assert!(
        residual > 0.0 && residual <= num("cavity_volume_peak_mm3"),
        "{residual}"
    );
    let spl: Vec<f64> = v["spl_db"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().expect("an SPL at every listener"))
        .collect();
    let distances: Vec<f64> = v["listener_distances_m"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!((spl.len(), distances.len()), (2, 2));
    // The nearer listener hears more (the two are 1 cm and 10 cm away here: 98.5 and
    // 81.9 dB, not the 20 dB of a far-field monopole at both, so only the order is checked).
    assert!(
        distances[0] < distances[1] && spl[0] > spl[1],
        "{spl:?} at {distances:?}"
    );
    assert!(num("dominant_frequency_hz") > 0.0 && num("pop_duration_ms") > 0.0);
    let collapse = num("collapse_fraction");
    assert!((0.0..=1.0).contains(&collapse), "{collapse}");
    assert!(
        v["refractory_period_s"].is_null(),
        "no refractory protocol ran"
    );
    let events = v["events"].as_array().unwrap();
    assert!(!events.is_empty());
}

/// `--wav` on a bubble-field run has no sound to write: exit 2 rather than ignoring it.
#[test]
fn wav_on_a_bubble_run_exits_2() {
    let out = cavitas(&[
        "run",
        "configs/bubble/minnaert.toml",
        "--wav",
        "/tmp/never.wav",
        "--backend",
        "cpu",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--wav /tmp/never.wav"),
        "{}",
        stderr(&out)
    );
    assert!(!std::path::Path::new("/tmp/never.wav").exists());
}

/// `cavitas capsule --json` (the built-in facet capsule, 0.3 mL injected): the solved volume
/// holds the injection, and the pressure rise lies where a strain-stiffening capsule puts
/// it: its secant compliance `ΔV/Δp` between the tangent compliances at rest and at the
/// end (stiffer as it fills). Half the injection gives less than half the pressure rise.
#[test]
fn capsule_json_solves_the_injection_on_a_stiffening_capsule() {
    let v = json(&cavitas(&["capsule", "--json"]));
    let num = |v: &serde_json::Value, key: &str| {
        v[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} is not a number: {}", v[key]))
    };
    assert_eq!(v["command"], "capsule");
    let inject_m3 = num(&v, "inject_ml") * 1e-6;
    let added_m3 = (num(&v, "volume_ml") - num(&v, "rest_volume_ml")) * 1e-6;
    assert!(
        (added_m3 / inject_m3 - 1.0).abs() < 1e-9,
        "{added_m3} vs {inject_m3}"
    );
    let rise = num(&v, "pressure_pa") - num(&v, "rest_pressure_pa");
    let secant = inject_m3 / rise;
    let (rest, end) = (
        num(&v, "rest_compliance_m3_per_pa"),
        num(&v, "compliance_m3_per_pa"),
    );
    assert!(end < secant && secant < rest, "{end} < {secant} < {rest}");
    let tissue = v["config"]["capsule"]["tissue_pressure_pa"]
        .as_f64()
        .unwrap();
    assert!((num(&v, "absolute_pressure_pa") - num(&v, "pressure_pa") - tissue).abs() < 1e-6);
    let strain = num(&v, "max_principal_strain");
    assert!(strain > 0.0 && strain < 1.0, "{strain}");
    let half = json(&cavitas(&[
        "capsule",
        "--json",
        "--set",
        "injection.volume_ml=0.15",
    ]));
    let half_rise = num(&half, "pressure_pa") - num(&half, "rest_pressure_pa");
    assert!(
        half_rise > 0.0 && half_rise < 0.5 * rise,
        "{half_rise} vs {rise}"
    );
}

/// `cavitas bench --json`: one row per backend and precision with every key, the counts
/// consistent (six right-hand sides per attempted Dormand–Prince step plus one per bubble
/// per interval; the time per evaluation is the wall time over them) and the all-thread CPU
/// f64 row the reference of the ratios.
#[test]
fn bench_json_rows_have_consistent_keys() {
    let v = json(&cavitas(&[
        "bench",
        "--json",
        "--bubbles",
        "100",
        "--intervals",
        "1",
        "--backends",
        "cpu",
    ]));
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3, "{v}");
    for row in rows {
        let u = |key: &str| row[key].as_u64().unwrap_or_else(|| panic!("{key}: {row}"));
        let f = |key: &str| row[key].as_f64().unwrap_or_else(|| panic!("{key}: {row}"));
        assert_eq!(row["backend"], "cpu");
        assert!(["f32", "f64"].contains(&row["precision"].as_str().unwrap()));
        assert!(row["adapter"].is_string());
        assert_eq!((u("bubbles"), u("intervals")), (100, 1));
        assert_eq!(
            u("rhs_evaluations"),
            6 * (u("accepted_steps") + u("rejected_steps")) + 100,
            "{row}"
        );
        let ns = f("wall_time_s") * 1e9 / u("rhs_evaluations") as f64;
        assert!((f("ns_per_rhs") / ns - 1.0).abs() < 1e-9, "{row}");
        assert!(f("speedup_vs_cpu_f64") > 0.0);
    }
    let reference = rows
        .iter()
        .find(|r| r["precision"] == "f64" && r["adapter"] == "rayon, all threads")
        .expect("the CPU f64 all-thread row");
    assert_eq!(reference["speedup_vs_cpu_f64"].as_f64(), Some(1.0));
}

/// `--cpu-precision f32` runs the CPU backend in f32 and says so: the Rayleigh collapse,
/// corrected for its 1 %-of-R0 vanish threshold (5.36e-6 of t_c early, see
/// `bubble_analytic.rs`), agrees to 4.5e-7 in f32 (f32 rounding, 6e-8, over ~280 steps);
/// bound 2e-6. The f64 run takes another step sequence (the flag took effect).
#[test]
fn cpu_precision_f32_runs_in_f32() {
    let run = |precision: &str| {
        json(&cavitas(&[
            "bubble",
            "configs/bubble/rayleigh-collapse.toml",
            "--backend",
            "cpu",
            "--cpu-precision",
            precision,
            "--json",
        ]))
    };
    let (single, double) = (run("f32"), run("f64"));
    assert_eq!(single["backend"]["precision"], "f32");
    assert_eq!(double["backend"]["precision"], "f64");
    let t_c = single["references"]["rayleigh_collapse_time_s"]
        .as_f64()
        .unwrap();
    let early = 1.5f64.sqrt() * 0.4 * 0.01f64.powf(2.5) / 0.914_681_3;
    let got = single["collapse_time_s"].as_f64().unwrap();
    let off = (got / (t_c * (1.0 - early)) - 1.0).abs();
    assert!(
        off < 2e-6,
        "f32 collapse {got} vs {}: {off:e}",
        t_c * (1.0 - early)
    );
    assert_ne!(single["accepted_steps"], double["accepted_steps"]);
}

/// Backend selection through the CLI: `auto` takes a real GPU and passes over emulated
/// adapters (llvmpipe, lavapipe) to the CPU; `--backend gpu --adapter TEXT` runs on the
/// adapter whose name contains TEXT, in f32; an adapter that is not there exits 2 naming it.
/// Without any adapter the GPU half skips loudly (a failure under CAVITAS_REQUIRE_GPU=1).
#[test]
fn backend_selection_follows_the_adapters_there_are() {
    let adapters = json(&cavitas(&["info", "--json"]))["adapters"]
        .as_array()
        .unwrap()
        .clone();
    let bubble = |extra: &[&str]| {
        let mut args = vec![
            "bubble",
            "configs/bubble/minnaert.toml",
            "--set",
            "duration_s=1e-5",
            "--json",
        ];
        args.extend_from_slice(extra);
        cavitas(&args)
    };
    let auto = json(&bubble(&["--backend", "auto"]));
    let real = adapters.iter().find(|a| a["emulated"] == false);
    match real {
        Some(a) => {
            assert_eq!(auto["backend"]["kind"], "gpu", "{auto}");
            let name = a["name"].as_str().unwrap();
            assert!(auto["backend"]["adapter"].as_str().unwrap().contains(name));
        }
        None => assert_eq!(auto["backend"]["kind"], "cpu", "{}", auto["backend"]),
    }
    let missing = bubble(&["--backend", "gpu", "--adapter", "no-such-adapter-here"]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("no-such-adapter-here"),
        "{}",
        stderr(&missing)
    );
    if adapters.is_empty() {
        assert!(
            std::env::var("CAVITAS_REQUIRE_GPU").as_deref() != Ok("1"),
            "CAVITAS_REQUIRE_GPU=1 but no adapter"
        );
        eprintln!("SKIPPED --adapter selection: no GPU adapter");
        return;
    }
    for a in &adapters {
        let name = a["name"].as_str().unwrap();
        let chosen = json(&bubble(&["--backend", "gpu", "--adapter", name]));
        assert_eq!(chosen["backend"]["kind"], "gpu");
        assert_eq!(chosen["backend"]["precision"], "f32");
        assert!(
            chosen["backend"]["adapter"]
                .as_str()
                .unwrap()
                .contains(name),
            "{} for {name}",
            chosen["backend"]
        );
    }
}
