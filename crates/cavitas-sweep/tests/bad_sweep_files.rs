//! Bad sweep files are refused before anything runs, with the file and the key named.

use std::path::PathBuf;

use cavitas_sweep::{SweepError, SweepPlan};

fn sweep_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../configs/sweeps/bad.toml")
}

/// The error of `text`, checked to be bad input naming the file and `key`.
fn refused(text: &str, key: &str) -> String {
    let text = format!("base = \"../bubble/minnaert.toml\"\n{text}");
    let error = match SweepPlan::from_text(&sweep_path(), &text).and_then(|p| {
        p.check_cases()?;
        Ok(p)
    }) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    };
    assert!(error.is_input(), "{error:?}");
    let mut message = error.to_string();
    if let Some(cause) = std::error::Error::source(&error) {
        message.push_str(&format!(": {cause}"));
    }
    assert!(message.contains("bad.toml"), "no file in: {message}");
    assert!(
        message.contains(&format!("`{key}`")),
        "no key `{key}` in: {message}"
    );
    message
}

#[test]
fn unknown_keys_are_named() {
    refused("colour = 1\n", "colour");
    refused(
        "[[axis]]\nkey = \"a\"\nvalues = [1]\nstep = 2\n",
        "axis.0.step",
    );
    refused(
        "[[sample]]\nmethod = \"sobol\"\ncount = 2\nbounds = [{ key = \"a\", min = 0.0, max = 1.0, max_x = 2 }]\n",
        "sample.0.bounds.0.max_x",
    );
}

#[test]
fn empty_ranges_and_lists_are_refused() {
    let m = refused(
        "[[axis]]\nkey = \"a\"\nlinear = { start = 0.0, stop = 1.0, count = 0 }\n",
        "axis.0.linear.count",
    );
    assert!(m.contains("empty range"), "{m}");
    refused("[[axis]]\nkey = \"a\"\nvalues = []\n", "axis.0.values");
    refused(
        "[[axis]]\nkey = \"a\"\nlog = { start = 0.0, stop = 1.0, count = 3 }\n",
        "axis.0.log.start",
    );
    refused(
        "[[axis]]\nkey = \"a\"\nvalues = [1]\nlinear = { start = 0.0, stop = 1.0, count = 2 }\n",
        "axis.0",
    );
}

#[test]
fn a_sample_count_of_zero_is_refused() {
    let m = refused(
        "[[sample]]\nmethod = \"latin-hypercube\"\ncount = 0\nbounds = [{ key = \"a\", min = 0.0, max = 1.0 }]\n",
        "sample.0.count",
    );
    assert!(m.contains("at least 1"), "{m}");
    refused(
        "[[sample]]\nmethod = \"sobol\"\ncount = 4\nbounds = [{ key = \"a\", min = 1.0, max = 1.0 }]\n",
        "sample.0.bounds.0.max",
    );
}

#[test]
fn conflicting_axes_are_refused() {
    let m = refused(
        "[[axis]]\nkey = \"liquid.viscosity_pa_s\"\nvalues = [1]\n[[axis]]\nkey = \"liquid.viscosity_pa_s\"\nvalues = [2]\n",
        "axis.1.key",
    );
    assert!(m.contains("axis.0.key") && m.contains("same key"), "{m}");
    refused(
        "set = [\"liquid.viscosity_pa_s=0.1\"]\n[[axis]]\nkey = \"liquid.viscosity_pa_s\"\nvalues = [2]\n",
        "axis.0.key",
    );
    refused(
        "[[axis]]\nkey = \"liquid\"\nvalues = [1]\n[[sample]]\nmethod = \"sobol\"\ncount = 2\nbounds = [{ key = \"liquid.viscosity_pa_s\", min = 0.0, max = 1.0 }]\n",
        "sample.0.bounds.0.key",
    );
    refused(
        "[[axis]]\nkey = \"a\"\nvalues = [1, 2]\nzip = \"z\"\n[[axis]]\nkey = \"b\"\nvalues = [1]\nzip = \"z\"\n",
        "axis.1",
    );
}

#[test]
fn a_case_the_scenario_refuses_names_its_key() {
    let m = refused(
        "[[axis]]\nkey = \"liquid.viscosity_pa_s\"\nvalues = [0.001, -1.0]\n",
        "liquid.viscosity_pa_s",
    );
    assert!(m.contains("case-0001"), "{m}");
    match SweepPlan::from_text(&sweep_path(), "base = \"../bubble/minnaert.toml\"\n[[axis]]\nkey = \"liquid.viscosity_pa_s\"\nvalues = [-1.0]\n")
        .unwrap()
        .check_cases()
    {
        Err(SweepError::Case { case, .. }) => assert_eq!(case, "case-0000"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_base_is_named() {
    let e = SweepPlan::from_text(&sweep_path(), "base = \"nowhere.toml\"\n").unwrap_err();
    assert!(e.to_string().contains("bad.toml: key `base`"), "{e}");
}
