// Incompressible near-field pressure of the other bubbles of the same group, tiled O(N^2):
//   p_i = (rho / rho_s) sum_{j != i} (r_j^2 u'_j + 2 r_j u_j^2) / max(d_ij, r_i + r_j)
// f32 mirror of crates/cavitas-solver/src/bubbles/near_field.rs; host code in
// crates/cavitas-solver/src/gpu/near_field.rs. Each workgroup stages tiles of 64 source
// bubbles in workgroup memory; every thread keeps only the sources of its own group.
// The declarations shared with the other kernels (StepParams, Group, field indices, status
// codes) are in shaders/shared/bubble_layout.wgsl, which the host prepends.

const TILE: u32 = 64u;

@group(0) @binding(0) var<uniform> params: StepParams;
@group(0) @binding(1) var<storage, read> groups: array<Group>;
@group(0) @binding(2) var<storage, read> state: array<f32>;
@group(0) @binding(3) var<storage, read_write> aux: array<f32>;
@group(0) @binding(4) var<storage, read> group_index: array<u32>;
@group(0) @binding(5) var<storage, read> positions: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> group_ranges: array<vec2<u32>>;
@group(0) @binding(7) var<storage, read> status: array<u32>;

// Source tile: centre (xyz) and radius (w), and strength r^2 u' + 2 r u^2.
var<workgroup> tile_source: array<vec4<f32>, 64>;
var<workgroup> tile_strength: array<f32, 64>;
var<workgroup> span_begin: u32;
var<workgroup> span_end: u32;

@compute @workgroup_size(64)
fn main(
    @builtin(local_invocation_index) lid: u32,
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
) {
    let n = params.bubble_count;
    let first = (wid.x + wid.y * nwg.x) * TILE;
    let i = first + lid;
    let valid = i < n;
    if (lid == 0u) {
        // The sources this workgroup needs: from the group of its first bubble to the end of
        // the group of its last one (groups are contiguous).
        let last = min(first + TILE - 1u, n - 1u);
        span_begin = group_ranges[group_index[min(first, n - 1u)]].x;
        span_end = group_ranges[group_index[last]].y;
    }
    let begin = workgroupUniformLoad(&span_begin);
    let end = workgroupUniformLoad(&span_end);

    var own = vec2<u32>(0u, 0u);
    var centre = vec4<f32>(0.0);
    if (valid) {
        own = group_ranges[group_index[i]];
        centre = vec4<f32>(positions[i].xyz, state[R * n + i]);
    }
    var sum = 0.0;
    for (var base = begin; base < end; base += TILE) {
        let j = base + lid;
        if (j < end) {
            let r = state[R * n + j];
            let u = state[U * n + j];
            var strength = 0.0;
            if (status[j] == ACTIVE) {
                strength = r * r * state[ACCEL * n + j] + 2.0 * r * u * u;
            }
            tile_source[lid] = vec4<f32>(positions[j].xyz, r);
            tile_strength[lid] = strength;
        }
        workgroupBarrier();
        let count = min(TILE, end - base);
        for (var k = 0u; k < count; k++) {
            let jj = base + k;
            if (valid && jj != i && jj >= own.x && jj < own.y) {
                let s = tile_source[k];
                let d = max(distance(s.xyz, centre.xyz), centre.w + s.w);
                sum += tile_strength[k] / d;
            }
        }
        workgroupBarrier();
    }
    if (valid) {
        aux[PAIR * n + i] = sum / groups[group_index[i]].inv_density;
    }
}
