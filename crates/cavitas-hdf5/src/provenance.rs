//! Where a run file came from: written as root attributes of every run file.

use crate::sha256::Sha256;

/// Provenance of a run, stored as string attributes on `/` (see SCHEMA.md).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// cavitas version that wrote the file, e.g. `0.1.0`.
    pub cavitas_version: String,
    /// `git describe`/commit hash of the source tree, or `unknown`.
    pub git_revision: String,
    /// The fully resolved configuration (TOML text) the run used.
    pub config_text: String,
    /// Compute backend, e.g. `cpu` or `wgpu`.
    pub backend: String,
    /// Adapter name (GPU name, or the CPU model / `cpu`).
    pub adapter: String,
    /// Floating-point precision of the bubble field: `f32` or `f64`.
    pub precision: String,
    /// Wall-clock start of the run, ISO 8601 UTC (`2026-11-21T15:00:00Z`).
    pub start_time: String,
}

impl Provenance {
    /// `sha256:<hex>` of [`config_text`](Self::config_text): compare runs by config
    /// with `sha256sum` on the resolved config.
    pub fn config_hash(&self) -> String {
        format!("sha256:{}", Sha256::hex_digest(self.config_text.as_bytes()))
    }

    /// The current time as ISO 8601 UTC with whole seconds.
    pub fn utc_now_iso8601() -> String {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        iso8601_from_unix(secs)
    }
}

/// Seconds since the Unix epoch to `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian,
/// Howard Hinnant's `civil_from_days`).
pub(crate) fn iso8601_from_unix(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_known_instants() {
        assert_eq!(iso8601_from_unix(0), "1970-01-01T00:00:00Z");
        // 2000-02-29 (leap day of a century leap year), 12:34:56.
        assert_eq!(iso8601_from_unix(951_827_696), "2000-02-29T12:34:56Z");
        assert_eq!(iso8601_from_unix(1_795_273_200), "2026-11-21T15:00:00Z");
    }

    #[test]
    fn config_hash_is_sha256_of_text() {
        let p = Provenance {
            config_text: "abc".into(),
            ..Default::default()
        };
        assert_eq!(
            p.config_hash(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
