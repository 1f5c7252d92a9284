//! Nuclei populations: radii, gas content and positions of the bubbles a group starts with.

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal};
use serde::{Deserialize, Serialize};

use super::per_species::PerSpecies;
use super::species::SPECIES_COUNT;
use crate::config::{Validate, Validator};

/// How the nuclei radii are drawn (key `distribution`).
#[derive(Debug, Clone, PartialEq)]
pub enum RadiusDistribution {
    /// One nucleus.
    Single { radius_m: f64 },
    /// Explicit list of radii, m.
    List { radii_m: Vec<f64> },
    /// Log-normal radii: median, geometric standard deviation, count.
    LogNormal {
        median_radius_m: f64,
        geometric_std: f64,
        count: u32,
    },
}

/// What the nuclei contain at the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GasContent {
    /// No gas and no vapour content: an empty cavity (Rayleigh's problem).
    Empty,
    /// Enough gas to be in mechanical equilibrium at the initial far-field pressure with
    /// Laplace pressure and vapour pressure: `p_g = p∞ + 2σ/R − p_v`.
    Equilibrium,
}

/// The nuclei of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "NucleiTable", into = "NucleiTable")]
pub struct Nuclei {
    /// Radii: equilibrium radii for `gas = "equilibrium"`, initial radii for `"empty"`.
    pub radii: RadiusDistribution,
    /// Gas content (default `equilibrium`).
    pub gas: GasContent,
    /// Gas mole fractions; default: in proportion to the dissolved gas tensions.
    pub composition: Option<PerSpecies<f64>>,
    /// Start at this multiple of the radius with the same gas (a perturbation that rings the
    /// bubble; default 1; allowed 0.2–5).
    pub initial_radius_factor: f64,
    /// Age at the start, s: how long the nuclei have existed (sets the transient diffusion
    /// term; default 0, freshly formed; allowed >= 0).
    pub age_s: f64,
    /// Edge lengths of the box the centres are drawn uniformly in, m (default 1 mm cube).
    pub region_m: [f64; 3],
    /// Seed of the random draws (radii and positions).
    pub seed: u64,
    /// Whether the nuclei exist (default true). `false` is the control of a coupled run
    /// without cavitation (`--set nuclei.enabled=false`): no nucleus is drawn, and none is
    /// made by tribonucleation, so the fluid never cavitates. Coupled runs only: a
    /// bubble-field group needs its nuclei.
    pub enabled: bool,
}

/// The `nuclei` table as written: `distribution` selects which radius keys apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NucleiTable {
    /// `single`, `list` or `log-normal`.
    distribution: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    radius_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    radii_m: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    median_radius_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    geometric_std: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    #[serde(default = "default_gas")]
    gas: GasContent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    composition: Option<PerSpecies<f64>>,
    #[serde(default = "one")]
    initial_radius_factor: f64,
    #[serde(default)]
    age_s: f64,
    #[serde(default = "default_region")]
    region_m: [f64; 3],
    #[serde(default = "default_seed")]
    seed: u64,
    #[serde(default = "enabled_by_default")]
    enabled: bool,
}

impl TryFrom<NucleiTable> for Nuclei {
    type Error = String;

    fn try_from(t: NucleiTable) -> Result<Self, String> {
        let present = [
            ("radius_m", t.radius_m.is_some()),
            ("radii_m", t.radii_m.is_some()),
            ("median_radius_m", t.median_radius_m.is_some()),
            ("geometric_std", t.geometric_std.is_some()),
            ("count", t.count.is_some()),
        ];
        let (radii, keys): (RadiusDistribution, &[&str]) = match t.distribution.as_str() {
            "single" => (
                RadiusDistribution::Single {
                    radius_m: t.radius_m.ok_or("distribution `single` needs `radius_m`")?,
                },
                &["radius_m"],
            ),
            "list" => (
                RadiusDistribution::List {
                    radii_m: t.radii_m.ok_or("distribution `list` needs `radii_m`")?,
                },
                &["radii_m"],
            ),
            "log-normal" => (
                RadiusDistribution::LogNormal {
                    median_radius_m: t
                        .median_radius_m
                        .ok_or("distribution `log-normal` needs `median_radius_m`")?,
                    geometric_std: t
                        .geometric_std
                        .ok_or("distribution `log-normal` needs `geometric_std`")?,
                    count: t.count.ok_or("distribution `log-normal` needs `count`")?,
                },
                &["median_radius_m", "geometric_std", "count"],
            ),
            other => {
                return Err(format!(
                    "unknown distribution `{other}`; allowed: single, list, log-normal"
                ));
            }
        };
        if let Some((key, _)) = present.iter().find(|(k, p)| *p && !keys.contains(k)) {
            return Err(format!(
                "`{key}` does not apply to distribution `{}`",
                t.distribution
            ));
        }
        Ok(Nuclei {
            radii,
            gas: t.gas,
            composition: t.composition,
            initial_radius_factor: t.initial_radius_factor,
            age_s: t.age_s,
            region_m: t.region_m,
            seed: t.seed,
            enabled: t.enabled,
        })
    }
}

impl From<Nuclei> for NucleiTable {
    fn from(n: Nuclei) -> Self {
        let mut t = NucleiTable {
            distribution: String::new(),
            radius_m: None,
            radii_m: None,
            median_radius_m: None,
            geometric_std: None,
            count: None,
            gas: n.gas,
            composition: n.composition,
            initial_radius_factor: n.initial_radius_factor,
            age_s: n.age_s,
            region_m: n.region_m,
            seed: n.seed,
            enabled: n.enabled,
        };
        match n.radii {
            RadiusDistribution::Single { radius_m } => {
                t.distribution = "single".into();
                t.radius_m = Some(radius_m);
            }
            RadiusDistribution::List { radii_m } => {
                t.distribution = "list".into();
                t.radii_m = Some(radii_m);
            }
            RadiusDistribution::LogNormal {
                median_radius_m,
                geometric_std,
                count,
            } => {
                t.distribution = "log-normal".into();
                t.median_radius_m = Some(median_radius_m);
                t.geometric_std = Some(geometric_std);
                t.count = Some(count);
            }
        }
        t
    }
}

/// `x / Σx`, or zeros when the sum is not positive.
pub fn proportions(x: [f64; SPECIES_COUNT]) -> [f64; SPECIES_COUNT] {
    PerSpecies(x).fractions().0
}

fn default_gas() -> GasContent {
    GasContent::Equilibrium
}
fn one() -> f64 {
    1.0
}
fn default_region() -> [f64; 3] {
    [1e-3; 3]
}
fn default_seed() -> u64 {
    1
}
fn enabled_by_default() -> bool {
    true
}

/// One nucleus drawn from a population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nucleus {
    /// Radius, m.
    pub radius_m: f64,
    /// Centre, m.
    pub position_m: [f64; 3],
}

impl RadiusDistribution {
    /// The radius that characterises the population (m): the single radius, the geometric
    /// mean of a list, or the median of a log-normal. The bubble field's length scale.
    pub fn characteristic_radius_m(&self) -> f64 {
        match self {
            Self::Single { radius_m } => *radius_m,
            Self::List { radii_m } => {
                (radii_m.iter().map(|r| r.ln()).sum::<f64>() / radii_m.len() as f64).exp()
            }
            Self::LogNormal {
                median_radius_m, ..
            } => *median_radius_m,
        }
    }
}

impl Nuclei {
    /// Mole fractions of the nuclei's gas: the configured composition, else in proportion
    /// to the dissolved gas tensions `tensions_pa` (all zero when those sum to zero).
    pub fn gas_fractions(&self, tensions_pa: [f64; SPECIES_COUNT]) -> [f64; SPECIES_COUNT] {
        match self.composition {
            Some(c) => c.fractions().0,
            None => proportions(tensions_pa),
        }
    }

    /// Draws the nuclei, deterministic for a seed. `copy` decorrelates replicated groups.
    pub fn draw(&self, copy: u64) -> Vec<Nucleus> {
        let mut rng =
            rand_pcg::Pcg64::seed_from_u64(self.seed.wrapping_add(copy.wrapping_mul(0x9E37_79B9)));
        let radii: Vec<f64> = match &self.radii {
            RadiusDistribution::Single { radius_m } => vec![*radius_m],
            RadiusDistribution::List { radii_m } => radii_m.clone(),
            RadiusDistribution::LogNormal {
                median_radius_m,
                geometric_std,
                count,
            } => {
                let dist = LogNormal::new(median_radius_m.ln(), geometric_std.ln())
                    .expect("validated log-normal parameters");
                (0..*count).map(|_| dist.sample(&mut rng)).collect()
            }
        };
        radii
            .into_iter()
            .map(|radius_m| Nucleus {
                radius_m,
                position_m: std::array::from_fn(|d| self.region_m[d] * rng.random::<f64>()),
            })
            .collect()
    }

    /// The largest radius in the population (for a log-normal, of the drawn sample).
    pub fn largest_radius_m(&self, copy: u64) -> f64 {
        self.draw(copy)
            .iter()
            .map(|n| n.radius_m)
            .fold(0.0, f64::max)
    }
}

impl Validate for Nuclei {
    fn validate(&self, v: &mut Validator<'_>) {
        match &self.radii {
            RadiusDistribution::Single { radius_m } => {
                v.within("radius_m", *radius_m, 1e-9, 1e-2);
            }
            RadiusDistribution::List { radii_m } => {
                v.require(!radii_m.is_empty(), "radii_m", "[]", "a non-empty list");
                for r in radii_m {
                    v.within("radii_m", *r, 1e-9, 1e-2);
                }
            }
            RadiusDistribution::LogNormal {
                median_radius_m,
                geometric_std,
                count,
            } => {
                v.within("median_radius_m", *median_radius_m, 1e-9, 1e-2);
                v.within("geometric_std", *geometric_std, 1.0, 10.0);
                v.require(
                    (1..=16_000_000).contains(count),
                    "count",
                    count,
                    "an integer in [1, 16000000]",
                );
            }
        }
        if let Some(c) = &self.composition {
            for (species, &x) in c.iter_species() {
                v.within(&format!("composition.{}", species.name()), x, 0.0, 1.0);
            }
            v.require(
                c.total() > 0.0,
                "composition",
                "all zero",
                "mole fractions with a positive sum",
            );
        }
        v.within(
            "initial_radius_factor",
            self.initial_radius_factor,
            0.2,
            5.0,
        );
        v.non_negative("age_s", self.age_s, 1e9);
        for x in self.region_m {
            v.non_negative("region_m", x, 1.0);
        }
    }
}
