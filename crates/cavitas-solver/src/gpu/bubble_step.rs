//! Host side of `shaders/bubble_step.wgsl`: advances every active bubble over an interval.

use super::context::GpuContext;
use super::dispatch_grid;
use super::field_buffers::FieldBuffers;
use super::pipeline::{bind, compute_pipeline};

pub(crate) const SOURCE: &str = include_str!("../../../../shaders/bubble_step.wgsl");
const WORKGROUP: u32 = 64;

/// The compiled bubble-step pipeline and its bind group.
#[derive(Debug)]
pub struct BubbleStepKernel {
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
}

impl BubbleStepKernel {
    pub fn new(ctx: &GpuContext, buffers: &FieldBuffers) -> Self {
        let pipeline = compute_pipeline(ctx, "bubble_step", SOURCE);
        let bind_group = bind(
            ctx,
            &pipeline,
            &[
                &buffers.params,
                &buffers.groups,
                &buffers.state,
                &buffers.aux,
                &buffers.group_index,
                &buffers.stats_f,
                &buffers.stats_u,
            ],
        );
        Self {
            pipeline,
            bind_group,
        }
    }

    /// Records the dispatch: one thread per bubble, 2-D past 65,535 workgroups.
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
            label: Some("bubble_step"),
            timestamp_writes: None,
        });
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.dispatch_workgroups(x, y, 1);
    }
}
