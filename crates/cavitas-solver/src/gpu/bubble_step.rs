//! Host side of `shaders/bubble_step.wgsl`: advances every active bubble over an interval,
//! one thread per bubble.

use super::context::GpuContext;
use super::field_buffers::FieldBuffers;
use super::pipeline::ComputeKernel;
use super::shader_layout::kernel_source;

/// The kernel's own WGSL (the host prepends the shared header of [`super::shader_layout`]).
pub(crate) const KERNEL: &str = include_str!("../../shaders/bubble_step.wgsl");
/// `@workgroup_size` of the kernel.
const WORKGROUP: u32 = 64;

/// Compiles the kernel and binds the field's buffers in the shader's binding order.
pub fn bubble_step_kernel(ctx: &GpuContext, b: &FieldBuffers) -> ComputeKernel {
    ComputeKernel::new(
        ctx,
        "bubble_step",
        &kernel_source(KERNEL),
        &[
            &b.params,
            &b.groups,
            &b.state,
            &b.aux,
            &b.group_index,
            &b.stats_f,
            &b.stats_u,
        ],
    )
}

/// Workgroups for `bubble_count` bubbles.
pub fn bubble_step_workgroups(bubble_count: usize) -> u32 {
    (bubble_count as u32).div_ceil(WORKGROUP)
}
