//! One extendable dataset written as the run goes: rows are buffered here and
//! handed to the backend only as whole chunks until the run finishes.

use std::path::Path;

use rust_hdf5::{H5Dataset, H5File};

use crate::backend_call::backend_call;
use crate::output_error::{OutputError, Result};
use crate::sha256::Sha256;

/// A chunked `[rows, item_shape...]` f64 dataset and its row buffer.
///
/// Invariant while the run is live: `rows_on_disk` is a multiple of
/// `chunk_rows`, so the backend never holds a partial chunk and never has to
/// rewrite (and relocate) one; the `pending` tail goes into the checkpoint.
pub(crate) struct StreamedDataset {
    /// Path inside the file, e.g. `joint/gap`.
    pub path: String,
    /// Shape of one row, `[]` for a time-series column.
    pub item_shape: Vec<usize>,
    /// Rows per chunk.
    pub chunk_rows: usize,
    /// Rows handed to the backend (whole chunks until `finish`). We keep this
    /// count ourselves: rust-hdf5's `shape()` does not follow `append` on a
    /// file open for writing.
    pub rows_on_disk: u64,
    /// Row-major values of the rows not yet handed to the backend.
    pub pending: Vec<f64>,
    /// Backend handle; re-fetched after every checkpoint reopen.
    pub handle: Option<H5Dataset>,
    /// Running SHA-256 of the `rows_on_disk` rows handed to the backend (their
    /// f64 little-endian bytes): the dataset's `sha256` once the run finishes,
    /// and the digest a checkpoint records for them.
    pub hasher: Sha256,
    /// For a category dataset (stored as int32): the codes allowed.
    pub codes: Option<Vec<i32>>,
}

impl StreamedDataset {
    /// Elements per row.
    pub fn item_len(&self) -> usize {
        self.item_shape.iter().product::<usize>().max(1)
    }

    /// Rows written so far, on disk or pending.
    pub fn total_rows(&self) -> u64 {
        self.rows_on_disk + (self.pending.len() / self.item_len()) as u64
    }

    /// Buffer whole rows and hand every complete chunk to the backend.
    pub fn push(&mut self, file: &Path, values: &[f64]) -> Result<()> {
        let item_len = self.item_len();
        if !values.len().is_multiple_of(item_len) {
            return Err(OutputError::Mismatch {
                object: self.path.clone(),
                detail: format!(
                    "{} values is not a whole number of rows of {item_len}",
                    values.len()
                ),
            });
        }
        self.pending.extend_from_slice(values);
        let chunk_len = self.chunk_rows * item_len;
        if self.pending.len() >= chunk_len {
            let whole = (self.pending.len() / chunk_len) * chunk_len;
            self.write(file, whole)?;
        }
        Ok(())
    }

    /// Hand everything pending to the backend, partial chunk included (only at
    /// `finish`: the backend pads and stores the partial chunk on close).
    pub fn flush_all(&mut self, file: &Path) -> Result<()> {
        let n = self.pending.len();
        if n > 0 {
            self.write(file, n)?;
        }
        Ok(())
    }

    fn write(&mut self, file: &Path, n_values: usize) -> Result<()> {
        let handle = self.handle.as_ref().ok_or_else(|| OutputError::Mismatch {
            object: self.path.clone(),
            detail: "dataset is not open for writing".into(),
        })?;
        let op = format!("appending to {}", self.path);
        if let Some(codes) = &self.codes {
            let ints = to_codes(&self.path, &self.pending[..n_values], codes)?;
            backend_call(file, &op, || handle.append(&ints))?;
            for v in &ints {
                self.hasher.update(&v.to_le_bytes());
            }
        } else {
            backend_call(file, &op, || handle.append(&self.pending[..n_values]))?;
            self.hasher.update_f64(&self.pending[..n_values]);
        }
        self.rows_on_disk += (n_values / self.item_len()) as u64;
        self.pending.drain(..n_values);
        Ok(())
    }

    /// Open the backend handle of this dataset in `h5`.
    pub fn open_handle(&mut self, file: &Path, h5: &H5File) -> Result<()> {
        let op = format!("opening {}", self.path);
        self.handle = Some(backend_call(file, &op, || h5.dataset_writer(&self.path))?);
        Ok(())
    }
}

/// Category codes handed over as f64, checked to be listed codes.
pub(crate) fn to_codes(object: &str, values: &[f64], codes: &[i32]) -> Result<Vec<i32>> {
    values
        .iter()
        .map(|&v| {
            let c = v as i32;
            if f64::from(c) == v && codes.contains(&c) {
                Ok(c)
            } else {
                Err(OutputError::Mismatch {
                    object: object.to_string(),
                    detail: format!("{v} is not one of the category codes {codes:?}"),
                })
            }
        })
        .collect()
}
