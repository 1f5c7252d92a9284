//! The GPU backend of the bubble field: near-field, step and reduction kernels recorded into
//! one submission per interval; only the per-group sums come back.

use super::bubble_step::{bubble_step_kernel, bubble_step_workgroups};
use super::context::{GpuContext, GpuError};
use super::field_buffers::{FieldBuffers, GpuGroup, StepParams};
use super::group_totals::{decode_totals, group_totals_kernel, record_group_totals};
use super::near_field::{near_field_kernel, near_field_workgroups};
use super::pipeline::ComputeKernel;
use super::shader_layout::TOTALS_PER_GROUP;
use crate::bubbles::backend::{
    BackendDescription, BackendError, BubbleBackend, GroupTotals, IntervalRequest,
};
use crate::bubbles::field::BubbleField;
use crate::bubbles::model::Tolerances;

impl From<GpuError> for BackendError {
    fn from(e: GpuError) -> Self {
        BackendError::Gpu(e.to_string())
    }
}

#[derive(Debug)]
struct Loaded {
    buffers: FieldBuffers,
    step: ComputeKernel,
    near_field: ComputeKernel,
    totals: ComputeKernel,
    staging: wgpu::Buffer,
    coefficients: Vec<crate::bubbles::coefficients::GroupCoefficients<f64>>,
}

/// Runs the bubble field on a GPU adapter in f32.
#[derive(Debug)]
pub struct GpuBubbleBackend {
    ctx: GpuContext,
    tolerances: Tolerances,
    loaded: Option<Loaded>,
}

impl GpuBubbleBackend {
    /// A backend on `ctx` with the given step control.
    pub fn new(ctx: GpuContext, tolerances: &Tolerances) -> Self {
        Self {
            ctx,
            tolerances: tolerances.clone(),
            loaded: None,
        }
    }
}

impl GpuBubbleBackend {
    /// Runs only the near-field kernel on the loaded state and returns every bubble's pair
    /// pressure (dimensionless), for checking the kernel against its CPU reference.
    pub fn compute_near_field_pressures(&mut self) -> Result<Vec<f64>, BackendError> {
        let loaded = self
            .loaded
            .as_ref()
            .ok_or_else(|| BackendError::Gpu("no field loaded".into()))?;
        let n = loaded.buffers.bubble_count;
        let mut encoder = self
            .ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        loaded
            .near_field
            .record(&self.ctx, &mut encoder, near_field_workgroups(n));
        self.ctx.queue.submit([encoder.finish()]);
        // Pair pressure is field 2 of the aux buffer.
        let bytes = self
            .ctx
            .read_back(&loaded.buffers.aux, (2 * n * 4) as u64, (n * 4) as u64)?;
        let raw: Vec<f32> = bytemuck::pod_collect_to_vec(&bytes);
        Ok(raw.into_iter().map(f64::from).collect())
    }

    /// Runs only the reduction kernel on the loaded state.
    pub fn compute_group_totals(&mut self) -> Result<Vec<GroupTotals>, BackendError> {
        let loaded = self
            .loaded
            .as_ref()
            .ok_or_else(|| BackendError::Gpu("no field loaded".into()))?;
        let mut encoder = self
            .ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        record_group_totals(
            &loaded.totals,
            &self.ctx,
            &mut encoder,
            &loaded.buffers,
            &loaded.staging,
        );
        self.ctx.queue.submit([encoder.finish()]);
        let raw: Vec<f32> = bytemuck::pod_collect_to_vec(&self.ctx.map_and_copy(&loaded.staging)?);
        Ok(decode_totals(&raw, loaded.buffers.group_count))
    }
}

impl BubbleBackend for GpuBubbleBackend {
    fn describe(&self) -> BackendDescription {
        BackendDescription {
            kind: "gpu".into(),
            adapter: self.ctx.adapter_label(),
            precision: "f32".into(),
        }
    }

    fn load(&mut self, field: &BubbleField) -> Result<(), BackendError> {
        let buffers = FieldBuffers::upload(&self.ctx, field)?;
        let step = bubble_step_kernel(&self.ctx, &buffers);
        let near_field = near_field_kernel(&self.ctx, &buffers);
        let totals = group_totals_kernel(&self.ctx, &buffers);
        let staging = self.ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("totals staging"),
            size: (field.groups.len().max(1) * TOTALS_PER_GROUP * 4) as u64,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let params = StepParams {
            bubble_count: buffers.bubble_count as u32,
            group_count: buffers.group_count as u32,
            ..bytemuck::Zeroable::zeroed()
        };
        self.ctx
            .queue
            .write_buffer(&buffers.params, 0, bytemuck::bytes_of(&params));
        self.ctx.take_error()?;
        let coefficients = field.groups.iter().map(|g| g.coefficients).collect();
        self.loaded = Some(Loaded {
            buffers,
            step,
            near_field,
            totals,
            staging,
            coefficients,
        });
        Ok(())
    }

    fn advance(
        &mut self,
        request: &IntervalRequest,
        near_field: bool,
    ) -> Result<Vec<GroupTotals>, BackendError> {
        let tolerances = self.tolerances.clone();
        let loaded = self
            .loaded
            .as_ref()
            .ok_or_else(|| BackendError::Gpu("no field loaded".into()))?;
        let ctx = &self.ctx;
        let b = &loaded.buffers;
        let params = StepParams {
            bubble_count: b.bubble_count as u32,
            group_count: b.group_count as u32,
            max_steps: tolerances.max_steps_per_interval,
            pad0: 0,
            interval: request.interval as f32,
            t_start: request.t_start as f32,
            rtol: tolerances.relative as f32,
            atol: tolerances.absolute as f32,
        };
        let groups: Vec<GpuGroup> = loaded
            .coefficients
            .iter()
            .zip(&request.forcing)
            .map(|(c, f)| GpuGroup::new(c, f))
            .collect();
        ctx.queue
            .write_buffer(&b.params, 0, bytemuck::bytes_of(&params));
        ctx.queue
            .write_buffer(&b.groups, 0, bytemuck::cast_slice(&groups));
        let mut encoder = ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("interval"),
            });
        if b.bubble_count > 0 {
            if near_field {
                loaded
                    .near_field
                    .record(ctx, &mut encoder, near_field_workgroups(b.bubble_count));
            }
            loaded
                .step
                .record(ctx, &mut encoder, bubble_step_workgroups(b.bubble_count));
        }
        record_group_totals(&loaded.totals, ctx, &mut encoder, b, &loaded.staging);
        ctx.queue.submit([encoder.finish()]);
        let bytes = ctx.map_and_copy(&loaded.staging)?;
        let raw: Vec<f32> = bytemuck::pod_collect_to_vec(&bytes);
        Ok(decode_totals(&raw, b.group_count))
    }

    fn radii(&mut self, indices: &[usize]) -> Result<Vec<f64>, BackendError> {
        let loaded = self
            .loaded
            .as_ref()
            .ok_or_else(|| BackendError::Gpu("no field loaded".into()))?;
        if indices.is_empty() {
            return Ok(Vec::new());
        }
        let staging = self.ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("radii staging"),
            size: (indices.len() * 4) as u64,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = self
            .ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        for (k, &i) in indices.iter().enumerate() {
            // Radius is field 0 of the state buffer.
            encoder.copy_buffer_to_buffer(
                &loaded.buffers.state,
                (i * 4) as u64,
                &staging,
                (k * 4) as u64,
                4,
            );
        }
        self.ctx.queue.submit([encoder.finish()]);
        let raw: Vec<f32> = bytemuck::pod_collect_to_vec(&self.ctx.map_and_copy(&staging)?);
        Ok(raw.into_iter().map(f64::from).collect())
    }

    fn store(&mut self, field: &mut BubbleField) -> Result<(), BackendError> {
        let ctx = &self.ctx;
        let loaded = self
            .loaded
            .as_ref()
            .ok_or_else(|| BackendError::Gpu("no field loaded".into()))?;
        loaded.buffers.download(ctx, &mut field.slots)?;
        Ok(())
    }
}
