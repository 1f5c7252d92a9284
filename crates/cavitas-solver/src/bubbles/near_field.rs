//! Incompressible near-field pressure of the other bubbles of the same group (CPU reference
//! of `shaders/near_field.wgsl`).
//!
//! `p_i = (ρ/ρ_s) Σ_{j≠i} (r_j² u'_j + 2 r_j u_j²) / d_ij`, dimensionless, with the distance
//! floored at `r_i + r_j` (touching bubbles; coalescence is not modelled).

use std::ops::Range;

use super::state::{BubbleSlot, BubbleStatus};
use crate::real::Real;

/// Fills `slot.pair_pressure` for the bubbles of `range` from their states.
pub fn populate_near_field_pressure<T: Real>(
    slots: &mut [BubbleSlot<T>],
    positions: &[[T; 3]],
    range: Range<usize>,
    inv_density: T,
) {
    let sources: Vec<(T, [T; 3], T)> = range
        .clone()
        .map(|j| {
            let s = &slots[j];
            let strength = if s.status == BubbleStatus::Active {
                s.y.r * s.y.r * s.accel + T::lit(2.0) * s.y.r * s.y.u * s.y.u
            } else {
                T::zero()
            };
            (strength, positions[j], s.y.r)
        })
        .collect();
    for (offset, i) in range.clone().enumerate() {
        let xi = positions[i];
        let ri = slots[i].y.r;
        let mut sum = T::zero();
        for (k, &(strength, xj, rj)) in sources.iter().enumerate() {
            if k == offset {
                continue;
            }
            let dx = xj[0] - xi[0];
            let dy = xj[1] - xi[1];
            let dz = xj[2] - xi[2];
            let d = (dx * dx + dy * dy + dz * dz).sqrt().max(ri + rj);
            sum = sum + strength / d;
        }
        slots[i].pair_pressure = sum / inv_density;
    }
}
