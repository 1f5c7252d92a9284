//! What a [`RunFile`](crate::RunFile) knows about each declared group.

/// The two kinds of streamed group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeriesKind {
    /// 1-D columns sharing a row index.
    TimeSeries,
    /// `t` plus `[t, item_shape...]` fields.
    Snapshots,
}

impl SeriesKind {
    /// The value of the group's `kind` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TimeSeries => "time_series",
            Self::Snapshots => "snapshots",
        }
    }

    /// Parse the `kind` attribute.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "time_series" => Some(Self::TimeSeries),
            "snapshots" => Some(Self::Snapshots),
            _ => None,
        }
    }
}

/// One declared group and the streamed datasets that make it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SeriesDecl {
    /// Group path, e.g. `joint` or `bubbles`.
    pub group: String,
    pub kind: SeriesKind,
    /// Column or field names (for snapshots, without `t`).
    pub names: Vec<String>,
    /// Item shape of every field (empty for time series).
    pub item_shape: Vec<usize>,
    /// Indices into the run file's stream list: the columns, or `t` then the fields.
    pub streams: Vec<usize>,
}

/// `[3, 2]` as `"3,2"` (empty shape as `""`), the encoding of shapes in
/// attributes and in the checkpoint.
pub(crate) fn shape_to_string(shape: &[usize]) -> String {
    shape
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Inverse of [`shape_to_string`].
pub(crate) fn shape_from_string(s: &str) -> Option<Vec<usize>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split(',').map(|d| d.trim().parse().ok()).collect()
}
