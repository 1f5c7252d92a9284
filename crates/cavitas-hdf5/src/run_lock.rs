//! `out.h5.lock`: one writer per output path.
//!
//! The lock is an exclusive advisory lock (`flock`, through `std::fs::File::try_lock`)
//! on the file `out.h5.lock`, which holds `pid host` of its holder for the
//! message a second writer gets. The kernel releases the lock when the holder
//! exits or is killed, so a lock file left by a killed run is stale by
//! construction and the next writer simply takes it; no pid guessing is needed
//! on one host. Where the file system does not support locks
//! (`ErrorKind::Unsupported`), the fallback is the pid recorded in the file:
//! a lock whose pid is alive on this host (`/proc/<pid>` exists) is respected.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::backend_call::io_err;
use crate::output_error::{OutputError, Result};

/// A held lock on an output path; released (and its file removed) on drop.
#[derive(Debug)]
pub(crate) struct RunLock {
    path: PathBuf,
    file: Option<File>,
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    Path::new("/proc").exists() && Path::new(&format!("/proc/{pid}")).exists()
}

impl RunLock {
    /// Take the lock at `path`, or fail with [`OutputError::Locked`] naming
    /// the holder. Touches nothing else.
    pub fn acquire(path: &Path) -> Result<Self> {
        for _ in 0..8 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(io_err(path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(Self::locked(path, &mut file));
                }
                Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                    // No advisory locks here: trust a live pid on this host.
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    let mut parts = text.split_whitespace();
                    let pid = parts.next().and_then(|p| p.parse::<u32>().ok());
                    let host = parts.next().unwrap_or("");
                    if let Some(pid) = pid
                        && host == host_name()
                        && pid_alive(pid)
                        && pid != std::process::id()
                    {
                        return Err(Self::locked(path, &mut file));
                    }
                }
                Err(TryLockError::Error(e)) => return Err(io_err(path)(e)),
            }
            // The holder before us may have removed the file after we opened it:
            // then our lock is on a file nobody else sees; take the new one.
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let ours = file.metadata().map_err(io_err(path))?;
                match std::fs::metadata(path) {
                    Ok(now) if now.ino() == ours.ino() && now.dev() == ours.dev() => {}
                    _ => continue,
                }
            }
            file.set_len(0).map_err(io_err(path))?;
            file.rewind().map_err(io_err(path))?;
            writeln!(file, "{} {}", std::process::id(), host_name()).map_err(io_err(path))?;
            file.sync_all().map_err(io_err(path))?;
            return Ok(Self {
                path: path.to_path_buf(),
                file: Some(file),
            });
        }
        Err(OutputError::Locked {
            path: path.to_path_buf(),
            holder: "another writer (the lock file keeps changing)".into(),
        })
    }

    fn locked(path: &Path, file: &mut File) -> OutputError {
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        let mut parts = text.split_whitespace();
        let holder = match (parts.next(), parts.next()) {
            (Some(pid), Some(host)) => format!("process {pid} on {host}"),
            _ => "another process".to_string(),
        };
        OutputError::Locked {
            path: path.to_path_buf(),
            holder,
        }
    }

    /// Remove the lock file and release the lock.
    pub fn release(mut self) {
        self.release_now();
    }

    fn release_now(&mut self) {
        if let Some(file) = self.file.take() {
            // Remove while still holding it, so nobody takes a file about to vanish.
            let _ = std::fs::remove_file(&self.path);
            drop(file);
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        self.release_now();
    }
}
