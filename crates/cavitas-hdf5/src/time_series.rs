//! Handle to a time series declared on a [`RunFile`](crate::RunFile).

/// A group of 1-D f64 columns sharing one row index (e.g. `/joint` with
/// columns `t, gap, force, ...`). Returned by
/// [`RunFile::time_series`](crate::RunFile::time_series); cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSeries {
    pub(crate) index: usize,
    pub(crate) n_columns: usize,
}

impl TimeSeries {
    /// Number of columns (values per row).
    pub fn n_columns(&self) -> usize {
        self.n_columns
    }
}
