//! The figures a researcher reads off a coupled run, in SI-derived units named in each key.

use serde::Serialize;

use crate::acoustics::AcousticReport;
use crate::bubbles::backend::BackendDescription;
use crate::bubbles::per_species::PerSpecies;

use super::crack_events::{Crack, CrackEvent, CrackEventKind};
use super::crack_run::{CrackError, CrackRun, StepStatistics};
use super::gas_budget::GasBudget;
use super::refractory::RefractoryOutcome;
use super::released_gas::compute_gas_volume_at_reference_m3;

/// Longest dissolution the summary predicts (s; ~11.6 days): a cavity that outlasts it is
/// reported as not dissolving.
pub const DISSOLUTION_HORIZON_S: f64 = 1e6;

/// Mole fractions of the cavity's gas, per species.
pub type GasComposition = PerSpecies<f64>;

/// The summary of a coupled run (`cavitas run --json` prints it).
#[derive(Debug, Clone, Serialize)]
pub struct CrackSummary {
    /// Whether the joint cracked (a cavitation with a gap jump).
    pub crack: bool,
    /// Time of the first crack: the largest gap speed of its jump (s).
    pub t_crack_s: Option<f64>,
    /// Applied force then (N).
    pub force_at_crack_n: Option<f64>,
    /// Gap at the cavitation onset of that crack (mm).
    pub gap_before_mm: Option<f64>,
    /// Gap `events.settle_s` after the crack (mm).
    pub gap_after_mm: Option<f64>,
    /// Gap at rest, before any load (mm).
    pub gap_at_rest_mm: f64,
    /// Gap at the end of the run, after the load's release (mm; for a thrust, back at the
    /// preload). What it keeps over `gap_at_rest_mm` (or over a control run's, with
    /// `nuclei.enabled = false`) is held by the residual cavity's volume: the capsule and
    /// ligaments are elastic, with no creep.
    pub gap_after_release_mm: f64,
    /// Cavitation onset of the first crack (s).
    pub cavitation_onset_s: Option<f64>,
    /// Fluid pressure at that onset (Pa, absolute; negative is tension).
    pub onset_pressure_pa: Option<f64>,
    /// Fluid pressure at rest, where the nuclei are in equilibrium (Pa, absolute).
    pub rest_pressure_pa: f64,
    /// Lowest fluid pressure of the run (Pa, absolute).
    pub min_pressure_pa: f64,
    /// Largest volume of the cavity over the run (mm³): water vapour and non-condensable
    /// gas together (all bubbles; the dormant nuclei add a negligible volume). Not a gas
    /// volume: a cavity opened at a few kPa is mostly vapour.
    pub cavity_volume_peak_mm3: f64,
    /// The water vapour's share of that volume at the same instant (mm³): per bubble
    /// `p_v (V − N b)/(p_g + p_v)`, Amagat's partial volume under the model's equation of
    /// state ([`super::released_gas::compute_vapour_share`]).
    pub vapour_volume_peak_mm3: f64,
    /// The non-condensable gas the crack released, per species (mol): the cavity's gas when
    /// it held the most.
    pub released_gas_mol: Option<PerSpecies<f64>>,
    /// That gas's volume at 1 atm and 37 °C (mm³): `Σ_k n_k (R T/p + b_k)`, the ideal gas
    /// with the model's van der Waals co-volume `b_k` (zero with `bubbles.hard_core = false`),
    /// [`super::released_gas`].
    pub released_gas_mm3_at_1atm: Option<f64>,
    /// Released gas over the joint's fluid, as the published figure defines it: the gas
    /// volume at atmospheric pressure (`released_gas_mm3_at_1atm`) over the joint's fluid
    /// volume `V_f` (dimensionless). Unsworth, Dowson & Wright (1971), Ann Rheum Dis
    /// 30:348, as cited by Brodeur (1995), JMPT 18:155 [S]: "about 15 % of joint volume".
    pub released_gas_fraction_of_joint: Option<f64>,
    /// Mole fractions of the cavity's gas when it held the most gas: the gas the crack
    /// released (what Brodeur's ~80 % CO2 describes).
    pub gas_composition: Option<GasComposition>,
    /// The most gas the cavity held (mol, all species).
    pub cavity_gas_peak_mol: Option<f64>,
    /// Mole fractions of the cavity's gas at the end (or when it was last present).
    pub gas_composition_end: Option<GasComposition>,
    /// Volume of the cavity at the end (mm³; vapour and gas, the bubbles that cavitated).
    pub residual_cavity_mm3: f64,
    /// Predicted time for that residual cavity to dissolve (s, from the end of the run),
    /// with the fluid held at its final pressure: the model's quasi-static Epstein–Plesset
    /// rate with perfusion ([`super::cavity_population::CavityPopulation::predict_dissolution_s`]).
    /// `None` without a residual cavity, or when it outlasts [`DISSOLUTION_HORIZON_S`].
    pub residual_dissolution_time_s: Option<f64>,
    /// Listener distances (m), in the order of the per-listener arrays.
    pub listener_distances_m: Vec<f64>,
    /// Peak SPL in air at each listener (dB re 20 µPa) as a 44.1 kHz microphone records it.
    pub spl_db: Vec<Option<f64>>,
    /// RMS SPL in air over the pop at each listener (dB re 20 µPa).
    pub rms_spl_db: Vec<Option<f64>>,
    /// Peak pressure in air at each listener (Pa).
    pub peak_pressure_air_pa: Vec<f64>,
    /// Peak pressure in tissue at each listener distance (Pa).
    pub peak_pressure_tissue_pa: Vec<f64>,
    /// Dominant frequency of the pop at the nearest listener (Hz).
    pub dominant_frequency_hz: Option<f64>,
    /// Duration of the pop at the nearest listener (ms).
    pub pop_duration_ms: Option<f64>,
    /// `1 − R_min/R_max` of the main cavity after its first growth.
    pub collapse_fraction: Option<f64>,
    /// Shortest wait after which the joint cracks again (s; refractory protocol only).
    pub refractory_period_s: Option<f64>,
    /// Every crack.
    pub cracks: Vec<Crack>,
    /// Every event, in time order.
    pub events: Vec<CrackEvent>,
    /// Nuclei drawn from the population.
    pub nuclei_count: usize,
    /// Their number per volume of fluid (1/m³).
    pub nuclei_per_m3: f64,
    /// Nuclei made by tribonucleation.
    pub tribonucleated_count: usize,
    /// Bubbles that ever became dynamic.
    pub activated_count: usize,
    /// Fluid volume (m³).
    pub fluid_volume_m3: f64,
    /// Largest `|V_enclosed − V_gas − V_f| / V_f` over the run: the volume constraint.
    pub fluid_volume_max_relative_error: f64,
    /// Where the gas went: bubbles, dissolved, and the perfusion exchange with the blood;
    /// it closes to rounding.
    pub gas_budget: GasBudget,
    /// Simulated time (s).
    pub duration_s: f64,
    /// Step counters.
    pub statistics: StepStatistics,
    /// Backend of the dynamic bubbles.
    pub backend: BackendDescription,
    /// Refractory bisection details.
    pub refractory: Option<RefractoryOutcome>,
}

impl CrackSummary {
    /// Summarises a finished run and its acoustic analysis.
    pub fn new(
        run: &mut CrackRun,
        sound: &AcousticReport,
        refractory: Option<RefractoryOutcome>,
    ) -> Result<Self, CrackError> {
        let series = run.series();
        let fluid = run.context().fluid_volume_m3;
        let mut monitor = run.monitor().clone();
        monitor.finish();
        let first = monitor.cracks().first().copied();
        let (peak_index, _) = series
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.cavity_volume_m3))
            .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
        let peak = series[peak_index];
        let gas_budget = GasBudget::from_samples(series).expect("a sample at rest");
        let end = *series.last().expect("a sample");
        let end_pressure_pa = end.pressure_pa;
        let gap_at_rest_mm = series[0].gap_m * 1e3;
        let fluid_error = series
            .iter()
            .map(|s| (s.capsule_volume_m3 - s.cavity_volume_m3 - fluid).abs() / fluid)
            .fold(0.0, f64::max);
        let rest_pressure_pa = series[0].pressure_pa;
        let min_pressure_pa = series
            .iter()
            .map(|s| s.pressure_pa)
            .fold(f64::INFINITY, f64::min);
        let duration_s = run.time_s();
        let statistics = run.statistics();
        let backend = run.backend();
        let mut events = monitor.events().to_vec();
        let nearest = sound.listeners.first();
        if let Some(l) = nearest
            && l.peak_pressure_air_pa > 0.0
            && monitor.cavitated()
        {
            // The joint at the last accepted step before the sound left it (listener time
            // minus the travel time through air).
            let emitted = l.peak_time_air_s - l.distance_m / sound.air.sound_speed_m_s;
            let at = series
                .iter()
                .rev()
                .find(|s| s.time_s <= emitted)
                .unwrap_or(&series[0]);
            events.push(CrackEvent {
                kind: CrackEventKind::PeakSound,
                time_s: l.peak_time_air_s,
                force_n: at.force_n,
                gap_m: at.gap_m,
                pressure_pa: at.pressure_pa,
                detail: format!(
                    "{:.3} Pa in air at {} m",
                    l.peak_pressure_air_pa, l.distance_m
                ),
            });
            events.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
        }
        let richest = run.richest_cavity();
        let hard_core = run.scenario().bubbles.hard_core;
        let released_gas_mol = richest.map(|(total, x)| x.map(|f| f * total));
        let released_gas_m3 = released_gas_mol
            .as_ref()
            .map(|n| compute_gas_volume_at_reference_m3(n, hard_core));
        let population = run.population();
        let records = population.records();
        let nuclei_count = records.iter().filter(|r| !r.tribonucleated).count();
        let tribonucleated_count = records.len() - nuclei_count;
        let activated_count = records
            .iter()
            .filter(|r| r.activated_at_s.is_some())
            .count();
        let residual = population.cavity_volume_m3()?;
        let residual_dissolution_time_s = if residual > 0.0 {
            population.predict_dissolution_s(end_pressure_pa, DISSOLUTION_HORIZON_S)?
        } else {
            None
        };
        let composition = population
            .cavity_composition()?
            .or(run.last_cavity_composition());
        Ok(Self {
            crack: first.is_some(),
            t_crack_s: first.map(|c| c.time_s),
            force_at_crack_n: first.map(|c| c.force_n),
            gap_before_mm: first.map(|c| c.gap_before_m * 1e3),
            gap_after_mm: first.and_then(|c| c.gap_after_m).map(|h| h * 1e3),
            gap_at_rest_mm,
            gap_after_release_mm: end.gap_m * 1e3,
            cavitation_onset_s: first.map(|c| c.onset_s),
            onset_pressure_pa: first.map(|c| c.onset_pressure_pa),
            rest_pressure_pa,
            min_pressure_pa,
            cavity_volume_peak_mm3: peak.cavity_volume_m3 * 1e9,
            vapour_volume_peak_mm3: peak.vapour_volume_m3 * 1e9,
            released_gas_mol,
            released_gas_mm3_at_1atm: released_gas_m3.map(|v| v * 1e9),
            released_gas_fraction_of_joint: released_gas_m3.map(|v| v / fluid),
            gas_composition: richest.map(|r| GasComposition::from(r.1)),
            cavity_gas_peak_mol: richest.map(|r| r.0),
            gas_composition_end: composition,
            residual_cavity_mm3: residual * 1e9,
            residual_dissolution_time_s,
            listener_distances_m: sound.listeners.iter().map(|l| l.distance_m).collect(),
            spl_db: sound.listeners.iter().map(|l| l.peak_spl_db).collect(),
            rms_spl_db: sound.listeners.iter().map(|l| l.rms_spl_db).collect(),
            peak_pressure_air_pa: sound
                .listeners
                .iter()
                .map(|l| l.peak_pressure_air_pa)
                .collect(),
            peak_pressure_tissue_pa: sound
                .listeners
                .iter()
                .map(|l| l.peak_pressure_tissue_pa)
                .collect(),
            dominant_frequency_hz: nearest.and_then(|l| l.dominant_frequency_hz),
            pop_duration_ms: nearest.and_then(|l| l.pop_duration_ms),
            collapse_fraction: sound
                .decomposition
                .as_ref()
                .and_then(|d| d.collapse_fraction),
            refractory_period_s: refractory.as_ref().and_then(|r| r.period_s),
            cracks: monitor.cracks().to_vec(),
            events,
            nuclei_count,
            nuclei_per_m3: nuclei_count as f64 / fluid,
            tribonucleated_count,
            activated_count,
            fluid_volume_m3: fluid,
            fluid_volume_max_relative_error: fluid_error,
            gas_budget,
            duration_s,
            statistics,
            backend,
            refractory,
        })
    }
}
