//! Otsu's threshold (Otsu 1979, IEEE Trans. Syst. Man Cybern. 9:62): the level that best
//! separates a histogram into two classes (largest between-class variance).

/// Otsu's threshold of `values` over 256 bins between their extremes; `None` for fewer
/// than two distinct values.
pub fn otsu_threshold(values: &[f64]) -> Option<f64> {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    if !(hi > lo) {
        return None;
    }
    const BINS: usize = 256;
    let width = (hi - lo) / BINS as f64;
    let mut histogram = [0u64; BINS];
    for &v in values.iter().filter(|v| v.is_finite()) {
        histogram[(((v - lo) / width) as usize).min(BINS - 1)] += 1;
    }
    let total: u64 = histogram.iter().sum();
    let sum_all: f64 = histogram
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut weight_low, mut sum_low) = (0u64, 0.0);
    let mut best = (f64::NEG_INFINITY, 0usize);
    for (i, &c) in histogram.iter().enumerate().take(BINS - 1) {
        weight_low += c;
        sum_low += i as f64 * c as f64;
        let weight_high = total - weight_low;
        if weight_low == 0 || weight_high == 0 {
            continue;
        }
        let mean_low = sum_low / weight_low as f64;
        let mean_high = (sum_all - sum_low) / weight_high as f64;
        let between = weight_low as f64 * weight_high as f64 * (mean_low - mean_high).powi(2);
        if between > best.0 {
            best = (between, i);
        }
    }
    Some(lo + (best.1 + 1) as f64 * width)
}
