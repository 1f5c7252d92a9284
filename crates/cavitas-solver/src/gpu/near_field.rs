//! Host side of `shaders/near_field.wgsl`: pair pressures of the bubbles of each group,
//! one workgroup per 64 target bubbles, sources staged in tiles of 64.

use super::context::GpuContext;
use super::field_buffers::FieldBuffers;
use super::pipeline::ComputeKernel;
use super::shader_layout::kernel_source;

/// The kernel's own WGSL (the host prepends the shared header of [`super::shader_layout`]).
pub(crate) const KERNEL: &str = include_str!("../../shaders/near_field.wgsl");
/// `@workgroup_size` (and tile size) of the kernel.
const WORKGROUP: u32 = 64;

/// Compiles the kernel and binds the field's buffers in the shader's binding order.
pub fn near_field_kernel(ctx: &GpuContext, b: &FieldBuffers) -> ComputeKernel {
    ComputeKernel::new(
        ctx,
        "near_field",
        &kernel_source(KERNEL),
        &[
            &b.params,
            &b.groups,
            &b.state,
            &b.aux,
            &b.group_index,
            &b.positions,
            &b.group_ranges,
            &b.stats_u,
        ],
    )
}

/// Workgroups for `bubble_count` bubbles.
pub fn near_field_workgroups(bubble_count: usize) -> u32 {
    (bubble_count as u32).div_ceil(WORKGROUP)
}
