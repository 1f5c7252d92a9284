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
    /// `out.h5.lock`: held by the one process writing this output.
    pub lock: PathBuf,
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
            lock: with(".lock"),
            output,
        }
    }

    /// `out.h5.ckpt.<sequence>.base`: the copy of the run file taken by
    /// checkpoint `sequence` (see SCHEMA.md, "Checkpoints").
    pub fn base(&self, sequence: u64) -> PathBuf {
        self.sibling(&format!(".ckpt.{sequence}.base"))
    }

    /// `out.h5<suffix>`.
    pub(crate) fn sibling(&self, suffix: &str) -> PathBuf {
        let mut p = self.output.clone().into_os_string();
        p.push(suffix);
        PathBuf::from(p)
    }

    /// Every file this run may leave besides the output: the partial, the
    /// sidecar, base copies and temporaries (not the lock).
    pub(crate) fn leftovers(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let Some(name) = self
            .output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
        else {
            return out;
        };
        let dir = match self.output.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().to_string();
                let Some(rest) = n.strip_prefix(&name) else {
                    continue;
                };
                let ours = rest == ".partial"
                    || rest == ".ckpt"
                    || rest.ends_with(".tmp")
                        && (rest.starts_with(".ckpt") || rest.starts_with(".partial"))
                    || rest.starts_with(".ckpt.") && rest.ends_with(".base");
                if ours {
                    out.push(e.path());
                }
            }
        }
        out.sort();
        out
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
