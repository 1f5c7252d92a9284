//! The adapter GPU tests run on: whatever wgpu finds (llvmpipe through GL works with no
//! installation). Without one a test skips loudly; with `CAVITAS_REQUIRE_GPU=1` it fails.

use super::context::{AdapterFilter, GpuContext};

/// Environment variable that turns a missing adapter into a test failure.
pub const REQUIRE_GPU_VAR: &str = "CAVITAS_REQUIRE_GPU";

/// Opens any adapter for the test `test`, or explains on stderr why the test skips.
///
/// # Panics
/// When no adapter opens and `CAVITAS_REQUIRE_GPU=1`.
pub fn adapter_for_tests(test: &str) -> Option<GpuContext> {
    match GpuContext::open(&AdapterFilter::Any { name: None }) {
        Ok(ctx) => {
            eprintln!("{test}: running on {}", ctx.adapter_label());
            Some(ctx)
        }
        Err(e) => {
            let required = std::env::var(REQUIRE_GPU_VAR).is_ok_and(|v| v == "1");
            assert!(
                !required,
                "{test}: {REQUIRE_GPU_VAR}=1 but no GPU adapter opened: {e}"
            );
            eprintln!(
                "SKIPPED {test}: no GPU adapter ({e}); set {REQUIRE_GPU_VAR}=1 to make this a failure"
            );
            None
        }
    }
}
