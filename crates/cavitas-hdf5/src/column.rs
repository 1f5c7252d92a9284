//! A named, unit-carrying field of a time series or snapshot series.

/// One dataset of a group: its name (the HDF5 link name), SI unit and a one-line
/// description, written as the `units` and `description` attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Dataset name inside the group, e.g. `gap`.
    pub name: String,
    /// SI unit, e.g. `m`, `Pa`, `m^3`, `N`, `s`, `1` for dimensionless.
    pub unit: String,
    /// What the values are.
    pub description: String,
}

impl Column {
    /// A column from its name, unit and description.
    pub fn new(name: &str, unit: &str, description: &str) -> Self {
        Self {
            name: name.to_string(),
            unit: unit.to_string(),
            description: description.to_string(),
        }
    }
}
