//! The capsule as a meridian in the `(r, z)` half-plane.

use crate::validation_error::ValidationError;

/// Where a point is relative to the capsule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapsuleSide {
    /// Within the capsule wall (half its thickness from the meridian).
    Wall,
    /// Enclosed by the capsule (between its meridian and the axis).
    Inside,
    /// Outside the capsule.
    Outside,
}

/// The capsule meridian: nodes `(r, z)` (m) from its attachment on the proximal bone to its
/// attachment on the distal bone. The enclosed region is the polygon closed by the axis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CapsuleMeridian {
    nodes_m: Vec<[f64; 2]>,
    bounds: [f64; 4],
}

impl CapsuleMeridian {
    /// A meridian through `nodes_m` (`(r, z)`, m); at least two finite nodes with `r >= 0`,
    /// or none (no capsule).
    pub fn new(nodes_m: Vec<[f64; 2]>) -> Result<Self, ValidationError> {
        if nodes_m.len() == 1 {
            return Err(ValidationError::data(
                "capsule meridian",
                "one node is not a meridian; give at least two, or none",
            ));
        }
        if let Some((i, p)) = nodes_m
            .iter()
            .enumerate()
            .find(|(_, p)| !(p[0].is_finite() && p[1].is_finite() && p[0] >= 0.0))
        {
            return Err(ValidationError::data(
                "capsule meridian",
                format!("node {i} = {p:?} must be finite with r >= 0"),
            ));
        }
        let mut bounds = [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for p in &nodes_m {
            bounds[0] = bounds[0].min(p[0]);
            bounds[1] = bounds[1].max(p[0]);
            bounds[2] = bounds[2].min(p[1]);
            bounds[3] = bounds[3].max(p[1]);
        }
        Ok(Self { nodes_m, bounds })
    }

    /// A straight meridian of `segments` segments from `(r0, z0)` to `(r1, z1)` (m).
    pub fn straight(start_m: [f64; 2], end_m: [f64; 2], segments: usize) -> Self {
        let n = segments.max(1);
        let nodes = (0..=n)
            .map(|k| {
                let w = k as f64 / n as f64;
                [
                    start_m[0] + w * (end_m[0] - start_m[0]),
                    start_m[1] + w * (end_m[1] - start_m[1]),
                ]
            })
            .collect();
        Self::new(nodes).expect("finite straight meridian")
    }

    /// The nodes `(r, z)` (m).
    pub fn nodes_m(&self) -> &[[f64; 2]] {
        &self.nodes_m
    }

    /// Where `(r, z)` (m) lies, the wall being `thickness_m` thick about the meridian.
    pub fn side(&self, r: f64, z: f64, thickness_m: f64) -> CapsuleSide {
        if self.nodes_m.is_empty() {
            return CapsuleSide::Outside;
        }
        let h = 0.5 * thickness_m;
        let [r_min, r_max, z_min, z_max] = self.bounds;
        if r > r_max + h || z < z_min - h || z > z_max + h {
            return CapsuleSide::Outside;
        }
        if r >= r_min - h && h > 0.0 && self.distance_m(r, z) <= h {
            return CapsuleSide::Wall;
        }
        if self.encloses(r, z) {
            CapsuleSide::Inside
        } else {
            CapsuleSide::Outside
        }
    }

    /// Shortest distance from `(r, z)` to the meridian (m).
    pub fn distance_m(&self, r: f64, z: f64) -> f64 {
        self.nodes_m
            .windows(2)
            .map(|s| {
                let (a, b) = (s[0], s[1]);
                let (dx, dz) = (b[0] - a[0], b[1] - a[1]);
                let len2 = dx * dx + dz * dz;
                let w = if len2 > 0.0 {
                    (((r - a[0]) * dx + (z - a[1]) * dz) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                (r - a[0] - w * dx).hypot(z - a[1] - w * dz)
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Even–odd test against the polygon of the meridian closed along the axis.
    fn encloses(&self, r: f64, z: f64) -> bool {
        let first = self.nodes_m[0];
        let last = self.nodes_m[self.nodes_m.len() - 1];
        let closing = [last, [0.0, last[1]], [0.0, first[1]], first];
        let mut inside = false;
        let mut cross = |a: [f64; 2], b: [f64; 2]| {
            if (a[1] > z) != (b[1] > z) {
                let r_at = a[0] + (z - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                if r < r_at {
                    inside = !inside;
                }
            }
        };
        for s in self.nodes_m.windows(2) {
            cross(s[0], s[1]);
        }
        for s in closing.windows(2) {
            cross(s[0], s[1]);
        }
        inside
    }
}
