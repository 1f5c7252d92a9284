//! Handle to a snapshot series declared on a [`RunFile`](crate::RunFile).

/// A group of `[t, item_shape...]` f64 datasets (one per field) plus a 1-D
/// `t` dataset, e.g. `/bubbles/radius[t, N]` or `/capsule/displacement[t, n, 2]`.
/// Returned by [`RunFile::snapshots`](crate::RunFile::snapshots); cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshots {
    pub(crate) index: usize,
    pub(crate) n_fields: usize,
    pub(crate) item_len: usize,
}

impl Snapshots {
    /// Number of fields per snapshot.
    pub fn n_fields(&self) -> usize {
        self.n_fields
    }

    /// Values per field per snapshot (product of the item shape).
    pub fn item_len(&self) -> usize {
        self.item_len
    }
}
