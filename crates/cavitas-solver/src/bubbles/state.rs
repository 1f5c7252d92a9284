//! The integrated state of one bubble and its per-bubble bookkeeping (CPU layout).

use super::per_species::PerSpecies;
use super::species::SPECIES_COUNT;
use crate::real::Real;

/// The ODE state of one bubble, dimensionless (see [`super::coefficients::GroupCoefficients`]).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "T: serde::Deserialize<'de> + Default"))]
pub struct BubbleVector<T> {
    /// Radius `R / L`.
    pub r: T,
    /// Wall velocity `Ṙ / U`.
    pub u: T,
    /// Gas content per species `ν_k = n_k R T / (P L³)`.
    pub n: PerSpecies<T>,
}

impl<T: Real> BubbleVector<T> {
    /// `self + h Σ a_i k_i`.
    #[inline(always)]
    pub fn add_combination(&self, h: T, terms: &[(T, &BubbleVector<T>)]) -> Self {
        let mut out = *self;
        for &(a, k) in terms {
            let ha = h * a;
            out.r = out.r + ha * k.r;
            out.u = out.u + ha * k.u;
            for s in 0..SPECIES_COUNT {
                out.n[s] = out.n[s] + ha * k.n[s];
            }
        }
        out
    }

    /// Total gas content `N = Σ ν_k`.
    pub fn total_gas(&self) -> T {
        self.n.iter().fold(T::zero(), |a, &b| a + b)
    }

    /// True when every component is finite.
    pub fn is_finite(&self) -> bool {
        self.r.is_finite() && self.u.is_finite() && self.n.iter().all(|x| x.is_finite())
    }

    /// A vector of NaN, returned by the right-hand side for an unphysical state so the step
    /// is rejected.
    pub fn nan() -> Self {
        let nan = T::nan();
        Self {
            r: nan,
            u: nan,
            n: PerSpecies([nan; SPECIES_COUNT]),
        }
    }
}

/// Where a bubble is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[repr(u32)]
pub enum BubbleStatus {
    /// Integrated every interval.
    #[default]
    Active = 0,
    /// Radius fell below the vanish fraction of its initial radius (collapsed or dissolved);
    /// its gas went back to the liquid and it is no longer integrated.
    Vanished = 1,
    /// The step size underflowed or the step budget ran out: the run reports an error.
    Failed = 2,
}

impl BubbleStatus {
    /// From the GPU's `u32` code.
    pub fn from_code(code: u32) -> Self {
        match code {
            0 => Self::Active,
            1 => Self::Vanished,
            _ => Self::Failed,
        }
    }
}

/// One bubble: state, integrator memory, constants and statistics, in precision `T`.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "T: serde::Deserialize<'de> + Default"))]
pub struct BubbleSlot<T> {
    /// ODE state.
    pub y: BubbleVector<T>,
    /// Wall acceleration `u' = R̈ T / U` at the current state.
    pub accel: T,
    /// Dimensionless age (time since the bubble formed), for the transient diffusion term.
    pub age: T,
    /// Proposed next step, dimensionless time (zero: choose one).
    pub step: T,
    /// Error norm of the last accepted step (PI controller memory).
    pub err_prev: T,
    /// Index of the bubble's group.
    pub group: u32,
    /// Reference volume for the polytropic law, `V_ref / L³`.
    pub v_ref: T,
    /// Radius below which the bubble vanishes, `R / L`.
    pub r_vanish: T,
    /// Near-field pressure of the other bubbles over the current interval, `p / P`.
    pub pair_pressure: T,
    /// Largest radius reached while active, `R / L`.
    pub r_max: T,
    /// Smallest radius reached while active, `R / L`.
    pub r_min: T,
    /// Dimensionless time at which the bubble vanished or failed.
    pub t_event: T,
    /// Life status.
    pub status: BubbleStatus,
    /// Accepted steps so far.
    pub accepted: u32,
    /// Rejected steps so far.
    pub rejected: u32,
}
