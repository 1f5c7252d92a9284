//! Spectra of a uniformly sampled signal: its dominant frequency and its amplitude spectrum.

use rustfft::{FftPlanner, num_complex::Complex};

/// The frequency (Hz) of the largest spectral peak of `samples` taken every `dt_s` seconds,
/// excluding the mean. Hann window, zero-padding to four times the next power of two, and
/// Gaussian (log-parabolic) interpolation of the peak: accurate to a small fraction of a bin
/// for a clean tone. `None` with fewer than 8 samples or a constant signal.
pub fn dominant_frequency_hz(samples: &[f64], dt_s: f64) -> Option<f64> {
    let n = samples.len();
    if n < 8 {
        return None;
    }
    let mean = samples.iter().sum::<f64>() / n as f64;
    let padded = 4 * n.next_power_of_two();
    let mut buffer: Vec<Complex<f64>> = samples
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let w = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / (n - 1) as f64).cos();
            Complex::new((x - mean) * w, 0.0)
        })
        .collect();
    buffer.resize(padded, Complex::new(0.0, 0.0));
    FftPlanner::new()
        .plan_fft_forward(padded)
        .process(&mut buffer);
    let magnitude: Vec<f64> = buffer[..padded / 2].iter().map(|c| c.norm()).collect();
    let (peak, &max) = magnitude
        .iter()
        .enumerate()
        .skip(1)
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    if max <= 0.0 || peak + 1 >= magnitude.len() {
        return None;
    }
    let (a, b, c) = (magnitude[peak - 1].ln(), max.ln(), magnitude[peak + 1].ln());
    let denom = a - 2.0 * b + c;
    let offset = if denom.abs() > 0.0 {
        0.5 * (a - c) / denom
    } else {
        0.0
    };
    Some((peak as f64 + offset) / (padded as f64 * dt_s))
}

/// A one-sided amplitude spectrum.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AmplitudeSpectrum {
    /// Frequency of each bin (Hz).
    pub frequency_hz: Vec<f64>,
    /// Amplitude in each bin, in the unit of the samples (Pa for a pressure).
    pub amplitude: Vec<f64>,
}

impl AmplitudeSpectrum {
    /// The spectrum of `samples` taken every `dt_s` seconds ([`amplitude_spectrum`]).
    pub fn of(samples: &[f64], dt_s: f64) -> Self {
        let (frequency_hz, amplitude) = amplitude_spectrum(samples, dt_s);
        Self {
            frequency_hz,
            amplitude,
        }
    }
}

/// One-sided amplitude spectrum of `samples` taken every `dt_s` seconds: frequencies
/// `k / (n dt)` (Hz) for `k = 0 ..= n/2`, and amplitudes in the samples' unit, Hann window
/// with its coherent gain divided out, so a tone `A sin(2π f t)` on a bin reads `A` there.
/// The mean is removed (bin 0 reads 0). Empty with fewer than 2 samples.
pub fn amplitude_spectrum(samples: &[f64], dt_s: f64) -> (Vec<f64>, Vec<f64>) {
    let n = samples.len();
    if n < 2 {
        return (Vec::new(), Vec::new());
    }
    let mean = samples.iter().sum::<f64>() / n as f64;
    let window = |i: usize| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / n as f64).cos();
    let gain: f64 = (0..n).map(window).sum();
    let mut buffer: Vec<Complex<f64>> = samples
        .iter()
        .enumerate()
        .map(|(i, &x)| Complex::new((x - mean) * window(i), 0.0))
        .collect();
    FftPlanner::new().plan_fft_forward(n).process(&mut buffer);
    let bins = n / 2 + 1;
    let frequency = (0..bins).map(|k| k as f64 / (n as f64 * dt_s)).collect();
    let amplitude = buffer[..bins]
        .iter()
        .enumerate()
        .map(|(k, c)| {
            // Bins other than 0 and Nyquist stand for two conjugate halves.
            let sides = if k == 0 || 2 * k == n { 1.0 } else { 2.0 };
            sides * c.norm() / gain
        })
        .collect();
    (frequency, amplitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decaying tone of 40 periods: the peak lands within 0.1% (a bin is 2.5%; Hann plus
    /// Gaussian interpolation is good to a few hundredths of a bin).
    #[test]
    fn finds_a_damped_tone_between_bins() {
        let f = 1234.5;
        let dt = 1.0 / (f * 23.7);
        let s: Vec<f64> = (0..(40.0 * 23.7) as usize)
            .map(|i| {
                let t = i as f64 * dt;
                (-t * f * 0.02).exp() * (2.0 * std::f64::consts::PI * f * t).sin() + 3.0
            })
            .collect();
        let got = dominant_frequency_hz(&s, dt).unwrap();
        assert!((got / f - 1.0).abs() < 1e-3, "{got}");
    }

    #[test]
    fn a_tone_on_a_bin_reads_its_amplitude_and_nothing_far_from_it() {
        // 1 kHz at 44.1 kHz over 441 samples: exactly bin 10. The periodic Hann window's
        // leakage reaches only the two neighbouring bins, so every other bin holds round-off.
        let (dt, amplitude) = (1.0 / 44_100.0, 0.37);
        let samples: Vec<f64> = (0..441)
            .map(|i| amplitude * (2.0 * std::f64::consts::PI * 1000.0 * i as f64 * dt).sin())
            .collect();
        let (f, a) = amplitude_spectrum(&samples, dt);
        assert_eq!(f.len(), 221);
        assert!((f[10] - 1000.0).abs() < 1e-9);
        assert!((a[10] - amplitude).abs() < 1e-12 * 441.0, "{}", a[10]);
        assert!((a[9] - amplitude / 2.0).abs() < 1e-9 && (a[11] - amplitude / 2.0).abs() < 1e-9);
        let far = a.iter().enumerate().filter(|(k, _)| k.abs_diff(10) > 1);
        for (k, &x) in far {
            assert!(x < 1e-12, "bin {k}: {x}");
        }
    }
}
