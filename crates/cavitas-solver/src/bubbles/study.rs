//! Runs a bubble-field scenario and reports its figures: collapse and dissolution times,
//! the dominant frequency and Blake threshold of the primary bubble, gas conservation, and
//! per-bubble radius extremes — each beside its analytic reference where one exists.

use std::time::Instant;

use serde::Serialize;

use super::backend::{BackendDescription, BubbleBackend};
use super::checkpoint::BubbleCheckpoint;
use super::field::BubbleField;
use super::nuclei::GasContent;
use super::observer::{IntervalSample, StudyStart};
use super::per_species::PerSpecies;
use super::run::{BubbleError, BubbleRun, PressureSpan};
use super::scenario::{BubbleScenario, BuiltGroup};
use super::species::GasSpecies;
use super::state::BubbleStatus;
use crate::analysis::reference::{EpsteinPlesset, minnaert_frequency_hz, rayleigh_collapse_time_s};
use crate::analysis::spectrum::dominant_frequency_hz;
use crate::driver::{
    NoObserver, Progress, RunObserver, RunStart, RunView, ScenarioKind, SolverCheckpoint,
};

/// Per-bubble arrays are left out of the summary above this many bubbles.
pub const PER_BUBBLE_LIMIT: usize = 100_000;

/// Gas per species, mol.
pub type SpeciesMoles = PerSpecies<f64>;

/// Analytic references for the primary bubble, where the scenario matches their assumptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct References {
    /// Rayleigh collapse time of an empty cavity under the initial pressure difference, s.
    pub rayleigh_collapse_time_s: Option<f64>,
    /// Minnaert frequency with the surface-tension correction, Hz.
    pub minnaert_frequency_hz: Option<f64>,
    /// Epstein–Plesset lifetime of a single-species bubble, s.
    pub epstein_plesset_lifetime_s: Option<f64>,
}

/// End state of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub name: String,
    pub bubbles: usize,
    pub active: usize,
    pub vanished: usize,
    /// Gas volume of the active bubbles at the end, m³.
    pub gas_volume_m3: f64,
    /// Gas in the bubbles at the end, mol.
    pub bubble_gas_mol: SpeciesMoles,
    /// Gas dissolved in the liquid at the end, mol.
    pub dissolved_gas_mol: SpeciesMoles,
    /// Blake threshold of the largest nucleus, Pa.
    pub blake_threshold_pa: Option<f64>,
}

/// Figures of a bubble-field run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BubbleSummary {
    pub backend: BackendDescription,
    pub bubble_count: usize,
    pub group_count: usize,
    /// Simulated time, s.
    pub duration_s: f64,
    pub intervals: u64,
    pub accepted_steps: u64,
    pub rejected_steps: u64,
    /// Right-hand-side evaluations: six per attempted step plus one per bubble per interval.
    pub rhs_evaluations: u64,
    /// Wall-clock time of the run, s.
    pub wall_time_s: f64,
    /// Index of the primary bubble: the largest nucleus of the first group.
    pub primary_bubble: usize,
    /// When the primary bubble, an empty cavity, collapsed, s.
    pub collapse_time_s: Option<f64>,
    /// When the primary bubble, a gas bubble, dissolved, s.
    pub dissolution_time_s: Option<f64>,
    /// Dominant frequency of the primary bubble's radius, Hz (none once it vanished).
    pub dominant_frequency_hz: Option<f64>,
    /// Blake threshold of the primary bubble, Pa.
    pub blake_threshold_pa: Option<f64>,
    /// Its critical radius, m.
    pub critical_radius_m: Option<f64>,
    /// Whether the primary bubble grew past twice its critical radius.
    pub grew: Option<bool>,
    /// Largest radius of the primary bubble, m.
    pub primary_radius_max_m: f64,
    pub references: References,
    /// Gas in bubbles and liquid at the start and end, all groups, mol.
    pub gas_moles_initial: f64,
    pub gas_moles_final: f64,
    /// `(final − initial) / initial` (dimensionless).
    pub gas_moles_relative_change: f64,
    /// Largest and smallest radius of every bubble, m (omitted above [`PER_BUBBLE_LIMIT`]).
    pub radius_max_m: Option<Vec<f64>>,
    pub radius_min_m: Option<Vec<f64>>,
    pub groups: Vec<GroupSummary>,
}

/// Radius samples of the primary bubble.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrimaryTrace {
    pub time_s: Vec<f64>,
    pub radius_m: Vec<f64>,
}

/// What a study returns.
#[derive(Debug)]
pub struct BubbleOutcome {
    /// The scenario that ran.
    pub scenario: BubbleScenario,
    pub summary: BubbleSummary,
    pub trace: PrimaryTrace,
    pub field: BubbleField,
}

/// Runs `scenario` (already checked) on `backend`, unobserved.
pub fn run_bubble_scenario(
    scenario: &BubbleScenario,
    backend: Box<dyn BubbleBackend>,
) -> Result<BubbleOutcome, BubbleError> {
    run_bubble_study(scenario, backend, None, &mut NoObserver, None)
}

/// Runs `scenario` (already checked) on `backend`, from the start or from `resume` (a
/// checkpoint of the same scenario), reporting every interval and its progress to
/// `observer` and handing it a checkpoint whenever `checkpoint_interval_s` of wall time has
/// passed since the last one (never after the last interval: the run is then finishing). A
/// resumed run ends, on the CPU backend, bit for bit as the uninterrupted one; its
/// `wall_time_s` counts this session only. `notice` says how the backend was chosen.
pub fn run_bubble_study(
    scenario: &BubbleScenario,
    backend: Box<dyn BubbleBackend>,
    notice: Option<&str>,
    observer: &mut dyn RunObserver,
    resume: Option<BubbleCheckpoint>,
) -> Result<BubbleOutcome, BubbleError> {
    let started = Instant::now();
    let (mut field, built) = scenario.build_field();
    let initial = field.clone();
    let gas_moles_initial = field.total_gas_moles();
    let primary = built[0].primary;
    let intervals = (scenario.duration_s / scenario.sample_interval_s)
        .round()
        .max(1.0) as u64;
    let dt = scenario.duration_s / intervals as f64;
    let near_field = scenario.model.near_field_coupling;
    let observed = |e| BubbleError::Observer(e);
    let resumed = resume.is_some();
    let (mut run, mut trace, mut bubble_intervals, first) = match resume {
        None => (
            BubbleRun::new(field, backend, near_field)?,
            PrimaryTrace::default(),
            0u64,
            0u64,
        ),
        Some(ck) => {
            ck.check_fits(&field, intervals)?;
            ck.apply_to(&mut field);
            let run = BubbleRun::restore(field, backend, near_field, ck.time_s)?;
            (run, ck.trace, ck.bubble_intervals, ck.interval)
        }
    };
    let backend = run.backend();
    observer
        .on_start(RunStart {
            kind: ScenarioKind::BubbleField,
            backend: Some(&backend),
            notice,
            resumed,
            view: RunView::BubbleFieldStart(StudyStart {
                field: &initial,
                primary,
                intervals,
                interval_s: dt,
                first_interval: first,
            }),
        })
        .map_err(observed)?;
    if first == 0 {
        let r0 = run.radii_m(&[primary])?[0];
        trace.time_s.push(0.0);
        trace.radius_m.push(r0);
        observer
            .on_sample(RunView::BubbleFieldInterval(IntervalSample {
                interval: 0,
                time_s: 0.0,
                primary_radius_m: r0,
                groups: &run.group_states(),
            }))
            .map_err(observed)?;
    }
    let cadence = std::time::Duration::from_secs_f64(scenario.checkpoint_interval_s);
    let mut last_checkpoint = Instant::now();
    for step in first..intervals {
        let t0 = step as f64 * dt;
        let t1 = (step + 1) as f64 * dt;
        let spans: Vec<PressureSpan> = built
            .iter()
            .map(|b| {
                let protocol = &scenario.groups[b.spec].pressure;
                PressureSpan {
                    start_pa: protocol.pressure_pa(t0, b.blake_threshold_pa),
                    end_pa: protocol.pressure_pa(t1, b.blake_threshold_pa),
                }
            })
            .collect();
        bubble_intervals += run
            .group_states()
            .iter()
            .map(|g| u64::from(g.active))
            .sum::<u64>();
        run.advance(dt, &spans)?;
        let r = run.radii_m(&[primary])?[0];
        trace.time_s.push(t1);
        trace.radius_m.push(r);
        observer
            .on_sample(RunView::BubbleFieldInterval(IntervalSample {
                interval: step + 1,
                time_s: t1,
                primary_radius_m: r,
                groups: &run.group_states(),
            }))
            .map_err(observed)?;
        if step + 1 < intervals
            && observer.wants_checkpoints()
            && last_checkpoint.elapsed() >= cadence
        {
            let time_s = run.time_s();
            let field = run.sync()?;
            let checkpoint = BubbleCheckpoint {
                interval: step + 1,
                time_s,
                slots: field.slots.clone(),
                dissolved: field.groups.iter().map(|g| g.dissolved.0).collect(),
                bubble_intervals,
                trace: trace.clone(),
            };
            observer
                .on_checkpoint(&SolverCheckpoint::BubbleField(Box::new(checkpoint)))
                .map_err(observed)?;
            last_checkpoint = Instant::now();
        }
        observer.on_progress(&Progress {
            fraction: (step + 1) as f64 / intervals as f64,
            time_s: t1,
            joint: None,
        });
    }
    let states = run.group_states();
    let field = run.sync()?.clone();
    let wall_time_s = started.elapsed().as_secs_f64();
    let summary = summarize(
        scenario,
        &initial,
        &field,
        &built,
        &states,
        &trace,
        Counters {
            backend,
            intervals,
            bubble_intervals,
            wall_time_s,
            gas_moles_initial,
        },
    );
    Ok(BubbleOutcome {
        scenario: scenario.clone(),
        summary,
        trace,
        field,
    })
}

struct Counters {
    backend: BackendDescription,
    intervals: u64,
    bubble_intervals: u64,
    wall_time_s: f64,
    gas_moles_initial: f64,
}

fn summarize(
    scenario: &BubbleScenario,
    initial: &BubbleField,
    field: &BubbleField,
    built: &[BuiltGroup],
    states: &[super::run::GroupState],
    trace: &PrimaryTrace,
    counters: Counters,
) -> BubbleSummary {
    let l = field.scales.length_m;
    let time = field.scales.time_s();
    let primary = built[0].primary;
    let spec = &scenario.groups[built[0].spec];
    let slot = &field.slots[primary];
    let start = &initial.slots[primary];
    let empty = spec.nuclei.gas == GasContent::Empty;
    let vanished_at = (slot.status == BubbleStatus::Vanished).then_some(slot.t_event * time);
    let accepted: u64 = field.slots.iter().map(|s| u64::from(s.accepted)).sum();
    let rejected: u64 = field.slots.iter().map(|s| u64::from(s.rejected)).sum();
    let liquid = &scenario.liquid;
    let p0 = spec.pressure.initial_pa();
    let r_eq = start.v_ref.cbrt() * (3.0 / (4.0 * std::f64::consts::PI)).cbrt() * l;
    let finite = |x: f64| x.is_finite().then_some(x);
    let critical = finite(built[0].critical_radius_m);
    let gas_moles_final = field.total_gas_moles();

    let mut references = References::default();
    if empty {
        references.rayleigh_collapse_time_s = Some(rayleigh_collapse_time_s(
            start.y.r * l,
            liquid.density_kg_m3,
            p0 - liquid.vapour_pressure_pa,
        ));
    } else {
        references.minnaert_frequency_hz = Some(minnaert_frequency_hz(
            r_eq,
            liquid.density_kg_m3,
            p0,
            liquid.surface_tension_n_m,
            liquid.vapour_pressure_pa,
            scenario.model.effective_polytropic_index(),
        ));
        let total: f64 = start.y.n.iter().sum();
        let single = GasSpecies::ALL
            .into_iter()
            .find(|s| start.y.n[s.index()] == total);
        if let (true, Some(species)) = (scenario.model.mass_transfer, single) {
            let h = species.henry_mol_m3_pa(liquid.temperature_k);
            references.epstein_plesset_lifetime_s = EpsteinPlesset {
                radius_m: start.y.r * l,
                ambient_pa: p0,
                surface_tension_n_m: liquid.surface_tension_n_m,
                vapour_pressure_pa: liquid.vapour_pressure_pa,
                henry_mol_m3_pa: h,
                diffusivity_m2_s: species.diffusivity_37c_m2_s(),
                far_field_mol_m3: h * spec.dissolved.as_array()[species.index()],
                temperature_k: liquid.temperature_k,
            }
            .lifetime_s(4000);
        }
    }

    let per_bubble = field.len() <= PER_BUBBLE_LIMIT;
    let groups = field
        .groups
        .iter()
        .zip(states)
        .zip(built)
        .map(|((g, st), b)| {
            let slots = &field.slots[g.bubbles.clone()];
            GroupSummary {
                name: g.name.clone(),
                bubbles: slots.len(),
                active: slots
                    .iter()
                    .filter(|s| s.status == BubbleStatus::Active)
                    .count(),
                vanished: slots
                    .iter()
                    .filter(|s| s.status == BubbleStatus::Vanished)
                    .count(),
                gas_volume_m3: st.gas_volume_m3,
                bubble_gas_mol: st.bubble_gas_mol,
                dissolved_gas_mol: st.dissolved_gas_mol,
                blake_threshold_pa: finite(b.blake_threshold_pa),
            }
        })
        .collect();

    BubbleSummary {
        backend: counters.backend,
        bubble_count: field.len(),
        group_count: field.groups.len(),
        duration_s: scenario.duration_s,
        intervals: counters.intervals,
        accepted_steps: accepted,
        rejected_steps: rejected,
        rhs_evaluations: 6 * (accepted + rejected) + counters.bubble_intervals,
        wall_time_s: counters.wall_time_s,
        primary_bubble: primary,
        collapse_time_s: if empty { vanished_at } else { None },
        dissolution_time_s: if empty { None } else { vanished_at },
        // A vanished bubble's trace is flat after the event: no oscillation to report.
        dominant_frequency_hz: if vanished_at.is_some() {
            None
        } else {
            dominant_frequency_hz(
                &trace.radius_m,
                scenario.duration_s / counters.intervals as f64,
            )
        },
        blake_threshold_pa: finite(built[0].blake_threshold_pa),
        critical_radius_m: critical,
        grew: critical.map(|rc| slot.r_max * l > 2.0 * rc),
        primary_radius_max_m: slot.r_max * l,
        references,
        gas_moles_initial: counters.gas_moles_initial,
        gas_moles_final,
        gas_moles_relative_change: (gas_moles_final - counters.gas_moles_initial)
            / counters.gas_moles_initial,
        radius_max_m: per_bubble.then(|| field.slots.iter().map(|s| s.r_max * l).collect()),
        radius_min_m: per_bubble.then(|| field.slots.iter().map(|s| s.r_min * l).collect()),
        groups,
    }
}
