//! The CPU backend: the reference algorithm, generic over f32/f64, parallel with rayon.

use rayon::prelude::*;

use super::backend::{
    BackendDescription, BackendError, BubbleBackend, GroupTotals, IntervalRequest,
};
use super::coefficients::{GroupCoefficients, GroupForcing};
use super::dormand_prince::{StepControl, advance_bubble};
use super::field::BubbleField;
use super::keller_miksis::RhsInputs;
use super::model::Tolerances;
use super::near_field::populate_near_field_pressure;
use super::species::SPECIES_COUNT;
use super::state::{BubbleSlot, BubbleStatus, BubbleVector};
use crate::real::Real;

/// CPU backend in precision `T`.
#[derive(Debug)]
pub struct CpuBackend<T> {
    pool: rayon::ThreadPool,
    threads: usize,
    control: StepControl<T>,
    slots: Vec<BubbleSlot<T>>,
    positions: Vec<[T; 3]>,
    groups: Vec<(std::ops::Range<usize>, GroupCoefficients<T>)>,
}

impl<T: Real> CpuBackend<T> {
    /// A backend on `threads` threads (0: all cores).
    pub fn new(tolerances: &Tolerances, threads: usize) -> Self {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a rayon thread pool");
        Self {
            threads: pool.current_num_threads(),
            pool,
            control: StepControl {
                rtol: T::lit(tolerances.relative),
                atol: T::lit(tolerances.absolute),
                max_steps: tolerances.max_steps_per_interval,
            },
            slots: Vec::new(),
            positions: Vec::new(),
            groups: Vec::new(),
        }
    }
}

fn cast_slot<A: Real, B: Real>(s: &BubbleSlot<A>) -> BubbleSlot<B> {
    let c = |x: A| B::lit(x.to_f64());
    BubbleSlot {
        y: BubbleVector {
            r: c(s.y.r),
            u: c(s.y.u),
            n: s.y.n.map(c),
        },
        accel: c(s.accel),
        age: c(s.age),
        step: c(s.step),
        err_prev: c(s.err_prev),
        group: s.group,
        v_ref: c(s.v_ref),
        r_vanish: c(s.r_vanish),
        pair_pressure: c(s.pair_pressure),
        r_max: c(s.r_max),
        r_min: c(s.r_min),
        t_event: c(s.t_event),
        status: s.status,
        accepted: s.accepted,
        rejected: s.rejected,
    }
}

/// Sums over the active bubbles of a group (CPU reference of `shaders/group_totals.wgsl`).
pub fn compute_group_totals<T: Real>(slots: &[BubbleSlot<T>]) -> GroupTotals {
    let four_pi = 4.0 * std::f64::consts::PI;
    let mut t = GroupTotals::default();
    for s in slots {
        match s.status {
            BubbleStatus::Active => {
                let r = s.y.r.to_f64();
                let u = s.y.u.to_f64();
                let a = s.accel.to_f64();
                t.volume += four_pi / 3.0 * r * r * r;
                t.volume_rate += four_pi * r * r * u;
                t.volume_acceleration += four_pi * (2.0 * r * u * u + r * r * a);
                for k in 0..SPECIES_COUNT {
                    t.gas[k] += s.y.n[k].to_f64();
                }
                t.active += 1;
            }
            BubbleStatus::Failed => t.failed += 1,
            BubbleStatus::Vanished => {}
        }
    }
    t
}

impl<T: Real> BubbleBackend for CpuBackend<T> {
    fn describe(&self) -> BackendDescription {
        BackendDescription {
            kind: "cpu".into(),
            adapter: format!("rayon, {} thread(s)", self.threads),
            precision: T::NAME.into(),
        }
    }

    fn load(&mut self, field: &BubbleField) -> Result<(), BackendError> {
        self.slots = field.slots.iter().map(cast_slot).collect();
        self.positions = field.positions.iter().map(|p| p.map(T::lit)).collect();
        self.groups = field
            .groups
            .iter()
            .map(|g| (g.bubbles.clone(), g.coefficients.cast()))
            .collect();
        Ok(())
    }

    fn advance(
        &mut self,
        request: &IntervalRequest,
        near_field: bool,
    ) -> Result<Vec<GroupTotals>, BackendError> {
        let forcing: Vec<GroupForcing<T>> = request.forcing.iter().map(|f| f.cast()).collect();
        let interval = T::lit(request.interval);
        let t_start = T::lit(request.t_start);
        let control = self.control;
        let groups = &self.groups;
        let slots = &mut self.slots;
        let positions = &self.positions;
        self.pool.install(|| {
            if near_field {
                for (range, coefficients) in groups.iter() {
                    populate_near_field_pressure(
                        slots,
                        positions,
                        range.clone(),
                        coefficients.inv_density,
                    );
                }
            }
            slots.par_iter_mut().with_min_len(64).for_each(|slot| {
                let (_, coefficients) = &groups[slot.group as usize];
                let inputs = RhsInputs {
                    coefficients,
                    forcing: &forcing[slot.group as usize],
                    v_ref: slot.v_ref,
                    pair_pressure: if near_field {
                        slot.pair_pressure
                    } else {
                        T::zero()
                    },
                    age_start: slot.age,
                };
                advance_bubble(slot, &inputs, &control, interval, t_start);
            });
        });
        Ok(self
            .groups
            .iter()
            .map(|(range, _)| compute_group_totals(&self.slots[range.clone()]))
            .collect())
    }

    fn radii(&mut self, indices: &[usize]) -> Result<Vec<f64>, BackendError> {
        Ok(indices
            .iter()
            .map(|&i| self.slots[i].y.r.to_f64())
            .collect())
    }

    fn store(&mut self, field: &mut BubbleField) -> Result<(), BackendError> {
        for (dst, src) in field.slots.iter_mut().zip(&self.slots) {
            *dst = cast_slot(src);
        }
        Ok(())
    }
}
