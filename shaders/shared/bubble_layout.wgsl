// Declarations every bubble kernel shares with the host, prepended to each kernel's source
// by its host file (WGSL has no includes): the uniform parameters, a group's coefficients,
// and where each field of bubble i lives in the structure-of-arrays buffers (field f at
// f * bubble_count + i). Mirror of crates/cavitas-solver/src/gpu/field_buffers.rs; the
// struct sizes are checked against the #[repr(C)] host structs by tests/shaders.rs.

struct StepParams {
    bubble_count: u32,
    group_count: u32,
    max_steps: u32,
    pad0: u32,
    interval: f32,
    t_start: f32,
    rtol: f32,
    atol: f32,
}

struct Group {
    inv_density: f32,
    mach: f32,
    surface_tension: f32,
    viscosity: f32,
    vapour_pressure: f32,
    polytropic_index: f32,
    pressure_start: f32,
    pressure_slope: f32,
    covolume: vec4<f32>,
    diffusivity: vec4<f32>,
    solubility: vec4<f32>,
    saturation: vec4<f32>,
}

// Fields of `state`.
const R: u32 = 0u;
const U: u32 = 1u;
const N0: u32 = 2u;
const AGE: u32 = 5u;
const STEP: u32 = 6u;
const ERR_PREV: u32 = 7u;
const ACCEL: u32 = 8u;
// Fields of `aux`.
const V_REF: u32 = 0u;
const R_VANISH: u32 = 1u;
const PAIR: u32 = 2u;
// Fields of `stats_f`.
const R_MAX: u32 = 0u;
const R_MIN: u32 = 1u;
const T_EVENT: u32 = 2u;
// Fields of `stats_u`.
const STATUS: u32 = 0u;
const ACCEPTED: u32 = 1u;
const REJECTED: u32 = 2u;
// Status codes.
const ACTIVE: u32 = 0u;
const VANISHED: u32 = 1u;
const FAILED: u32 = 2u;

const PI: f32 = 3.14159265358979;
const FOUR_PI: f32 = 12.5663706143592;
