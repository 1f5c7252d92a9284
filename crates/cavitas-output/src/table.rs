//! Declarations of what a run file holds: every dataset once, as (name, unit, description,
//! accessor), so the header, the row, SCHEMA.md and the Python checks come from one place.

use cavitas_hdf5::Column;

/// A category code and its meaning (`0 = creep`).
pub type Category = (u8, &'static str);

/// One declared dataset: its name, unit, meaning and how to compute its value from an item
/// of type `R` (a row of a time series, a bubble, an event, a group).
pub struct Field<R: ?Sized> {
    /// Dataset name (a column of the group).
    pub name: String,
    /// Unit (SI; `1` for dimensionless numbers and codes).
    pub unit: &'static str,
    /// What it means.
    pub description: String,
    /// Category codes, for a code column (`phase`, `regime`, …).
    pub categories: Option<&'static [Category]>,
    value: Box<dyn Fn(&R) -> f64 + Send + Sync>,
}

impl<R: ?Sized> std::fmt::Debug for Field<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field")
            .field("name", &self.name)
            .field("unit", &self.unit)
            .finish()
    }
}

impl<R: ?Sized> Field<R> {
    /// A field computed by `value`.
    pub fn new(
        name: impl Into<String>,
        unit: &'static str,
        description: impl Into<String>,
        value: impl Fn(&R) -> f64 + Send + Sync + 'static,
    ) -> Self {
        Self {
            name: name.into(),
            unit,
            description: description.into(),
            categories: None,
            value: Box::new(value),
        }
    }

    /// A code field: dimensionless, with the meaning of each code in its description.
    pub fn category(
        name: impl Into<String>,
        what: &str,
        categories: &'static [Category],
        value: impl Fn(&R) -> f64 + Send + Sync + 'static,
    ) -> Self {
        let listed: Vec<String> = categories
            .iter()
            .map(|(code, label)| format!("{code} {label}"))
            .collect();
        Self {
            categories: Some(categories),
            ..Self::new(name, "1", format!("{what}: {}", listed.join(", ")), value)
        }
    }

    /// The value of `item`.
    pub fn value(&self, item: &R) -> f64 {
        (self.value)(item)
    }

    /// The writer's column declaration.
    pub fn column(&self) -> Column {
        Column::new(&self.name, self.unit, &self.description)
    }
}

/// The fields of one group, in order.
pub struct Table<R: ?Sized> {
    /// The HDF5 group (`joint`, `bubbles/final`, …).
    pub group: &'static str,
    /// Its fields, in column order.
    pub fields: Vec<Field<R>>,
}

impl<R: ?Sized> std::fmt::Debug for Table<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("group", &self.group)
            .field("fields", &self.fields)
            .finish()
    }
}

impl<R: ?Sized> Table<R> {
    /// The writer's column declarations, in order.
    pub fn columns(&self) -> Vec<Column> {
        self.fields.iter().map(Field::column).collect()
    }

    /// The row of `item`, in column order.
    pub fn row<'a>(&'a self, item: &'a R) -> impl Iterator<Item = f64> + 'a {
        self.fields.iter().map(move |f| f.value(item))
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field<R>> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The values of every field over `items`, one vector per field.
    pub fn columns_of<'a>(&self, items: impl Iterator<Item = &'a R> + Clone) -> Vec<Vec<f64>>
    where
        R: 'a,
    {
        self.fields
            .iter()
            .map(|f| items.clone().map(|item| f.value(item)).collect())
            .collect()
    }
}

/// A table's rows for SCHEMA.md: `| name | shape | float64 | unit | description |`.
pub fn markdown_rows<R: ?Sized>(table: &Table<R>, shape: &str) -> Vec<String> {
    table
        .fields
        .iter()
        .map(|f| {
            format!(
                "| `{}` | `{shape}` | float64 | {} | {} |",
                f.name, f.unit, f.description
            )
        })
        .collect()
}
