//! Host side of `shaders/near_field.wgsl`: pair pressures of the bubbles of each group.

use super::context::GpuContext;
use super::dispatch_grid;
use super::field_buffers::FieldBuffers;
use super::pipeline::{bind, compute_pipeline};

pub(crate) const SOURCE: &str = include_str!("../../../../shaders/near_field.wgsl");
const WORKGROUP: u32 = 64;

/// The compiled near-field pipeline and its bind group.
#[derive(Debug)]
pub struct NearFieldKernel {
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
}

impl NearFieldKernel {
    pub fn new(ctx: &GpuContext, buffers: &FieldBuffers) -> Self {
        let pipeline = compute_pipeline(ctx, "near_field", SOURCE);
        let bind_group = bind(
            ctx,
            &pipeline,
            &[
                &buffers.params,
                &buffers.groups,
                &buffers.state,
                &buffers.aux,
                &buffers.group_index,
                &buffers.positions,
                &buffers.group_ranges,
                &buffers.stats_u,
            ],
        );
        Self {
            pipeline,
            bind_group,
        }
    }

    /// Records the dispatch: one workgroup per 64 target bubbles.
    pub fn record(
        &self,
        ctx: &GpuContext,
        encoder: &mut wgpu::CommandEncoder,
        bubble_count: usize,
    ) {
        let (x, y) = dispatch_grid(
            (bubble_count as u32).div_ceil(WORKGROUP),
            ctx.limits.max_compute_workgroups_per_dimension,
        );
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: Some("near_field"),
            timestamp_writes: None,
        });
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.dispatch_workgroups(x, y, 1);
    }
}
