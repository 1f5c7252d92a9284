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

/// The source revision this build was made from (`git rev-parse HEAD` at build time, with
/// `-dirty` when the working tree had changes), or `unknown` when it was built outside a
/// git checkout. Embedded by `build.rs`, so it does not depend on where the program runs.
pub fn git_revision() -> String {
    let sha = option_env!("VERGEN_GIT_SHA").unwrap_or("");
    if sha.is_empty() || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return "unknown".to_string();
    }
    match option_env!("VERGEN_GIT_DIRTY") {
        Some("true") => format!("{sha}-dirty"),
        _ => sha.to_string(),
    }
}
