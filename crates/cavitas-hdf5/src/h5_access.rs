//! Small typed helpers over rust-hdf5 used by the writer, the reader and the
//! checkpoint file. Every call goes through [`backend_call`].

use std::path::Path;

use rust_hdf5::{H5Dataset, H5File, H5Group, VarLenUnicode};

use crate::backend_call::backend_call;
use crate::output_error::{OutputError, Result};

/// Write a contiguous 1-D f64 dataset `name` in `group` (non-empty data).
pub(crate) fn write_f64(
    file: &Path,
    group: &H5Group,
    name: &str,
    data: &[f64],
) -> Result<H5Dataset> {
    write_shaped_f64(file, group, name, &[data.len()], data)
}

/// Write a contiguous f64 dataset of `shape`.
pub(crate) fn write_shaped_f64(
    file: &Path,
    group: &H5Group,
    name: &str,
    shape: &[usize],
    data: &[f64],
) -> Result<H5Dataset> {
    let op = format!("writing {}/{name}", group.name());
    backend_call(file, &op, || {
        let ds = group.new_dataset::<f64>().shape(shape).create(name)?;
        ds.write_raw(data)?;
        Ok(ds)
    })
}

/// Write a contiguous 1-D u64 dataset.
pub(crate) fn write_u64(
    file: &Path,
    group: &H5Group,
    name: &str,
    data: &[u64],
) -> Result<H5Dataset> {
    let op = format!("writing {}/{name}", group.name());
    backend_call(file, &op, || {
        let ds = group
            .new_dataset::<u64>()
            .shape([data.len()])
            .create(name)?;
        ds.write_raw(data)?;
        Ok(ds)
    })
}

/// Write a 1-D variable-length UTF-8 string dataset.
pub(crate) fn write_strings(
    file: &Path,
    group: &H5Group,
    name: &str,
    data: &[String],
) -> Result<H5Dataset> {
    let op = format!("writing {}/{name}", group.name());
    let refs: Vec<&str> = data.iter().map(String::as_str).collect();
    backend_call(file, &op, || group.write_vlen_strings(name, &refs))
}

/// Set a string attribute on a dataset.
pub(crate) fn set_dataset_attr(file: &Path, ds: &H5Dataset, name: &str, value: &str) -> Result<()> {
    let op = format!("writing attribute {name}");
    backend_call(file, &op, || {
        ds.new_attr::<VarLenUnicode>()
            .shape(())
            .create(name)?
            .write_string(value)
    })
}

/// Create `path` (and its parents) as groups of `h5`, returning the group.
pub(crate) fn ensure_group(
    file: &Path,
    h5: &H5File,
    known: &mut std::collections::BTreeSet<String>,
    path: &str,
) -> Result<H5Group> {
    let mut current = h5.root_group();
    let mut so_far = String::new();
    for part in path.split('/') {
        if !so_far.is_empty() {
            so_far.push('/');
        }
        so_far.push_str(part);
        let op = format!("creating group {so_far}");
        current = if known.contains(&so_far) {
            backend_call(file, &op, || current.group(part))?
        } else {
            let g = backend_call(file, &op, || current.create_group(part))?;
            known.insert(so_far.clone());
            g
        };
    }
    Ok(current)
}

/// Read-side view of one open file.
pub(crate) struct ReadAccess<'a> {
    pub file: &'a Path,
    pub h5: &'a H5File,
}

impl ReadAccess<'_> {
    /// Whether a dataset exists at `path`.
    pub fn has_dataset(&self, path: &str) -> bool {
        backend_call(self.file, "listing datasets", || {
            Ok(self.h5.dataset_names())
        })
        .map(|names| names.iter().any(|n| n.trim_start_matches('/') == path))
        .unwrap_or(false)
    }

    /// Open a dataset, with a [`OutputError::Missing`] naming it if absent.
    pub fn dataset(&self, path: &str) -> Result<H5Dataset> {
        if !self.has_dataset(path) {
            return Err(OutputError::Missing {
                path: self.file.to_path_buf(),
                object: format!("dataset /{path}"),
            });
        }
        backend_call(self.file, &format!("opening /{path}"), || {
            self.h5.dataset(path)
        })
    }

    /// Check the stored type of `ds` is a little-endian float64 (`want_float`)
    /// or uint64; rust-hdf5 would otherwise reinterpret same-width bytes.
    fn check_type(&self, path: &str, ds: &H5Dataset, want_float: bool) -> Result<()> {
        use rust_hdf5::{ByteOrder, DatatypeMessage};
        let dt = backend_call(self.file, &format!("reading the type of /{path}"), || {
            ds.datatype()
        })?;
        let ok = match dt {
            DatatypeMessage::FloatingPoint {
                size: 8,
                byte_order: ByteOrder::LittleEndian,
                ..
            } => want_float,
            DatatypeMessage::FixedPoint {
                size: 8,
                byte_order: ByteOrder::LittleEndian,
                signed: false,
                ..
            } => !want_float,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(OutputError::Mismatch {
                object: format!("{}: /{path}", self.file.display()),
                detail: format!(
                    "stored as {dt:?}, expected {}",
                    if want_float { "float64" } else { "uint64" }
                ),
            })
        }
    }

    /// Shape and f64 values of a dataset.
    pub fn f64_with_shape(&self, path: &str) -> Result<(Vec<usize>, Vec<f64>)> {
        let ds = self.dataset(path)?;
        // Category codes (int32, SCHEMA.md "Category datasets") read as f64, exactly.
        if let Ok(rust_hdf5::DatatypeMessage::FixedPoint {
            size: 4,
            signed: true,
            byte_order: rust_hdf5::ByteOrder::LittleEndian,
            ..
        }) = ds.datatype()
        {
            return backend_call(self.file, &format!("reading /{path}"), || {
                Ok((
                    ds.shape(),
                    ds.read_raw::<i32>()?.into_iter().map(f64::from).collect(),
                ))
            });
        }
        self.check_type(path, &ds, true)?;
        backend_call(self.file, &format!("reading /{path}"), || {
            Ok((ds.shape(), ds.read_raw::<f64>()?))
        })
    }

    /// f64 values of a dataset.
    pub fn f64(&self, path: &str) -> Result<Vec<f64>> {
        Ok(self.f64_with_shape(path)?.1)
    }

    /// u64 values of a dataset.
    pub fn u64(&self, path: &str) -> Result<Vec<u64>> {
        let ds = self.dataset(path)?;
        self.check_type(path, &ds, false)?;
        backend_call(self.file, &format!("reading /{path}"), || {
            ds.read_raw::<u64>()
        })
    }

    /// Strings of a vlen string dataset.
    pub fn strings(&self, path: &str) -> Result<Vec<String>> {
        let ds = self.dataset(path)?;
        backend_call(self.file, &format!("reading /{path}"), || ds.read_strings())
    }

    /// Strings of an optional vlen string dataset (absent = empty).
    pub fn strings_or_empty(&self, path: &str) -> Result<Vec<String>> {
        if self.has_dataset(path) {
            self.strings(path)
        } else {
            Ok(Vec::new())
        }
    }

    /// A string attribute of a dataset, `None` if absent.
    pub fn dataset_attr(&self, path: &str, name: &str) -> Result<Option<String>> {
        let ds = self.dataset(path)?;
        let names = backend_call(self.file, "listing attributes", || ds.attr_names())?;
        if !names.iter().any(|n| n == name) {
            return Ok(None);
        }
        let op = format!("reading attribute {name} of /{path}");
        backend_call(self.file, &op, || ds.attr(name)?.read_string()).map(Some)
    }

    /// A string attribute of `/` (group `""`) or a group, `None` if absent.
    pub fn group_attr(&self, group: &str, name: &str) -> Result<Option<String>> {
        let op = format!("reading attribute {name} of /{group}");
        if group.is_empty() {
            let names = backend_call(self.file, "listing root attributes", || {
                self.h5.attr_names()
            })?;
            if !names.iter().any(|n| n == name) {
                return Ok(None);
            }
            return backend_call(self.file, &op, || self.h5.attr_string(name)).map(Some);
        }
        let g = backend_call(self.file, &op, || self.h5.root_group().group(group))?;
        let names = backend_call(self.file, &op, || g.attr_names())?;
        if !names.iter().any(|n| n == name) {
            return Ok(None);
        }
        backend_call(self.file, &op, || g.attr_string(name)).map(Some)
    }

    /// Names of the groups directly under `/`.
    pub fn root_groups(&self) -> Result<Vec<String>> {
        backend_call(self.file, "listing groups", || {
            self.h5.root_group().group_names()
        })
    }
}

impl ReadAccess<'_> {
    /// Every dataset path of the file (no leading `/`), sorted.
    pub fn dataset_paths(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = backend_call(self.file, "listing datasets", || {
            Ok(self.h5.dataset_names())
        })?
        .into_iter()
        .map(|n| n.trim_start_matches('/').to_string())
        .collect();
        names.sort();
        Ok(names)
    }

    /// The category codes and names of a category dataset (`flag_values`,
    /// `flag_meanings`), `None` for another dataset.
    pub fn categories(&self, path: &str) -> Result<Option<Vec<(i32, String)>>> {
        let ds = self.dataset(path)?;
        let names = backend_call(self.file, "listing attributes", || ds.attr_names())?;
        if !names.iter().any(|n| n == "flag_values") {
            return Ok(None);
        }
        let codes = backend_call(self.file, "reading flag_values", || {
            ds.attr("flag_values")?.read_numeric_as::<i32>()
        })?;
        let meanings = self
            .dataset_attr(path, "flag_meanings")?
            .unwrap_or_default();
        let meanings: Vec<&str> = meanings.split(' ').collect();
        if meanings.len() != codes.len() {
            return Err(OutputError::Mismatch {
                object: format!("{}: /{path}", self.file.display()),
                detail: "flag_values and flag_meanings differ in length".into(),
            });
        }
        Ok(Some(
            codes
                .into_iter()
                .zip(meanings)
                .map(|(c, m)| (c, m.to_string()))
                .collect(),
        ))
    }

    /// Whether a dataset is stored as little-endian int32 (category codes, axis indices).
    pub fn is_int32(&self, path: &str) -> Result<bool> {
        let ds = self.dataset(path)?;
        Ok(matches!(
            ds.datatype(),
            Ok(rust_hdf5::DatatypeMessage::FixedPoint {
                size: 4,
                signed: true,
                byte_order: rust_hdf5::ByteOrder::LittleEndian,
                ..
            })
        ))
    }

    /// Shape of a dataset without reading it.
    pub fn shape(&self, path: &str) -> Result<Vec<usize>> {
        Ok(self.dataset(path)?.shape())
    }
}
