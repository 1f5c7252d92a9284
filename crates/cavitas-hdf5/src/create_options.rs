//! How a run file is created.

/// Options of [`RunFile::create`](crate::RunFile::create).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOptions {
    /// Overwrite an existing output (and discard an unfinished run at the same
    /// path). The existing file is replaced only when the new run finishes.
    pub force: bool,
    /// Rows per chunk of a time series (each column is its own dataset).
    /// Default 4096 rows = 32 KiB of f64 per chunk.
    pub series_chunk_rows: usize,
    /// Target bytes per chunk of a snapshot series; a chunk holds whole
    /// snapshots, at least one. Default 1 MiB.
    pub snapshot_chunk_bytes: usize,
    /// Deflate level 0–9 (with the shuffle filter); 0 disables compression.
    /// Default 1: on smooth f64 physics data it compresses as well as level 4
    /// (within 5 %) at 2–3x the speed (benches/RESULTS.md).
    pub deflate_level: u32,
}

impl Default for CreateOptions {
    fn default() -> Self {
        Self {
            force: false,
            series_chunk_rows: 4096,
            snapshot_chunk_bytes: 1 << 20,
            deflate_level: 1,
        }
    }
}

impl CreateOptions {
    /// Default options with `force` set as given.
    pub fn force(force: bool) -> Self {
        Self {
            force,
            ..Self::default()
        }
    }
}
