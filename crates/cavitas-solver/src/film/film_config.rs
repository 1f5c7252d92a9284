//! The `[film]` table: the resolved synovial film between the articular surfaces.

use serde::{Deserialize, Serialize};

use super::cartilage_layer::CartilageLayer;
use super::film_error::FilmError;
use super::film_mesh::{FilmMesh, MeshGrading};
use super::reynolds_film::ReynoldsFilm;
use super::rheology::Rheology;
use super::surface_shape::SurfaceShape;
use crate::config::{Validate, Validator};

/// `[film]`: the synovial film resolved in radius (Reynolds squeeze film). With
/// `enabled = false` (the default) the joint keeps today's lumped fluid pressure. Sources and
/// tags of the defaults: `validation/synovial-rheology/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilmConfig {
    /// Resolve the film (true) or keep the lumped pressure (false). Default false.
    #[serde(default)]
    pub enabled: bool,
    /// Film thickness on the axis at rest, `h0` at zero opening (m). Default 10e-6 (\[A\]:
    /// micrometres between touching cartilage; measured roughness is 0.1–7 µm \[P\]).
    /// Range: (0, 0.01].
    #[serde(default = "default_resting_thickness")]
    pub resting_thickness_m: f64,
    /// Smallest gap the asperities leave (m): the gap is floored smoothly at this value.
    /// Default 0.5e-6 (\[A\]). Range: (0, resting_thickness_m).
    #[serde(default = "default_minimum_gap")]
    pub minimum_gap_m: f64,
    /// The fluid (`[film.rheology]`). Default: Carreau, μ0 5, μ∞ 0.01 Pa·s, λ 1 s, n 0.3 (\[A\]).
    #[serde(default)]
    pub rheology: Rheology,
    /// The surfaces' shape (`[film.shape]`). Default flat discs.
    #[serde(default)]
    pub shape: SurfaceShape,
    /// The cartilage under the film (`[film.cartilage]`). Default rigid: the drained
    /// elastic column (`model = "elastic"`, 1 mm, 1 MPa) takes minutes to deform, so at the
    /// time scale of a crack it overstates the compliance (see [`CartilageLayer`]).
    #[serde(default = "default_cartilage")]
    pub cartilage: CartilageLayer,
    /// Finite-volume cells across the radius. Default 100. Range: [4, 100000].
    #[serde(default = "default_cells")]
    pub cells: usize,
    /// Where the cells are finest: `"uniform"`, `"axis"` or `"rim"`. Default uniform.
    #[serde(default)]
    pub grading: MeshGrading,
    /// Widest over narrowest cell of a graded mesh (1). Default 10. Range: [1, 1e6].
    #[serde(default = "default_grading_ratio")]
    pub grading_ratio: f64,
    /// Newton's tolerance on the scaled residual `max|R_i|/scale` (1). Default 1e-12.
    /// Range: [1e-15, 1e-4].
    #[serde(default = "default_tolerance")]
    pub newton_tolerance: f64,
    /// Newton's iteration limit per step. Default 100. Range: [1, 10000].
    #[serde(default = "default_max_iterations")]
    pub newton_max_iterations: usize,
}

fn default_resting_thickness() -> f64 {
    10e-6
}
fn default_minimum_gap() -> f64 {
    0.5e-6
}
fn default_cartilage() -> CartilageLayer {
    CartilageLayer::Rigid
}
fn default_cells() -> usize {
    100
}
fn default_grading_ratio() -> f64 {
    10.0
}
fn default_tolerance() -> f64 {
    1e-12
}
fn default_max_iterations() -> usize {
    100
}

impl Default for FilmConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            resting_thickness_m: default_resting_thickness(),
            minimum_gap_m: default_minimum_gap(),
            rheology: Rheology::default(),
            shape: SurfaceShape::default(),
            cartilage: default_cartilage(),
            cells: default_cells(),
            grading: MeshGrading::default(),
            grading_ratio: default_grading_ratio(),
            newton_tolerance: default_tolerance(),
            newton_max_iterations: default_max_iterations(),
        }
    }
}

impl FilmConfig {
    /// The gap on the axis (m) at joint opening `u` (m) from rest: `h0 = h_rest + u`.
    pub fn axis_gap_m(&self, opening_m: f64) -> f64 {
        self.resting_thickness_m + opening_m
    }

    /// The film's mesh over the articular radius `a` (m).
    pub fn build_mesh(&self, articular_radius_m: f64) -> Result<FilmMesh, FilmError> {
        FilmMesh::new(
            articular_radius_m,
            self.cells,
            self.grading,
            self.grading_ratio,
        )
    }

    /// The film solver over the articular radius `a` (m) (the capsule's
    /// `articular_radius_m()`), or `None` when the film is disabled (the lumped model).
    pub fn build(&self, articular_radius_m: f64) -> Result<Option<ReynoldsFilm>, FilmError> {
        if !self.enabled {
            return Ok(None);
        }
        ReynoldsFilm::new(self, articular_radius_m).map(Some)
    }
}

impl Validate for FilmConfig {
    fn validate(&self, v: &mut Validator<'_>) {
        v.require(
            self.resting_thickness_m.is_finite()
                && self.resting_thickness_m > 0.0
                && self.resting_thickness_m <= 0.01,
            "resting_thickness_m",
            self.resting_thickness_m,
            "a thickness in (0, 0.01] m",
        );
        v.require(
            self.minimum_gap_m.is_finite()
                && self.minimum_gap_m > 0.0
                && self.minimum_gap_m < self.resting_thickness_m,
            "minimum_gap_m",
            self.minimum_gap_m,
            &format!(
                "a gap in (0, resting_thickness_m = {:e}) m",
                self.resting_thickness_m
            ),
        );
        v.nested("rheology", &self.rheology);
        v.nested("shape", &self.shape);
        v.nested("cartilage", &self.cartilage);
        v.require(
            (4..=100_000).contains(&self.cells),
            "cells",
            self.cells,
            "an integer in [4, 100000]",
        );
        v.within("grading_ratio", self.grading_ratio, 1.0, 1e6);
        v.within("newton_tolerance", self.newton_tolerance, 1e-15, 1e-4);
        v.require(
            (1..=10_000).contains(&self.newton_max_iterations),
            "newton_max_iterations",
            self.newton_max_iterations,
            "an integer in [1, 10000]",
        );
    }
}
