//! The dark cavity of a frame, segmented as a reader would: dark seeds, grown to the
//! half-way outline against what surrounds them.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::otsu::otsu_threshold;
use super::roi_mask::RoiMask;
use crate::mri::slice_image::SliceImage;

/// How dark a cavity must be.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CavityThreshold {
    /// From the signal of a void (gas: the noise floor) and of fluid: darker than half-way
    /// between them is gas.
    Levels {
        /// Signal of a void (what gas shows under the noise).
        void: f64,
        /// Signal of synovial fluid.
        fluid: f64,
    },
    /// Otsu's threshold of the region's (smoothed) pixels; the void level is the median
    /// of those below it. Use only where a cavity is known to be present: in a region with
    /// none, Otsu splits whatever is there.
    Otsu,
}

/// Settings of the cavity segmentation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CavitySettings {
    /// Threshold rule.
    pub threshold: CavityThreshold,
    /// Smallest cavity counted (pixels). Default 3 \[A\]: one or two dark pixels are noise
    /// to a reader.
    #[serde(default = "d_min_pixels")]
    pub min_pixels: usize,
    /// Smooth with a 3 × 3 mean before thresholding (the eye averages noise). Default true.
    #[serde(default = "d_smooth")]
    pub smooth: bool,
}

fn d_min_pixels() -> usize {
    3
}
fn d_smooth() -> bool {
    true
}

impl CavitySettings {
    /// Settings with `threshold` and the defaults.
    pub fn new(threshold: CavityThreshold) -> Self {
        Self {
            threshold,
            min_pixels: d_min_pixels(),
            smooth: d_smooth(),
        }
    }
}

/// The cavity found in one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct CavityMeasurement {
    /// Area of the dark cavity (m²); 0 when none.
    pub area_m2: f64,
    /// Uncertainty of the area (m²): the outline moved by one pixel (boundary pixels ×
    /// pixel area).
    pub uncertainty_m2: f64,
    /// Pixels in the cavity.
    pub pixels: usize,
    /// Separate dark components counted.
    pub components: usize,
    /// Which pixels are cavity (row-major, the image's size).
    pub mask: Vec<bool>,
}

/// Segments the dark cavity of `image` within `roi`:
/// 1. optionally smooth with a 3 × 3 mean;
/// 2. seeds: pixels darker than the seed threshold (`(void + fluid) / 2`, or Otsu's),
///    grouped in 8-connected components; those smaller than `min_pixels` are dropped;
/// 3. each component grows through neighbours darker than half-way between the void and
///    the median of its surroundings (a ring 2–3 pixels out, within the region): the
///    outline a reader draws at half contrast, whatever tissue borders the cavity.
///
/// A cavity is *seen* only where something is darker than fluid (step 2); its outline
/// (step 3) takes in dark fluid touching it where that fluid is darker than half the
/// contrast against the surroundings — on T1 images fluid is dark too, and a reader
/// tracing the dark region does the same.
pub fn segment_cavity(
    image: &SliceImage,
    roi: &RoiMask,
    settings: &CavitySettings,
) -> CavityMeasurement {
    let (w, h) = (image.columns, image.rows);
    let values: Vec<f64> = if settings.smooth {
        box_mean(image)
    } else {
        image.values.iter().map(|&v| f64::from(v)).collect()
    };
    let inside = |i: usize| roi.inside.get(i).copied().unwrap_or(false);
    let (seed_threshold, void) = match settings.threshold {
        CavityThreshold::Levels { void, fluid } => (0.5 * (void + fluid), void),
        CavityThreshold::Otsu => {
            let region: Vec<f64> = (0..w * h)
                .filter(|&i| inside(i))
                .map(|i| values[i])
                .collect();
            match otsu_threshold(&region) {
                Some(t) => {
                    // The median, not the mean: the outline's partial-volume pixels pull a
                    // mean up toward the tissue.
                    let mut below: Vec<f64> = region.iter().copied().filter(|&v| v < t).collect();
                    below.sort_by(f64::total_cmp);
                    (t, below.get(below.len() / 2).copied().unwrap_or(t))
                }
                None => (f64::NEG_INFINITY, 0.0),
            }
        }
    };
    let neighbours = |i: usize| {
        let (r, c) = ((i / w) as i64, (i % w) as i64);
        (-1..=1i64)
            .flat_map(move |dr| (-1..=1i64).map(move |dc| (r + dr, c + dc)))
            .filter(move |&(rr, cc)| {
                (rr, cc) != (r, c) && rr >= 0 && cc >= 0 && rr < h as i64 && cc < w as i64
            })
            .map(move |(rr, cc)| rr as usize * w + cc as usize)
    };
    let dark: Vec<bool> = (0..w * h)
        .map(|i| inside(i) && values[i] < seed_threshold)
        .collect();
    let mut label = vec![false; w * h];
    let mut mask = vec![false; w * h];
    let mut components = 0;
    for start in 0..w * h {
        if !dark[start] || label[start] {
            continue;
        }
        // The seed component.
        let mut component = vec![start];
        label[start] = true;
        let mut k = 0;
        while k < component.len() {
            for j in neighbours(component[k]) {
                if dark[j] && !label[j] {
                    label[j] = true;
                    component.push(j);
                }
            }
            k += 1;
        }
        if component.len() < settings.min_pixels {
            continue;
        }
        // Its surroundings: a ring 2–3 pixels out, within the region.
        let distance = chebyshev_distance(w, h, &component, 3);
        let mut ring: Vec<f64> = (0..w * h)
            .filter(|&i| inside(i) && (2..=3).contains(&distance[i]))
            .map(|i| values[i])
            .collect();
        let edge_threshold = if ring.is_empty() {
            seed_threshold
        } else {
            ring.sort_by(f64::total_cmp);
            0.5 * (void + ring[ring.len() / 2])
        };
        // The outline is the half-contrast level: seeds brighter than it (Otsu's level can
        // lie above it) are not cavity.
        let mut queue: VecDeque<usize> = component
            .iter()
            .copied()
            .filter(|&i| values[i] < edge_threshold)
            .collect();
        if queue.is_empty() {
            continue;
        }
        components += 1;
        for &i in &queue {
            mask[i] = true;
        }
        while let Some(i) = queue.pop_front() {
            for j in neighbours(i) {
                if !mask[j] && inside(j) && values[j] < edge_threshold {
                    mask[j] = true;
                    queue.push_back(j);
                }
            }
        }
    }
    let pixels = mask.iter().filter(|&&m| m).count();
    let boundary = (0..w * h)
        .filter(|&i| {
            mask[i] && {
                let (r, c) = (i / w, i % w);
                r == 0
                    || c == 0
                    || r == h - 1
                    || c == w - 1
                    || !mask[i - 1]
                    || !mask[i + 1]
                    || !mask[i - w]
                    || !mask[i + w]
            }
        })
        .count();
    let area = image.pixel_area_m2();
    CavityMeasurement {
        area_m2: pixels as f64 * area,
        uncertainty_m2: boundary as f64 * area,
        pixels,
        components,
        mask,
    }
}

/// 3 × 3 mean (edges replicated).
fn box_mean(image: &SliceImage) -> Vec<f64> {
    let (w, h) = (image.columns as i64, image.rows as i64);
    let get = |r: i64, c: i64| {
        f64::from(image.get(r.clamp(0, h - 1) as usize, c.clamp(0, w - 1) as usize))
    };
    (0..h)
        .flat_map(|r| (0..w).map(move |c| (r, c)))
        .map(|(r, c)| {
            let mut s = 0.0;
            for dr in -1..=1 {
                for dc in -1..=1 {
                    s += get(r + dr, c + dc);
                }
            }
            s / 9.0
        })
        .collect()
}

/// Chebyshev distance (pixels) of every pixel from the set `from`, up to `limit`
/// (`limit + 1` beyond).
fn chebyshev_distance(w: usize, h: usize, from: &[usize], limit: usize) -> Vec<usize> {
    let mut d = vec![limit + 1; w * h];
    for &i in from {
        let (r, c) = ((i / w) as i64, (i % w) as i64);
        let l = limit as i64;
        for rr in (r - l).max(0)..=(r + l).min(h as i64 - 1) {
            for cc in (c - l).max(0)..=(c + l).min(w as i64 - 1) {
                let k = rr as usize * w + cc as usize;
                let dist = (rr - r).abs().max((cc - c).abs()) as usize;
                d[k] = d[k].min(dist);
            }
        }
    }
    d
}
