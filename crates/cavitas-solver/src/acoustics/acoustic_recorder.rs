//! The acoustic record of a run: the coupled solver hands it every source's volume history
//! at the end of each macro step; it keeps what the sound needs and analyses it at the end.

use super::acoustic_medium::{AcousticMedium, distance_m};
use super::acoustic_report::AcousticReport;
use super::acoustics_config::AcousticsConfig;
use super::acoustics_error::AcousticsError;
use super::listener_report::{ListenerContext, ListenerReport, MICROPHONE_SAMPLE_RATE_HZ};
use super::pop_decomposition::PopDecomposition;
use super::pop_window::PopWindow;
use super::source_sample::SourceSample;
use super::source_track::{SourceTrack, TrackPoint};

/// A kept macro step.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct Step {
    time_s: f64,
    /// `Σ_i ρ_air |V''_i| / (4π r_i)` at the nearest listener, Pa.
    loudness_pa: f64,
    /// The set of sources differs from the previous kept step's (never thinned away, nor is
    /// the step before it: they hold the zeros where a source appears or vanishes).
    set_changed: bool,
}

/// Records the sources of a run and reports their sound.
///
/// Call [`add_source`](Self::add_source) when a nucleus activates, [`record`](Self::record)
/// at the end of every macro step (times may be seconds or nanoseconds apart), and
/// [`analyse`](Self::analyse) at the end.
///
/// Storage: a step is dropped while it is *quiet* — the sources' `V''` would make less than
/// `quiet_pressure_pa` at the nearest listener, the same sources as at the last kept step
/// are present with `V''` unchanged to within that bound, and the last kept step is less
/// than `max_quiet_gap_s` old. The latest step is always held, so when the pop begins the
/// step just before it is kept and its onset keeps its shape. What dropping changes is
/// bounded: a dropped step lies between kept ones that each make less than
/// `quiet_pressure_pa` and differ by less than that, so the pressure interpolated over it is
/// off by less than twice `quiet_pressure_pa` at the nearest listener. Memory is capped by
/// `max_stored_samples` (see there).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AcousticRecorder {
    config: AcousticsConfig,
    air: AcousticMedium,
    tissue: AcousticMedium,
    listeners_m: Vec<[f64; 3]>,
    tracks: Vec<SourceTrack>,
    /// Per source: `ρ_air / (4π r)` to the nearest listener, Pa s²/m³.
    loudness_gain: Vec<f64>,
    steps: Vec<Step>,
    /// Sources present at the last kept step, sorted.
    last_present: Vec<usize>,
    /// The last step kept for good (the reference of the quiet test) and its samples.
    anchor_time_s: f64,
    anchor: Vec<SourceSample>,
    /// The last kept step is a quiet one that the next quiet step replaces.
    tentative: bool,
    samples_kept: usize,
    steps_recorded: u64,
    loud_steps_thinned: usize,
    loudest_pa: f64,
}

impl AcousticRecorder {
    /// An empty record for `config` (validated), with the tissue's density (kg/m³) and speed
    /// of sound (m/s) for the pressure inside the body.
    pub fn new(
        config: &AcousticsConfig,
        tissue_density_kg_m3: f64,
        tissue_sound_speed_m_s: f64,
    ) -> Self {
        Self {
            config: config.clone(),
            air: AcousticMedium {
                density_kg_m3: config.air_density_kg_m3,
                sound_speed_m_s: config.air_sound_speed_m_s,
            },
            tissue: AcousticMedium {
                density_kg_m3: tissue_density_kg_m3,
                sound_speed_m_s: tissue_sound_speed_m_s,
            },
            listeners_m: config.listener_positions_m(),
            tracks: Vec::new(),
            loudness_gain: Vec::new(),
            steps: Vec::new(),
            last_present: Vec::new(),
            anchor_time_s: f64::NEG_INFINITY,
            anchor: Vec::new(),
            tentative: false,
            samples_kept: 0,
            steps_recorded: 0,
            loud_steps_thinned: 0,
            loudest_pa: 0.0,
        }
    }

    /// Adds a source at `position_m` (m, fixed, in the joint's frame) and returns its index
    /// (0, 1, 2, … in order of addition). It may be added mid-run.
    ///
    /// # Panics
    /// If the position is not finite.
    pub fn add_source(&mut self, position_m: [f64; 3]) -> usize {
        assert!(
            position_m.iter().all(|x| x.is_finite()),
            "acoustic source position {position_m:?} is not finite"
        );
        let nearest = self
            .listeners_m
            .iter()
            .map(|&l| distance_m(l, position_m))
            .fold(f64::INFINITY, f64::min);
        self.loudness_gain.push(self.air.monopole_gain(nearest));
        self.tracks.push(SourceTrack::new(position_m));
        self.tracks.len() - 1
    }

    /// Records the end of a macro step at `time_s` (s, after the previous record): the
    /// samples of the sources present, in any order. A source absent from `samples` has
    /// `V'' = 0` at this time. On error nothing is recorded.
    pub fn record(&mut self, time_s: f64, samples: &[SourceSample]) -> Result<(), AcousticsError> {
        let sorted = self.checked(time_s, samples)?;
        self.steps_recorded += 1;
        let loudness_pa: f64 = sorted
            .iter()
            .map(|s| self.loudness_gain[s.source] * s.volume_acceleration_m3_s2.abs())
            .sum();
        self.loudest_pa = self.loudest_pa.max(loudness_pa);
        let quiet = self.is_quiet(&sorted, loudness_pa);
        let recent = time_s - self.anchor_time_s < self.config.max_quiet_gap_s;
        if quiet && recent {
            if self.tentative {
                self.replace_last(time_s, &sorted, loudness_pa);
            } else {
                self.append(time_s, &sorted, loudness_pa);
                self.tentative = true;
            }
        } else {
            // A quiet step kept only because the last kept one is old replaces the
            // tentative step between them: nothing happened there.
            if quiet && self.tentative {
                self.replace_last(time_s, &sorted, loudness_pa);
            } else {
                self.append(time_s, &sorted, loudness_pa);
            }
            self.tentative = false;
            self.anchor_time_s = time_s;
            self.anchor = sorted;
            if self.samples_kept + self.steps.len() > self.config.max_stored_samples {
                self.thin();
            }
        }
        Ok(())
    }

    /// Sources added (count).
    pub fn source_count(&self) -> usize {
        self.tracks.len()
    }

    /// Macro steps kept (count).
    pub fn steps_kept(&self) -> usize {
        self.steps.len()
    }

    /// Source samples kept (count).
    pub fn samples_kept(&self) -> usize {
        self.samples_kept
    }

    /// The kept history of source `index`.
    pub fn track(&self, index: usize) -> &SourceTrack {
        &self.tracks[index]
    }

    /// Listener positions, m, in the order of `listener_distances_m`.
    pub fn listener_positions_m(&self) -> &[[f64; 3]] {
        &self.listeners_m
    }

    /// Analyses the loudest pop recorded so far (see [`AcousticReport`]).
    pub fn analyse(&self) -> AcousticReport {
        let decomposition = self.decompose();
        let times: Vec<f64> = self.steps.iter().map(|s| s.time_s).collect();
        let loudness: Vec<f64> = self.steps.iter().map(|s| s.loudness_pa).collect();
        let window = PopWindow::find(
            &times,
            &loudness,
            self.config.window_threshold_db,
            self.config.window_merge_gap_s,
        );
        let context = ListenerContext {
            tracks: &self.tracks,
            air: self.air,
            tissue: self.tissue,
            window: window.as_ref(),
            decomposition: decomposition.as_ref(),
            config: &self.config,
        };
        let listeners = self
            .config
            .listener_distances_m
            .iter()
            .zip(&self.listeners_m)
            .map(|(&r, &x)| ListenerReport::compute(r, x, &context))
            .collect();
        AcousticReport {
            air: self.air,
            tissue: self.tissue,
            source_count: self.tracks.len(),
            steps_recorded: self.steps_recorded,
            steps_kept: self.steps.len(),
            samples_kept: self.samples_kept,
            loud_steps_thinned: self.loud_steps_thinned,
            window,
            decomposition,
            wav_padding_samples: (self.config.wav_padding_s * f64::from(MICROPHONE_SAMPLE_RATE_HZ))
                .round() as usize,
            wav_peak_dbfs: self.config.wav_peak_dbfs,
            listeners,
        }
    }

    /// The main cavity (largest recorded volume) and its decomposition.
    fn decompose(&self) -> Option<PopDecomposition> {
        let largest = |t: &SourceTrack| {
            t.points
                .iter()
                .filter(|p| p.present)
                .map(|p| p.volume_m3)
                .fold(f64::NEG_INFINITY, f64::max)
        };
        let (main, track) = self
            .tracks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.points.iter().any(|p| p.present))
            .max_by(|a, b| largest(a.1).total_cmp(&largest(b.1)))?;
        let history: Vec<(f64, f64)> = track
            .points
            .iter()
            .filter(|p| p.present)
            .map(|p| (p.time_s, p.volume_m3))
            .collect();
        PopDecomposition::compute(main, &history, self.config.extremum_hysteresis)
    }

    /// The samples sorted by source, after checking the time and every value.
    fn checked(
        &self,
        time_s: f64,
        samples: &[SourceSample],
    ) -> Result<Vec<SourceSample>, AcousticsError> {
        if !time_s.is_finite() {
            return Err(AcousticsError::NonFiniteTime { time_s });
        }
        if let Some(last) = self.steps.last()
            && time_s <= last.time_s
        {
            return Err(AcousticsError::TimeNotIncreasing {
                time_s,
                previous_s: last.time_s,
            });
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by_key(|s| s.source);
        for (k, s) in sorted.iter().enumerate() {
            if s.source >= self.tracks.len() {
                return Err(AcousticsError::UnknownSource {
                    time_s,
                    source_index: s.source,
                    count: self.tracks.len(),
                });
            }
            if k > 0 && sorted[k - 1].source == s.source {
                return Err(AcousticsError::DuplicateSource {
                    time_s,
                    source_index: s.source,
                });
            }
            for (quantity, value) in [
                ("volume", s.volume_m3),
                ("volume rate", s.volume_rate_m3_s),
                ("volume acceleration", s.volume_acceleration_m3_s2),
            ] {
                if !value.is_finite() {
                    return Err(AcousticsError::NonFiniteSample {
                        time_s,
                        source_index: s.source,
                        quantity,
                        value,
                    });
                }
            }
        }
        Ok(sorted)
    }

    /// Whether a step is quiet and like the last kept one (see the type's documentation;
    /// the age of the last kept step is checked apart).
    fn is_quiet(&self, sorted: &[SourceSample], loudness_pa: f64) -> bool {
        let q = self.config.quiet_pressure_pa;
        if self.steps.is_empty()
            || !(loudness_pa < q)
            || sorted.len() != self.anchor.len()
            || sorted
                .iter()
                .zip(&self.anchor)
                .any(|(a, b)| a.source != b.source)
        {
            return false;
        }
        let change: f64 = sorted
            .iter()
            .zip(&self.anchor)
            .map(|(a, b)| {
                self.loudness_gain[a.source]
                    * (a.volume_acceleration_m3_s2 - b.volume_acceleration_m3_s2).abs()
            })
            .sum();
        change < q
    }

    /// Keeps a step: a point on each present source's track, and the zeros where a source
    /// appears (at the previous kept step) or vanishes (at this one).
    fn append(&mut self, time_s: f64, sorted: &[SourceSample], loudness_pa: f64) {
        let previous = self.steps.last().map(|s| s.time_s);
        let present: Vec<usize> = sorted.iter().map(|s| s.source).collect();
        let set_changed = present != self.last_present;
        if set_changed {
            for &gone in &self.last_present {
                if present.binary_search(&gone).is_err() {
                    self.tracks[gone].points.push(TrackPoint::absent(time_s));
                    self.samples_kept += 1;
                }
            }
            if let Some(previous) = previous {
                for &new in &present {
                    let track = &mut self.tracks[new];
                    if track.points.last().is_none_or(|p| p.time_s < previous) {
                        track.points.push(TrackPoint::absent(previous));
                        self.samples_kept += 1;
                    }
                }
            }
        }
        for s in sorted {
            self.tracks[s.source].points.push(point(time_s, s));
        }
        self.samples_kept += sorted.len();
        self.steps.push(Step {
            time_s,
            loudness_pa,
            set_changed,
        });
        self.last_present = present;
    }

    /// Replaces the last kept step, a quiet one with the same sources, by this one.
    fn replace_last(&mut self, time_s: f64, sorted: &[SourceSample], loudness_pa: f64) {
        for s in sorted {
            if let Some(last) = self.tracks[s.source].points.last_mut() {
                *last = point(time_s, s);
            }
        }
        if let Some(last) = self.steps.last_mut() {
            *last = Step {
                time_s,
                loudness_pa,
                set_changed: false,
            };
        }
    }

    /// Brings the record back under three quarters of `max_stored_samples`, quietest steps
    /// first: every other step among those that, with both neighbours, are no louder than
    /// the median step; every other step anywhere when that frees too little.
    fn thin(&mut self) {
        let level = self.loudest_pa * 10f64.powf(-self.config.window_threshold_db / 20.0);
        let target = self.config.max_stored_samples / 4 * 3;
        while self.samples_kept + self.steps.len() > target {
            let loudness: Vec<f64> = self.steps.iter().map(|s| s.loudness_pa).collect();
            let mut ranked = loudness.clone();
            let middle = ranked.len() / 2;
            let median = *ranked.select_nth_unstable_by(middle, f64::total_cmp).1;
            let quiet = |k: usize| loudness[k - 1..=k + 1].iter().all(|&l| l <= median);
            let mut removed = self.remove_every_other(quiet);
            if removed.len() < loudness.len() / 16 {
                removed.extend(self.remove_every_other(|_| true));
            }
            if removed.is_empty() {
                break;
            }
            let quiet = self.config.quiet_pressure_pa;
            self.loud_steps_thinned += removed.iter().filter(|&&l| l >= level && l > quiet).count();
        }
    }

    /// Removes every other removable interior step (never the first or last, a step where
    /// the set of sources changes, or the one before it); returns the removed steps'
    /// loudness.
    fn remove_every_other(&mut self, eligible: impl Fn(usize) -> bool) -> Vec<f64> {
        let n = self.steps.len();
        let mut remove = vec![false; n];
        for k in 1..n.saturating_sub(1) {
            remove[k] = !remove[k - 1]
                && !self.steps[k].set_changed
                && !self.steps[k + 1].set_changed
                && eligible(k);
        }
        let removed_times: Vec<f64> = (0..n)
            .filter(|&k| remove[k])
            .map(|k| self.steps[k].time_s)
            .collect();
        if removed_times.is_empty() {
            return Vec::new();
        }
        let mut kept = 0;
        for track in &mut self.tracks {
            let mut r = 0;
            track.points.retain(|p| {
                while r < removed_times.len() && removed_times[r] < p.time_s {
                    r += 1;
                }
                r >= removed_times.len() || removed_times[r] != p.time_s
            });
            kept += track.points.len();
        }
        self.samples_kept = kept;
        let removed = (0..n)
            .filter(|&k| remove[k])
            .map(|k| self.steps[k].loudness_pa)
            .collect();
        let mut k = 0;
        self.steps.retain(|_| {
            k += 1;
            !remove[k - 1]
        });
        removed
    }
}

fn point(time_s: f64, s: &SourceSample) -> TrackPoint {
    TrackPoint {
        time_s,
        volume_m3: s.volume_m3,
        volume_rate_m3_s: s.volume_rate_m3_s,
        volume_acceleration_m3_s2: s.volume_acceleration_m3_s2,
        present: true,
    }
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::acoustics::{PopPhaseKind, REFERENCE_PRESSURE_PA, Waveform};

    const RHO_TISSUE: f64 = 1000.0;
    const C_TISSUE: f64 = 1500.0;

    /// Times from `start` to exactly `end`, steps drawn uniformly in `step · [1 − jitter,
    /// 1 + jitter]`: the non-uniform macro steps of a solver.
    fn jittered_times(start: f64, end: f64, step: f64, jitter: f64, seed: u64) -> Vec<f64> {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        let mut t = vec![start];
        loop {
            let next =
                t.last().unwrap() + step * (1.0 - jitter + 2.0 * jitter * rng.random::<f64>());
            if next >= end - 0.5 * step {
                t.push(end);
                return t;
            }
            t.push(next);
        }
    }

    fn sample(source: usize, v: f64, dv: f64, ddv: f64) -> SourceSample {
        SourceSample {
            source,
            volume_m3: v,
            volume_rate_m3_s: dv,
            volume_acceleration_m3_s2: ddv,
        }
    }

    /// Largest `|waveform − exact|` over the samples at least `edge_s` inside `[from, to]`.
    fn max_error(w: &Waveform, exact: impl Fn(f64) -> f64, from: f64, to: f64) -> f64 {
        let range = w.index_range(from, to);
        assert!(range.len() > 100, "{range:?}");
        range
            .map(|i| (w.pressure_pa[i] - exact(w.time_s(i))).abs())
            .fold(0.0, f64::max)
    }

    /// `V = V0 + A sin(2π f t)`, f = 3 kHz, for 20 ms (60 periods) on steps of 5 µs ± 50%,
    /// one source at the joint centre, listeners at 1 and 10 cm.
    #[test]
    fn single_tone_level_frequency_distance_and_delay() {
        let config = AcousticsConfig::default();
        let mut rec = AcousticRecorder::new(&config, RHO_TISSUE, C_TISSUE);
        let s = rec.add_source([0.0; 3]);
        let (f, v0, end) = (3000.0, 1e-7, 0.02);
        let w = 2.0 * PI * f;
        // Amplitude giving ~1 Pa at 1 cm in air (~91 dB peak): A = 4π r / (ρ ω²).
        let a = 4.0 * PI * 0.01 / (1.204 * w * w);
        for t in jittered_times(0.0, end, 5e-6, 0.5, 1) {
            let (sin, cos) = (w * t).sin_cos();
            rec.record(t, &[sample(s, v0 + a * sin, a * w * cos, -a * w * w * sin)])
                .unwrap();
        }
        let report = rec.analyse();
        let [near, far] = &report.listeners[..] else {
            panic!("two listeners")
        };
        let amplitude = |rho: f64, r: f64| rho * a * w * w / (4.0 * PI * r);
        let p1 = amplitude(1.204, 0.01);
        // Full-band peak: the largest kept sample of sin(ωt) is within 1 − cos(ω δ_max / 2)
        // = 0.25% of the crest (δ_max = 7.5 µs); 0.5% allowed.
        assert!((near.peak_pressure_air_pa / p1 - 1.0).abs() < 5e-3);
        assert!((far.peak_pressure_air_pa / (p1 / 10.0) - 1.0).abs() < 5e-3);
        let pt = amplitude(RHO_TISSUE, 0.01);
        assert!((near.peak_pressure_tissue_pa / pt - 1.0).abs() < 5e-3);

        // Waveforms equal the retarded monopole −ρ A ω² sin(ω (t − r/c)) / (4π r), sample
        // by sample, 1 ms inside the tone's ends (the FIR's reach). Errors: linear
        // interpolation between steps, (ω δ_max)² / 8 = 0.25%, and the FIR's 1e-4 ripple;
        // 0.5% of the amplitude allowed. A delay off by r/c (29 µs at 1 cm in air) would be
        // off by ω r / c = 55%.
        for (listener, r) in [(near, 0.01), (far, 0.1)] {
            for (waveform, rho, c) in [
                (&listener.air, 1.204, 343.0),
                (&listener.tissue, RHO_TISSUE, C_TISSUE),
            ] {
                let p = amplitude(rho, r);
                let delay = r / c;
                let exact = |t: f64| -p * (w * (t - delay)).sin();
                let err = max_error(waveform, exact, delay + 1e-3, delay + end - 1e-3);
                assert!(err < 5e-3 * p, "r {r}, ρ {rho}: error {err} of {p}");
            }
        }

        // The microphone (44.1 kHz) passes 3 kHz unchanged (FIR ripple 1e-4). Its sampled
        // peak is within 1 − cos(π f / 44.1 kHz / 10) = 0.05% (0.004 dB) of the crest (the
        // sampling phase cycles through 10 offsets, 44100/3000 = 14.7): 0.05 dB allowed. The
        // pop span also holds the envelope's tails, ~0.13 ms each side of the 20 ms tone, with
        // little energy, so the mean square over it is the tone's p²/2 times 20 ms / duration
        // to within a small part of those tails: 0.02 dB allowed. Both 20 dB lower at 10 cm
        // (the same samples scaled, up to the sampling phase): 0.05 dB allowed.
        let db = |p: f64| 20.0 * (p / REFERENCE_PRESSURE_PA).log10();
        let near_pk = near.peak_spl_db.unwrap();
        let near_rms = near.rms_spl_db.unwrap();
        assert!((near_pk - db(p1)).abs() < 0.05, "{near_pk} vs {}", db(p1));
        let duration = near.pop_duration_ms.unwrap();
        let tone_rms = db(p1 / 2f64.sqrt()) + 10.0 * (20.0 / duration).log10();
        assert!(
            (near_rms - tone_rms).abs() < 0.02,
            "{near_rms} vs {tone_rms}"
        );
        assert!((near_pk - far.peak_spl_db.unwrap() - 20.0).abs() < 0.05);
        assert!((near_rms - far.rms_spl_db.unwrap() - 20.0).abs() < 0.05);

        // Dominant frequency: Hann + Gaussian interpolation is good to a few hundredths of a
        // bin (10.8 Hz here) for a clean tone; 0.1% (3 Hz) allowed.
        for l in [near, far] {
            let got = l.dominant_frequency_hz.unwrap();
            assert!((got / f - 1.0).abs() < 1e-3, "{got}");
            // The envelope of a gated tone is flat over the tone and falls to −20 dB within
            // ~0.5 ms outside it (the Hilbert transform's 1/t tails): 20 ms + 1 ms allowed.
            let d = l.pop_duration_ms.unwrap();
            assert!((d - 20.0).abs() < 1.0, "{d}");
        }
        let d = report.decomposition.as_ref().unwrap();
        assert_eq!(d.main_source, s);
    }

    /// Two sources 5 mm apart, one at the joint centre and one off the axis, with opposite
    /// Gaussian pulses of `V''` (σ = 5 µs) scaled so that, without their different travel
    /// times, they would cancel at 1 cm. What remains is the difference of the two delayed
    /// pulses: superposition with each source's own retardation.
    #[test]
    fn two_sources_superpose_with_their_own_delays() {
        let config = AcousticsConfig::default();
        let mut rec = AcousticRecorder::new(&config, RHO_TISSUE, C_TISSUE);
        let xa = [0.0, 0.0, 0.0];
        let xb = [0.0, 0.005, 0.0];
        let a = rec.add_source(xa);
        let b = rec.add_source(xb);
        let near = rec.listener_positions_m()[0];
        let ratio = distance_m(near, xb) / distance_m(near, xa);
        let (t1, sigma) = (50e-6, 5e-6);
        let g = |t: f64| (-((t - t1) / sigma).powi(2)).exp();
        let amp = 0.1; // m³/s²: 0.96 Pa at 1 cm in air.
        let acc = |source: usize, t: f64| {
            if source == a {
                amp * g(t)
            } else {
                -amp * ratio * g(t)
            }
        };
        for t in jittered_times(0.0, 100e-6, 0.25e-6, 0.3, 2) {
            rec.record(
                t,
                &[
                    sample(b, 1e-9, 0.0, acc(b, t)),
                    sample(a, 1e-9, 0.0, acc(a, t)),
                ],
            )
            .unwrap();
        }
        let report = rec.analyse();
        for (listener, x) in report.listeners.iter().zip(rec.listener_positions_m()) {
            for (waveform, medium) in [
                (&listener.air, report.air),
                (&listener.tissue, report.tissue),
            ] {
                let paths: Vec<(usize, f64)> = [(a, xa), (b, xb)]
                    .iter()
                    .map(|&(i, p)| (i, distance_m(*x, p)))
                    .collect();
                let exact = |t: f64| {
                    paths
                        .iter()
                        .map(|&(i, r)| medium.monopole_gain(r) * acc(i, t - medium.delay_s(r)))
                        .sum::<f64>()
                };
                let single = medium.monopole_gain(paths[0].1) * amp;
                let err = max_error(
                    waveform,
                    exact,
                    waveform.time_s(0),
                    waveform.time_s(waveform.pressure_pa.len()),
                );
                let peak = waveform.peak_pa();
                // Linear interpolation of a Gaussian on steps ≤ 0.33 µs is within
                // (δ/σ)² / 4 = 0.1% of its peak; the 441 kHz band limit leaves 2 % of the
                // pulse's spectrum e^{−15} below. 0.5% of one pulse allowed.
                assert!(err < 5e-3 * single, "error {err} of {single}");
                // The doublet is far from zero: the delays differ by 3.4 µs in air and 0.8 µs
                // in tissue at 1 cm against σ = 5 µs.
                assert!(peak > 0.1 * single, "{peak} vs {single}");
            }
        }
        // Quiet steps before and after the pulse were dropped.
        assert!(report.steps_kept < report.steps_recorded as usize);
    }

    /// Volume, rate and acceleration of a smooth step from `from` to `to` starting at `start`
    /// and lasting `duration`: `V = from + (to − from) S(x)`, `S(x) = x − sin(2πx) / 2π`,
    /// `x = (t − start) / duration`, so `V'` and `V''` vanish at both ends and `V'' = (to −
    /// from) 2π / duration² · sin(2πx)`, with `∫ V''² dt = 2π² (to − from)² / duration³`.
    #[derive(Clone, Copy)]
    struct Stroke {
        start: f64,
        duration: f64,
        from: f64,
        to: f64,
    }

    impl Stroke {
        fn at(&self, t: f64) -> (f64, f64, f64) {
            let x = (t - self.start) / self.duration;
            let dv = self.to - self.from;
            let (sin, cos) = (2.0 * PI * x).sin_cos();
            (
                self.from + dv * (x - sin / (2.0 * PI)),
                dv / self.duration * (1.0 - cos),
                dv * 2.0 * PI / self.duration.powi(2) * sin,
            )
        }
        fn end(&self) -> f64 {
            self.start + self.duration
        }
        fn peak_acceleration(&self) -> f64 {
            (self.to - self.from).abs() * 2.0 * PI / self.duration.powi(2)
        }
        fn energy(&self) -> f64 {
            2.0 * PI * PI * (self.to - self.from).powi(2) / self.duration.powi(3)
        }
    }

    /// A synthetic crack: a 1 µm nucleus jittering by ±20% at 20 kHz until 1 ms, growth to
    /// 0.1 mL at 3 ms, collapse to 0.04 mL at 3.6 ms, rebound to 0.08 mL at 4.2 ms, four
    /// ringdown strokes to 0.065 mL at 6.2 ms, then still until 8 ms; steps of 4 µs ± 50%.
    /// Beside it a small still bubble (source 0), which must not be taken for the main one.
    #[test]
    fn decomposition_of_growth_collapse_and_ringdown() {
        let config = AcousticsConfig {
            quiet_pressure_pa: 0.0, // keep the jitter: the decomposition must see through it
            ..AcousticsConfig::default()
        };
        let mut rec = AcousticRecorder::new(&config, RHO_TISSUE, C_TISSUE);
        let still = rec.add_source([0.0, 0.002, 0.0]);
        let main = rec.add_source([0.0; 3]);
        let nucleus = 4.0 / 3.0 * PI * 1e-18;
        let stroke = |start, duration, from, to| Stroke {
            start,
            duration,
            from,
            to,
        };
        let growth = stroke(1e-3, 2e-3, nucleus, 1e-7);
        let collapse = stroke(3e-3, 0.6e-3, 1e-7, 0.4e-7);
        let rebound = stroke(3.6e-3, 0.6e-3, 0.4e-7, 0.8e-7);
        let mut strokes = vec![growth, collapse, rebound];
        for to in [0.55e-7, 0.7e-7, 0.6e-7, 0.65e-7] {
            let last = *strokes.last().unwrap();
            strokes.push(stroke(last.end(), 0.5e-3, last.to, to));
        }
        let wj = 2.0 * PI * 20e3;
        for t in jittered_times(0.0, 8e-3, 4e-6, 0.5, 4) {
            let (v, dv, ddv) = if t < growth.start {
                let (sin, cos) = (wj * t).sin_cos();
                let a = 0.2 * nucleus;
                (nucleus + a * sin, a * wj * cos, -a * wj * wj * sin)
            } else if let Some(s) = strokes.iter().find(|s| t < s.end()) {
                s.at(t)
            } else {
                (0.65e-7, 0.0, 0.0)
            };
            rec.record(
                t,
                &[sample(main, v, dv, ddv), sample(still, 1e-9, 0.0, 0.0)],
            )
            .unwrap();
        }
        let report = rec.analyse();
        let d = report.decomposition.as_ref().unwrap();
        assert_eq!(d.main_source, main);
        // Turning points land on the step nearest the true one: within the longest step,
        // 6 µs. (Inception: growth reaches twice the jittering nucleus's smallest volume
        // 0.3 µs after it starts.)
        let near = |got: Option<f64>, want: f64| (got.unwrap() - want).abs() <= 6e-6;
        assert!(near(d.inception_time_s, 1e-3), "{:?}", d.inception_time_s);
        assert!(near(d.first_maximum_time_s, 3e-3));
        assert!(near(d.following_minimum_time_s, 3.6e-3));
        assert!(near(d.rebound_maximum_time_s, 4.2e-3));
        // The volume at the step nearest an extremum is off by the cubic of the strokes'
        // flat ends, (2π)² / 6 · (6 µs / 0.6 ms)³ ≈ 7e-6 of it: 1e-5 allowed.
        let expected = 1.0 - 0.4f64.cbrt();
        assert!((d.collapse_fraction.unwrap() - expected).abs() < 1e-5);
        let kinds: Vec<PopPhaseKind> = d.phases.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                PopPhaseKind::Growth,
                PopPhaseKind::CollapseAndRebound,
                PopPhaseKind::ConfinedOscillation
            ]
        );
        assert_eq!(d.phases[2].end_time_s, 8e-3);

        // At 1 cm in air each part's share of ∫p² dt is its strokes' share of ∫V''² dt
        // (nothing else sounds: the jitter is 1e-7 of the pop), and its peak is ρ max|V''| /
        // (4π r). V'' vanishes where parts meet, so the FIR smears no energy across; linear
        // interpolation on 6 µs steps loses (ω δ)² / 12 ≈ 4e-4 of a stroke's energy: 0.5%
        // allowed on shares and peaks.
        let total: f64 = strokes.iter().map(Stroke::energy).sum();
        let parts = [
            (vec![growth], 0),
            (vec![collapse, rebound], 1),
            (strokes[3..].to_vec(), 2),
        ];
        let listener = &report.listeners[0];
        let gain = report.air.monopole_gain(0.01);
        for (part, k) in parts {
            let phase = &listener.phases[k];
            let share: f64 = part.iter().map(Stroke::energy).sum::<f64>() / total;
            let peak = gain
                * part
                    .iter()
                    .map(Stroke::peak_acceleration)
                    .fold(0.0, f64::max);
            assert!(
                (phase.energy_share - share).abs() < 5e-3,
                "{k}: {} vs {share}",
                phase.energy_share
            );
            assert!((phase.peak_pressure_pa / peak - 1.0).abs() < 5e-3, "{k}");
            // Listener times are source times plus r / c.
            let delay = 0.01 / 343.0;
            assert!((phase.start_time_s - (d.phases[k].start_time_s + delay)).abs() < 1e-12);
        }
        let sum: f64 = listener.phases.iter().map(|p| p.energy_share).sum();
        assert!((sum - 1.0).abs() < 1e-3, "{sum}");
    }

    /// A 30-minute run of 100,000 macro steps of quiet creep with a 2 ms tone burst in the
    /// middle. Dropping quiet steps keeps about one step a second and the burst whole; a
    /// record capped at 4096 samples thins the creep and keeps the burst whole; both report
    /// the same pop as the record that keeps everything.
    #[test]
    fn long_creep_is_dropped_or_thinned_and_the_pop_kept() {
        let run = |config: &AcousticsConfig| {
            let mut rec = AcousticRecorder::new(config, RHO_TISSUE, C_TISSUE);
            let s = rec.add_source([0.0; 3]);
            let a = 4.0 * PI * 0.01 / 1.204; // 1 Pa at 1 cm
            let (tc, sigma, w) = (900.001, 0.3e-3, 2.0 * PI * 2000.0);
            for k in 0..100_000 {
                let t = k as f64 * 0.018;
                rec.record(t, &[sample(s, 1e-7 * (1.0 + 1e-5 * t), 1e-12, 0.0)])
                    .unwrap();
                if k == 50_000 {
                    for j in 1..400 {
                        let t = t + j as f64 * 5e-6;
                        let ddv = a * (-((t - tc) / sigma).powi(2)).exp() * (w * (t - tc)).sin();
                        rec.record(t, &[sample(s, 1e-7, 0.0, ddv)]).unwrap();
                    }
                }
            }
            rec.analyse()
        };
        let all = run(&AcousticsConfig {
            quiet_pressure_pa: 0.0,
            ..AcousticsConfig::default()
        });
        let dropped = run(&AcousticsConfig::default());
        let capped = run(&AcousticsConfig {
            quiet_pressure_pa: 0.0,
            max_stored_samples: 4096,
            ..AcousticsConfig::default()
        });
        assert_eq!(all.steps_kept, 100_399);
        // 1800 s at one kept quiet step per `max_quiet_gap_s` = 1 s, plus the burst.
        assert!(
            dropped.steps_kept < 1800 + 400 + 10,
            "{}",
            dropped.steps_kept
        );
        assert!(capped.samples_kept + capped.steps_kept <= 4096);
        assert_eq!(capped.loud_steps_thinned, 0);
        // Thinning removed only silent creep steps between silent neighbours: the burst, the
        // window, the fine grid and every number of the pop are exactly the same.
        assert_eq!(capped.window, all.window);
        assert_eq!(capped.listeners, all.listeners);
        // Dropping also swallowed the burst's first and last steps, quieter than
        // `quiet_pressure_pa` q: a dropped step lies between kept ones that each make less than
        // q and differ by less than q at the nearest listener, so interpolating over it misses
        // by less than 2q (−113 dB below this 1 Pa pop).
        assert_eq!(dropped.window, all.window);
        let q = AcousticsConfig::default().quiet_pressure_pa;
        for (a, b) in dropped.listeners.iter().zip(&all.listeners) {
            assert!((a.peak_pressure_air_pa - b.peak_pressure_air_pa).abs() < 2.0 * q);
            let (x, y) = (&a.microphone, &b.microphone);
            assert_eq!(
                (x.start_time_s, x.pressure_pa.len()),
                (y.start_time_s, y.pressure_pa.len())
            );
            let worst = x
                .pressure_pa
                .iter()
                .zip(&y.pressure_pa)
                .map(|(p, r)| (p - r).abs())
                .fold(0.0, f64::max);
            assert!(worst < 2.0 * q, "{worst}");
        }
        // The burst is a 2 kHz tone under a Gaussian envelope exp(−t²/σ²), σ = 0.3 ms: its
        // spectrum peaks at 2 kHz (the negative-frequency image, e^{−(2πσf)²} = 1e-6 of it,
        // does not move the peak): 1% allowed. Its envelope is within 20 dB of its peak for
        // 2σ sqrt(ln 10) = 0.91 ms; with only ~2 cycles under it the analytic-signal envelope
        // follows the Gaussian only to about the overlap of the envelope's spectrum with the
        // carrier's, e^{−(πσf)²} = 3%: 3% allowed.
        let listener = &all.listeners[0];
        let f = listener.dominant_frequency_hz.unwrap();
        assert!((f / 2000.0 - 1.0).abs() < 0.01, "{f}");
        let duration = listener.pop_duration_ms.unwrap();
        let expected = 2.0 * 0.3 * 10f64.ln().sqrt();
        assert!((duration / expected - 1.0).abs() < 0.03, "{duration} ms");
    }

    /// Bad records are refused with the time and the source named, and leave no trace.
    #[test]
    fn bad_records_are_refused_and_not_kept() {
        let mut rec = AcousticRecorder::new(&AcousticsConfig::default(), RHO_TISSUE, C_TISSUE);
        let s = rec.add_source([0.0; 3]);
        rec.record(1.0, &[sample(s, 1e-9, 0.0, 1.0)]).unwrap();
        let cases = [
            (1.0, vec![sample(s, 1e-9, 0.0, 1.0)], "does not come after"),
            (2.0, vec![sample(3, 1e-9, 0.0, 1.0)], "source 3, but only 1"),
            (
                2.0,
                vec![sample(s, 1e-9, 0.0, 1.0), sample(s, 1e-9, 0.0, 1.0)],
                "twice",
            ),
            (
                2.0,
                vec![sample(s, 1e-9, f64::NAN, 1.0)],
                "non-finite volume rate",
            ),
            (f64::INFINITY, vec![], "not finite"),
        ];
        for (t, samples, words) in cases {
            let message = rec.record(t, &samples).unwrap_err().to_string();
            assert!(message.contains(words), "{message}");
        }
        assert_eq!((rec.steps_kept(), rec.samples_kept()), (1, 1));
        // A source that appears later gets a zero at the step before it (V'' = 0 there).
        let late = rec.add_source([0.0, 0.001, 0.0]);
        rec.record(
            2.0,
            &[sample(s, 1e-9, 0.0, 1.0), sample(late, 1e-9, 0.0, 4.0)],
        )
        .unwrap();
        rec.record(3.0, &[sample(s, 1e-9, 0.0, 1.0)]).unwrap();
        let track = rec.track(late);
        let times: Vec<(f64, bool)> = track.points.iter().map(|p| (p.time_s, p.present)).collect();
        assert_eq!(times, [(1.0, false), (2.0, true), (3.0, false)]);
        assert_eq!(track.acceleration_at(1.5), 2.0);
    }

    /// Records `V''(t) = a sin(2π f t)` (1 Pa at 1 cm in air) for 10 ms on steps of
    /// 0.5 µs ± 20%, and returns the report.
    fn tone_report(f: f64) -> (AcousticReport, f64) {
        let config = AcousticsConfig::default();
        let mut rec = AcousticRecorder::new(&config, RHO_TISSUE, C_TISSUE);
        let s = rec.add_source([0.0; 3]);
        let a = 4.0 * PI * 0.01 / 1.204;
        let w = 2.0 * PI * f;
        for t in jittered_times(0.0, 0.01, 0.5e-6, 0.2, 3) {
            rec.record(t, &[sample(s, 1e-7, 0.0, a * (w * t).sin())])
                .unwrap();
        }
        (rec.analyse(), 1.0)
    }

    /// The RMS of the microphone samples 2 ms inside the tone, as a fraction of the tone's.
    fn microphone_gain(report: &AcousticReport, amplitude_pa: f64) -> f64 {
        let mic = &report.listeners[0].microphone;
        let delay = 0.01 / 343.0;
        let range = mic.index_range(delay + 2e-3, delay + 8e-3);
        let ms = mic.pressure_pa[range.clone()]
            .iter()
            .map(|p| p * p)
            .sum::<f64>()
            / range.len() as f64;
        ms.sqrt() / (amplitude_pa / 2f64.sqrt())
    }

    /// The 44.1 kHz microphone: a 40 kHz tone (which would alias to 4.1 kHz) is attenuated
    /// by more than 40 dB, a 2 kHz tone passes within 0.5 dB; the WAV reads back with its
    /// length, rate, peak and calibration.
    #[test]
    fn microphone_rejects_40_khz_passes_2_khz_and_the_wav_reads_back() {
        let (high, p) = tone_report(40_000.0);
        let g_high = microphone_gain(&high, p);
        // The FIR is 80 dB down from 22.05 kHz; interpolation of the jittered steps adds
        // broadband error near (ω δ)² / 8 ≈ −52 dB of which the audio band holds a twentieth.
        assert!(
            20.0 * g_high.log10() < -40.0,
            "40 kHz: {} dB",
            20.0 * g_high.log10()
        );
        let (low, p) = tone_report(2_000.0);
        let g_low = microphone_gain(&low, p);
        assert!(
            (20.0 * g_low.log10()).abs() < 0.5,
            "2 kHz: {} dB",
            20.0 * g_low.log10()
        );

        let path =
            std::env::temp_dir().join(format!("cavitas-acoustics-{}.wav", std::process::id()));
        low.write_wav(&path, 0).unwrap();
        let mut reader = hound::WavReader::open(&path).unwrap();
        let spec = reader.spec();
        assert_eq!(
            (spec.sample_rate, spec.channels, spec.bits_per_sample),
            (44_100, 1, 16)
        );
        let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
        std::fs::remove_file(&path).unwrap();
        let listener = &low.listeners[0];
        let pad = low.wav_padding_samples;
        assert_eq!(pad, 4410);
        assert_eq!(
            samples.len(),
            listener.microphone.pressure_pa.len() + 2 * pad
        );
        let peak = samples.iter().map(|s| s.unsigned_abs()).max().unwrap();
        // −1 dBFS of 32767, rounded.
        assert_eq!(peak, (32767.0 * 10f64.powf(-1.0 / 20.0)).round() as u16);
        assert!(
            samples[..pad]
                .iter()
                .chain(&samples[samples.len() - pad..])
                .all(|&s| s == 0)
        );
        // Calibration back to pascals: within half a least significant bit.
        let lsb = listener.wav_full_scale_pa / 32767.0;
        for (k, p) in listener.microphone.pressure_pa.iter().enumerate() {
            assert!((f64::from(samples[pad + k]) * lsb - p).abs() <= 0.5 * lsb + 1e-12);
        }

        // Errors name the file.
        let bad = std::path::Path::new("/nonexistent-cavitas-dir/pop.wav");
        let message = low.write_wav(bad, 0).unwrap_err().to_string();
        assert!(
            message.contains("/nonexistent-cavitas-dir/pop.wav"),
            "{message}"
        );
        let message = low.write_wav(bad, 7).unwrap_err().to_string();
        assert!(
            message.contains("pop.wav") && message.contains("listener 7"),
            "{message}"
        );
    }
}
