//! A compute kernel: a WGSL module with entry point `main`, its pipeline (automatic layout)
//! and the bind group of its buffers, bound to bindings 0, 1, … of group 0 in order.

use super::context::GpuContext;
use super::dispatch_grid;

/// A compiled kernel bound to its buffers.
#[derive(Debug)]
pub struct ComputeKernel {
    label: &'static str,
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
}

impl ComputeKernel {
    /// Compiles `source` and binds `buffers`.
    pub fn new(
        ctx: &GpuContext,
        label: &'static str,
        source: &str,
        buffers: &[&wgpu::Buffer],
    ) -> Self {
        let module = ctx
            .device
            .create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(label),
                source: wgpu::ShaderSource::Wgsl(source.into()),
            });
        let pipeline = ctx
            .device
            .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(label),
                layout: None,
                module: &module,
                entry_point: Some("main"),
                compilation_options: wgpu::PipelineCompilationOptions::default(),
                cache: None,
            });
        let entries: Vec<wgpu::BindGroupEntry<'_>> = buffers
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource: b.as_entire_binding(),
            })
            .collect();
        let bind_group = ctx.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(label),
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        });
        Self {
            label,
            pipeline,
            bind_group,
        }
    }

    /// Records a dispatch of `workgroups` workgroups, split over x and y when they exceed the
    /// adapter's per-dimension limit.
    pub fn record(&self, ctx: &GpuContext, encoder: &mut wgpu::CommandEncoder, workgroups: u32) {
        let (x, y) = dispatch_grid(workgroups, ctx.limits.max_compute_workgroups_per_dimension);
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: Some(self.label),
            timestamp_writes: None,
        });
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.dispatch_workgroups(x, y, 1);
    }
}
