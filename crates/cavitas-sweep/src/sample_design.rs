//! [`SampleSpec`]: one `[[sample]]` of a sweep file, `count` points over the bounds of
//! several keys at once, by Latin hypercube or by Sobol sequence, seeded.
//!
//! - Latin hypercube: each dimension's range is cut into `count` equal strata and every
//!   stratum holds exactly one point; the strata are paired across dimensions by random
//!   permutations and each point lies uniformly inside its stratum. The random stream is
//!   ChaCha8 seeded with `seed` (portable: the same points on every machine).
//! - Sobol: points `0..count` of the Owen-scrambled Sobol sequence of the `sobol_burley`
//!   crate (Burley 2020), dimension `d` of point `i` being `sobol_burley::sample(i, d, seed)`.
//!   At most 256 dimensions.
//!
//! A point `u` in the unit cube maps onto `[min, max]` as `min + u (max - min)`, or, with
//! `scale = "log"`, as `min (max / min)^u`.

use std::path::Path;

use rand::SeedableRng;
use rand::seq::SliceRandom;

use crate::sweep_error::SweepError;

/// How the points of a `[[sample]]` are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SampleMethod {
    /// Latin hypercube: one point per stratum per dimension.
    LatinHypercube,
    /// The Owen-scrambled Sobol low-discrepancy sequence.
    Sobol,
}

/// How a bound maps the unit interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Uniform in the value.
    #[default]
    Linear,
    /// Uniform in the logarithm of the value (both bounds > 0).
    Log,
}

/// One `[[sample]]` table.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleSpec {
    /// `latin-hypercube` or `sobol`.
    pub method: SampleMethod,
    /// How many points (cases of this sample), at least 1.
    pub count: usize,
    /// Seed of the design (Sobol: at most 4294967295). Default 0.
    #[serde(default)]
    pub seed: u64,
    /// The keys sampled and their bounds, one `[[sample.bounds]]` each.
    pub bounds: Vec<BoundSpec>,
}

/// The bounds of one sampled key.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundSpec {
    /// The config key, in the `--set` form.
    pub key: String,
    /// Lower bound (in the key's unit).
    pub min: f64,
    /// Upper bound, above `min`.
    pub max: f64,
    /// `linear` (default) or `log`.
    #[serde(default)]
    pub scale: Scale,
}

/// Most dimensions a Sobol sample may have (those `sobol_burley` provides).
pub const SOBOL_MAX_DIMENSIONS: usize = sobol_burley::NUM_DIMENSIONS as usize;

impl SampleSpec {
    /// The points, one row per point, one value per bound (in bound order); an error
    /// names `file` and the offending key (`at` is the sample's own key path, `sample.0`).
    pub fn compute_points(&self, file: &Path, at: &str) -> Result<Vec<Vec<f64>>, SweepError> {
        self.check(file, at)?;
        let dims = self.bounds.len();
        let unit = match self.method {
            SampleMethod::LatinHypercube => latin_hypercube(self.count, dims, self.seed),
            SampleMethod::Sobol => sobol(self.count, dims, self.seed as u32),
        };
        Ok(unit
            .into_iter()
            .map(|u| {
                u.iter()
                    .zip(&self.bounds)
                    .map(|(&u, b)| b.compute_value(u))
                    .collect()
            })
            .collect())
    }

    fn check(&self, file: &Path, at: &str) -> Result<(), SweepError> {
        let err = |key: String, message: String| Err(SweepError::key(file, key, message));
        if self.count == 0 {
            return err(
                format!("{at}.count"),
                "0 samples; allowed: at least 1".into(),
            );
        }
        if self.count > u32::MAX as usize {
            return err(
                format!("{at}.count"),
                format!("{} samples; allowed: at most {}", self.count, u32::MAX),
            );
        }
        if self.bounds.is_empty() {
            return err(
                format!("{at}.bounds"),
                "no bounds; allowed: at least one `[[sample.bounds]]` (key, min, max)".into(),
            );
        }
        if self.method == SampleMethod::Sobol {
            if self.bounds.len() > SOBOL_MAX_DIMENSIONS {
                return err(
                    format!("{at}.bounds"),
                    format!(
                        "{} dimensions; allowed: at most {SOBOL_MAX_DIMENSIONS} for `sobol`",
                        self.bounds.len()
                    ),
                );
            }
            if self.seed > u64::from(u32::MAX) {
                return err(
                    format!("{at}.seed"),
                    format!(
                        "{} is out of range; allowed: 0 to {} for `sobol`",
                        self.seed,
                        u32::MAX
                    ),
                );
            }
        }
        for (d, b) in self.bounds.iter().enumerate() {
            let log = b.scale == Scale::Log;
            for (name, v) in [("min", b.min), ("max", b.max)] {
                if !v.is_finite() || (log && v <= 0.0) {
                    let allowed = if log {
                        "a finite number > 0 (scale = \"log\")"
                    } else {
                        "a finite number"
                    };
                    return err(
                        format!("{at}.bounds.{d}.{name}"),
                        format!("{v} is out of range; allowed: {allowed}"),
                    );
                }
            }
            if !(b.min < b.max) {
                return err(
                    format!("{at}.bounds.{d}.max"),
                    format!("{} is out of range; allowed: above min = {}", b.max, b.min),
                );
            }
        }
        Ok(())
    }
}

impl BoundSpec {
    /// The value at `u` in [0, 1) of the unit interval.
    pub fn compute_value(&self, u: f64) -> f64 {
        match self.scale {
            Scale::Linear => self.min + u * (self.max - self.min),
            Scale::Log => self.min * (self.max / self.min).powf(u),
        }
    }
}

/// `count` points of a Latin hypercube in `[0, 1)^dims`: in every dimension, point `i`
/// lies in stratum `[k/count, (k+1)/count)` for a permutation `k` of `0..count`.
pub fn latin_hypercube(count: usize, dims: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut points = vec![vec![0.0; dims]; count];
    let mut strata: Vec<usize> = (0..count).collect();
    for d in 0..dims {
        strata.shuffle(&mut rng);
        for (point, &stratum) in points.iter_mut().zip(&strata) {
            let jitter: f64 = rand::Rng::random(&mut rng);
            // `jitter` < 1, so the point stays below the stratum's upper edge (rounding
            // could reach it only for `count` near 2^53).
            point[d] = ((stratum as f64 + jitter) / count as f64).min(next_below(1.0));
        }
    }
    points
}

/// `count` points of the Owen-scrambled Sobol sequence in `[0, 1)^dims` (`dims` at most
/// [`SOBOL_MAX_DIMENSIONS`]).
pub fn sobol(count: usize, dims: usize, seed: u32) -> Vec<Vec<f64>> {
    (0..count)
        .map(|i| {
            (0..dims)
                .map(|d| f64::from(sobol_burley::sample(i as u32, d as u32, seed)))
                .collect()
        })
        .collect()
}

/// The largest f64 below `x` (> 0).
fn next_below(x: f64) -> f64 {
    f64::from_bits(x.to_bits() - 1)
}
