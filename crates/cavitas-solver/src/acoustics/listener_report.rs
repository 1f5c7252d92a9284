//! Everything heard at one listener: the waveforms, the levels, the pop's frequency and
//! duration, and which part of the pop made the sound.

use serde::Serialize;

use super::acoustic_medium::{AcousticMedium, distance_m};
use super::acoustics_config::AcousticsConfig;
use super::anti_alias_resampler::AntiAliasResampler;
use super::envelope::{hilbert_envelope, span_within_db_of_peak};
use super::pop_decomposition::{PopDecomposition, PopPhaseKind};
use super::pop_window::PopWindow;
use super::source_track::SourceTrack;
use super::waveform::Waveform;
use crate::analysis::spectrum::{AmplitudeSpectrum, dominant_frequency_hz};

/// Sample rate of the microphone waveform and the WAV file, Hz.
pub const MICROPHONE_SAMPLE_RATE_HZ: u32 = 44_100;
/// Reference pressure of the sound pressure level, Pa (20 µPa).
pub const REFERENCE_PRESSURE_PA: f64 = 20e-6;
/// Fewest microphone samples the dominant frequency is taken over, widened around the pop
/// when it is shorter (64 samples, 1.45 ms).
const MIN_SPECTRUM_SAMPLES: usize = 64;

/// One part of the pop as heard at a listener, in air.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PhaseAtListener {
    /// Which part.
    pub kind: PopPhaseKind,
    /// Start at the listener, s: the part's start at the source plus the main cavity's travel
    /// time in air (clipped to the reported waveform).
    pub start_time_s: f64,
    /// End at the listener, s (likewise).
    pub end_time_s: f64,
    /// Largest `|p|` of the full-band air waveform within the part, Pa.
    pub peak_pressure_pa: f64,
    /// Sound exposure `∫ p² dt` of the full-band air waveform within the part, Pa² s.
    pub sound_exposure_pa2_s: f64,
    /// Its share of the sound exposure of the whole full-band air waveform (dimensionless,
    /// 0 to 1; the parts' shares sum to at most 1, the rest arriving before inception).
    pub energy_share: f64,
    /// The same share for the microphone waveform (band-limited to 19.85 kHz): which part
    /// makes the sound one hears.
    pub audible_energy_share: f64,
}

/// What one listener, at `distance_m` from the joint centre, receives.
///
/// Pressures are far-field monopoles summed over the sources, each with its own distance
/// and travel time: `p(x, t) = Σ_i ρ V''_i(t − |x − x_i|/c) / (4π |x − x_i|)`, with `ρ, c`
/// of air for `air` and `microphone` and of the tissue for `tissue`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListenerReport {
    /// Distance from the joint centre, m.
    pub distance_m: f64,
    /// Position, m (frame of the source positions).
    pub position_m: [f64; 3],
    /// Full-band pressure in air at `waveform_sample_rate_hz`, Pa (band-limited to 0.45 of
    /// that rate only to sample it without aliasing).
    pub air: Waveform,
    /// Full-band pressure in tissue at `waveform_sample_rate_hz`, Pa (what a hydrophone in
    /// the tissue at this distance would record).
    pub tissue: Waveform,
    /// Pressure in air as a 44.1 kHz microphone records it, Pa: the air pressure low-passed
    /// (flat to 17.6 kHz, cut-off 19.85 kHz, 80 dB down from 22.05 kHz) and sampled at
    /// 44.1 kHz. The WAV file holds exactly these samples, scaled.
    pub microphone: Waveform,
    /// Largest `|p|` in air, full band, Pa (on the fine grid, which resolves every kept
    /// step).
    pub peak_pressure_air_pa: f64,
    /// Its time at the listener, s.
    pub peak_time_air_s: f64,
    /// Largest `|p|` in tissue, full band, Pa.
    pub peak_pressure_tissue_pa: f64,
    /// Peak sound pressure level `L_pk = 20 log10(max |p_mic| / 20 µPa)` of the microphone
    /// waveform, dB re 20 µPa, unweighted. `None` when silent.
    pub peak_spl_db: Option<f64>,
    /// RMS sound pressure level over the pop, `20 log10(p_rms / 20 µPa)`, `p_rms` the root
    /// mean square of the microphone samples from the pop's start to its end, dB re 20 µPa,
    /// unweighted. `None` when silent.
    pub rms_spl_db: Option<f64>,
    /// Dominant frequency of the microphone waveform over the pop (widened to 64 samples
    /// when shorter), Hz, from [`dominant_frequency_hz`]. `None` when silent.
    pub dominant_frequency_hz: Option<f64>,
    /// Start of the pop at the listener, s: the first time the envelope of the microphone
    /// waveform (magnitude of its analytic signal) comes within `pop_threshold_db` (default
    /// 20 dB) of its peak.
    pub pop_start_time_s: Option<f64>,
    /// Duration of the pop, ms: from that first time to the last time the envelope is
    /// within `pop_threshold_db` of its peak (dips in between included).
    pub pop_duration_ms: Option<f64>,
    /// Calibration of the WAV file, Pa: a 16-bit sample `s` stands for `s / 32767 ·
    /// wav_full_scale_pa` pascals. The microphone peak is written at `wav_peak_dbfs`, so
    /// this is `max |p_mic| · 10^(−wav_peak_dbfs / 20)` (1 Pa when silent).
    pub wav_full_scale_pa: f64,
    /// The parts of the pop (growth, collapse and rebound, confined oscillation) as heard
    /// here.
    pub phases: Vec<PhaseAtListener>,
    /// One-sided amplitude spectrum of the whole microphone record (Hann window), Pa per
    /// bin: what a run file stores beside the waveform.
    #[serde(skip)]
    pub microphone_spectrum: AmplitudeSpectrum,
}

/// What [`ListenerReport::compute`] needs besides the listener.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListenerContext<'a> {
    pub tracks: &'a [SourceTrack],
    pub air: AcousticMedium,
    pub tissue: AcousticMedium,
    pub window: Option<&'a PopWindow>,
    pub decomposition: Option<&'a PopDecomposition>,
    pub config: &'a AcousticsConfig,
}

impl ListenerReport {
    /// Radiates the record to the listener at `position_m` and measures the pop there.
    pub(crate) fn compute(distance_m: f64, position_m: [f64; 3], cx: &ListenerContext) -> Self {
        let rate = cx.config.waveform_sample_rate_hz;
        let mic_rate = f64::from(MICROPHONE_SAMPLE_RATE_HZ);
        let Some(window) = cx.window else {
            return Self::silent(distance_m, position_m, rate);
        };
        let (air, peak_pressure_air_pa, peak_time_air_s) =
            radiate(cx, cx.air, position_m, window, rate);
        let (tissue, peak_pressure_tissue_pa, _) = radiate(cx, cx.tissue, position_m, window, rate);
        let (microphone, _, _) = radiate(cx, cx.air, position_m, window, mic_rate);

        let mic_peak = microphone.peak_pa();
        let level = |p: f64| (p > 0.0).then(|| 20.0 * (p / REFERENCE_PRESSURE_PA).log10());
        let envelope = hilbert_envelope(&microphone.pressure_pa);
        let span = span_within_db_of_peak(&envelope, cx.config.pop_threshold_db);
        let (mut rms_spl_db, mut dominant, mut pop_start, mut pop_duration) =
            (None, None, None, None);
        if let Some((s, e)) = span {
            let n = microphone.pressure_pa.len();
            let inside = (s.ceil() as usize).min(n - 1)..(e.floor() as usize + 1).min(n);
            let inside = if inside.is_empty() {
                (s.round() as usize).min(n - 1)..(s.round() as usize).min(n - 1) + 1
            } else {
                inside
            };
            let mean_square = microphone.pressure_pa[inside.clone()]
                .iter()
                .map(|p| p * p)
                .sum::<f64>()
                / inside.len() as f64;
            rms_spl_db = level(mean_square.sqrt());
            let wide = widen(inside, MIN_SPECTRUM_SAMPLES, n);
            dominant = dominant_frequency_hz(
                &microphone.pressure_pa[wide],
                microphone.sample_interval_s(),
            );
            pop_start = Some(microphone.start_time_s + s / mic_rate);
            pop_duration = Some((e - s) / mic_rate * 1e3);
        }

        let phases = match cx.decomposition {
            Some(d) => {
                let main = &cx.tracks[d.main_source];
                let delay = cx.air.delay_s(distance_m_to(main, position_m));
                let total = air.exposure_pa2_s(0..air.pressure_pa.len());
                let total_mic = microphone.exposure_pa2_s(0..microphone.pressure_pa.len());
                let share = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 0.0 };
                d.phases
                    .iter()
                    .map(|phase| {
                        let end_of = |w: &Waveform| w.time_s(w.pressure_pa.len());
                        let from = (phase.start_time_s + delay).max(air.start_time_s);
                        let to = (phase.end_time_s + delay).min(end_of(&air));
                        let range = air.index_range(from, to);
                        let mic_range = microphone.index_range(from, to);
                        let sound_exposure_pa2_s = air.exposure_pa2_s(range.clone());
                        PhaseAtListener {
                            kind: phase.kind,
                            start_time_s: from,
                            end_time_s: to.max(from),
                            peak_pressure_pa: air.pressure_pa[range]
                                .iter()
                                .fold(0.0, |m, p| m.max(p.abs())),
                            sound_exposure_pa2_s,
                            energy_share: share(sound_exposure_pa2_s, total),
                            audible_energy_share: share(
                                microphone.exposure_pa2_s(mic_range),
                                total_mic,
                            ),
                        }
                    })
                    .collect()
            }
            None => Vec::new(),
        };

        Self {
            distance_m,
            position_m,
            air,
            tissue,
            peak_pressure_air_pa,
            peak_time_air_s,
            peak_pressure_tissue_pa,
            peak_spl_db: level(mic_peak),
            rms_spl_db,
            dominant_frequency_hz: dominant,
            pop_start_time_s: pop_start,
            pop_duration_ms: pop_duration,
            wav_full_scale_pa: if mic_peak > 0.0 {
                mic_peak * 10f64.powf(-cx.config.wav_peak_dbfs / 20.0)
            } else {
                1.0
            },
            microphone_spectrum: AmplitudeSpectrum::of(
                &microphone.pressure_pa,
                microphone.sample_interval_s(),
            ),
            microphone,
            phases,
        }
    }

    fn silent(distance_m: f64, position_m: [f64; 3], rate: f64) -> Self {
        Self {
            distance_m,
            position_m,
            air: Waveform::empty(rate),
            tissue: Waveform::empty(rate),
            microphone: Waveform::empty(f64::from(MICROPHONE_SAMPLE_RATE_HZ)),
            peak_pressure_air_pa: 0.0,
            peak_time_air_s: 0.0,
            peak_pressure_tissue_pa: 0.0,
            peak_spl_db: None,
            rms_spl_db: None,
            dominant_frequency_hz: None,
            pop_start_time_s: None,
            pop_duration_ms: None,
            wav_full_scale_pa: 1.0,
            phases: Vec::new(),
            microphone_spectrum: AmplitudeSpectrum::default(),
        }
    }
}

fn distance_m_to(track: &SourceTrack, position_m: [f64; 3]) -> f64 {
    distance_m(track.position_m, position_m)
}

/// `range` widened symmetrically to at least `min_len` samples, kept inside `0..n`.
fn widen(range: std::ops::Range<usize>, min_len: usize, n: usize) -> std::ops::Range<usize> {
    if range.len() >= min_len || n <= min_len {
        return if n <= min_len { 0..n } else { range };
    }
    let centre = (range.start + range.end) / 2;
    let start = centre.saturating_sub(min_len / 2).min(n - min_len);
    start..start + min_len
}

/// The pressure in `medium` at `listener_m`, band-limited and sampled at `rate_hz` over the
/// window plus the travel times and margins, with its full-band peak and the peak's time.
fn radiate(
    cx: &ListenerContext,
    medium: AcousticMedium,
    listener_m: [f64; 3],
    window: &PopWindow,
    rate_hz: f64,
) -> (Waveform, f64, f64) {
    let paths: Vec<(f64, f64)> = cx
        .tracks
        .iter()
        .map(|track| {
            let r = distance_m_to(track, listener_m);
            (medium.monopole_gain(r), medium.delay_s(r))
        })
        .collect();
    let heard = || {
        cx.tracks
            .iter()
            .zip(&paths)
            .filter(|(t, _)| !t.points.is_empty())
            .map(|(_, &(_, d))| d)
    };
    let min_delay = heard().fold(f64::INFINITY, f64::min);
    let max_delay = heard().fold(f64::NEG_INFINITY, f64::max);
    let margin = cx.config.window_margin_s;
    let mut start = window.start_time_s + min_delay - margin;
    let end = window.end_time_s + max_delay + margin;
    let mut count = ((end - start) * rate_hz).floor() as usize + 1;
    let cap = cx.config.max_waveform_samples;
    let truncated = count > cap;
    if truncated {
        // Keep the loudest step a quarter of the way in.
        let span = (cap - 1) as f64 / rate_hz;
        let loudest = window.loudest_step_time_s + 0.5 * (min_delay + max_delay);
        start = (loudest - 0.25 * span).clamp(start, end - span);
        count = cap;
    }
    let resampler = AntiAliasResampler::new(rate_hz, window.finest_step_s);
    let out = resampler.resample(start, count, |t0, h, buffer| {
        for (track, &(gain, delay)) in cx.tracks.iter().zip(&paths) {
            track.accumulate_on_grid_into(t0, h, gain, delay, buffer);
        }
    });
    let waveform = Waveform {
        start_time_s: start,
        sample_rate_hz: rate_hz,
        pressure_pa: out.samples,
        truncated,
    };
    (waveform, out.fine_peak, out.fine_peak_time_s)
}
