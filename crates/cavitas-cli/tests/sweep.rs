//! `cavitas sweep` and `cavitas merge DIR -o FILE` end to end on a tiny sweep (four
//! Minnaert-bubble cases of 0.2 ms, a fraction of a second each): bad sweep files exit 2
//! naming the file and key; four shards merge into the table of one; a rerun skips the
//! finished cases and redoes only the unfinished one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cavitas_hdf5::RunReader;

fn cavitas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cavitas"))
        .args(args)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("SLURM_ARRAY_TASK_COUNT")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder for one test, holding a sweep file with `body` over the Minnaert bubble.
fn sweep_file(test: &str, body: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sweep-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../configs/bubble/minnaert.toml");
    let file = dir.join("study.toml");
    std::fs::write(
        &file,
        format!(
            "base = {:?}\nset = [\"duration_s=2e-4\"]\n{body}",
            base.display().to_string()
        ),
    )
    .unwrap();
    (dir, file)
}

const TWO_BY_TWO: &str = "[[axis]]\nkey = \"liquid.viscosity_pa_s\"\nvalues = [0.001, 0.004]\n\
    [[axis]]\nkey = \"group.0.nuclei.radius_m\"\nlog = { start = 5e-5, stop = 1e-4, count = 2 }\n";

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}", text(&o.stderr));
    text(&o.stdout)
}

/// `cavitas sweep FILE -o OUT EXTRA…`, which must succeed; its standard output.
fn sweep_into(file: &str, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["sweep", file, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    ok(&cavitas(&args))
}

/// `cavitas merge DIR -o STUDY`, which must succeed.
fn merge_into(dir: &Path, study: &Path) -> String {
    ok(&cavitas(&[
        "merge",
        dir.to_str().unwrap(),
        "-o",
        study.to_str().unwrap(),
    ]))
}

#[test]
fn bad_sweep_files_exit_2_naming_file_and_key_before_anything_runs() {
    for (body, key) in [
        ("colour = 1\n", "colour"),
        (
            "[[axis]]\nkey = \"a\"\nlinear = { start = 0.0, stop = 1.0, count = 0 }\n",
            "axis.0.linear.count",
        ),
        (
            "[[axis]]\nkey = \"a\"\nvalues = [1]\n[[axis]]\nkey = \"a\"\nvalues = [2]\n",
            "axis.1.key",
        ),
        (
            "[[sample]]\nmethod = \"sobol\"\ncount = 0\nbounds = [{ key = \"a\", min = 0.0, max = 1.0 }]\n",
            "sample.0.count",
        ),
    ] {
        let (dir, file) = sweep_file("bad", body);
        let out = dir.join("out");
        let o = cavitas(&["sweep", file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("study.toml") && err.contains(&format!("`{key}`")),
            "{err}"
        );
        assert!(
            !out.exists(),
            "nothing written before the sweep file is checked"
        );
    }
}

/// `/sweep` of a merged study: each column's values as text, without the timing columns.
fn table(path: &Path) -> Vec<(String, Vec<String>)> {
    let r = RunReader::open(path).unwrap();
    r.columns("sweep")
        .unwrap()
        .into_iter()
        .filter(|c| !c.contains("wall") && c != "file_index" && !c.starts_with("backend."))
        .map(|c| {
            let p = format!("sweep/{c}");
            let values = match r.array(&p) {
                Ok(a) => a.values.iter().map(|v| format!("{v:e}")).collect(),
                Err(_) => r.strings(&p).unwrap(),
            };
            (c, values)
        })
        .collect()
}

#[test]
fn four_shards_merge_into_the_table_of_one() {
    let (dir, file) = sweep_file("shards", TWO_BY_TWO);
    let file = file.to_str().unwrap();
    let (one, four) = (dir.join("one"), dir.join("four"));
    sweep_into(file, &one, &["--jobs", "2", "-q"]);
    for i in 0..4 {
        let shard = format!("{i}/4");
        let out = sweep_into(file, &four, &["--shard", &shard, "-q"]);
        assert!(
            out.contains(&format!("shard-{i}-of-4: 1 of 4 cases; ran 1 ok")),
            "{out}"
        );
    }
    let (a, b) = (dir.join("one.h5"), dir.join("four.h5"));
    merge_into(&one, &a);
    merge_into(&four, &b);
    let (ta, tb) = (table(&a), table(&b));
    assert_eq!(ta, tb, "row for row");
    let column = |name: &str| ta.iter().find(|(c, _)| c == name).unwrap().1.clone();
    assert_eq!(
        column("case"),
        ["case-0000", "case-0001", "case-0002", "case-0003"]
    );
    assert_eq!(column("status"), ["ok"; 4]);
    assert_eq!(
        column("liquid.viscosity_pa_s"),
        ["1e-3", "1e-3", "4e-3", "4e-3"]
    );
    assert_eq!(
        column("group.0.nuclei.radius_m"),
        ["5e-5", "1e-4", "5e-5", "1e-4"]
    );
    // A figure of the run summary: the Minnaert frequency halves as the radius doubles
    // (to within the 2% its surface-tension correction and the viscosity move it).
    let f: Vec<f64> = column("dominant_frequency_hz")
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    assert!((f[0] / f[1] - 2.0).abs() < 0.04, "{f:?}");
}

/// Status-log lines of `case` over every shard's log of `dir`.
fn records(dir: &Path, case: &str) -> usize {
    std::fs::read_dir(dir.join("status"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|t| {
            t.lines()
                .filter(|l| l.contains(&format!("\"case\":\"{case}\"")))
                .count()
        })
        .sum()
}

#[test]
fn a_rerun_skips_finished_cases_and_redoes_the_unfinished() {
    let (dir, file) = sweep_file("resume", TWO_BY_TWO);
    let (file, out) = (file.to_str().unwrap(), dir.join("out"));
    let first = sweep_into(file, &out, &["-q"]);
    assert!(
        first.contains("ran 4 ok, 0 failed; skipped 0 finished"),
        "{first}"
    );
    // Case 2 as a killed run leaves it: no finished file, a partial one.
    let case = out.join("cases/case-0002.h5");
    std::fs::rename(&case, out.join("cases/case-0002.h5.partial")).unwrap();
    let again = sweep_into(file, &out, &["-q"]);
    assert!(
        again.contains("ran 1 ok, 0 failed; skipped 3 finished"),
        "{again}"
    );
    assert!(case.exists() && !out.join("cases/case-0002.h5.partial").exists());
    for (id, runs) in [
        ("case-0000", 1),
        ("case-0001", 1),
        ("case-0002", 2),
        ("case-0003", 1),
    ] {
        assert_eq!(records(&out, id), runs, "{id} ran {runs} time(s)");
    }
    let third = sweep_into(file, &out, &["-q"]);
    assert!(
        third.contains("ran 0 ok, 0 failed; skipped 4 finished"),
        "{third}"
    );
    // Another sweep into the same folder is refused, not mixed in.
    let (_, other) = sweep_file(
        "resume-other",
        "[[axis]]\nkey = \"liquid.viscosity_pa_s\"\nvalues = [0.002]\n",
    );
    let o = cavitas(&[
        "sweep",
        other.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("another sweep"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_failing_case_is_recorded_and_the_sweep_goes_on() {
    // Case 1 allows 100 steps in an interval of 0.1 ms, where the bubble needs ~250: the
    // integration fails (a physics error, not bad input).
    let (dir, file) = sweep_file(
        "failing",
        "[[axis]]\nkey = \"sample_interval_s\"\nvalues = [1e-6, 1e-4]\nzip = \"z\"\n\
         [[axis]]\nkey = \"tolerances.max_steps_per_interval\"\nvalues = [1000000, 100]\nzip = \"z\"\n",
    );
    let (file, out) = (file.to_str().unwrap(), dir.join("out"));
    let first = sweep_into(file, &out, &["--jobs", "1", "-q"]);
    assert!(first.contains("ran 1 ok, 1 failed"), "{first}");
    assert!(
        first.contains("case-0001 failed: ") && first.contains("failed to integrate"),
        "{first}"
    );
    assert!(!out.join("cases/case-0001.h5").exists());
    assert!(!out.join("cases/case-0001.h5.partial").exists());
    let again = sweep_into(file, &out, &["-q"]);
    assert!(
        again.contains("skipped 1 finished and 1 failed earlier"),
        "{again}"
    );
    let study = dir.join("study.h5");
    merge_into(&out, &study);
    let r = RunReader::open(&study).unwrap();
    assert_eq!(r.strings("sweep/status").unwrap(), ["ok", "failed"]);
    let messages = r.strings("sweep/message").unwrap();
    assert!(
        messages[0].is_empty() && messages[1].contains("failed to integrate"),
        "{messages:?}"
    );
    assert_eq!(
        r.array("sweep/tolerances.max_steps_per_interval")
            .unwrap()
            .values,
        [1e6, 100.0]
    );
}
