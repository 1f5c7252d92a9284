//! What a bubble-field run's file holds (`cavitas run|bubble -o out.h5` with `[[group]]`
//! tables): the primary bubble's series, the per-group snapshots and the per-bubble final
//! arrays, each declared once.

use cavitas_solver::bubbles::field::BubbleField;
use cavitas_solver::bubbles::observer::IntervalSample;
use cavitas_solver::bubbles::run::GroupState;
use cavitas_solver::bubbles::species::GasSpecies;
use cavitas_solver::bubbles::state::BubbleStatus;

use crate::table::{Category, Field, Table};

/// Codes of `/bubbles/final/status`.
pub const STATUSES: &[Category] = &[(0, "active"), (1, "vanished"), (2, "failed")];

/// One row of the primary bubble's series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimarySample {
    /// Time (s).
    pub time_s: f64,
    /// Radius (m).
    pub radius_m: f64,
}

impl From<&IntervalSample<'_>> for PrimarySample {
    fn from(s: &IntervalSample<'_>) -> Self {
        Self {
            time_s: s.time_s,
            radius_m: s.primary_radius_m,
        }
    }
}

/// `/bubbles/primary`: the primary bubble (largest nucleus of the first group), one row per
/// interval.
pub fn primary_table() -> Table<PrimarySample> {
    Table {
        group: "bubbles/primary",
        fields: vec![
            Field::new("t", "s", "time", |s: &PrimarySample| s.time_s),
            Field::new(
                "radius",
                "m",
                "radius of the primary bubble (largest nucleus of the first group)",
                |s: &PrimarySample| s.radius_m,
            ),
        ],
    }
}

/// `/bubbles/groups`: per-group sums, one column per group in each snapshot.
pub fn group_table() -> Table<GroupState> {
    let mut fields = vec![
        Field::new(
            "gas_volume",
            "m^3",
            "gas volume of the group's active bubbles",
            |g: &GroupState| g.gas_volume_m3,
        ),
        Field::new(
            "gas_volume_rate",
            "m^3/s",
            "its first time derivative",
            |g: &GroupState| g.gas_volume_rate_m3_s,
        ),
        Field::new(
            "gas_volume_acceleration",
            "m^3/s^2",
            "its second time derivative",
            |g: &GroupState| g.gas_volume_acceleration_m3_s2,
        ),
    ];
    for species in GasSpecies::ALL {
        fields.push(Field::new(
            format!("bubble_gas_{}", species.name()),
            "mol",
            format!("{} held by the group's active bubbles", species.formula()),
            move |g: &GroupState| g.bubble_gas_mol[species],
        ));
    }
    for species in GasSpecies::ALL {
        fields.push(Field::new(
            format!("dissolved_gas_{}", species.name()),
            "mol",
            format!("{} dissolved in the group's liquid", species.formula()),
            move |g: &GroupState| g.dissolved_gas_mol[species],
        ));
    }
    fields.push(Field::new(
        "active",
        "1",
        "active bubbles of the group",
        |g: &GroupState| f64::from(g.active),
    ));
    Table {
        group: "bubbles/groups",
        fields,
    }
}

/// One bubble at the end of a bubble-field run, SI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FinalBubble {
    /// Largest radius while active (m).
    pub radius_max_m: f64,
    /// Smallest radius while active (m).
    pub radius_min_m: f64,
    /// When it vanished or failed (s); NaN while active.
    pub t_event_s: f64,
    /// Its status.
    pub status: BubbleStatus,
    /// Its group.
    pub group: u32,
}

impl FinalBubble {
    /// Every bubble of `field`, SI.
    pub fn all(field: &BubbleField) -> Vec<Self> {
        let l = field.scales.length_m;
        let time = field.scales.time_s();
        field
            .slots
            .iter()
            .map(|s| Self {
                radius_max_m: s.r_max * l,
                radius_min_m: s.r_min * l,
                t_event_s: if s.status == BubbleStatus::Active {
                    f64::NAN
                } else {
                    s.t_event * time
                },
                status: s.status,
                group: s.group,
            })
            .collect()
    }
}

/// `/bubbles/final`: one row per bubble.
pub fn final_table() -> Table<FinalBubble> {
    Table {
        group: "bubbles/final",
        fields: vec![
            Field::new(
                "radius_max",
                "m",
                "largest radius of the bubble while active",
                |b: &FinalBubble| b.radius_max_m,
            ),
            Field::new(
                "radius_min",
                "m",
                "smallest radius of the bubble while active",
                |b: &FinalBubble| b.radius_min_m,
            ),
            Field::new(
                "t_event",
                "s",
                "time the bubble vanished or failed; NaN while active",
                |b: &FinalBubble| b.t_event_s,
            ),
            Field::category(
                "status",
                "the bubble's status",
                STATUSES,
                |b: &FinalBubble| f64::from(b.status as u32),
            ),
            Field::new(
                "group",
                "1",
                "index of the bubble's group (row of /bubbles/groups)",
                |b: &FinalBubble| f64::from(b.group),
            ),
        ],
    }
}
