//! Every wgpu call of the project lives here (the wgpu API changes between releases).
//!
//! Each kernel is a pair: `shaders/<kernel>.wgsl` (in this crate) and `gpu/<kernel>.rs`,
//! with a GPU-vs-CPU parity test; [`shader_layout`] generates the declarations they share
//! with the host. All kernels are f32: WGSL f64 exists only on Vulkan and its transcendental
//! built-ins are unreliable there.

mod bubble_backend;
mod bubble_step;
mod context;
mod field_buffers;
mod group_totals;
mod near_field;
mod pipeline;
pub mod shader_layout;
mod test_adapter;

pub use bubble_backend::GpuBubbleBackend;
pub use context::{AdapterFilter, AdapterReport, GpuContext, GpuError, list_adapters};
pub use test_adapter::{REQUIRE_GPU_VAR, adapter_for_tests};

/// Bytes of the WGSL `StepParams` uniform (the `#[repr(C)]` host struct has the same size).
pub const STEP_PARAMS_BYTES: u32 = size_of::<field_buffers::StepParams>() as u32;
/// Bytes of one WGSL `Group` (coefficients and forcing of a group).
pub const GROUP_BYTES: u32 = size_of::<field_buffers::GpuGroup>() as u32;

/// Every kernel's own WGSL file, by kernel name (compile with
/// [`shader_layout::kernel_source`]).
pub const KERNELS: [(&str, &str); 3] = [
    ("bubble_step", bubble_step::KERNEL),
    ("near_field", near_field::KERNEL),
    ("group_totals", group_totals::KERNEL),
];

/// Every kernel's full WGSL source as compiled (shared header first), by kernel name.
pub fn shader_sources() -> Vec<(&'static str, String)> {
    KERNELS
        .iter()
        .map(|(name, kernel)| (*name, shader_layout::kernel_source(kernel)))
        .collect()
}

/// Splits `workgroups` over x and y so neither exceeds `max_per_dimension` (65,535 on most
/// adapters): one dispatch covers millions of bubbles.
pub(crate) fn dispatch_grid(workgroups: u32, max_per_dimension: u32) -> (u32, u32) {
    let workgroups = workgroups.max(1);
    let x = workgroups.min(max_per_dimension);
    (x, workgroups.div_ceil(x))
}

#[cfg(test)]
mod tests {
    use super::dispatch_grid;

    #[test]
    fn grid_covers_every_workgroup_within_the_per_dimension_limit() {
        for &(n, max) in &[
            (1u32, 65_535u32),
            (65_535, 65_535),
            (65_536, 65_535),
            (15_625, 65_535),
            (1_000_000, 65_535),
            (16, 4),
            (13, 4),
        ] {
            let (x, y) = dispatch_grid(n, max);
            assert!(x <= max && y <= max);
            assert!(x * y >= n && x * (y - 1) < n, "{n}: {x} x {y}");
        }
    }
}
