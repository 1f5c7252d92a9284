//! A uniformly sampled pressure signal at a listener.

use std::ops::Range;

use serde::Serialize;

/// Acoustic pressure at a listener, sampled uniformly in listener time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waveform {
    /// Time of the first sample at the listener, s (the run's clock plus the travel time).
    pub start_time_s: f64,
    /// Samples per second, Hz.
    pub sample_rate_hz: f64,
    /// Acoustic pressure, Pa (deviation from the ambient pressure).
    pub pressure_pa: Vec<f64>,
    /// True when the pop's window was longer than `max_waveform_samples` and was cut
    /// around the loudest step.
    pub truncated: bool,
}

impl Waveform {
    /// No samples.
    pub fn empty(sample_rate_hz: f64) -> Self {
        Self {
            start_time_s: 0.0,
            sample_rate_hz,
            pressure_pa: Vec::new(),
            truncated: false,
        }
    }

    /// Spacing of the samples, s.
    pub fn sample_interval_s(&self) -> f64 {
        1.0 / self.sample_rate_hz
    }

    /// Time of sample `i`, s.
    pub fn time_s(&self, i: usize) -> f64 {
        self.start_time_s + i as f64 / self.sample_rate_hz
    }

    /// Largest `|p|`, Pa (0 when empty).
    pub fn peak_pa(&self) -> f64 {
        self.pressure_pa.iter().fold(0.0, |m, p| m.max(p.abs()))
    }

    /// Indices of the samples with times in `[from_s, to_s)`.
    pub fn index_range(&self, from_s: f64, to_s: f64) -> Range<usize> {
        let n = self.pressure_pa.len();
        let index = |t: f64| {
            let x = ((t - self.start_time_s) * self.sample_rate_hz).ceil();
            if x <= 0.0 { 0 } else { (x as usize).min(n) }
        };
        let (a, b) = (index(from_s), index(to_s));
        a..b.max(a)
    }

    /// Sound exposure `∫ p² dt` over the samples `range`, Pa² s (rectangle rule).
    pub fn exposure_pa2_s(&self, range: Range<usize>) -> f64 {
        self.pressure_pa[range].iter().map(|p| p * p).sum::<f64>() / self.sample_rate_hz
    }
}
