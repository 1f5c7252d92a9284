//! What a coupled joint run's file holds (`cavitas run -o out.h5`): the `/joint` time
//! series, the `/bubbles` snapshot fields, the `/bubbles/final` records and the
//! `/event_state` table, each declared once.

use cavitas_solver::bubbles::species::GasSpecies;
use cavitas_solver::coupling::cavity_population::{BubbleRecord, BubbleState};
use cavitas_solver::coupling::crack_events::CrackEvent;
use cavitas_solver::coupling::{JointSample, Phase};

use crate::table::{Category, Field, Table};

/// Codes of `/joint/phase`.
pub const PHASES: &[Category] = &[
    (0, "creep (no cavity)"),
    (1, "crack (dynamic bubbles)"),
    (2, "cavity (settled)"),
];
/// Codes of `/bubbles/regime` and `/bubbles/final/regime` ([`BubbleRegime::code`]).
///
/// [`BubbleRegime::code`]: cavitas_solver::coupling::cavity_population::BubbleRegime::code
pub const REGIMES: &[Category] = &[
    (0, "dormant nucleus"),
    (1, "dynamic"),
    (2, "settled cavity"),
    (3, "gone"),
];

/// The code of `phase` in `/joint/phase`.
pub fn phase_code(phase: Phase) -> u8 {
    match phase {
        Phase::Creep => 0,
        Phase::Crack => 1,
        Phase::Cavity => 2,
    }
}

/// The names readers of `/joint` use (the validation crate), declared once: the table
/// below is built from them, so a renamed column breaks the readers at compile time.
pub mod joint_column {
    /// The group holding the table.
    pub const GROUP: &str = "joint";
    /// Time (s).
    pub const TIME: &str = "t";
    /// Gap between the articular surfaces (m).
    pub const GAP: &str = "gap";
    /// Volume of all bubbles, vapour and gas together (m³).
    pub const CAVITY_VOLUME: &str = "cavity_volume";
}

/// `/joint`: one row per accepted macro step (the joint at rest first).
pub fn joint_table() -> Table<JointSample> {
    let mut fields = vec![
        Field::new(joint_column::TIME, "s", "time", |s: &JointSample| s.time_s),
        Field::new(
            joint_column::GAP,
            "m",
            "gap h between the articular surfaces",
            |s: &JointSample| s.gap_m,
        ),
        Field::new("gap_speed", "m/s", "dh/dt", |s: &JointSample| {
            s.gap_speed_m_s
        }),
        Field::new(
            "force",
            "N",
            "applied axial load (for an opening protocol: the force it takes)",
            |s: &JointSample| s.force_n,
        ),
        Field::new(
            "pressure",
            "Pa",
            "synovial fluid pressure, absolute (negative = tension)",
            |s: &JointSample| s.pressure_pa,
        ),
        Field::new(
            "capsule_volume",
            "m^3",
            "volume enclosed by the capsule",
            |s: &JointSample| s.capsule_volume_m3,
        ),
        Field::new(
            joint_column::CAVITY_VOLUME,
            "m^3",
            "volume of all bubbles: water vapour and non-condensable gas together",
            |s: &JointSample| s.cavity_volume_m3,
        ),
        Field::new(
            "vapour_volume",
            "m^3",
            "water vapour's share of cavity_volume (Amagat partial volume, p_v (V - N b)/(p_g + p_v) per bubble)",
            |s: &JointSample| s.vapour_volume_m3,
        ),
        Field::new(
            "gas_volume_1atm",
            "m^3",
            "volume the bubbles' non-condensable gas would fill at 1 atm and 37 C (ideal gas with the model's co-volume)",
            |s: &JointSample| s.gas_volume_at_1atm_m3,
        ),
        Field::new(
            "gas_volume_acceleration",
            "m^3/s^2",
            "second time derivative of the dynamic bubbles' volume (the acoustic source)",
            |s: &JointSample| s.gas_volume_acceleration_m3_s2,
        ),
    ];
    for species in GasSpecies::ALL {
        fields.push(Field::new(
            format!("bubble_gas_{}", species.name()),
            "mol",
            format!("{} held by the bubbles", species.formula()),
            move |s: &JointSample| s.bubble_gas_mol[species],
        ));
    }
    for species in GasSpecies::ALL {
        fields.push(Field::new(
            format!("dissolved_gas_{}", species.name()),
            "mol",
            format!("{} dissolved in the synovial fluid", species.formula()),
            move |s: &JointSample| s.dissolved_gas_mol[species],
        ));
    }
    for species in GasSpecies::ALL {
        fields.push(Field::new(
            format!("perfusion_gas_{}", species.name()),
            "mol",
            format!(
                "{} the fluid has gained from the blood by perfusion since the start (negative: carried away); bubble + dissolved - perfusion = initial",
                species.formula()
            ),
            move |s: &JointSample| s.perfusion_gas_mol[species],
        ));
    }
    fields.push(Field::new(
        "dynamic_bubbles",
        "1",
        "bubbles integrated dynamically",
        |s: &JointSample| f64::from(s.dynamic_bubbles),
    ));
    fields.push(Field::category(
        "phase",
        "what the joint is doing",
        PHASES,
        |s: &JointSample| f64::from(phase_code(s.phase)),
    ));
    Table {
        group: joint_column::GROUP,
        fields,
    }
}

/// `/bubbles`: the fields of each snapshot of every nucleus present at the start.
pub fn bubble_snapshot_table() -> Table<BubbleState> {
    let mut fields = vec![
        Field::new(
            "radius",
            "m",
            "bubble radius R (NaN once gone)",
            |b: &BubbleState| b.radius_m,
        ),
        Field::new(
            "wall_velocity",
            "m/s",
            "dR/dt (0 for a bubble held in equilibrium)",
            |b: &BubbleState| b.wall_velocity_m_s,
        ),
    ];
    for species in GasSpecies::ALL {
        fields.push(Field::new(
            format!("moles_{}", species.name()),
            "mol",
            format!("{} in the bubble", species.formula()),
            move |b: &BubbleState| b.gas_mol[species],
        ));
    }
    fields.push(Field::category(
        "regime",
        "the bubble's regime",
        REGIMES,
        |b: &BubbleState| f64::from(b.regime.code()),
    ));
    Table {
        group: "bubbles",
        fields,
    }
}

/// `/bubbles/final`: one row per bubble ever made (besides `position`, `[b, 3]`).
pub fn bubble_record_table() -> Table<BubbleRecord> {
    Table {
        group: "bubbles/final",
        fields: vec![
            Field::new(
                "initial_radius",
                "m",
                "radius the bubble started with",
                |r: &BubbleRecord| r.initial_radius_m,
            ),
            Field::new(
                "max_radius",
                "m",
                "largest radius the bubble reached",
                |r: &BubbleRecord| r.max_radius_m,
            ),
            Field::new(
                "activated_at",
                "s",
                "when the bubble's dynamics began (it reached its Blake threshold); NaN if never",
                |r: &BubbleRecord| r.activated_at_s.unwrap_or(f64::NAN),
            ),
            Field::category(
                "tribonucleated",
                "where the bubble came from",
                &[
                    (0, "drawn from the nuclei"),
                    (1, "made at the separating contact"),
                ],
                |r: &BubbleRecord| f64::from(u8::from(r.tribonucleated)),
            ),
            Field::category(
                "regime",
                "regime at the end",
                REGIMES,
                |r: &BubbleRecord| f64::from(r.regime.code()),
            ),
        ],
    }
}

/// `/event_state`: the joint at each event of `/events`.
pub fn event_state_table() -> Table<CrackEvent> {
    Table {
        group: "event_state",
        fields: vec![
            Field::new(
                "force",
                "N",
                "applied force at each event of /events",
                |e: &CrackEvent| e.force_n,
            ),
            Field::new(
                "gap",
                "m",
                "gap at each event of /events",
                |e: &CrackEvent| e.gap_m,
            ),
            Field::new(
                "pressure",
                "Pa",
                "fluid pressure (absolute) at each event of /events",
                |e: &CrackEvent| e.pressure_pa,
            ),
        ],
    }
}
