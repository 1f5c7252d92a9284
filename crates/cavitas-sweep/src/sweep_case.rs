//! [`SweepCase`]: one case of a sweep, the values its swept keys take.

/// One case: its index in the sweep, its id, and one value per swept key (in the order of
/// [`SweepPlan::parameters`](crate::SweepPlan::parameters)).
#[derive(Debug, Clone, PartialEq)]
pub struct SweepCase {
    /// Position in the sweep, from 0 (the first factor of the file varies slowest).
    pub index: usize,
    /// `case-0007`: the index, zero-padded to at least four digits so ids sort as cases do.
    /// The same sweep file gives the same ids.
    pub id: String,
    /// The value of each swept key.
    pub values: Vec<toml::Value>,
}

impl SweepCase {
    /// The id of case `index` of a sweep of `count` cases.
    pub fn id_of(index: usize, count: usize) -> String {
        let width = count.saturating_sub(1).to_string().len().max(4);
        format!("case-{index:0width$}")
    }

    /// The case's overrides, `key=value` as `--set` takes them (values in TOML syntax,
    /// floats written so they read back exactly).
    pub fn assignments(&self, keys: &[String]) -> Vec<String> {
        keys.iter()
            .zip(&self.values)
            .map(|(key, value)| format!("{key}={value}"))
            .collect()
    }
}
