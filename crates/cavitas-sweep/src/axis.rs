//! [`AxisSpec`]: one `[[axis]]` of a sweep file, the values one config key takes: an
//! explicit list, or a linear or logarithmic range with both ends included.

use std::path::Path;

use crate::sweep_error::SweepError;

/// One `[[axis]]` table: a config key and the values it takes. Exactly one of `values`,
/// `linear` and `log` is given.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisSpec {
    /// The config key, in the `--set` form (`loading.peak_force_n`, `group.0.nuclei.count`).
    pub key: String,
    /// An explicit list of values (any TOML values: numbers, strings, booleans, tables).
    #[serde(default)]
    pub values: Option<Vec<toml::Value>>,
    /// `count` values evenly spaced from `start` to `stop`, both included.
    #[serde(default)]
    pub linear: Option<RangeSpec>,
    /// `count` values evenly spaced in the logarithm from `start` to `stop` (both > 0),
    /// both included.
    #[serde(default)]
    pub log: Option<RangeSpec>,
    /// Axes with the same `zip` name change together (case `i` takes value `i` of each; they
    /// must have equal lengths) instead of forming a product.
    #[serde(default)]
    pub zip: Option<String>,
}

/// A range of `count` values from `start` to `stop`, both included (in the key's unit).
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeSpec {
    /// First value.
    pub start: f64,
    /// Last value (may be below `start`: the range runs downwards).
    pub stop: f64,
    /// How many values, at least 1 (1 gives `start` alone).
    pub count: usize,
}

impl AxisSpec {
    /// The axis's values, or an error naming `file` and the offending key (`at` is the
    /// axis's own key path, `axis.3`).
    pub fn compute_values(&self, file: &Path, at: &str) -> Result<Vec<toml::Value>, SweepError> {
        let given = [
            self.values.is_some(),
            self.linear.is_some(),
            self.log.is_some(),
        ];
        if given.iter().filter(|&&g| g).count() != 1 {
            return Err(SweepError::key(
                file,
                at,
                format!(
                    "axis over `{}` needs exactly one of `values`, `linear` and `log`",
                    self.key
                ),
            ));
        }
        if let Some(values) = &self.values {
            if values.is_empty() {
                return Err(SweepError::key(
                    file,
                    format!("{at}.values"),
                    "an empty list; allowed: at least one value".into(),
                ));
            }
            return Ok(values.clone());
        }
        let (range, log, name) = match (self.linear, self.log) {
            (Some(r), _) => (r, false, "linear"),
            (None, Some(r)) => (r, true, "log"),
            (None, None) => unreachable!("one of the three is given"),
        };
        let at = format!("{at}.{name}");
        range.check(file, &at, log)?;
        Ok(range
            .compute_points(log)
            .into_iter()
            .map(toml::Value::Float)
            .collect())
    }
}

impl RangeSpec {
    /// Refuses an empty range, a non-finite end, or (for `log`) an end that is not > 0.
    fn check(&self, file: &Path, at: &str, log: bool) -> Result<(), SweepError> {
        if self.count == 0 {
            return Err(SweepError::key(
                file,
                format!("{at}.count"),
                "0 is an empty range; allowed: at least 1".into(),
            ));
        }
        for (name, v) in [("start", self.start), ("stop", self.stop)] {
            if !v.is_finite() || (log && v <= 0.0) {
                let allowed = if log {
                    "a finite number > 0"
                } else {
                    "a finite number"
                };
                return Err(SweepError::key(
                    file,
                    format!("{at}.{name}"),
                    format!("{v} is out of range; allowed: {allowed}"),
                ));
            }
        }
        Ok(())
    }

    /// The points: `start + t (stop - start)`, or for `log` `start (stop / start)^t`, at
    /// `t = i / (count - 1)`; the ends are exactly `start` and `stop` (and round ratios give
    /// round points: 5e-5 to 2e-4 in three has 1e-4 in the middle).
    pub fn compute_points(&self, log: bool) -> Vec<f64> {
        (0..self.count)
            .map(|i| {
                if i == 0 {
                    return self.start;
                }
                if i + 1 == self.count {
                    return self.stop;
                }
                let t = i as f64 / (self.count - 1) as f64;
                if log {
                    self.start * (self.stop / self.start).powf(t)
                } else {
                    self.start + (self.stop - self.start) * t
                }
            })
            .collect()
    }
}
