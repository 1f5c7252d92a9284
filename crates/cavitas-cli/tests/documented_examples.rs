//! Every example the documentation shows runs: each `cavitas …` line of the README's tour and
//! each example in `--help`. Documentation that drifts from the program fails here.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{repo, stderr};

/// The `cavitas …` command lines of the README's "A tour" block, comments removed.
fn tour_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md reads");
    let tour = readme
        .split("## A tour")
        .nth(1)
        .expect("the README has a tour");
    let block = tour
        .split("```sh")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the tour opens with a sh block");
    block
        .lines()
        .map(|line| line.split("  #").next().unwrap_or_default().trim())
        .filter(|line| line.starts_with("cavitas "))
        .map(str::to_string)
        .collect()
}

/// A scratch directory where the examples write their files, with the repository's
/// `configs/` reachable under its documented relative path.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cavitas-doc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(repo().join("configs"), dir.join("configs")).unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cavitas"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// Whether wgpu finds an adapter here (examples that ask for `--backend gpu` need one).
fn has_adapter() -> bool {
    let info = common::json(&common::cavitas(&["info", "--json"]));
    info["adapters"].as_array().is_some_and(|a| !a.is_empty())
}

fn skip_without_adapter(line: &str) -> bool {
    if !line.contains("--backend gpu") || has_adapter() {
        return false;
    }
    assert!(
        std::env::var_os("CAVITAS_REQUIRE_GPU").is_none(),
        "CAVITAS_REQUIRE_GPU is set but wgpu finds no adapter for `{line}`"
    );
    eprintln!("SKIPPED `{line}`: no GPU adapter");
    true
}

#[test]
fn every_command_of_the_readme_tour_runs() {
    let commands = tour_commands();
    assert!(commands.len() >= 10, "found only {commands:?}");
    let dir = scratch("tour");
    for line in &commands {
        if skip_without_adapter(line) {
            continue;
        }
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        let out = run_in(&dir, &args);
        assert!(out.status.success(), "`{line}` failed:\n{}", stderr(&out));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The `--help` text of `cavitas` or one subcommand.
fn help(subcommand: Option<&str>) -> String {
    let mut args: Vec<&str> = subcommand.into_iter().collect();
    args.push("--help");
    let out = common::cavitas(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

const SUBCOMMANDS: [&str; 6] = ["run", "bubble", "capsule", "merge", "info", "bench"];

#[test]
fn top_level_help_lists_every_subcommand() {
    let text = help(None);
    for sub in SUBCOMMANDS {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(sub)),
            "`cavitas --help` does not list `{sub}`:\n{text}"
        );
    }
}

#[test]
fn every_example_in_help_runs() {
    let dir = scratch("help");
    let mut checked = 0;
    for sub in SUBCOMMANDS {
        let text = help(Some(sub));
        let Some(examples) = text.split("Examples:").nth(1) else {
            continue;
        };
        for line in examples
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("cavitas "))
        {
            if skip_without_adapter(line) {
                continue;
            }
            let args: Vec<&str> = line.split_whitespace().skip(1).collect();
            let out = run_in(&dir, &args);
            assert!(
                out.status.success(),
                "`{line}` (from `cavitas {sub} --help`) failed:\n{}",
                stderr(&out)
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 6,
        "run, bubble and capsule show examples in --help"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bubble_help_offers_no_wav() {
    assert!(!help(Some("bubble")).contains("--wav"));
}
