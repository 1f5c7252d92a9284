//! Host side of `shaders/group_totals.wgsl`: per-group sums by workgroup tree reduction.

use super::context::GpuContext;
use super::dispatch_grid;
use super::field_buffers::{FieldBuffers, TOTALS_PER_GROUP};
use super::pipeline::{bind, compute_pipeline};
use crate::bubbles::backend::GroupTotals;

pub(crate) const SOURCE: &str = include_str!("../../../../shaders/group_totals.wgsl");

/// The compiled reduction pipeline and its bind group.
#[derive(Debug)]
pub struct GroupTotalsKernel {
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
}

impl GroupTotalsKernel {
    pub fn new(ctx: &GpuContext, buffers: &FieldBuffers) -> Self {
        let pipeline = compute_pipeline(ctx, "group_totals", SOURCE);
        let bind_group = bind(
            ctx,
            &pipeline,
            &[
                &buffers.params,
                &buffers.group_ranges,
                &buffers.state,
                &buffers.stats_u,
                &buffers.totals,
            ],
        );
        Self {
            pipeline,
            bind_group,
        }
    }

    /// Records the dispatch (one workgroup per group) and the copy of the sums to `staging`.
    pub fn record(
        &self,
        ctx: &GpuContext,
        encoder: &mut wgpu::CommandEncoder,
        buffers: &FieldBuffers,
        staging: &wgpu::Buffer,
    ) {
        let (x, y) = dispatch_grid(
            buffers.group_count as u32,
            ctx.limits.max_compute_workgroups_per_dimension,
        );
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("group_totals"),
                timestamp_writes: None,
            });
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &self.bind_group, &[]);
            pass.dispatch_workgroups(x, y, 1);
        }
        encoder.copy_buffer_to_buffer(
            &buffers.totals,
            0,
            staging,
            0,
            (buffers.group_count * TOTALS_PER_GROUP * 4) as u64,
        );
    }
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
                gas: [f64::from(t[3]), f64::from(t[4]), f64::from(t[5])],
                active: t[6] as u32,
                failed: t[7] as u32,
            }
        })
        .collect()
}
