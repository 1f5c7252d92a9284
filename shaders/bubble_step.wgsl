// Advance every active bubble over one macro interval: Keller-Miksis wall dynamics with gas
// pressure from the moles (van der Waals hard core, isothermal or polytropic), vapour pressure,
// surface tension, viscosity and Epstein-Plesset gas transfer per species, integrated with
// per-bubble adaptive Dormand-Prince 5(4) steps under PI control.
//
// f32 mirror of crates/cavitas-solver/src/bubbles/{keller_miksis,dormand_prince}.rs; the
// host code is crates/cavitas-solver/src/gpu/bubble_step.rs. Dimensionless variables:
// r = R/L, u = dR/dt / U, tau = t/T, gas content nu_k = n_k R T/(P L^3).
//
// Buffers are structure-of-arrays: field f of bubble i lives at f * bubble_count + i.
// The declarations shared with the other kernels (StepParams, Group, field indices, status
// codes) are in shaders/shared/bubble_layout.wgsl, which the host prepends.

const MIN_BOUNDARY_LAYER_FRACTION: f32 = 1.0e-3;
// Marks an unphysical state; the step that met it is rejected.
const BAD: f32 = 3.0e38;

const SAFETY: f32 = 0.9;
const BETA: f32 = 0.04;
const ALPHA: f32 = 0.17;
const MIN_FACTOR: f32 = 0.2;
const MAX_FACTOR: f32 = 5.0;

@group(0) @binding(0) var<uniform> params: StepParams;
@group(0) @binding(1) var<storage, read> groups: array<Group>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>;
@group(0) @binding(3) var<storage, read> aux: array<f32>;
@group(0) @binding(4) var<storage, read> group_index: array<u32>;
@group(0) @binding(5) var<storage, read_write> stats_f: array<f32>;
@group(0) @binding(6) var<storage, read_write> stats_u: array<u32>;

struct Y {
    r: f32,
    u: f32,
    n: vec3<f32>,
}

struct Bubble {
    g: Group,
    v_ref: f32,
    pair: f32,
    age_start: f32,
}

fn is_finite(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn y_is_finite(y: Y) -> bool {
    return is_finite(y.r) && is_finite(y.u) && is_finite(y.n.x) && is_finite(y.n.y) && is_finite(y.n.z);
}

fn bad() -> Y {
    return Y(BAD, BAD, vec3<f32>(BAD));
}

fn axpy(y: Y, a: f32, k: Y) -> Y {
    return Y(y.r + a * k.r, y.u + a * k.u, y.n + a * k.n);
}

fn rhs(b: Bubble, tau: f32, y: Y) -> Y {
    let c = b.g;
    let r = y.r;
    let u = y.u;
    let volume = FOUR_PI / 3.0 * r * r * r;
    let total = y.n.x + y.n.y + y.n.z;
    let core = dot(c.covolume.xyz, y.n);
    let free = volume - core;
    if (!(r > 0.0 && free > 0.0)) {
        return bad();
    }
    let kappa = c.polytropic_index;
    let ref_free = b.v_ref - core;
    var p_gas = 0.0;
    if (total > 0.0) {
        if (kappa == 1.0) {
            p_gas = total / free;
        } else {
            p_gas = total / ref_free * pow(ref_free / free, kappa);
        }
    }

    let age = b.age_start + tau;
    let min_layer = MIN_BOUNDARY_LAYER_FRACTION * r;
    var dn = vec3<f32>(0.0);
    for (var s = 0u; s < 3u; s++) {
        if (c.solubility[s] > 0.0) {
            var partial = 0.0;
            if (total > 0.0) {
                partial = y.n[s] * p_gas / total;
            }
            let layer = sqrt(max(PI * c.diffusivity[s] * age, min_layer * min_layer));
            dn[s] = FOUR_PI * c.diffusivity[s] * c.solubility[s] * r
                * (c.saturation[s] - partial) * (1.0 + r / layer);
        }
    }
    let d_total = dn.x + dn.y + dn.z;
    let d_core = dot(c.covolume.xyz, dn);

    let d_volume = FOUR_PI * r * r * u;
    var dp_gas = 0.0;
    if (total > 0.0) {
        dp_gas = p_gas * (d_total / total - (kappa - 1.0) * d_core / ref_free - kappa * (d_volume - d_core) / free);
    }

    let sigma = c.surface_tension;
    let mu = c.viscosity;
    let eps = c.mach;
    let j = c.inv_density;
    let p_wall = p_gas + c.vapour_pressure - 2.0 * sigma / r - 4.0 * mu * u / r;
    let p_far = c.pressure_start + c.pressure_slope * tau + b.pair;
    let drive = j * ((1.0 + eps * u) * (p_wall - p_far)
        + eps * r * (dp_gas + 2.0 * sigma * u / (r * r) + 4.0 * mu * u * u / (r * r)))
        - 1.5 * (1.0 - eps * u / 3.0) * u * u;
    let inertia = (1.0 - eps * u) * r + 4.0 * j * eps * mu;
    return Y(u, drive / inertia, dn);
}

fn scaled_sq(e: f32, a: f32, b: f32, atol: f32, rtol: f32) -> f32 {
    let q = e / (atol + rtol * max(abs(a), abs(b)));
    return q * q;
}

fn error_norm(y: Y, y_new: Y, err: Y, rtol: f32, atol: f32) -> f32 {
    var sum = scaled_sq(err.r, y.r, y_new.r, atol, rtol) + scaled_sq(err.u, y.u, y_new.u, atol, rtol);
    let r = max(y.r, y_new.r);
    let gas_atol = max(atol * FOUR_PI / 3.0 * r * r * r, 1.17549435e-38);
    for (var s = 0u; s < 3u; s++) {
        sum += scaled_sq(err.n[s], y.n[s], y_new.n[s], gas_atol, rtol);
    }
    return sqrt(sum / 5.0);
}

// Cubic Hermite interpolant of the radius over a step (dr/dtau = u).
fn hermite(r0: f32, r1: f32, m0: f32, m1: f32, s: f32) -> f32 {
    let s2 = s * s;
    let s3 = s2 * s;
    return (2.0 * s3 - 3.0 * s2 + 1.0) * r0 + (s3 - 2.0 * s2 + s) * m0 + (3.0 * s2 - 2.0 * s3) * r1 + (s3 - s2) * m1;
}

// Interior extremum of the interpolant, or -1 when none lies inside the step.
fn hermite_extremum_at(r0: f32, r1: f32, m0: f32, m1: f32) -> f32 {
    let a = 6.0 * r0 + 3.0 * m0 - 6.0 * r1 + 3.0 * m1;
    let b = -6.0 * r0 - 4.0 * m0 + 6.0 * r1 - 2.0 * m1;
    let c = m0;
    var s = -1.0;
    if (abs(a) <= 1.1920929e-7 * (abs(b) + abs(c))) {
        s = -c / b;
    } else {
        let disc = sqrt(max(b * b - 4.0 * a * c, 0.0));
        var sign_b = 1.0;
        if (b < 0.0) {
            sign_b = -1.0;
        }
        let qq = -0.5 * (b + sign_b * disc);
        let s1 = qq / a;
        let s2 = c / qq;
        if (s1 > 0.0 && s1 < 1.0) {
            s = s1;
        } else {
            s = s2;
        }
    }
    if (s > 0.0 && s < 1.0) {
        return s;
    }
    return -1.0;
}

fn hermite_crossing(r0: f32, r1: f32, m0: f32, m1: f32, level: f32) -> f32 {
    var lo = 0.0;
    var hi = 1.0;
    for (var k = 0; k < 40; k++) {
        let mid = 0.5 * (lo + hi);
        if (hermite(r0, r1, m0, m1, mid) > level) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

fn initial_step(y: Y, f: Y, interval: f32, rtol: f32, atol: f32) -> f32 {
    let sc_r = atol + rtol * abs(y.r);
    let sc_u = atol + rtol * abs(y.u);
    let d0 = sqrt((y.r / sc_r) * (y.r / sc_r) + (y.u / sc_u) * (y.u / sc_u));
    let d1 = sqrt((f.r / sc_r) * (f.r / sc_r) + (f.u / sc_u) * (f.u / sc_u));
    var h = 1.0e-6;
    if (!(d0 < 1.0e-5 || d1 < 1.0e-5 || !is_finite(d1))) {
        h = 0.01 * d0 / d1;
    }
    return max(min(h, interval), 1.17549435e-38);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let n = params.bubble_count;
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= n) {
        return;
    }
    if (stats_u[STATUS * n + i] != ACTIVE) {
        return;
    }
    // Uniform parameters copied into locals before the loop.
    let interval = params.interval;
    let t_start = params.t_start;
    let rtol = params.rtol;
    let atol = params.atol;
    let max_steps = params.max_steps;

    var b: Bubble;
    b.g = groups[group_index[i]];
    b.v_ref = aux[V_REF * n + i];
    b.pair = aux[PAIR * n + i];
    b.age_start = state[AGE * n + i];
    let r_vanish = aux[R_VANISH * n + i];

    var y = Y(state[R * n + i], state[U * n + i],
        vec3<f32>(state[N0 * n + i], state[(N0 + 1u) * n + i], state[(N0 + 2u) * n + i]));
    var r_max = stats_f[R_MAX * n + i];
    var r_min = stats_f[R_MIN * n + i];
    var t_event = stats_f[T_EVENT * n + i];
    var status = ACTIVE;
    var accepted = stats_u[ACCEPTED * n + i];
    var rejected = stats_u[REJECTED * n + i];

    var t = 0.0;
    var t_carry = 0.0;
    var k1 = rhs(b, t, y);
    var h = state[STEP * n + i];
    if (!(h > 0.0)) {
        h = initial_step(y, k1, interval, rtol, atol);
    }
    var err_prev = state[ERR_PREV * n + i];
    if (!(err_prev > 0.0)) {
        err_prev = 1.0e-4;
    }
    var steps = 0u;
    loop {
        if (!(t < interval)) {
            break;
        }
        if (steps >= max_steps) {
            status = FAILED;
            t_event = t_start + t;
            break;
        }
        steps += 1u;
        let remaining = interval - t;
        let last = h >= remaining;
        var h_try = h;
        if (last) {
            h_try = remaining;
        }
        let k2 = rhs(b, t + 0.2 * h_try, axpy(y, h_try * 0.2, k1));
        let k3 = rhs(b, t + 0.3 * h_try, axpy(axpy(y, h_try * (3.0 / 40.0), k1), h_try * (9.0 / 40.0), k2));
        var y4 = axpy(y, h_try * (44.0 / 45.0), k1);
        y4 = axpy(y4, h_try * (-56.0 / 15.0), k2);
        y4 = axpy(y4, h_try * (32.0 / 9.0), k3);
        let k4 = rhs(b, t + 0.8 * h_try, y4);
        var y5 = axpy(y, h_try * (19372.0 / 6561.0), k1);
        y5 = axpy(y5, h_try * (-25360.0 / 2187.0), k2);
        y5 = axpy(y5, h_try * (64448.0 / 6561.0), k3);
        y5 = axpy(y5, h_try * (-212.0 / 729.0), k4);
        let k5 = rhs(b, t + (8.0 / 9.0) * h_try, y5);
        var y6 = axpy(y, h_try * (9017.0 / 3168.0), k1);
        y6 = axpy(y6, h_try * (-355.0 / 33.0), k2);
        y6 = axpy(y6, h_try * (46732.0 / 5247.0), k3);
        y6 = axpy(y6, h_try * (49.0 / 176.0), k4);
        y6 = axpy(y6, h_try * (-5103.0 / 18656.0), k5);
        let k6 = rhs(b, t + h_try, y6);
        var y_new = axpy(y, h_try * (35.0 / 384.0), k1);
        y_new = axpy(y_new, h_try * (500.0 / 1113.0), k3);
        y_new = axpy(y_new, h_try * (125.0 / 192.0), k4);
        y_new = axpy(y_new, h_try * (-2187.0 / 6784.0), k5);
        y_new = axpy(y_new, h_try * (11.0 / 84.0), k6);
        let k7 = rhs(b, t + h_try, y_new);
        var e = axpy(Y(0.0, 0.0, vec3<f32>(0.0)), h_try * (71.0 / 57600.0), k1);
        e = axpy(e, h_try * (-71.0 / 16695.0), k3);
        e = axpy(e, h_try * (71.0 / 1920.0), k4);
        e = axpy(e, h_try * (-17253.0 / 339200.0), k5);
        e = axpy(e, h_try * (22.0 / 525.0), k6);
        e = axpy(e, h_try * (-1.0 / 40.0), k7);
        let err = error_norm(y, y_new, e, rtol, atol);
        if (!(err <= 1.0) || !is_finite(err) || !y_is_finite(k7)) {
            rejected += 1u;
            var factor = 0.25;
            if (is_finite(err)) {
                factor = max(SAFETY * pow(err, -0.2), MIN_FACTOR);
            }
            h = h_try * min(factor, 1.0);
            if (!((t + h) - t > 0.0)) {
                status = FAILED;
                t_event = t_start + t;
                break;
            }
            continue;
        }
        accepted += 1u;
        let err_clamped = max(err, 1.0e-4);
        let factor = min(max(SAFETY * pow(err_clamped, -ALPHA) * pow(err_prev, BETA), MIN_FACTOR), MAX_FACTOR);
        err_prev = err_clamped;
        let h_next = h_try * factor;

        let m0 = h_try * y.u;
        let m1 = h_try * y_new.u;
        if (y.u * y_new.u < 0.0) {
            let s = hermite_extremum_at(y.r, y_new.r, m0, m1);
            if (s > 0.0) {
                let r_ext = hermite(y.r, y_new.r, m0, m1, s);
                r_max = max(r_max, r_ext);
                r_min = min(r_min, r_ext);
            }
        }
        if (y_new.r < r_vanish) {
            let s = hermite_crossing(y.r, y_new.r, m0, m1, r_vanish);
            status = VANISHED;
            t_event = t_start + t + s * h_try;
            r_min = min(r_min, r_vanish);
            y = y_new;
            k1 = k7;
            break;
        }
        r_max = max(r_max, y_new.r);
        r_min = min(r_min, y_new.r);
        y = y_new;
        k1 = k7;
        let add = h_try - t_carry;
        let sum = t + add;
        t_carry = (sum - t) - add;
        if (last) {
            t = interval;
            h = max(h, h_next);
        } else {
            t = sum;
            h = h_next;
        }
    }
    state[R * n + i] = y.r;
    state[U * n + i] = y.u;
    state[N0 * n + i] = y.n.x;
    state[(N0 + 1u) * n + i] = y.n.y;
    state[(N0 + 2u) * n + i] = y.n.z;
    state[ACCEL * n + i] = k1.u;
    state[AGE * n + i] = b.age_start + interval;
    state[STEP * n + i] = h;
    state[ERR_PREV * n + i] = err_prev;
    stats_f[R_MAX * n + i] = r_max;
    stats_f[R_MIN * n + i] = r_min;
    stats_f[T_EVENT * n + i] = t_event;
    stats_u[STATUS * n + i] = status;
    stats_u[ACCEPTED * n + i] = accepted;
    stats_u[REJECTED * n + i] = rejected;
}
