//! Every call into the HDF5 backend goes through [`backend_call`]: backend
//! errors become [`OutputError::Backend`] naming the file and the operation, and
//! a backend panic (rust-hdf5 can panic on corrupt input) becomes
//! [`OutputError::BackendPanic`] instead of unwinding through the caller.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use crate::output_error::{OutputError, Result};

/// Run `f`, mapping its error and any panic to an [`OutputError`] about `path`.
pub(crate) fn backend_call<T>(
    path: &Path,
    op: &str,
    f: impl FnOnce() -> rust_hdf5::Result<T>,
) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(OutputError::Backend {
            path: path.to_path_buf(),
            op: op.to_string(),
            message: e.to_string(),
        }),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            Err(OutputError::BackendPanic {
                path: path.to_path_buf(),
                op: op.to_string(),
                message,
            })
        }
    }
}

/// Map an `std::io::Error` on `path`.
pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Rename `from` to `to` and make the rename durable (fsync of the directory).
pub(crate) fn rename_durably(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(io_err(to))?;
    sync_parent_dir(to)
}

/// fsync the directory holding `path`, so a rename or creation in it survives
/// a crash. A no-op where directories cannot be opened (non-Unix).
pub(crate) fn sync_parent_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(io_err(dir))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
