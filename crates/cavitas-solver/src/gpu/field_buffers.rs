//! The bubble field on the GPU: structure-of-arrays storage buffers (field `f` of bubble `i`
//! at `f * n + i`), so a warp reads each field contiguously.

use bytemuck::{Pod, Zeroable};
use wgpu::util::DeviceExt;

use super::context::{GpuContext, GpuError};
use super::shader_layout::{
    AUX_FIELDS, STATE_ACCEL, STATE_AGE, STATE_ERR_PREV, STATE_FIELDS, STATE_GAS, STATE_R,
    STATE_STEP, STATE_U, STATS_F_FIELDS, STATS_U_FIELDS, TOTALS_PER_GROUP,
};
use crate::bubbles::coefficients::{GroupCoefficients, GroupForcing};
use crate::bubbles::field::BubbleField;
use crate::bubbles::per_species::PerSpecies;
use crate::bubbles::species::SPECIES_COUNT;
use crate::bubbles::state::{BubbleSlot, BubbleStatus, BubbleVector};

/// Uniform parameters of one interval (shared by all kernels), as in the WGSL `StepParams`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct StepParams {
    pub bubble_count: u32,
    pub group_count: u32,
    pub max_steps: u32,
    pub pad0: u32,
    pub interval: f32,
    pub t_start: f32,
    pub rtol: f32,
    pub atol: f32,
}

/// One group's coefficients and forcing, as in the WGSL `Group` (all members 4-byte
/// aligned, so `#[repr(C)]` and WGSL's storage layout agree member by member).
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GpuGroup {
    pub inv_density: f32,
    pub mach: f32,
    pub surface_tension: f32,
    pub viscosity: f32,
    pub vapour_pressure: f32,
    pub polytropic_index: f32,
    pub pressure_start: f32,
    pub pressure_slope: f32,
    pub covolume: [f32; SPECIES_COUNT],
    pub diffusivity: [f32; SPECIES_COUNT],
    pub solubility: [f32; SPECIES_COUNT],
    pub saturation: [f32; SPECIES_COUNT],
    /// 1 for a species the group carries, 0 for one it leaves out (error norm weight).
    pub carried: [f32; SPECIES_COUNT],
}

const _: () = assert!(size_of::<StepParams>() == 32);

impl GpuGroup {
    pub fn new(c: &GroupCoefficients<f64>, f: &GroupForcing<f64>) -> Self {
        let v = |a: &[f64; SPECIES_COUNT]| a.map(|x| x as f32);
        Self {
            inv_density: c.inv_density as f32,
            mach: c.mach as f32,
            surface_tension: c.surface_tension as f32,
            viscosity: c.viscosity as f32,
            vapour_pressure: c.vapour_pressure as f32,
            polytropic_index: c.polytropic_index as f32,
            pressure_start: f.pressure_start as f32,
            pressure_slope: f.pressure_slope as f32,
            covolume: v(&c.covolume),
            diffusivity: v(&c.diffusivity),
            solubility: v(&c.solubility),
            saturation: v(&f.saturation),
            carried: v(&c.carried),
        }
    }
}

/// GPU buffers of a bubble field.
#[derive(Debug)]
pub struct FieldBuffers {
    pub bubble_count: usize,
    pub group_count: usize,
    pub params: wgpu::Buffer,
    pub groups: wgpu::Buffer,
    pub state: wgpu::Buffer,
    pub aux: wgpu::Buffer,
    pub group_index: wgpu::Buffer,
    pub stats_f: wgpu::Buffer,
    pub stats_u: wgpu::Buffer,
    pub positions: wgpu::Buffer,
    pub group_ranges: wgpu::Buffer,
    pub totals: wgpu::Buffer,
}

fn soa<T: Copy + Default>(n: usize, fields: usize, get: impl Fn(usize, usize) -> T) -> Vec<T> {
    let mut out = vec![T::default(); n.max(1) * fields];
    for f in 0..fields {
        for i in 0..n {
            out[f * n + i] = get(i, f);
        }
    }
    out
}

impl FieldBuffers {
    /// Uploads `field`. Fails before allocating if a binding would exceed the adapter's limit.
    pub fn upload(ctx: &GpuContext, field: &BubbleField) -> Result<Self, GpuError> {
        let n = field.len();
        let allowed = ctx.limits.max_storage_buffer_binding_size;
        let needed = (n.max(1) * STATE_FIELDS * 4) as u64;
        if needed > allowed {
            return Err(GpuError::TooLarge {
                what: "the bubble state",
                needed,
                allowed,
            });
        }
        let slots = &field.slots;
        let state: Vec<f32> = soa(n, STATE_FIELDS, |i, f| {
            let s = &slots[i];
            (match f {
                STATE_R => s.y.r,
                STATE_U => s.y.u,
                STATE_AGE => s.age,
                STATE_STEP => s.step,
                STATE_ERR_PREV => s.err_prev,
                STATE_ACCEL => s.accel,
                gas => s.y.n[gas - STATE_GAS],
            }) as f32
        });
        let aux: Vec<f32> = soa(n, AUX_FIELDS, |i, f| {
            let s = &slots[i];
            (match f {
                0 => s.v_ref,
                1 => s.r_vanish,
                _ => s.pair_pressure,
            }) as f32
        });
        let stats_f: Vec<f32> = soa(n, STATS_F_FIELDS, |i, f| {
            let s = &slots[i];
            (match f {
                0 => s.r_max,
                1 => s.r_min,
                _ => s.t_event,
            }) as f32
        });
        let stats_u: Vec<u32> = soa(n, STATS_U_FIELDS, |i, f| {
            let s = &slots[i];
            match f {
                0 => s.status as u32,
                1 => s.accepted,
                _ => s.rejected,
            }
        });
        let group_index: Vec<u32> = soa(n, 1, |i, _| slots[i].group);
        let positions: Vec<[f32; 4]> = soa(n, 1, |i, _| {
            let p = field.positions[i];
            [p[0] as f32, p[1] as f32, p[2] as f32, 0.0]
        });
        let ranges: Vec<[u32; 2]> = field
            .groups
            .iter()
            .map(|g| [g.bubbles.start as u32, g.bubbles.end as u32])
            .collect();
        let groups: Vec<GpuGroup> = field
            .groups
            .iter()
            .map(|g| {
                GpuGroup::new(
                    &g.coefficients,
                    &GroupForcing {
                        pressure_start: 0.0,
                        pressure_slope: 0.0,
                        saturation: [0.0; SPECIES_COUNT],
                    },
                )
            })
            .collect();
        let storage = wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST;
        let init = |label: &str, bytes: &[u8], usage: wgpu::BufferUsages| {
            ctx.device
                .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some(label),
                    contents: bytes,
                    usage,
                })
        };
        let buffers = Self {
            bubble_count: n,
            group_count: field.groups.len(),
            params: init(
                "params",
                bytemuck::bytes_of(&StepParams::zeroed()),
                wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            ),
            groups: init("groups", bytemuck::cast_slice(&groups), storage),
            state: init("state", bytemuck::cast_slice(&state), storage),
            aux: init("aux", bytemuck::cast_slice(&aux), storage),
            group_index: init("group_index", bytemuck::cast_slice(&group_index), storage),
            stats_f: init("stats_f", bytemuck::cast_slice(&stats_f), storage),
            stats_u: init("stats_u", bytemuck::cast_slice(&stats_u), storage),
            positions: init("positions", bytemuck::cast_slice(&positions), storage),
            group_ranges: init("group_ranges", bytemuck::cast_slice(&ranges), storage),
            totals: init(
                "totals",
                bytemuck::cast_slice(&vec![0f32; field.groups.len().max(1) * TOTALS_PER_GROUP]),
                storage,
            ),
        };
        ctx.take_error()?;
        Ok(buffers)
    }

    /// Reads every bubble back into `slots` (positions and groups are not changed on the GPU).
    pub fn download(
        &self,
        ctx: &GpuContext,
        slots: &mut [BubbleSlot<f64>],
    ) -> Result<(), GpuError> {
        let n = self.bubble_count;
        if n == 0 {
            return Ok(());
        }
        let read_f32 = |b: &wgpu::Buffer, fields: usize| -> Result<Vec<f32>, GpuError> {
            let bytes = ctx.read_back(b, 0, (n * fields * 4) as u64)?;
            Ok(bytemuck::pod_collect_to_vec(&bytes))
        };
        let state = read_f32(&self.state, STATE_FIELDS)?;
        let aux = read_f32(&self.aux, AUX_FIELDS)?;
        let stats_f = read_f32(&self.stats_f, STATS_F_FIELDS)?;
        let stats_u: Vec<u32> = bytemuck::pod_collect_to_vec(&ctx.read_back(
            &self.stats_u,
            0,
            (n * STATS_U_FIELDS * 4) as u64,
        )?);
        for (i, s) in slots.iter_mut().enumerate() {
            let at = |v: &[f32], f: usize| f64::from(v[f * n + i]);
            s.y = BubbleVector {
                r: at(&state, STATE_R),
                u: at(&state, STATE_U),
                n: PerSpecies(std::array::from_fn(|k| at(&state, STATE_GAS + k))),
            };
            s.age = at(&state, STATE_AGE);
            s.step = at(&state, STATE_STEP);
            s.err_prev = at(&state, STATE_ERR_PREV);
            s.accel = at(&state, STATE_ACCEL);
            s.pair_pressure = at(&aux, 2);
            s.r_max = at(&stats_f, 0);
            s.r_min = at(&stats_f, 1);
            s.t_event = at(&stats_f, 2);
            s.status = BubbleStatus::from_code(stats_u[i]);
            s.accepted = stats_u[n + i];
            s.rejected = stats_u[2 * n + i];
        }
        Ok(())
    }
}
