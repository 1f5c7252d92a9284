//! Host side of `shaders/group_totals.wgsl`: per-group sums by workgroup tree reduction, one
//! workgroup per group.

use super::context::GpuContext;
use super::field_buffers::FieldBuffers;
use super::pipeline::ComputeKernel;
use super::shader_layout::{TOTALS_GAS, TOTALS_PER_GROUP, kernel_source};
use crate::bubbles::backend::GroupTotals;
use crate::bubbles::species::SPECIES_COUNT;

/// The kernel's own WGSL (the host prepends the shared header of [`super::shader_layout`]).
pub(crate) const KERNEL: &str = include_str!("../../shaders/group_totals.wgsl");

/// Compiles the kernel and binds the field's buffers in the shader's binding order.
pub fn group_totals_kernel(ctx: &GpuContext, b: &FieldBuffers) -> ComputeKernel {
    ComputeKernel::new(
        ctx,
        "group_totals",
        &kernel_source(KERNEL),
        &[&b.params, &b.group_ranges, &b.state, &b.stats_u, &b.totals],
    )
}

/// Records the reduction and the copy of the sums into `staging`.
pub fn record_group_totals(
    kernel: &ComputeKernel,
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    buffers: &FieldBuffers,
    staging: &wgpu::Buffer,
) {
    kernel.record(ctx, encoder, buffers.group_count as u32);
    encoder.copy_buffer_to_buffer(
        &buffers.totals,
        0,
        staging,
        0,
        (buffers.group_count * TOTALS_PER_GROUP * 4) as u64,
    );
}

/// Decodes the totals buffer.
pub fn decode_totals(raw: &[f32], group_count: usize) -> Vec<GroupTotals> {
    (0..group_count)
        .map(|g| {
            let t = &raw[g * TOTALS_PER_GROUP..(g + 1) * TOTALS_PER_GROUP];
            GroupTotals {
                volume: f64::from(t[0]),
                volume_rate: f64::from(t[1]),
                volume_acceleration: f64::from(t[2]),
                gas: std::array::from_fn(|k| f64::from(t[TOTALS_GAS + k])),
                active: t[TOTALS_GAS + SPECIES_COUNT] as u32,
                failed: t[TOTALS_GAS + SPECIES_COUNT + 1] as u32,
            }
        })
        .collect()
}
