//! The three paths of a run: the final output, the file being written, and
//! the checkpoint sidecar.

use std::path::{Path, PathBuf};

/// Paths derived from the output path `out.h5`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPaths {
    /// `out.h5`: exists only once the run has finished.
    pub output: PathBuf,
    /// `out.h5.partial`: the file streamed during the run, renamed to
    /// `output` by `finish`.
    pub partial: PathBuf,
    /// `out.h5.ckpt`: the last complete checkpoint, replaced atomically.
    pub checkpoint: PathBuf,
}

impl RunPaths {
    /// Paths for an output path; also accepts the `.partial` or `.ckpt` path of
    /// an unfinished run (what a user may pass to `--resume`).
    pub fn new(path: &Path) -> Self {
        let s = path.as_os_str().to_string_lossy();
        let output = if let Some(base) = s.strip_suffix(".partial") {
            PathBuf::from(base)
        } else if let Some(base) = s.strip_suffix(".ckpt") {
            PathBuf::from(base)
        } else {
            path.to_path_buf()
        };
        let with = |suffix: &str| {
            let mut p = output.clone().into_os_string();
            p.push(suffix);
            PathBuf::from(p)
        };
        Self {
            partial: with(".partial"),
            checkpoint: with(".ckpt"),
            output,
        }
    }

    /// `<path>.tmp`, where a file is written before being renamed into place.
    pub(crate) fn temporary(path: &Path) -> PathBuf {
        let mut p = path.as_os_str().to_os_string();
        p.push(".tmp");
        PathBuf::from(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_paths() {
        let p = RunPaths::new(Path::new("/x/out.h5"));
        assert_eq!(p.partial, PathBuf::from("/x/out.h5.partial"));
        assert_eq!(p.checkpoint, PathBuf::from("/x/out.h5.ckpt"));
        assert_eq!(RunPaths::new(Path::new("/x/out.h5.partial")), p);
        assert_eq!(RunPaths::new(Path::new("/x/out.h5.ckpt")), p);
    }
}
