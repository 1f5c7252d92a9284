//! The right-hand side of one bubble: Keller–Miksis wall dynamics with gas pressure from the
//! moles (van der Waals hard core, isothermal or polytropic), vapour pressure, surface
//! tension, viscosity, and Epstein–Plesset gas transfer per species.
//!
//! `shaders/bubble_step.wgsl` implements the same function, line by line, in f32.

use super::coefficients::{GroupCoefficients, GroupForcing};
use super::per_species::PerSpecies;
use super::species::SPECIES_COUNT;
use super::state::BubbleVector;
use crate::real::Real;

/// Everything the right-hand side needs besides the state.
#[derive(Debug, Clone, Copy)]
pub struct RhsInputs<'a, T> {
    pub coefficients: &'a GroupCoefficients<T>,
    pub forcing: &'a GroupForcing<T>,
    /// Polytropic reference volume `V_ref / L³`.
    pub v_ref: T,
    /// Near-field pressure of the other bubbles, `p / P`.
    pub pair_pressure: T,
    /// Age at the start of the interval.
    pub age_start: T,
}

/// The diffusion boundary layer is never thinner than this fraction of the radius: it caps
/// the transient Epstein–Plesset term `R / sqrt(π D t)` at 1000 at the instant of birth,
/// where it is infinite but integrable (its integral over the capped span is < 1e-6 of a
/// lifetime).
pub const MIN_BOUNDARY_LAYER_FRACTION: f64 = 1e-3;

/// `dy/dτ` at local time `tau` (from the start of the interval).
///
/// Returns NaN components when the state is unphysical (radius or free volume not positive);
/// the integrator rejects such a step.
#[inline(always)]
pub fn keller_miksis_rhs<T: Real>(
    inp: &RhsInputs<'_, T>,
    tau: T,
    y: &BubbleVector<T>,
) -> BubbleVector<T> {
    let c = inp.coefficients;
    let one = T::one();
    let two = T::lit(2.0);
    let four = T::lit(4.0);
    let four_pi = T::lit(4.0 * std::f64::consts::PI);
    let pi = T::PI();
    let r = y.r;
    let u = y.u;
    let volume = four_pi / T::lit(3.0) * r * r * r;
    let mut total = T::zero();
    let mut core = T::zero();
    for s in 0..SPECIES_COUNT {
        total = total + y.n[s];
        core = core + c.covolume[s] * y.n[s];
    }
    let free = volume - core;
    if !(r > T::zero() && free > T::zero()) {
        return BubbleVector::nan();
    }
    let kappa = c.polytropic_index;
    let ref_free = inp.v_ref - core;
    let p_gas = if total > T::zero() {
        if kappa == one {
            total / free
        } else {
            total / ref_free * (ref_free / free).powf(kappa)
        }
    } else {
        T::zero()
    };

    // Epstein–Plesset transfer with the transient term, per species.
    let age = inp.age_start + tau;
    let min_layer = T::lit(MIN_BOUNDARY_LAYER_FRACTION) * r;
    let mut dn = [T::zero(); SPECIES_COUNT];
    let mut d_total = T::zero();
    let mut d_core = T::zero();
    for s in 0..SPECIES_COUNT {
        if c.solubility[s] > T::zero() {
            let partial = if total > T::zero() {
                y.n[s] * p_gas / total
            } else {
                T::zero()
            };
            let layer = (pi * c.diffusivity[s] * age)
                .max(min_layer * min_layer)
                .sqrt();
            dn[s] = four_pi
                * c.diffusivity[s]
                * c.solubility[s]
                * r
                * (inp.forcing.saturation[s] - partial)
                * (one + r / layer);
        }
        d_total = d_total + dn[s];
        d_core = d_core + c.covolume[s] * dn[s];
    }

    // Rate of change of the gas pressure (moles, volume and hard core all move).
    let d_volume = four_pi * r * r * u;
    let dp_gas = if total > T::zero() {
        p_gas
            * (d_total / total
                - (kappa - one) * d_core / ref_free
                - kappa * (d_volume - d_core) / free)
    } else {
        T::zero()
    };

    let sigma = c.surface_tension;
    let mu = c.viscosity;
    let eps = c.mach;
    let j = c.inv_density;
    let p_wall = p_gas + c.vapour_pressure - two * sigma / r - four * mu * u / r;
    let p_far = inp.forcing.pressure_start + inp.forcing.pressure_slope * tau + inp.pair_pressure;
    let drive = j
        * ((one + eps * u) * (p_wall - p_far)
            + eps * r * (dp_gas + two * sigma * u / (r * r) + four * mu * u * u / (r * r)))
        - T::lit(1.5) * (one - eps * u / T::lit(3.0)) * u * u;
    let inertia = (one - eps * u) * r + four * j * eps * mu;
    BubbleVector {
        r: u,
        u: drive / inertia,
        n: PerSpecies(dn),
    }
}
