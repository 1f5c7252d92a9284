//! The complete state of a bubble study after a macro interval, and its conversion to and
//! from named flat arrays (what an output file stores). Restoring it and running on gives,
//! on the CPU backend, bit for bit the run that was never interrupted: every slot field
//! (state, step size, PI-controller memory, age, statistics, counters), the dissolved gas
//! of every group, the clock and the primary bubble's trace are kept exactly.

use std::collections::BTreeMap;

use super::field::BubbleField;
use super::per_species::PerSpecies;
use super::species::{GasSpecies, SPECIES_COUNT};
use super::state::{BubbleSlot, BubbleStatus};
use super::study::PrimaryTrace;

/// Suffixes of the per-species arrays, in species order.
/// A checkpoint that does not fit the scenario it is restored into, or is incomplete.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("checkpoint array `{0}` is missing")]
    Missing(String),
    #[error("checkpoint array `{name}` has {found} values, expected {expected}")]
    Length {
        name: String,
        found: usize,
        expected: usize,
    },
    #[error("the checkpoint does not belong to this scenario: {0}")]
    Mismatch(String),
}

/// Named flat arrays: what a checkpoint file stores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamedArrays {
    /// Floating-point arrays (dimensionless slot state; `time_s` and the trace in SI).
    pub f64_arrays: BTreeMap<String, Vec<f64>>,
    /// Integer arrays (codes, counters).
    pub u64_arrays: BTreeMap<String, Vec<u64>>,
}

/// The state of a bubble study after `interval` macro intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct BubbleCheckpoint {
    /// Macro intervals done.
    pub interval: u64,
    /// The run's clock, s (accumulated interval by interval, restored as is).
    pub time_s: f64,
    /// Every bubble slot, host layout in f64 (dimensionless).
    pub slots: Vec<BubbleSlot<f64>>,
    /// Dissolved gas of each group's liquid, dimensionless gas content per species.
    pub dissolved: Vec<[f64; SPECIES_COUNT]>,
    /// Active-bubble intervals so far (for the right-hand-side count).
    pub bubble_intervals: u64,
    /// The primary bubble's radius samples so far.
    pub trace: PrimaryTrace,
}

type SlotF64 = (
    &'static str,
    fn(&BubbleSlot<f64>) -> f64,
    fn(&mut BubbleSlot<f64>, f64),
);
type SlotU64 = (
    &'static str,
    fn(&BubbleSlot<f64>) -> u64,
    fn(&mut BubbleSlot<f64>, u64),
);

/// Every f64 field of a slot but the per-species gas (handled apart).
const SLOT_F64: [SlotF64; 12] = [
    ("slot_r", |s| s.y.r, |s, v| s.y.r = v),
    ("slot_u", |s| s.y.u, |s, v| s.y.u = v),
    ("slot_accel", |s| s.accel, |s, v| s.accel = v),
    ("slot_age", |s| s.age, |s, v| s.age = v),
    ("slot_step", |s| s.step, |s, v| s.step = v),
    ("slot_err_prev", |s| s.err_prev, |s, v| s.err_prev = v),
    ("slot_v_ref", |s| s.v_ref, |s, v| s.v_ref = v),
    ("slot_r_vanish", |s| s.r_vanish, |s, v| s.r_vanish = v),
    (
        "slot_pair_pressure",
        |s| s.pair_pressure,
        |s, v| s.pair_pressure = v,
    ),
    ("slot_r_max", |s| s.r_max, |s, v| s.r_max = v),
    ("slot_r_min", |s| s.r_min, |s, v| s.r_min = v),
    ("slot_t_event", |s| s.t_event, |s, v| s.t_event = v),
];

/// Every integer field of a slot.
const SLOT_U64: [SlotU64; 4] = [
    (
        "slot_group",
        |s| u64::from(s.group),
        |s, v| s.group = v as u32,
    ),
    (
        "slot_status",
        |s| s.status as u64,
        |s, v| s.status = BubbleStatus::from_code(v as u32),
    ),
    (
        "slot_accepted",
        |s| u64::from(s.accepted),
        |s, v| s.accepted = v as u32,
    ),
    (
        "slot_rejected",
        |s| u64::from(s.rejected),
        |s, v| s.rejected = v as u32,
    ),
];

impl BubbleCheckpoint {
    /// The checkpoint as named arrays (see SCHEMA.md of cavitas-hdf5 for the list).
    pub fn to_arrays(&self) -> NamedArrays {
        let mut out = NamedArrays::default();
        for (name, get, _) in SLOT_F64 {
            out.f64_arrays
                .insert(name.into(), self.slots.iter().map(get).collect());
        }
        for (k, suffix) in GasSpecies::ALL.map(GasSpecies::name).iter().enumerate() {
            out.f64_arrays.insert(
                format!("slot_n_{suffix}"),
                self.slots.iter().map(|s| s.y.n[k]).collect(),
            );
            out.f64_arrays.insert(
                format!("group_dissolved_{suffix}"),
                self.dissolved.iter().map(|d| d[k]).collect(),
            );
        }
        for (name, get, _) in SLOT_U64 {
            out.u64_arrays
                .insert(name.into(), self.slots.iter().map(get).collect());
        }
        out.f64_arrays.insert("time_s".into(), vec![self.time_s]);
        out.f64_arrays
            .insert("trace_t".into(), self.trace.time_s.clone());
        out.f64_arrays
            .insert("trace_radius".into(), self.trace.radius_m.clone());
        out.u64_arrays
            .insert("interval".into(), vec![self.interval]);
        out.u64_arrays
            .insert("bubble_intervals".into(), vec![self.bubble_intervals]);
        out
    }

    /// Rebuilds a checkpoint from named arrays, checking every array is there with a
    /// consistent length.
    pub fn from_arrays(arrays: &NamedArrays) -> Result<Self, CheckpointError> {
        let f = |name: &str| {
            arrays
                .f64_arrays
                .get(name)
                .ok_or_else(|| CheckpointError::Missing(name.into()))
        };
        let u = |name: &str| {
            arrays
                .u64_arrays
                .get(name)
                .ok_or_else(|| CheckpointError::Missing(name.into()))
        };
        let scalar_f = |name: &str| -> Result<f64, CheckpointError> {
            let v = f(name)?;
            expect_len(name, v.len(), 1)?;
            Ok(v[0])
        };
        let scalar_u = |name: &str| -> Result<u64, CheckpointError> {
            let v = u(name)?;
            expect_len(name, v.len(), 1)?;
            Ok(v[0])
        };
        let n = f("slot_r")?.len();
        let mut slots = vec![BubbleSlot::<f64>::default(); n];
        for (name, _, set) in SLOT_F64 {
            let values = f(name)?;
            expect_len(name, values.len(), n)?;
            slots.iter_mut().zip(values).for_each(|(s, &v)| set(s, v));
        }
        for (name, _, set) in SLOT_U64 {
            let values = u(name)?;
            expect_len(name, values.len(), n)?;
            slots.iter_mut().zip(values).for_each(|(s, &v)| set(s, v));
        }
        let groups = f(&format!("group_dissolved_{}", GasSpecies::ALL[0].name()))?.len();
        let mut dissolved = vec![[0.0; SPECIES_COUNT]; groups];
        for (k, species) in GasSpecies::ALL.iter().enumerate() {
            let suffix = species.name();
            // An optional species (zero default tension) appended to the table after the
            // checkpoint was written is absent from it: its gas is zero everywhere.
            if species.default_tension_pa() == 0.0
                && !arrays.f64_arrays.contains_key(&format!("slot_n_{suffix}"))
            {
                continue;
            }
            let name = format!("slot_n_{suffix}");
            let values = f(&name)?;
            expect_len(&name, values.len(), n)?;
            slots
                .iter_mut()
                .zip(values)
                .for_each(|(s, &v)| s.y.n[k] = v);
            let name = format!("group_dissolved_{suffix}");
            let values = f(&name)?;
            expect_len(&name, values.len(), groups)?;
            dissolved
                .iter_mut()
                .zip(values)
                .for_each(|(d, &v)| d[k] = v);
        }
        let interval = scalar_u("interval")?;
        let trace = PrimaryTrace {
            time_s: f("trace_t")?.clone(),
            radius_m: f("trace_radius")?.clone(),
        };
        let samples = usize::try_from(interval + 1).unwrap_or(usize::MAX);
        expect_len("trace_t", trace.time_s.len(), samples)?;
        expect_len("trace_radius", trace.radius_m.len(), samples)?;
        Ok(Self {
            interval,
            time_s: scalar_f("time_s")?,
            slots,
            dissolved,
            bubble_intervals: scalar_u("bubble_intervals")?,
            trace,
        })
    }

    /// Checks the checkpoint fits `field` (as built from the scenario): same bubbles in the
    /// same groups with the same constants.
    pub fn check_fits(&self, field: &BubbleField, intervals: u64) -> Result<(), CheckpointError> {
        let mismatch = |m: String| Err(CheckpointError::Mismatch(m));
        if self.slots.len() != field.len() {
            return mismatch(format!(
                "{} bubbles in the checkpoint, {} in the scenario",
                self.slots.len(),
                field.len()
            ));
        }
        if self.dissolved.len() != field.groups.len() {
            return mismatch(format!(
                "{} groups in the checkpoint, {} in the scenario",
                self.dissolved.len(),
                field.groups.len()
            ));
        }
        if self.interval >= intervals {
            return mismatch(format!(
                "checkpoint after interval {} of a run of {intervals}",
                self.interval
            ));
        }
        let constants_differ = self.slots.iter().zip(&field.slots).position(|(a, b)| {
            a.group != b.group
                || a.v_ref.to_bits() != b.v_ref.to_bits()
                || a.r_vanish.to_bits() != b.r_vanish.to_bits()
        });
        if let Some(i) = constants_differ {
            return mismatch(format!("bubble {i} has another group or other constants"));
        }
        Ok(())
    }

    /// Writes the checkpoint's slots and dissolved gas into `field`.
    pub fn apply_to(&self, field: &mut BubbleField) {
        field.slots.copy_from_slice(&self.slots);
        for (g, d) in field.groups.iter_mut().zip(&self.dissolved) {
            g.dissolved = PerSpecies(*d);
        }
    }
}

fn expect_len(name: &str, found: usize, expected: usize) -> Result<(), CheckpointError> {
    if found == expected {
        Ok(())
    } else {
        Err(CheckpointError::Length {
            name: name.into(),
            found,
            expected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bubbles::state::BubbleVector;

    /// A slot whose every field differs from every other slot's and from every other field
    /// of the same slot, with the values a bit-for-bit store must keep: a negative zero, a
    /// NaN with a payload, a subnormal, an infinity and values that print alike in short form.
    fn slot(i: u32) -> BubbleSlot<f64> {
        let x = f64::from(i);
        let odd = |v: f64| v + x * 0.1 + f64::EPSILON;
        BubbleSlot {
            y: BubbleVector {
                r: 1.0 + x,
                u: if i == 0 { -0.0 } else { -0.5 * x },
                n: PerSpecies::from_fn(|s| {
                    if s.index() + 1 == SPECIES_COUNT {
                        1e-300 * (1.0 + x)
                    } else {
                        0.1 * (s.index() + 1) as f64 * x + f64::from_bits(1 + u64::from(i))
                    }
                }),
            },
            accel: odd(3.0),
            age: 4.0 + x,
            step: 1e-7 * (1.0 + x),
            err_prev: odd(0.25),
            group: i % 2,
            v_ref: odd(5.0),
            r_vanish: odd(0.01),
            pair_pressure: if i == 1 {
                f64::NEG_INFINITY
            } else {
                odd(-1e-3)
            },
            r_max: odd(2.0),
            r_min: odd(0.5),
            t_event: f64::from_bits(0x7ff8_0000_0000_0000 | u64::from(i + 1)),
            status: BubbleStatus::from_code(i % 3),
            accepted: 7 + i,
            rejected: 100 + i,
        }
    }

    /// Every field of a slot as bits, named. Destructured without `..`, so a field added to
    /// `BubbleSlot` does not compile here until the round trip covers it.
    fn slot_bits(s: &BubbleSlot<f64>) -> Vec<(String, u64)> {
        let BubbleSlot {
            y: BubbleVector { r, u, n },
            accel,
            age,
            step,
            err_prev,
            group,
            v_ref,
            r_vanish,
            pair_pressure,
            r_max,
            r_min,
            t_event,
            status,
            accepted,
            rejected,
        } = *s;
        let mut bits: Vec<(String, u64)> = [
            ("r", r.to_bits()),
            ("u", u.to_bits()),
            ("accel", accel.to_bits()),
            ("age", age.to_bits()),
            ("step", step.to_bits()),
            ("err_prev", err_prev.to_bits()),
            ("group", u64::from(group)),
            ("v_ref", v_ref.to_bits()),
            ("r_vanish", r_vanish.to_bits()),
            ("pair_pressure", pair_pressure.to_bits()),
            ("r_max", r_max.to_bits()),
            ("r_min", r_min.to_bits()),
            ("t_event", t_event.to_bits()),
            ("status", status as u64),
            ("accepted", u64::from(accepted)),
            ("rejected", u64::from(rejected)),
        ]
        .into_iter()
        .map(|(name, b)| (name.to_string(), b))
        .collect();
        for (k, v) in n.0.iter().enumerate() {
            bits.push((format!("n[{k}]"), v.to_bits()));
        }
        bits
    }

    #[test]
    fn arrays_round_trip_bit_for_bit() {
        let ck = BubbleCheckpoint {
            interval: 2,
            time_s: 3.0000000000000004e-7,
            slots: (0..5).map(slot).collect(),
            dissolved: vec![
                std::array::from_fn(|k| 1.0 + k as f64 + f64::EPSILON),
                std::array::from_fn(|k| f64::from_bits(3 + k as u64)),
            ],
            bubble_intervals: 9,
            trace: PrimaryTrace {
                time_s: vec![0.0, 1e-7, 2e-7],
                radius_m: vec![1e-6, 1.1e-6, 0.1 + 0.2],
            },
        };
        let back = BubbleCheckpoint::from_arrays(&ck.to_arrays()).unwrap();
        assert_eq!(back.slots.len(), ck.slots.len());
        for (i, (b, c)) in back.slots.iter().zip(&ck.slots).enumerate() {
            for ((name, got), (_, want)) in slot_bits(b).into_iter().zip(slot_bits(c)) {
                assert_eq!(got, want, "slot {i} field {name}: {got:#x} vs {want:#x}");
            }
        }
        let f64_bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(back.dissolved.len(), ck.dissolved.len());
        for (b, c) in back.dissolved.iter().zip(&ck.dissolved) {
            assert_eq!(f64_bits(b), f64_bits(c));
        }
        assert_eq!(f64_bits(&back.trace.time_s), f64_bits(&ck.trace.time_s));
        assert_eq!(f64_bits(&back.trace.radius_m), f64_bits(&ck.trace.radius_m));
        assert_eq!(back.time_s.to_bits(), ck.time_s.to_bits());
        assert_eq!((back.interval, back.bubble_intervals), (2, 9));
    }

    #[test]
    fn missing_or_short_arrays_are_errors() {
        let ck = BubbleCheckpoint {
            interval: 0,
            time_s: 0.0,
            slots: vec![slot(1)],
            dissolved: vec![[0.0; SPECIES_COUNT]],
            bubble_intervals: 0,
            trace: PrimaryTrace {
                time_s: vec![0.0],
                radius_m: vec![1.0],
            },
        };
        let mut a = ck.to_arrays();
        a.f64_arrays.remove("slot_err_prev");
        assert!(matches!(
            BubbleCheckpoint::from_arrays(&a),
            Err(CheckpointError::Missing(n)) if n == "slot_err_prev"
        ));
        let mut a = ck.to_arrays();
        a.u64_arrays.insert("slot_accepted".into(), vec![1, 2]);
        assert!(matches!(
            BubbleCheckpoint::from_arrays(&a),
            Err(CheckpointError::Length { .. })
        ));
    }
}
