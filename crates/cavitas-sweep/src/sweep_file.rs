//! [`SweepFile`]: a sweep file (TOML) as written, before its cases are generated.
//!
//! ```toml
//! description = "what the study is for"
//! base = "../bubble/minnaert.toml"      # relative to this file; default: `cavitas run`'s
//! set = ["duration_s=2e-4"]             # overrides of every case, as `--set`
//!
//! [[axis]]                              # axes form a product, the first varying slowest
//! key = "liquid.viscosity_pa_s"
//! values = [0.001, 0.01]
//!
//! [[axis]]
//! key = "group.0.nuclei.radius_m"
//! log = { start = 1e-5, stop = 1e-4, count = 3 }
//! zip = "size"                          # axes of one zip group change together
//!
//! [[sample]]                            # `count` points over several keys at once
//! method = "latin-hypercube"            # or "sobol"
//! count = 8
//! seed = 1
//! bounds = [{ key = "liquid.surface_tension_n_m", min = 0.05, max = 0.07 }]
//! ```

use std::path::PathBuf;

use crate::axis::AxisSpec;
use crate::sample_design::SampleSpec;

/// The top level of a sweep file. Unknown keys are refused.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// What the study is for (free text).
    #[serde(default)]
    pub description: Option<String>,
    /// The base scenario file, relative to the sweep file's folder. Without it, the
    /// built-in default scenario of `cavitas run` (the MCP traction).
    #[serde(default)]
    pub base: Option<PathBuf>,
    /// Overrides applied to the base in every case, each `dotted.key=value` as `--set`
    /// takes them; a swept key may not also be set here.
    #[serde(default)]
    pub set: Vec<String>,
    /// The `[[axis]]` tables: each a key and its values.
    #[serde(default)]
    pub axis: Vec<AxisSpec>,
    /// The `[[sample]]` tables: each points over the bounds of several keys.
    #[serde(default)]
    pub sample: Vec<SampleSpec>,
}
