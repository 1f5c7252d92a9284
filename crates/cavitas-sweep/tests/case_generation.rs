//! Cases of sweep files: counts and order of products, zips and samples; ranges; Latin
//! hypercube stratification; Sobol points against the `sobol_burley` sequence; sharding;
//! case documents carrying the overrides.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cavitas_sweep::{Shard, SweepPlan, latin_hypercube};

/// A sweep file path in `configs/sweeps/` (need not exist: bases resolve against it).
fn sweep_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../configs/sweeps/generated.toml")
}

fn plan(text: &str) -> SweepPlan {
    SweepPlan::from_text(&sweep_path(), text).unwrap_or_else(|e| panic!("{e}"))
}

fn floats(plan: &SweepPlan, key: &str) -> Vec<f64> {
    let k = plan.parameters.iter().position(|p| p == key).unwrap();
    plan.cases
        .iter()
        .map(|c| c.values[k].as_float().unwrap())
        .collect()
}

const BASE: &str = "base = \"../bubble/minnaert.toml\"\n";

#[test]
fn product_of_axes_varies_the_first_slowest() {
    let p = plan(&format!(
        "{BASE}[[axis]]\nkey = \"a.x\"\nvalues = [1.0, 2.0]\n\
         [[axis]]\nkey = \"a.y\"\nlinear = {{ start = 0.0, stop = 1.0, count = 3 }}\n"
    ));
    assert_eq!(p.cases.len(), 6);
    assert_eq!(floats(&p, "a.x"), [1.0, 1.0, 1.0, 2.0, 2.0, 2.0]);
    assert_eq!(floats(&p, "a.y"), [0.0, 0.5, 1.0, 0.0, 0.5, 1.0]);
    let ids: Vec<&str> = p.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids[0], "case-0000");
    assert_eq!(ids[5], "case-0005");
    // Deterministic: the same file gives the same cases.
    let again = plan(&format!(
        "{BASE}[[axis]]\nkey = \"a.x\"\nvalues = [1.0, 2.0]\n\
         [[axis]]\nkey = \"a.y\"\nlinear = {{ start = 0.0, stop = 1.0, count = 3 }}\n"
    ));
    assert_eq!(p.cases, again.cases);
}

#[test]
fn zipped_axes_change_together_and_log_ranges_hit_their_ends() {
    let p = plan(&format!(
        "{BASE}[[axis]]\nkey = \"a.x\"\nlog = {{ start = 1e-6, stop = 1e-3, count = 4 }}\nzip = \"g\"\n\
         [[axis]]\nkey = \"b\"\nvalues = [\"p\", \"q\"]\n\
         [[axis]]\nkey = \"a.y\"\nvalues = [1, 2, 3, 4]\nzip = \"g\"\n"
    ));
    // The zip group is one factor of 4 (placed where its first axis is), times 2.
    assert_eq!(p.cases.len(), 8);
    assert_eq!(p.parameters, ["a.x", "a.y", "b"]);
    let x = floats(&p, "a.x");
    assert_eq!(x[0], 1e-6);
    assert_eq!(x[7], 1e-3);
    // Ratio of consecutive log points: 10 each, to rounding of powf (a few ulps).
    assert!((x[2] / x[0] - 10.0).abs() < 1e-12 && (x[4] / x[2] - 10.0).abs() < 1e-12);
    // `start (stop / start)^t`: a round ratio gives round points.
    let round = plan(&format!(
        "{BASE}[[axis]]\nkey = \"r\"\nlog = {{ start = 5e-5, stop = 2e-4, count = 3 }}\n"
    ));
    assert_eq!(floats(&round, "r"), [5e-5, 1e-4, 2e-4]);
    let y: Vec<i64> = p
        .cases
        .iter()
        .map(|c| c.values[1].as_integer().unwrap())
        .collect();
    assert_eq!(y, [1, 1, 2, 2, 3, 3, 4, 4]);
    assert_eq!(p.cases[1].values[2].as_str(), Some("q"));
}

#[test]
fn latin_hypercube_puts_one_point_in_every_stratum_of_every_dimension() {
    for (count, dims, seed) in [(1, 1, 0), (7, 3, 1), (64, 5, 42)] {
        let points = latin_hypercube(count, dims, seed);
        assert_eq!(points.len(), count);
        for d in 0..dims {
            let strata: BTreeSet<usize> = points
                .iter()
                .map(|p| {
                    assert!((0.0..1.0).contains(&p[d]));
                    (p[d] * count as f64).floor() as usize
                })
                .collect();
            assert_eq!(strata.len(), count, "{count} points, dimension {d}");
        }
        assert_eq!(points, latin_hypercube(count, dims, seed), "seeded");
    }
    assert_ne!(latin_hypercube(8, 2, 1), latin_hypercube(8, 2, 2));
}

#[test]
fn latin_hypercube_sample_maps_strata_onto_the_bounds() {
    let p = plan(&format!(
        "{BASE}[[sample]]\nmethod = \"latin-hypercube\"\ncount = 10\nseed = 3\nbounds = [\
         {{ key = \"a\", min = 2.0, max = 4.0 }}, {{ key = \"b\", min = 1e-3, max = 1e-1, scale = \"log\" }}]\n"
    ));
    assert_eq!(p.cases.len(), 10);
    let a: BTreeSet<usize> = floats(&p, "a")
        .iter()
        .map(|v| ((v - 2.0) / 2.0 * 10.0).floor() as usize)
        .collect();
    assert_eq!(a.len(), 10);
    let b: BTreeSet<usize> = floats(&p, "b")
        .iter()
        .map(|v| ((v.ln() - 1e-3f64.ln()) / (1e-1f64.ln() - 1e-3f64.ln()) * 10.0).floor() as usize)
        .collect();
    assert_eq!(b.len(), 10, "log strata");
}

#[test]
fn sobol_points_are_the_crates_sequence_within_the_bounds() {
    let p = plan(&format!(
        "{BASE}[[sample]]\nmethod = \"sobol\"\ncount = 16\nseed = 9\nbounds = [\
         {{ key = \"a\", min = -1.0, max = 3.0 }}, {{ key = \"b\", min = 10.0, max = 20.0 }}]\n\
         [[axis]]\nkey = \"c\"\nvalues = [0, 1]\n"
    ));
    // Axes come first in the parameters; the sample factor varies fastest.
    assert_eq!(p.parameters, ["c", "a", "b"]);
    assert_eq!(p.cases.len(), 32);
    let (a, b) = (floats(&p, "a"), floats(&p, "b"));
    for i in 0..16 {
        let ua = f64::from(sobol_burley::sample(i as u32, 0, 9));
        let ub = f64::from(sobol_burley::sample(i as u32, 1, 9));
        assert_eq!(a[i], -1.0 + ua * 4.0);
        assert_eq!(b[i], 10.0 + ub * 10.0);
        assert_eq!(a[16 + i], a[i], "the same points for the second axis value");
        assert!((-1.0..3.0).contains(&a[i]) && (10.0..20.0).contains(&b[i]));
    }
}

#[test]
fn four_shards_hold_every_case_once() {
    let p = plan(&format!(
        "{BASE}[[axis]]\nkey = \"a\"\nlinear = {{ start = 0.0, stop = 1.0, count = 11 }}\n"
    ));
    let mut seen = Vec::new();
    for index in 0..4 {
        let shard = Shard::parse(&format!("{index}/4")).unwrap();
        seen.extend(
            p.cases
                .iter()
                .filter(|c| shard.holds(c.index))
                .map(|c| c.index),
        );
    }
    seen.sort();
    let whole: Vec<usize> = p
        .cases
        .iter()
        .filter(|c| Shard::WHOLE.holds(c.index))
        .map(|c| c.index)
        .collect();
    assert_eq!(seen, whole, "disjoint and complete");
    assert_eq!(whole.len(), 11);
}

#[test]
fn slurm_array_tasks_become_shards() {
    let env = |id: &'static str, count: &'static str, min: Option<&'static str>| {
        move |k: &str| match k {
            "SLURM_ARRAY_TASK_ID" => Some(id.to_string()),
            "SLURM_ARRAY_TASK_COUNT" => Some(count.to_string()),
            "SLURM_ARRAY_TASK_MIN" => min.map(str::to_string),
            _ => None,
        }
    };
    let s = Shard::from_slurm(env("2", "4", None)).unwrap().unwrap();
    assert_eq!((s.index, s.count), (2, 4));
    let s = Shard::from_slurm(env("4", "4", Some("1")))
        .unwrap()
        .unwrap();
    assert_eq!((s.index, s.count), (3, 4), "--array=1-4");
    assert!(Shard::from_slurm(env("4", "4", None)).is_err());
    assert_eq!(Shard::from_slurm(|_| None).unwrap(), None);
    assert!(
        Shard::parse("4/4").is_err() && Shard::parse("0/0").is_err() && Shard::parse("1").is_err()
    );
}

#[test]
fn a_case_document_is_the_base_with_the_overrides() {
    let p = plan(&format!(
        "{BASE}set = [\"duration_s=2e-4\"]\n[[axis]]\nkey = \"group.0.nuclei.radius_m\"\nvalues = [5e-5, 1.2345678901234567e-4]\n"
    ));
    p.check_cases().unwrap();
    let doc = p.document(&p.cases[1]).unwrap();
    assert_eq!(doc.table()["duration_s"].as_float(), Some(2e-4));
    // Floats travel through the `--set` text exactly.
    assert_eq!(
        doc.table()["group"][0]["nuclei"]["radius_m"].as_float(),
        Some(1.2345678901234567e-4)
    );
}

#[test]
fn the_shipped_sweep_files_check() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../configs/sweeps");
    for (name, cases) in [("smoke.toml", 6), ("mcp-traction-lhs.toml", 32)] {
        let p = SweepPlan::load(&folder.join(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.cases.len(), cases, "{name}");
        p.check_cases().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
