//! The figures a researcher reads off a coupled run, in SI-derived units named in each key.

use serde::Serialize;

use crate::acoustics::AcousticReport;
use crate::bubbles::backend::BackendDescription;
use crate::bubbles::per_species::PerSpecies;

use super::crack_events::{Crack, CrackEvent, CrackEventKind};
use super::crack_run::{CrackError, CrackRun, StepStatistics};
use super::refractory::RefractoryOutcome;

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
    /// Cavitation onset of the first crack (s).
    pub cavitation_onset_s: Option<f64>,
    /// Fluid pressure at that onset (Pa, absolute; negative is tension).
    pub onset_pressure_pa: Option<f64>,
    /// Fluid pressure at rest, where the nuclei are in equilibrium (Pa, absolute).
    pub rest_pressure_pa: f64,
    /// Lowest fluid pressure of the run (Pa, absolute).
    pub min_pressure_pa: f64,
    /// Largest gas (and vapour) volume of the run (mm³).
    pub gas_volume_peak_mm3: f64,
    /// That volume over the joint's enclosed volume at the same time.
    pub gas_volume_fraction_of_joint: f64,
    /// Mole fractions of the cavity's gas when it held the most gas: the gas the crack
    /// released (what Brodeur's ~80 % CO2 describes).
    pub gas_composition: Option<GasComposition>,
    /// The most gas the cavity held (mol).
    pub cavity_gas_peak_mol: Option<f64>,
    /// Mole fractions of the cavity's gas at the end (or when it was last present).
    pub gas_composition_end: Option<GasComposition>,
    /// Volume of the cavity at the end (mm³).
    pub residual_gas_mm3: f64,
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
    /// `(n_end − n_start) / n_start` of all gas (bubbles and dissolved); zero up to
    /// rounding without perfusion.
    pub gas_moles_relative_change: f64,
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
            .map(|(i, s)| (i, s.gas_volume_m3))
            .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
        let peak = series[peak_index];
        let total = |s: &super::crack_run::JointSample| {
            s.bubble_gas_mol
                .iter()
                .chain(&s.dissolved_gas_mol)
                .sum::<f64>()
        };
        let (n0, n1) = (total(&series[0]), total(series.last().expect("a sample")));
        let fluid_error = series
            .iter()
            .map(|s| (s.capsule_volume_m3 - s.gas_volume_m3 - fluid).abs() / fluid)
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
        let population = run.population();
        let records = population.records();
        let nuclei_count = records.iter().filter(|r| !r.tribonucleated).count();
        let tribonucleated_count = records.len() - nuclei_count;
        let activated_count = records
            .iter()
            .filter(|r| r.activated_at_s.is_some())
            .count();
        let residual = population.cavity_volume_m3()?;
        let composition = population
            .cavity_composition()?
            .or(run.last_cavity_composition());
        Ok(Self {
            crack: first.is_some(),
            t_crack_s: first.map(|c| c.time_s),
            force_at_crack_n: first.map(|c| c.force_n),
            gap_before_mm: first.map(|c| c.gap_before_m * 1e3),
            gap_after_mm: first.and_then(|c| c.gap_after_m).map(|h| h * 1e3),
            cavitation_onset_s: first.map(|c| c.onset_s),
            onset_pressure_pa: first.map(|c| c.onset_pressure_pa),
            rest_pressure_pa,
            min_pressure_pa,
            gas_volume_peak_mm3: peak.gas_volume_m3 * 1e9,
            gas_volume_fraction_of_joint: peak.gas_volume_m3 / peak.capsule_volume_m3,
            gas_composition: richest.map(|r| GasComposition::from(r.1)),
            cavity_gas_peak_mol: richest.map(|r| r.0),
            gas_composition_end: composition,
            residual_gas_mm3: residual * 1e9,
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
            gas_moles_relative_change: (n1 - n0) / n0,
            duration_s,
            statistics,
            backend,
            refractory,
        })
    }
}
