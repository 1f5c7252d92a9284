//! [`SweepTable`]: the `/sweep` table of a merged study, one row per case of a parameter
//! sweep. Each column is its own 1-D dataset of `/sweep` (float64, int64 or UTF-8 strings),
//! named by the column, with `units`, `description` and `sha256` like every dataset we write;
//! the group attribute `columns` lists the column names in table order, comma-separated (as
//! every table of a run file does; [`RunReader::columns`](crate::RunReader::columns) reads it).

use std::collections::BTreeSet;
use std::path::Path;

use rust_hdf5::H5File;

use crate::backend_call::backend_call;
use crate::h5_access::{ensure_group, set_dataset_attr, write_strings};
use crate::integrity::{CHECKSUM_ATTR, hash_strings};
use crate::output_error::{OutputError, Result};
use crate::sha256::Sha256;

/// The values of one column, one per row.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepColumnValues {
    /// float64 (missing values are NaN).
    Float(Vec<f64>),
    /// int64 (indices; missing values are -1).
    Int(Vec<i64>),
    /// Variable-length UTF-8 strings (missing values are empty).
    Text(Vec<String>),
}

impl SweepColumnValues {
    /// How many rows.
    pub fn len(&self) -> usize {
        match self {
            Self::Float(v) => v.len(),
            Self::Int(v) => v.len(),
            Self::Text(v) => v.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One column: its dataset name, unit, description and values.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepColumn {
    /// The dataset name under `/sweep` (a config key such as `loading.peak_force_n`, or a
    /// figure of the run summary); any text without `/`.
    pub name: String,
    /// The unit (SI; empty for dimensionless, text and index columns).
    pub units: String,
    /// What the column holds.
    pub description: String,
    pub values: SweepColumnValues,
}

/// A table of equally long columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SweepTable {
    pub columns: Vec<SweepColumn>,
}

impl SweepTable {
    /// Rows of the table (of its first column; [`SweepTable::check`] makes them agree).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// Refuses a table that cannot be written: no column, columns of different lengths, an
    /// empty, repeated or `/`-containing name.
    pub fn check(&self) -> Result<()> {
        let bad = |detail: String| Err(OutputError::Merge { detail });
        if self.columns.is_empty() || self.rows() == 0 {
            return bad("the /sweep table has no column or no row".into());
        }
        let mut seen = BTreeSet::new();
        for c in &self.columns {
            if c.name.is_empty() || c.name.contains(['/', ',']) || c.name == "." {
                return bad(format!(
                    "/sweep column `{}`: a name must be non-empty text without `/` or `,`",
                    c.name
                ));
            }
            if !seen.insert(c.name.as_str()) {
                return bad(format!("/sweep column `{}` appears twice", c.name));
            }
            if c.values.len() != self.rows() {
                return bad(format!(
                    "/sweep column `{}` has {} rows, the first column {}",
                    c.name,
                    c.values.len(),
                    self.rows()
                ));
            }
        }
        Ok(())
    }

    /// Writes the table as the group `/sweep` of `h5` (being written at `file`).
    pub(crate) fn write(
        &self,
        file: &Path,
        h5: &H5File,
        groups: &mut BTreeSet<String>,
    ) -> Result<()> {
        self.check()?;
        let group = ensure_group(file, h5, groups, "sweep")?;
        let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        backend_call(file, "writing /sweep attributes", || {
            group.set_attr_string("columns", &names.join(","))?;
            group.set_attr_string("layout", "one row per case; one dataset per column")
        })?;
        for column in &self.columns {
            let name = column.name.as_str();
            let op = format!("writing /sweep/{name}");
            let mut hash = Sha256::new();
            let ds = match &column.values {
                SweepColumnValues::Float(v) => {
                    hash.update_f64(v);
                    backend_call(file, &op, || {
                        let ds = group.new_dataset::<f64>().shape([v.len()]).create(name)?;
                        ds.write_raw(v)?;
                        Ok(ds)
                    })?
                }
                SweepColumnValues::Int(v) => {
                    hash.update_i64(v);
                    backend_call(file, &op, || {
                        let ds = group.new_dataset::<i64>().shape([v.len()]).create(name)?;
                        ds.write_raw(v)?;
                        Ok(ds)
                    })?
                }
                SweepColumnValues::Text(v) => {
                    hash_strings(&mut hash, v);
                    write_strings(file, &group, name, v)?
                }
            };
            set_dataset_attr(file, &ds, "units", &column.units)?;
            set_dataset_attr(file, &ds, "description", &column.description)?;
            set_dataset_attr(file, &ds, CHECKSUM_ATTR, &hash.hex_so_far())?;
        }
        Ok(())
    }
}
