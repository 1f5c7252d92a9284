//! Where a run file came from: version, source revision, resolved config, backend, start.

use cavitas_hdf5::Provenance;
use cavitas_solver::bubbles::backend::BackendDescription;
use cavitas_solver::config::ConfigDocument;

/// Provenance of a run starting now with `doc` on `backend`.
pub fn provenance(doc: &ConfigDocument, backend: Option<&BackendDescription>) -> Provenance {
    let (kind, adapter, precision) = match backend {
        Some(b) => (b.kind.clone(), b.adapter.clone(), b.precision.clone()),
        None => ("none".into(), "none".into(), "f64".into()),
    };
    Provenance {
        cavitas_version: env!("CARGO_PKG_VERSION").to_string(),
        git_revision: git_revision(),
        config_text: doc.resolved_text(),
        backend: kind,
        adapter,
        precision,
        start_time: Provenance::utc_now_iso8601(),
    }
}

/// `git describe --always --dirty` of the working directory, or `unknown` when there is no
/// git or no repository.
fn git_revision() -> String {
    std::process::Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}
