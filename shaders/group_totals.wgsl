// Per-group sums over the active bubbles: gas volume and its first two time derivatives,
// gas content per species, and counts of active and failed bubbles. One workgroup per group,
// a strided loop over the group's bubbles, then a tree reduction in workgroup memory (no
// float atomics). f32 mirror of `compute_group_totals` in
// crates/cavitas-solver/src/bubbles/cpu.rs; host code in
// crates/cavitas-solver/src/gpu/group_totals.rs.
//
// Output per group (8 floats): volume, volume_rate, volume_acceleration, gas co2, n2, o2,
// active count, failed count.
// The declarations shared with the other kernels (StepParams, Group, field indices, status
// codes) are in shaders/shared/bubble_layout.wgsl, which the host prepends.

const WG: u32 = 256u;

@group(0) @binding(0) var<uniform> params: StepParams;
@group(0) @binding(1) var<storage, read> group_ranges: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read> state: array<f32>;
@group(0) @binding(3) var<storage, read> status: array<u32>;
@group(0) @binding(4) var<storage, read_write> totals: array<f32>;

var<workgroup> kinematics: array<vec4<f32>, 256>;
var<workgroup> gas: array<vec4<f32>, 256>;
var<workgroup> counts: array<vec2<u32>, 256>;

@compute @workgroup_size(256)
fn main(
    @builtin(local_invocation_index) lid: u32,
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
) {
    let n = params.bubble_count;
    let group = wid.x + wid.y * nwg.x;
    let in_range = group < params.group_count;
    var range = vec2<u32>(0u, 0u);
    if (in_range) {
        range = group_ranges[group];
    }
    var k = vec4<f32>(0.0);
    var g = vec4<f32>(0.0);
    var c = vec2<u32>(0u, 0u);
    for (var i = range.x + lid; i < range.y; i += WG) {
        let s = status[i];
        if (s == ACTIVE) {
            let r = state[R * n + i];
            let u = state[U * n + i];
            let a = state[ACCEL * n + i];
            k += vec4<f32>(FOUR_PI / 3.0 * r * r * r, FOUR_PI * r * r * u, FOUR_PI * (2.0 * r * u * u + r * r * a), 0.0);
            g += vec4<f32>(state[N0 * n + i], state[(N0 + 1u) * n + i], state[(N0 + 2u) * n + i], 0.0);
            c.x += 1u;
        } else if (s == FAILED) {
            c.y += 1u;
        }
    }
    kinematics[lid] = k;
    gas[lid] = g;
    counts[lid] = c;
    workgroupBarrier();
    for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
        if (lid < stride) {
            kinematics[lid] += kinematics[lid + stride];
            gas[lid] += gas[lid + stride];
            counts[lid] += counts[lid + stride];
        }
        workgroupBarrier();
    }
    if (lid == 0u && in_range) {
        let o = group * 8u;
        totals[o] = kinematics[0].x;
        totals[o + 1u] = kinematics[0].y;
        totals[o + 2u] = kinematics[0].z;
        totals[o + 3u] = gas[0].x;
        totals[o + 4u] = gas[0].y;
        totals[o + 5u] = gas[0].z;
        totals[o + 6u] = f32(counts[0].x);
        totals[o + 7u] = f32(counts[0].y);
    }
}
