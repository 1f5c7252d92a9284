//! The radial finite-volume mesh of the film: cells between faces `0 = r_0 < … < r_N = a`.

use serde::{Deserialize, Serialize};

use super::film_error::FilmError;

/// Where the cells are finest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MeshGrading {
    /// Equal widths.
    #[default]
    Uniform,
    /// Finest at the axis (`r = 0`), where flat discs cavitate first.
    Axis,
    /// Finest at the rim, where the pressure gradient is steepest.
    Rim,
}

/// Cell-centred radial mesh: face radii `r_{j}` (`j = 0..=N`), cell centres
/// `(r_j + r_{j+1})/2` and annulus areas `π (r_{j+1}² − r_j²)`.
///
/// Graded meshes map `ξ = j/N` smoothly: `r/a = (e^{βξ} − 1)/(e^β − 1)` (finest at the axis)
/// or its mirror (finest at the rim), `β = ln(ratio)` with `ratio` the ratio of the widest to
/// the narrowest cell (approximately). Neighbouring widths differ by `e^{β/N} → 1`, so the
/// scheme keeps its second order.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmMesh {
    faces_m: Vec<f64>,
    centres_m: Vec<f64>,
    areas_m2: Vec<f64>,
}

impl FilmMesh {
    /// A mesh of `cells` cells over `0 <= r <= radius_m`.
    pub fn new(
        radius_m: f64,
        cells: usize,
        grading: MeshGrading,
        ratio: f64,
    ) -> Result<Self, FilmError> {
        if !(radius_m > 0.0 && radius_m.is_finite()) {
            return Err(FilmError::InvalidInput {
                name: "articular radius (m)",
                value: radius_m,
                allowed: "a finite radius > 0",
            });
        }
        if cells < 2 {
            return Err(FilmError::InvalidInput {
                name: "cells",
                value: cells as f64,
                allowed: "at least 2",
            });
        }
        if !(1.0..=1e6).contains(&ratio) {
            return Err(FilmError::InvalidInput {
                name: "grading ratio",
                value: ratio,
                allowed: "a ratio in [1, 1e6]",
            });
        }
        let beta = ratio.ln();
        let map = |xi: f64| -> f64 {
            if beta < 1e-12 {
                return xi;
            }
            let stretch = |x: f64| (beta * x).exp_m1() / beta.exp_m1();
            match grading {
                MeshGrading::Uniform => xi,
                MeshGrading::Axis => stretch(xi),
                MeshGrading::Rim => 1.0 - stretch(1.0 - xi),
            }
        };
        let mut faces_m: Vec<f64> = (0..=cells)
            .map(|j| radius_m * map(j as f64 / cells as f64))
            .collect();
        faces_m[0] = 0.0;
        faces_m[cells] = radius_m;
        Ok(Self::from_faces(faces_m))
    }

    fn from_faces(faces_m: Vec<f64>) -> Self {
        let centres_m = faces_m.windows(2).map(|f| 0.5 * (f[0] + f[1])).collect();
        let areas_m2 = faces_m
            .windows(2)
            .map(|f| std::f64::consts::PI * (f[1] * f[1] - f[0] * f[0]))
            .collect();
        Self {
            faces_m,
            centres_m,
            areas_m2,
        }
    }

    /// Number of cells `N`.
    pub fn cells(&self) -> usize {
        self.centres_m.len()
    }

    /// Articular radius `a` (m).
    pub fn radius_m(&self) -> f64 {
        self.faces_m[self.cells()]
    }

    /// Face radii `r_0 = 0, …, r_N = a` (m).
    pub fn faces_m(&self) -> &[f64] {
        &self.faces_m
    }

    /// Cell centres (m).
    pub fn centres_m(&self) -> &[f64] {
        &self.centres_m
    }

    /// Cell (annulus) areas (m²).
    pub fn areas_m2(&self) -> &[f64] {
        &self.areas_m2
    }

    /// The cell containing radius `r` (m), `None` outside `[0, a]`.
    pub fn cell_containing(&self, radius_m: f64) -> Option<usize> {
        if !(radius_m >= 0.0 && radius_m <= self.radius_m()) {
            return None;
        }
        let j = self.faces_m.partition_point(|&f| f <= radius_m);
        Some(j.saturating_sub(1).min(self.cells() - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells tile the disc: their areas sum to `π a²` (round-off), graded meshes are
    /// finest where asked, and every radius finds its cell.
    #[test]
    fn film_mesh_tiles_the_disc() {
        let a = 7e-3;
        for grading in [MeshGrading::Uniform, MeshGrading::Axis, MeshGrading::Rim] {
            let m = FilmMesh::new(a, 50, grading, 10.0).unwrap();
            let total: f64 = m.areas_m2().iter().sum();
            assert!((total / (std::f64::consts::PI * a * a) - 1.0).abs() < 1e-14);
            let w: Vec<f64> = m.faces_m().windows(2).map(|f| f[1] - f[0]).collect();
            match grading {
                MeshGrading::Uniform => assert!((w[0] / w[49] - 1.0).abs() < 1e-12),
                MeshGrading::Axis => assert!(w[49] / w[0] > 8.0),
                MeshGrading::Rim => assert!(w[0] / w[49] > 8.0),
            }
            for (i, &r) in m.centres_m().iter().enumerate() {
                assert_eq!(m.cell_containing(r), Some(i));
            }
            assert_eq!(m.cell_containing(a), Some(49));
            assert_eq!(m.cell_containing(0.0), Some(0));
            assert_eq!(m.cell_containing(1.1 * a), None);
        }
        assert!(FilmMesh::new(a, 1, MeshGrading::Uniform, 1.0).is_err());
        assert!(FilmMesh::new(f64::NAN, 10, MeshGrading::Uniform, 1.0).is_err());
    }
}
