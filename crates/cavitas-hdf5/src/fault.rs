//! A deterministic fault-injection hook for tests, available in every build.
//!
//! **Test hook, not a feature.** Set `CAVITAS_TEST_FAULT=<point>:<action>` (or
//! `<point>:<action>@<n>` to act on the `n`-th time the point is reached, 1
//! for the first) and the writer acts at that named point of checkpoint or
//! finish (the points are listed in SCHEMA.md, "Fault points"):
//!
//! - `abort`: print `CAVITAS_TEST_FAULT abort at <point>` on stderr and abort
//!   the process (no destructor runs, as after SIGKILL);
//! - `pause`: print `CAVITAS_TEST_FAULT paused at <point>` on stderr and block
//!   until a line can be read from stdin (a handshake, never a sleep), then go on;
//! - `enospc`: fail there as a full disk does (`ENOSPC`, "No space left on device").
//!
//! Several faults may be given separated by `,`. Unset (the normal case) the
//! hook costs one environment lookup per point.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Mutex;

use crate::output_error::{OutputError, Result};

/// The environment variable read by the hook.
pub const FAULT_ENV: &str = "CAVITAS_TEST_FAULT";

/// Times each point was reached in this process.
static HITS: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

/// Reach the named point: act if `CAVITAS_TEST_FAULT` asks for it here.
/// `path` is the file the writer is working on (named in an injected error).
pub(crate) fn point(name: &str, path: &Path) -> Result<()> {
    let Ok(spec) = std::env::var(FAULT_ENV) else {
        return Ok(());
    };
    let hit = {
        let mut hits = HITS.lock().unwrap_or_else(|e| e.into_inner());
        let n = hits.entry(name.to_string()).or_insert(0);
        *n += 1;
        *n
    };
    for one in spec.split(',') {
        let Some((at, action)) = one.trim().rsplit_once(':') else {
            continue;
        };
        let (action, nth) = match action.split_once('@') {
            Some((a, n)) => (a, n.parse::<u64>().unwrap_or(1)),
            None => (action, 1),
        };
        if at != name || nth != hit {
            continue;
        }
        match action {
            "abort" => {
                eprintln!("{FAULT_ENV} abort at {name}");
                let _ = std::io::stderr().flush();
                std::process::abort();
            }
            "pause" => {
                eprintln!("{FAULT_ENV} paused at {name}");
                let _ = std::io::stderr().flush();
                let mut line = String::new();
                let _ = std::io::stdin().lock().read_line(&mut line);
            }
            "enospc" => {
                return Err(OutputError::Io {
                    path: path.to_path_buf(),
                    source: std::io::Error::from_raw_os_error(28),
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// The fault points, in the order a run reaches them (documented in SCHEMA.md).
pub const FAULT_POINTS: &[&str] = &[
    "checkpoint:begin",
    "checkpoint:closed",
    "checkpoint:base-written",
    "checkpoint:sidecar-written",
    "checkpoint:committed",
    "checkpoint:cleaned",
    "checkpoint:reopened",
    "finish:begin",
    "finish:written",
    "finish:closed",
    "finish:verified",
    "finish:renamed",
    "finish:checkpoint-removed",
    "finish:done",
];
