//! Per-bubble adaptive Dormand–Prince 5(4) integration over one interval, with PI step
//! control on a mixed relative/absolute RMS error norm, FSAL, and events located by cubic
//! Hermite interpolation inside a step (radius extrema, vanishing).
//!
//! `shaders/bubble_step.wgsl` runs the same algorithm in f32.

use super::keller_miksis::{RhsInputs, keller_miksis_rhs};
use super::species::SPECIES_COUNT;
use super::state::{BubbleSlot, BubbleStatus, BubbleVector};
use crate::real::Real;

/// Step-control settings in precision `T`.
#[derive(Debug, Clone, Copy)]
pub struct StepControl<T> {
    /// Relative tolerance of the mixed error norm (dimensionless).
    pub rtol: T,
    /// Absolute tolerance, in units of the length and velocity scales.
    pub atol: T,
    /// Most steps one bubble may take in one interval.
    pub max_steps: u32,
}

/// Safety factor of the step-size proposal.
const SAFETY: f64 = 0.9;
/// PI controller exponents (Hairer, Nørsett & Wanner, DOPRI5: β = 0.04, α = 1/5 − 0.75β).
const BETA: f64 = 0.04;
const ALPHA: f64 = 0.2 - 0.75 * BETA;
/// Bounds on the step-size ratio.
const MIN_FACTOR: f64 = 0.2;
const MAX_FACTOR: f64 = 5.0;

// Dormand–Prince 5(4) tableau.
const C2: f64 = 1.0 / 5.0;
const C3: f64 = 3.0 / 10.0;
const C4: f64 = 4.0 / 5.0;
const C5: f64 = 8.0 / 9.0;
const A21: f64 = 1.0 / 5.0;
const A31: f64 = 3.0 / 40.0;
const A32: f64 = 9.0 / 40.0;
const A41: f64 = 44.0 / 45.0;
const A42: f64 = -56.0 / 15.0;
const A43: f64 = 32.0 / 9.0;
const A51: f64 = 19372.0 / 6561.0;
const A52: f64 = -25360.0 / 2187.0;
const A53: f64 = 64448.0 / 6561.0;
const A54: f64 = -212.0 / 729.0;
const A61: f64 = 9017.0 / 3168.0;
const A62: f64 = -355.0 / 33.0;
const A63: f64 = 46732.0 / 5247.0;
const A64: f64 = 49.0 / 176.0;
const A65: f64 = -5103.0 / 18656.0;
const A71: f64 = 35.0 / 384.0;
const A73: f64 = 500.0 / 1113.0;
const A74: f64 = 125.0 / 192.0;
const A75: f64 = -2187.0 / 6784.0;
const A76: f64 = 11.0 / 84.0;
// Error weights: fifth-order minus embedded fourth-order solution.
const E1: f64 = 71.0 / 57600.0;
const E3: f64 = -71.0 / 16695.0;
const E4: f64 = 71.0 / 1920.0;
const E5: f64 = -17253.0 / 339200.0;
const E6: f64 = 22.0 / 525.0;
const E7: f64 = -1.0 / 40.0;

/// RMS of the error relative to `atol + rtol max(|y|, |y_new|)` per component: the radius,
/// the wall velocity and the gas content of each carried species (`carried[k]` is 1 or 0,
/// so a species the run leaves out neither counts nor dilutes the mean). The gas contents
/// use an absolute scale proportional to the bubble's volume (gas at the reference
/// pressure), so an empty or dissolving bubble is measured against what it could hold.
#[inline(always)]
fn error_norm<T: Real>(
    ctl: &StepControl<T>,
    carried: &[T; SPECIES_COUNT],
    y: &BubbleVector<T>,
    y_new: &BubbleVector<T>,
    err: &BubbleVector<T>,
) -> T {
    let scale = |a: T, b: T, atol: T| atol + ctl.rtol * a.abs().max(b.abs());
    let mut sum = T::zero();
    let q = err.r / scale(y.r, y_new.r, ctl.atol);
    sum = sum + q * q;
    let q = err.u / scale(y.u, y_new.u, ctl.atol);
    sum = sum + q * q;
    let r = y.r.max(y_new.r);
    let gas_atol = ctl.atol * T::lit(4.0 * std::f64::consts::PI / 3.0) * r * r * r;
    let mut components = T::lit(2.0);
    for s in 0..SPECIES_COUNT {
        if carried[s] > T::zero() {
            let q = err.n[s] / scale(y.n[s], y_new.n[s], gas_atol.max(T::min_positive_value()));
            sum = sum + q * q;
            components = components + T::one();
        }
    }
    (sum / components).sqrt()
}

/// Cubic Hermite interpolant of the radius over a step of length `h` (`dr/dτ = u`).
#[derive(Debug, Clone, Copy)]
struct RadiusHermite<T> {
    r0: T,
    r1: T,
    m0: T,
    m1: T,
}

impl<T: Real> RadiusHermite<T> {
    fn new(y0: &BubbleVector<T>, y1: &BubbleVector<T>, h: T) -> Self {
        Self {
            r0: y0.r,
            r1: y1.r,
            m0: h * y0.u,
            m1: h * y1.u,
        }
    }

    fn at(&self, s: T) -> T {
        let one = T::one();
        let two = T::lit(2.0);
        let three = T::lit(3.0);
        let s2 = s * s;
        let s3 = s2 * s;
        (two * s3 - three * s2 + one) * self.r0
            + (s3 - two * s2 + s) * self.m0
            + (three * s2 - two * s3) * self.r1
            + (s3 - s2) * self.m1
    }

    /// The interior extremum when the wall velocity changes sign in the step.
    fn extremum(&self) -> Option<T> {
        let six = T::lit(6.0);
        let a = six * self.r0 + T::lit(3.0) * self.m0 - six * self.r1 + T::lit(3.0) * self.m1;
        let b = -six * self.r0 - T::lit(4.0) * self.m0 + six * self.r1 - T::lit(2.0) * self.m1;
        let c = self.m0;
        let s = if a.abs() <= T::epsilon() * (b.abs() + c.abs()) {
            -c / b
        } else {
            let disc = (b * b - T::lit(4.0) * a * c).max(T::zero()).sqrt();
            // Numerically stable roots; keep the one inside (0, 1).
            let qq = -T::lit(0.5) * (b + b.signum() * disc);
            let s1 = qq / a;
            let s2 = c / qq;
            if s1 > T::zero() && s1 < T::one() {
                s1
            } else {
                s2
            }
        };
        (s > T::zero() && s < T::one()).then(|| self.at(s))
    }

    /// Fraction of the step at which the radius first falls to `level` (bisection).
    fn crossing(&self, level: T) -> T {
        let mut lo = T::zero();
        let mut hi = T::one();
        for _ in 0..40 {
            let mid = T::lit(0.5) * (lo + hi);
            if self.at(mid) > level {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        T::lit(0.5) * (lo + hi)
    }
}

/// Advances one active bubble over `[0, interval]` (dimensionless). `t_start` is the
/// absolute dimensionless time of the interval start, used to time-stamp events.
///
/// On return the slot holds the state at the end of the interval (or at the event that
/// stopped it), the acceleration there, the proposed next step, and updated statistics.
pub fn advance_bubble<T: Real>(
    slot: &mut BubbleSlot<T>,
    inputs: &RhsInputs<'_, T>,
    ctl: &StepControl<T>,
    interval: T,
    t_start: T,
) {
    if slot.status != BubbleStatus::Active {
        return;
    }
    let rhs = |tau: T, y: &BubbleVector<T>| keller_miksis_rhs(inputs, tau, y);
    let lit = T::lit;
    let mut y = slot.y;
    // Local time with a Kahan-compensated sum, so f32 keeps advancing through long intervals.
    let mut t = T::zero();
    let mut t_carry = T::zero();
    let mut k1 = rhs(t, &y);
    let mut h = slot.step;
    if !(h > T::zero()) {
        h = initial_step(ctl, &y, &k1, interval);
    }
    let mut err_prev = if slot.err_prev > T::zero() {
        slot.err_prev
    } else {
        lit(1e-4)
    };
    let mut steps = 0u32;
    while t < interval {
        if steps >= ctl.max_steps {
            slot.status = BubbleStatus::Failed;
            slot.t_event = t_start + t;
            break;
        }
        steps += 1;
        let remaining = interval - t;
        let last = h >= remaining;
        let h_try = if last { remaining } else { h };
        let k2 = rhs(
            t + lit(C2) * h_try,
            &y.add_combination(h_try, &[(lit(A21), &k1)]),
        );
        let k3 = rhs(
            t + lit(C3) * h_try,
            &y.add_combination(h_try, &[(lit(A31), &k1), (lit(A32), &k2)]),
        );
        let k4 = rhs(
            t + lit(C4) * h_try,
            &y.add_combination(h_try, &[(lit(A41), &k1), (lit(A42), &k2), (lit(A43), &k3)]),
        );
        let k5 = rhs(
            t + lit(C5) * h_try,
            &y.add_combination(
                h_try,
                &[
                    (lit(A51), &k1),
                    (lit(A52), &k2),
                    (lit(A53), &k3),
                    (lit(A54), &k4),
                ],
            ),
        );
        let k6 = rhs(
            t + h_try,
            &y.add_combination(
                h_try,
                &[
                    (lit(A61), &k1),
                    (lit(A62), &k2),
                    (lit(A63), &k3),
                    (lit(A64), &k4),
                    (lit(A65), &k5),
                ],
            ),
        );
        let y_new = y.add_combination(
            h_try,
            &[
                (lit(A71), &k1),
                (lit(A73), &k3),
                (lit(A74), &k4),
                (lit(A75), &k5),
                (lit(A76), &k6),
            ],
        );
        let k7 = rhs(t + h_try, &y_new);
        let err_vec = BubbleVector::default().add_combination(
            h_try,
            &[
                (lit(E1), &k1),
                (lit(E3), &k3),
                (lit(E4), &k4),
                (lit(E5), &k5),
                (lit(E6), &k6),
                (lit(E7), &k7),
            ],
        );
        let err = error_norm(ctl, &inputs.coefficients.carried, &y, &y_new, &err_vec);
        if !(err <= T::one()) || !k7.is_finite() {
            // Rejected (also when a stage left the physical domain and returned NaN).
            slot.rejected += 1;
            let factor = if err.is_finite() {
                (lit(SAFETY) * err.powf(lit(-0.2))).max(lit(MIN_FACTOR))
            } else {
                lit(0.25)
            };
            h = h_try * factor.min(T::one());
            // The step no longer advances time: it has underflowed.
            if (t + h) - t <= T::zero() {
                slot.status = BubbleStatus::Failed;
                slot.t_event = t_start + t;
                break;
            }
            continue;
        }
        slot.accepted += 1;
        let err_clamped = err.max(lit(1e-4));
        let factor = (lit(SAFETY) * err_clamped.powf(-lit(ALPHA)) * err_prev.powf(lit(BETA)))
            .max(lit(MIN_FACTOR))
            .min(lit(MAX_FACTOR));
        err_prev = err_clamped;
        let h_next = h_try * factor;

        // Events inside the accepted step.
        let hermite = RadiusHermite::new(&y, &y_new, h_try);
        if y.u * y_new.u < T::zero()
            && let Some(r_ext) = hermite.extremum()
        {
            slot.r_max = slot.r_max.max(r_ext);
            slot.r_min = slot.r_min.min(r_ext);
        }
        if y_new.r < slot.r_vanish {
            let s = hermite.crossing(slot.r_vanish);
            slot.status = BubbleStatus::Vanished;
            slot.t_event = t_start + t + s * h_try;
            slot.r_min = slot.r_min.min(slot.r_vanish);
            y = y_new;
            k1 = k7;
            break;
        }
        slot.r_max = slot.r_max.max(y_new.r);
        slot.r_min = slot.r_min.min(y_new.r);

        y = y_new;
        k1 = k7;
        // t += h_try, compensated.
        let add = h_try - t_carry;
        let sum = t + add;
        t_carry = (sum - t) - add;
        t = if last { interval } else { sum };
        // Keep the controller's proposal rather than the truncated final step.
        h = if last { h.max(h_next) } else { h_next };
    }
    slot.y = y;
    slot.accel = k1.u;
    slot.age = slot.age + interval;
    slot.step = h;
    slot.err_prev = err_prev;
}

/// Starting step from the size of the state and its derivative (Hairer's first guess).
fn initial_step<T: Real>(
    ctl: &StepControl<T>,
    y: &BubbleVector<T>,
    f: &BubbleVector<T>,
    interval: T,
) -> T {
    let sc_r = ctl.atol + ctl.rtol * y.r.abs();
    let sc_u = ctl.atol + ctl.rtol * y.u.abs();
    let d0 = ((y.r / sc_r).powi(2) + (y.u / sc_u).powi(2)).sqrt();
    let d1 = ((f.r / sc_r).powi(2) + (f.u / sc_u).powi(2)).sqrt();
    let h = if d0 < T::lit(1e-5) || d1 < T::lit(1e-5) || !d1.is_finite() {
        T::lit(1e-6)
    } else {
        T::lit(0.01) * d0 / d1
    };
    h.min(interval).max(T::min_positive_value())
}
