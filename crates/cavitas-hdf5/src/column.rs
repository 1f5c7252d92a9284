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
    /// For a category column ([`Column::category`]): each code and its name.
    /// Empty for an ordinary float64 column.
    pub categories: Vec<(i32, String)>,
}

impl Column {
    /// A column from its name, unit and description.
    pub fn new(name: &str, unit: &str, description: &str) -> Self {
        Self {
            name: name.to_string(),
            unit: unit.to_string(),
            description: description.to_string(),
            categories: Vec::new(),
        }
    }

    /// A category column: integer codes, each with a name, e.g.
    /// `Column::category("phase", "phase of the joint", &[(0, "creep"), (1, "crack"), (2, "cavity")])`.
    ///
    /// Written as an `int32` dataset (unit `1`) with the CF attributes
    /// `flag_values` (the codes, int32) and `flag_meanings` (the names,
    /// space-separated, so a name may not contain a space), which xarray keeps
    /// and pandas maps in one line (SCHEMA.md, "Category datasets"). Values
    /// are still handed to the writer as f64 (the codes, exactly); one that is
    /// not a listed code is refused.
    pub fn category(name: &str, description: &str, categories: &[(i32, &str)]) -> Self {
        Self {
            name: name.to_string(),
            unit: "1".to_string(),
            description: description.to_string(),
            categories: categories
                .iter()
                .map(|(c, n)| (*c, n.to_string()))
                .collect(),
        }
    }

    /// Whether this is a category column.
    pub fn is_category(&self) -> bool {
        !self.categories.is_empty()
    }

    /// The `flag_meanings` attribute: the names in code order, space-separated.
    pub(crate) fn flag_meanings(&self) -> String {
        self.categories
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}
