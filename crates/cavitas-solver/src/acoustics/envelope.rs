//! The envelope of a waveform (magnitude of its analytic signal) and the span over which it
//! stays near its peak: how the pop's duration is measured.

use rustfft::{FftPlanner, num_complex::Complex};

/// `|x + i H[x]|` for the uniformly sampled `samples`, with `H` the Hilbert transform taken
/// by FFT on a zero-padded copy (at least twice the length, so the ends do not wrap).
pub fn hilbert_envelope(samples: &[f64]) -> Vec<f64> {
    let n = samples.len();
    if n == 0 {
        return Vec::new();
    }
    let padded = (2 * n).next_power_of_two();
    let mut buffer: Vec<Complex<f64>> = samples.iter().map(|&x| Complex::new(x, 0.0)).collect();
    buffer.resize(padded, Complex::new(0.0, 0.0));
    let mut planner = FftPlanner::new();
    planner.plan_fft_forward(padded).process(&mut buffer);
    // Keep DC and Nyquist, double the positive frequencies, drop the negative ones.
    for (k, c) in buffer.iter_mut().enumerate() {
        if k > 0 && k < padded / 2 {
            *c *= 2.0;
        } else if k > padded / 2 {
            *c = Complex::new(0.0, 0.0);
        }
    }
    planner.plan_fft_inverse(padded).process(&mut buffer);
    buffer[..n]
        .iter()
        .map(|c| c.norm() / padded as f64)
        .collect()
}

/// Fractional sample positions of the first and the last time `envelope` reaches
/// `threshold_db` dB below its peak, the crossings interpolated linearly between samples.
/// `None` when the envelope is zero everywhere.
pub fn span_within_db_of_peak(envelope: &[f64], threshold_db: f64) -> Option<(f64, f64)> {
    let peak = envelope.iter().copied().fold(0.0, f64::max);
    if !(peak > 0.0) {
        return None;
    }
    let level = peak * 10f64.powf(-threshold_db / 20.0);
    let first = envelope.iter().position(|&e| e >= level)?;
    let last = envelope.iter().rposition(|&e| e >= level)?;
    let crossing = |below: usize, above: usize| {
        let (a, b) = (envelope[below], envelope[above]);
        let w = ((level - a) / (b - a)).clamp(0.0, 1.0);
        below as f64 + w * (above as f64 - below as f64)
    };
    let start = if first == 0 {
        0.0
    } else {
        crossing(first - 1, first)
    };
    let end = if last + 1 == envelope.len() {
        last as f64
    } else {
        crossing(last + 1, last)
    };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The envelope of `a(t) cos(ωt)` with a slow Gaussian `a` is `a` itself (Bedrosian): to
    /// 1e-3 of the peak where the carrier has many cycles under the envelope. The span within
    /// 20 dB of a Gaussian `exp(−t²/2σ²)` is `2σ sqrt(2 ln 10)`, to a fraction of a sample.
    #[test]
    fn envelope_of_a_gaussian_tone_burst() {
        let dt = 1e-5;
        let sigma = 2e-3;
        let n = 2000;
        let t_mid = n as f64 * dt / 2.0;
        let a = |t: f64| (-(t - t_mid).powi(2) / (2.0 * sigma * sigma)).exp();
        let x: Vec<f64> = (0..n)
            .map(|i| {
                let t = i as f64 * dt;
                a(t) * (2.0 * std::f64::consts::PI * 5000.0 * t).cos()
            })
            .collect();
        let env = hilbert_envelope(&x);
        for i in (200..1800).step_by(50) {
            assert!((env[i] - a(i as f64 * dt)).abs() < 1e-3, "{i}");
        }
        let (s, e) = span_within_db_of_peak(&env, 20.0).unwrap();
        let expected = 2.0 * sigma * (2.0 * 10f64.ln()).sqrt();
        assert!(
            ((e - s) * dt - expected).abs() < 0.5 * dt,
            "{}",
            (e - s) * dt
        );
        assert!(span_within_db_of_peak(&[0.0; 4], 20.0).is_none());
    }
}
