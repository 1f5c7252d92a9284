//! The `[capsule]` table of a scenario: geometry, material, section, mesh and solver, with
//! units, defaults and allowed ranges.

use serde::{Deserialize, Serialize};

use super::capsule_model::CapsuleModel;
use super::capsule_solver::NewtonSettings;
use super::element::ElementKind;
use super::membrane_material::MembraneMaterial;
use super::meridian_mesh::{EndCondition, MeridianMesh, MeshError};
use crate::config::{Validate, Validator};

/// The reference (in-situ) shape, `[capsule.geometry]` with `shape = "…"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case", deny_unknown_fields)]
pub enum CapsuleGeometry {
    /// A closed sphere (analytic inflation case).
    Sphere {
        /// Radius (m). Range: (0, 1].
        radius_m: f64,
    },
    /// A tube whose ends are held axially and slide radially (analytic inflation case).
    Tube {
        /// Radius (m). Range: (0, 1].
        radius_m: f64,
        /// Length (m). Range: (0, 10].
        length_m: f64,
    },
    /// A joint capsule: a surface of revolution spanning the rims of two coaxial cylindrical
    /// bones of radius `rim_radius_m` whose flat articular faces are `gap_m` apart. The capsule
    /// attaches `attachment_offset_m` behind each face; its meridian is a circular arc
    /// bulging outward by `bulge_m` (0: straight). The fixed bone's rim is at
    /// `z = −attachment_offset_m`, the moving bone's at `z = gap + attachment_offset_m`.
    Joint {
        /// Bone (and articular) radius `a` (m). Range: (0, 0.1].
        rim_radius_m: f64,
        /// Resting gap `h0` between the articular faces (m). Range: (0, 0.01].
        gap_m: f64,
        /// Attachment distance behind each articular face (m). Range: [0, 0.05].
        attachment_offset_m: f64,
        /// Outward bulge of the capsule at mid-span (m). Range: [0, 0.05].
        #[serde(default)]
        bulge_m: f64,
    },
    /// An explicit meridian, both ends clamped, no moving rim.
    Nodes {
        /// Nodes `[[r, z], …]` (m), `elements × order + 1` of them.
        points_m: Vec<[f64; 2]>,
        /// Rigid volume inside the surface of revolution (m³). Range: >= 0.
        #[serde(default)]
        excluded_volume_m3: f64,
    },
}

/// `[capsule.mesh]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeshConfig {
    /// Elements along the meridian. Default 40. Range: [2, 100000].
    #[serde(default = "default_elements")]
    pub elements: usize,
    /// `"linear"` or `"quadratic"`. Default quadratic.
    #[serde(default = "default_element")]
    pub element: ElementKind,
}

impl Default for MeshConfig {
    fn default() -> Self {
        Self {
            elements: default_elements(),
            element: default_element(),
        }
    }
}

/// `[capsule.solver]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverConfig {
    /// Relative residual tolerance of Newton. Default 1e-10. Range: [1e-14, 1e-3].
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// Newton iterations per step. Default 40. Range: [1, 1000].
    #[serde(default = "default_iterations")]
    pub max_iterations: usize,
    /// Consecutive halvings of a failed load step before giving up. Default 8. Range: [0, 30].
    #[serde(default = "default_cuts")]
    pub max_step_cuts: usize,
    /// Load steps of a quasi-static path (`cavitas capsule`). Default 20. Range: [1, 1e6].
    #[serde(default = "default_load_steps")]
    pub load_steps: usize,
}

impl Default for SolverConfig {
    fn default() -> Self {
        Self {
            tolerance: default_tolerance(),
            max_iterations: default_iterations(),
            max_step_cuts: default_cuts(),
            load_steps: default_load_steps(),
        }
    }
}

impl SolverConfig {
    /// The Newton settings.
    pub fn newton(&self) -> NewtonSettings {
        NewtonSettings {
            tolerance: self.tolerance,
            max_iterations: self.max_iterations,
            ..NewtonSettings::default()
        }
    }
}

/// `[capsule]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapsuleConfig {
    /// Reference shape.
    pub geometry: CapsuleGeometry,
    /// Constitutive law (`model = "neo_hookean" | "fibre_reinforced"`).
    pub material: MembraneMaterial,
    /// In-situ wall thickness (m). Range: (0, 0.01].
    pub thickness_m: f64,
    /// Meridional prestretch: in-situ length over stress-free length. Default 1.
    /// Range: [0.5, 2].
    #[serde(default = "one")]
    pub prestretch_meridional: f64,
    /// Hoop prestretch. Default 1. Range: [0.5, 2].
    #[serde(default = "one")]
    pub prestretch_hoop: f64,
    /// Tissue density (kg/m³), for dynamics. Default 1100. Range: (0, 1e4].
    #[serde(default = "default_density")]
    pub density_kg_m3: f64,
    /// Pressure of the tissue outside the capsule (Pa, absolute). Default 101325.
    /// Range: [0, 1e7].
    #[serde(default = "default_tissue_pressure")]
    pub tissue_pressure_pa: f64,
    /// Mesh.
    #[serde(default)]
    pub mesh: MeshConfig,
    /// Solver.
    #[serde(default)]
    pub solver: SolverConfig,
}

fn one() -> f64 {
    1.0
}
fn default_density() -> f64 {
    1100.0
}
fn default_tissue_pressure() -> f64 {
    101_325.0
}
fn default_elements() -> usize {
    40
}
fn default_element() -> ElementKind {
    ElementKind::Quadratic
}
fn default_tolerance() -> f64 {
    1e-10
}
fn default_iterations() -> usize {
    40
}
fn default_cuts() -> usize {
    8
}
fn default_load_steps() -> usize {
    20
}

impl CapsuleConfig {
    /// Builds the finite-element model (meshes the geometry and checks every element).
    pub fn build_model(&self) -> Result<CapsuleModel, MeshError> {
        let kind = self.mesh.element;
        let n = self.mesh.elements;
        let (mesh, excluded, rim_dof, gap_offset) = match &self.geometry {
            CapsuleGeometry::Sphere { radius_m } => {
                (MeridianMesh::sphere(kind, n, *radius_m)?, 0.0, None, 0.0)
            }
            CapsuleGeometry::Tube { radius_m, length_m } => (
                MeridianMesh::tube(kind, n, *radius_m, *length_m)?,
                0.0,
                None,
                0.0,
            ),
            CapsuleGeometry::Joint {
                rim_radius_m,
                gap_m,
                attachment_offset_m,
                bulge_m,
            } => {
                let d = *attachment_offset_m;
                let mesh =
                    MeridianMesh::capsule_arc(kind, n, *rim_radius_m, -d, gap_m + d, *bulge_m)?;
                let rim = 2 * (mesh.nodes() - 1) + 1;
                let bone = std::f64::consts::PI * rim_radius_m * rim_radius_m * 2.0 * d;
                (mesh, bone, Some(rim), d)
            }
            CapsuleGeometry::Nodes {
                points_m,
                excluded_volume_m3,
            } => {
                let order = kind.order();
                let count = points_m.len();
                if count < 2 || (count - 1) % order != 0 {
                    return Err(MeshError::TooFewElements {
                        min: 1,
                        got: count.saturating_sub(1) / order,
                    });
                }
                let mesh = MeridianMesh {
                    kind,
                    reference: points_m.iter().flat_map(|p| [p[0], p[1]]).collect(),
                    start: EndCondition::Clamped,
                    end: EndCondition::Clamped,
                };
                mesh.check()?;
                (mesh, *excluded_volume_m3, None, 0.0)
            }
        };
        Ok(CapsuleModel {
            mesh,
            material: self.material.clone(),
            thickness_m: self.thickness_m,
            prestretch: [self.prestretch_meridional, self.prestretch_hoop],
            density_kg_m3: self.density_kg_m3,
            excluded_volume_m3: excluded,
            tissue_pressure_pa: self.tissue_pressure_pa,
            rim_dof,
            gap_offset_m: gap_offset,
        })
    }

    /// The articular radius of a joint geometry (m).
    pub fn articular_radius_m(&self) -> Option<f64> {
        match self.geometry {
            CapsuleGeometry::Joint { rim_radius_m, .. } => Some(rim_radius_m),
            _ => None,
        }
    }
}

impl Validate for CapsuleGeometry {
    fn validate(&self, v: &mut Validator<'_>) {
        let pos = |v: &mut Validator<'_>, key: &str, x: f64, hi: f64| {
            v.require(
                x.is_finite() && x > 0.0 && x <= hi,
                key,
                x,
                &format!("a length in (0, {hi:e}] m"),
            );
        };
        match self {
            Self::Sphere { radius_m } => pos(v, "radius_m", *radius_m, 1.0),
            Self::Tube { radius_m, length_m } => {
                pos(v, "radius_m", *radius_m, 1.0);
                pos(v, "length_m", *length_m, 10.0);
            }
            Self::Joint {
                rim_radius_m,
                gap_m,
                attachment_offset_m,
                bulge_m,
            } => {
                pos(v, "rim_radius_m", *rim_radius_m, 0.1);
                pos(v, "gap_m", *gap_m, 0.01);
                v.within("attachment_offset_m", *attachment_offset_m, 0.0, 0.05);
                v.within("bulge_m", *bulge_m, 0.0, 0.05);
            }
            Self::Nodes {
                points_m,
                excluded_volume_m3,
            } => {
                v.require(
                    points_m.len() >= 2,
                    "points_m",
                    points_m.len(),
                    "at least 2 points",
                );
                for (i, p) in points_m.iter().enumerate() {
                    v.require(
                        p[0].is_finite() && p[0] >= 0.0 && p[1].is_finite(),
                        &format!("points_m.{i}"),
                        format!("[{}, {}]", p[0], p[1]),
                        "finite [r, z] with r >= 0",
                    );
                }
                // A litre: joint spaces hold millilitres.
                v.non_negative("excluded_volume_m3", *excluded_volume_m3, 1e-3);
            }
        }
    }
}

impl Validate for CapsuleConfig {
    fn validate(&self, v: &mut Validator<'_>) {
        v.nested("geometry", &self.geometry);
        v.nested("material", &self.material);
        v.require(
            self.thickness_m.is_finite() && self.thickness_m > 0.0 && self.thickness_m <= 0.01,
            "thickness_m",
            self.thickness_m,
            "a thickness in (0, 0.01] m",
        );
        v.within(
            "prestretch_meridional",
            self.prestretch_meridional,
            0.5,
            2.0,
        );
        v.within("prestretch_hoop", self.prestretch_hoop, 0.5, 2.0);
        v.require(
            self.density_kg_m3.is_finite() && self.density_kg_m3 > 0.0 && self.density_kg_m3 <= 1e4,
            "density_kg_m3",
            self.density_kg_m3,
            "a density in (0, 1e4] kg/m³",
        );
        v.within("tissue_pressure_pa", self.tissue_pressure_pa, 0.0, 1e7);
        v.nested("mesh", &self.mesh);
        v.nested("solver", &self.solver);
    }
}

impl Validate for MeshConfig {
    fn validate(&self, v: &mut Validator<'_>) {
        v.require(
            (2..=100_000).contains(&self.elements),
            "elements",
            self.elements,
            "an integer in [2, 100000]",
        );
    }
}

impl Validate for SolverConfig {
    fn validate(&self, v: &mut Validator<'_>) {
        v.within("tolerance", self.tolerance, 1e-14, 1e-3);
        v.require(
            (1..=1000).contains(&self.max_iterations),
            "max_iterations",
            self.max_iterations,
            "an integer in [1, 1000]",
        );
        v.require(
            self.max_step_cuts <= 30,
            "max_step_cuts",
            self.max_step_cuts,
            "an integer in [0, 30]",
        );
        v.require(
            (1..=1_000_000).contains(&self.load_steps),
            "load_steps",
            self.load_steps,
            "an integer in [1, 1000000]",
        );
    }
}
