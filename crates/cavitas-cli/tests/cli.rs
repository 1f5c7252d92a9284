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
        "wall_seconds",
        "radius_max",
        "radius_min",
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

#[test]
fn info_lists_adapters_as_json() {
    let v = json(&cavitas(&["info", "--json"]));
    assert!(v["adapters"].is_array());
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
    assert_eq!(v["crack"], true);
    assert_eq!(v["spl_db"].as_array().unwrap().len(), 2);
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
