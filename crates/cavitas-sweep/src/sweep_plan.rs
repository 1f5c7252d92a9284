//! [`SweepPlan`]: a checked sweep file with its cases generated. Each case is the base
//! document with the file's `set` overrides and the case's own values applied through the
//! `--set` machinery of [`ConfigDocument`], so a case's configuration errors name the key
//! as they do for `cavitas run --set`.
//!
//! Cases are the product of the file's factors, the first varying slowest: each `[[axis]]`
//! without `zip` is a factor; the axes of one `zip` group are one factor (placed where the
//! group's first axis is); each `[[sample]]` is one factor, its points changing all its
//! keys together.

use std::path::{Path, PathBuf};

use cavitas_solver::config::{ConfigDocument, ConfigOrigin};
use cavitas_solver::driver::{DefaultScenario, Scenario, ScenarioKind};

use crate::sweep_case::SweepCase;
use crate::sweep_error::SweepError;
use crate::sweep_file::SweepFile;

/// Most cases one sweep may have.
pub const MAX_CASES: usize = 1_000_000;

/// The base configuration of every case.
#[derive(Debug, Clone, PartialEq)]
pub enum BaseConfig {
    /// A scenario file (its path as resolved against the sweep file's folder) and its text.
    File { path: PathBuf, text: String },
    /// A scenario built into the binary.
    BuiltIn(DefaultScenario),
}

impl BaseConfig {
    /// How error messages and the manifest name it.
    pub fn describe(&self) -> String {
        match self {
            Self::File { path, .. } => path.display().to_string(),
            Self::BuiltIn(s) => format!("<built-in {}>", s.name),
        }
    }
}

/// A sweep file, checked, with its cases.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// The sweep file.
    pub file: PathBuf,
    /// What it says.
    pub spec: SweepFile,
    /// The base configuration.
    pub base: BaseConfig,
    /// The swept keys, in the order of the file (axes, then samples): the columns of a case.
    pub parameters: Vec<String>,
    /// Every case, in order.
    pub cases: Vec<SweepCase>,
}

/// A group of keys that change together, and the rows of values they take.
struct Factor {
    /// The zip group's name (axes only).
    zip: Option<String>,
    /// Where the factor was declared (`axis.2`), for errors.
    at: String,
    keys: Vec<String>,
    rows: Vec<Vec<toml::Value>>,
}

impl SweepPlan {
    /// Reads and checks the sweep file at `path` and generates its cases.
    pub fn load(path: &Path) -> Result<Self, SweepError> {
        let text = std::fs::read_to_string(path).map_err(|source| SweepError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Self::from_text(path, &text)
    }

    /// Checks `text`, read from `file` (base paths resolve against its folder).
    pub fn from_text(file: &Path, text: &str) -> Result<Self, SweepError> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| SweepError::Syntax {
                file: file.to_path_buf(),
                message: e.to_string().trim_end().to_string(),
            })?;
        let spec: SweepFile =
            serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
                let key = e.path().to_string().replace('[', ".").replace(']', "");
                let message = e.into_inner().to_string();
                SweepError::key(
                    file,
                    if key == "." { "<root>".into() } else { key },
                    message.lines().next().unwrap_or_default().to_string(),
                )
            })?;
        let base = match &spec.base {
            None => BaseConfig::BuiltIn(DefaultScenario::RUN),
            Some(relative) => {
                let folder = file.parent().unwrap_or(Path::new(""));
                let path = folder.join(relative);
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    SweepError::key(file, "base", format!("cannot read {}: {e}", path.display()))
                })?;
                BaseConfig::File { path, text }
            }
        };
        let factors = factors(file, &spec)?;
        check_keys(file, &spec, &factors)?;
        let parameters: Vec<String> = factors.iter().flat_map(|f| f.keys.clone()).collect();
        let mut count: usize = 1;
        for f in &factors {
            count = count
                .checked_mul(f.rows.len())
                .filter(|&n| n <= MAX_CASES)
                .ok_or_else(|| {
                    SweepError::key(
                        file,
                        f.at.clone(),
                        format!("the sweep would have more than {MAX_CASES} cases"),
                    )
                })?;
        }
        let cases = (0..count)
            .map(|index| {
                // Mixed radix, the last factor fastest.
                let mut rest = index;
                let mut picks = vec![0; factors.len()];
                for (pick, f) in picks.iter_mut().zip(&factors).rev() {
                    *pick = rest % f.rows.len();
                    rest /= f.rows.len();
                }
                let values = factors
                    .iter()
                    .zip(&picks)
                    .flat_map(|(f, &row)| f.rows[row].clone())
                    .collect();
                SweepCase {
                    index,
                    id: SweepCase::id_of(index, count),
                    values,
                }
            })
            .collect();
        Ok(Self {
            file: file.to_path_buf(),
            spec,
            base,
            parameters,
            cases,
        })
    }

    /// Every override of `case`: the file's `set`, then the case's values.
    pub fn overrides(&self, case: &SweepCase) -> Vec<String> {
        let mut all = self.spec.set.clone();
        all.extend(case.assignments(&self.parameters));
        all
    }

    /// The configuration document of `case`.
    pub fn document(&self, case: &SweepCase) -> Result<ConfigDocument, SweepError> {
        let (origin, text) = match &self.base {
            BaseConfig::File { path, text } => (ConfigOrigin::File(path.clone()), text.as_str()),
            BaseConfig::BuiltIn(s) => (ConfigOrigin::BuiltIn(s.name), s.text),
        };
        ConfigDocument::from_text(origin, text, &self.overrides(case))
            .map_err(|source| self.case_error(case, source))
    }

    /// The scenario of `case`: its document parsed and checked.
    pub fn scenario(&self, case: &SweepCase) -> Result<(ConfigDocument, Scenario), SweepError> {
        let doc = self.document(case)?;
        let scenario = Scenario::from_document(&doc).map_err(|e| self.case_error(case, e))?;
        Ok((doc, scenario))
    }

    /// Checks every case before anything runs: its configuration, and that it is a run
    /// with a time history to write (a coupled joint without `[refractory]`, or a bubble
    /// field).
    pub fn check_cases(&self) -> Result<(), SweepError> {
        for case in &self.cases {
            let (_, scenario) = self.scenario(case)?;
            let refused = match &scenario {
                Scenario::Capsule(_) => Some(
                    "a capsule study has no time history to write; sweep a joint or \
                     bubble-field scenario",
                ),
                Scenario::Crack(s) if s.refractory.is_some() => Some(
                    "a [refractory] scenario has no single history to write; remove the \
                     [refractory] table from the base",
                ),
                _ => None,
            };
            if let Some(message) = refused {
                let key = if scenario.kind() == ScenarioKind::Capsule {
                    "base"
                } else {
                    "base.refractory"
                };
                return Err(SweepError::key(
                    &self.file,
                    key,
                    format!("case {}: {message}", case.id),
                ));
            }
        }
        Ok(())
    }

    /// `key=value, key=value` of `case`, for messages.
    pub fn describe(&self, case: &SweepCase) -> String {
        case.assignments(&self.parameters).join(", ")
    }

    fn case_error(
        &self,
        case: &SweepCase,
        source: cavitas_solver::config::ConfigError,
    ) -> SweepError {
        SweepError::Case {
            file: self.file.clone(),
            case: case.id.clone(),
            assignments: self.describe(case),
            source: Box::new(source),
        }
    }
}

/// The factors of `spec` in file order: axes (zip groups merged), then samples.
fn factors(file: &Path, spec: &SweepFile) -> Result<Vec<Factor>, SweepError> {
    let mut factors: Vec<Factor> = Vec::new();
    for (i, axis) in spec.axis.iter().enumerate() {
        let at = format!("axis.{i}");
        let values = axis.compute_values(file, &at)?;
        let group = axis
            .zip
            .as_ref()
            .and_then(|z| factors.iter_mut().find(|f| f.zip.as_ref() == Some(z)));
        match group {
            Some(f) => {
                if f.rows.len() != values.len() {
                    return Err(SweepError::key(
                        file,
                        at,
                        format!(
                            "{} values, but {} (zip group `{}`) has {}; allowed: axes of one \
                             zip group have equally many values",
                            values.len(),
                            f.at,
                            axis.zip.as_deref().unwrap_or_default(),
                            f.rows.len()
                        ),
                    ));
                }
                f.keys.push(axis.key.clone());
                for (row, v) in f.rows.iter_mut().zip(values) {
                    row.push(v);
                }
            }
            None => factors.push(Factor {
                zip: axis.zip.clone(),
                at,
                keys: vec![axis.key.clone()],
                rows: values.into_iter().map(|v| vec![v]).collect(),
            }),
        }
    }
    for (i, sample) in spec.sample.iter().enumerate() {
        let at = format!("sample.{i}");
        let points = sample.compute_points(file, &at)?;
        factors.push(Factor {
            zip: None,
            at,
            keys: sample.bounds.iter().map(|b| b.key.clone()).collect(),
            rows: points
                .into_iter()
                .map(|p| p.into_iter().map(toml::Value::Float).collect())
                .collect(),
        });
    }
    Ok(factors)
}

/// Refuses malformed keys, and the same key (or a key and one inside it) swept twice or
/// both swept and `set`.
fn check_keys(file: &Path, spec: &SweepFile, factors: &[Factor]) -> Result<(), SweepError> {
    // (where, key) of every key the file names, in file order.
    let mut named: Vec<(String, String)> = Vec::new();
    for (i, assignment) in spec.set.iter().enumerate() {
        let Some((key, _)) = assignment.split_once('=') else {
            return Err(SweepError::key(
                file,
                format!("set.{i}"),
                format!("`{assignment}`: expected `dotted.key=value`"),
            ));
        };
        named.push((format!("set.{i}"), key.trim().to_string()));
    }
    for (i, axis) in spec.axis.iter().enumerate() {
        named.push((format!("axis.{i}.key"), axis.key.clone()));
    }
    for (i, sample) in spec.sample.iter().enumerate() {
        for (d, b) in sample.bounds.iter().enumerate() {
            named.push((format!("sample.{i}.bounds.{d}.key"), b.key.clone()));
        }
    }
    debug_assert_eq!(
        factors.iter().map(|f| f.keys.len()).sum::<usize>() + spec.set.len(),
        named.len()
    );
    for (n, (at, key)) in named.iter().enumerate() {
        if key.is_empty() || key.split('.').any(str::is_empty) || key.contains(['=', '/', ',']) {
            return Err(SweepError::key(
                file,
                at.clone(),
                format!(
                    "`{key}` is not a config key; allowed: dotted segments such as \
                     `loading.peak_force_n` or `group.0.nuclei.count`"
                ),
            ));
        }
        for (earlier_at, earlier) in &named[..n] {
            if nested(key, earlier) {
                let how = if key == earlier {
                    "the same key".to_string()
                } else {
                    format!("overlaps `{earlier}`")
                };
                return Err(SweepError::key(
                    file,
                    at.clone(),
                    format!(
                        "`{key}` conflicts with {earlier_at} ({how}); allowed: each key set or \
                         swept once (zip axes to change keys together)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Whether one key is the other or lies inside it (`a.b` and `a.b.c`).
fn nested(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long == short || long.starts_with(&format!("{short}."))
}
