//! The capsule as an assembled axisymmetric membrane: mesh, section, the rigid bodies it
//! encloses, and global assembly of energy, forces, tangent and enclosed volume.

use super::banded_matrix::BandedMatrix;
use super::membrane_element::{
    ElementContribution, MAX_ELEMENT_DOFS, MembraneSection, compute_element,
    compute_element_stretches,
};
use super::membrane_material::MembraneMaterial;
use super::meridian_mesh::MeridianMesh;

/// A deformed element is inverted or collapsed.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error(
    "capsule element {element} inverted or collapsed (meridional stretch {meridional_stretch:.3e}, \
     hoop stretch {hoop_stretch:.3e})"
)]
pub struct InvertedElement {
    /// Element index along the meridian.
    pub element: usize,
    /// Meridional stretch at the offending Gauss point.
    pub meridional_stretch: f64,
    /// Hoop stretch there.
    pub hoop_stretch: f64,
}

/// Global quantities at one state.
#[derive(Debug, Clone)]
pub struct Assembly {
    /// Strain energy (J).
    pub energy: f64,
    /// Enclosed fluid volume `V = ∫ π r² dz − V_excluded` (m³).
    pub volume: f64,
    /// Internal force `∂Π/∂x` (N), all dofs.
    pub force: Vec<f64>,
    /// `∂V/∂x` (m²), all dofs.
    pub volume_gradient: Vec<f64>,
    /// `∂²Π/∂x² − Δp ∂²V/∂x²` (N/m), all dofs, no boundary conditions applied.
    pub tangent: BandedMatrix,
}

/// An axisymmetric hyperelastic membrane enclosing fluid.
#[derive(Debug, Clone)]
pub struct CapsuleModel {
    /// Reference (in-situ) meridian.
    pub mesh: MeridianMesh,
    /// Constitutive law.
    pub material: MembraneMaterial,
    /// In-situ thickness (m).
    pub thickness_m: f64,
    /// Prestretch `[meridional, hoop]` of the in-situ state over the stress-free one.
    pub prestretch: [f64; 2],
    /// Mass density of the capsule tissue (kg/m³), for dynamics.
    pub density_kg_m3: f64,
    /// Volume of rigid bodies (bone) inside the surface of revolution, subtracted from the
    /// Pappus volume to give the fluid volume (m³).
    pub excluded_volume_m3: f64,
    /// Pressure outside the capsule (Pa, absolute).
    pub tissue_pressure_pa: f64,
    /// The dof driven by the joint gap (`z` of the moving rim), if any.
    pub rim_dof: Option<usize>,
    /// `h = x[rim_dof] − gap_offset_m` (m).
    pub gap_offset_m: f64,
}

impl CapsuleModel {
    /// Number of dofs (`2 × nodes`).
    pub fn dofs(&self) -> usize {
        self.mesh.reference.len()
    }

    /// Half-bandwidth of the tangent: `2 k + 1` for elements of order `k`.
    pub fn band(&self) -> usize {
        2 * self.mesh.kind.order() + 1
    }

    /// The section.
    pub fn section(&self) -> MembraneSection<'_> {
        MembraneSection {
            material: &self.material,
            thickness_m: self.thickness_m,
            prestretch: self.prestretch,
        }
    }

    /// Dofs held by the end conditions (the rim dof among them).
    pub fn held_dofs(&self) -> Vec<usize> {
        let n = self.mesh.nodes();
        let mut held = Vec::new();
        let (r0, z0) = self.mesh.start.held();
        let (r1, z1) = self.mesh.end.held();
        if r0 {
            held.push(0);
        }
        if z0 {
            held.push(1);
        }
        if r1 {
            held.push(2 * (n - 1));
        }
        if z1 {
            held.push(2 * (n - 1) + 1);
        }
        held
    }

    /// The joint gap `h` of the state `x` (m), or `None` without a rim dof.
    pub fn compute_gap(&self, x: &[f64]) -> Option<f64> {
        self.rim_dof.map(|d| x[d] - self.gap_offset_m)
    }

    /// A characteristic force (N) for scaling residuals: modulus × thickness × length.
    pub fn force_scale(&self) -> f64 {
        self.material.characteristic_modulus_pa() * self.thickness_m * self.length_scale()
    }

    /// A characteristic length (m): the largest reference coordinate.
    pub fn length_scale(&self) -> f64 {
        self.mesh
            .reference
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()))
            .max(1e-9)
    }

    fn element_dofs(&self, e: usize) -> std::ops::Range<usize> {
        let a0 = self.mesh.first_node(e);
        2 * a0..2 * (a0 + self.mesh.kind.nodes())
    }

    /// Fluid volume only (m³): `∫ π r² dz − V_excluded`.
    pub fn compute_volume(&self, x: &[f64]) -> f64 {
        let kind = self.mesh.kind;
        let k = kind.nodes();
        let mut v = 0.0;
        for e in 0..self.mesh.elements() {
            let xe = &x[self.element_dofs(e)];
            for g in kind.gauss_points() {
                let p = kind.compute_shape(g.xi).interpolate(k, xe);
                v += std::f64::consts::PI * p.r * p.r * p.dz_dxi * g.weight;
            }
        }
        v - self.excluded_volume_m3
    }

    /// Assembles energy, forces, volume and (optionally) the tangent at `x` with the
    /// transmural pressure `dp` (Pa) in the load stiffness, into `out`.
    pub fn populate_assembly(
        &self,
        x: &[f64],
        dp: f64,
        with_tangent: bool,
        out: &mut Assembly,
    ) -> Result<(), InvertedElement> {
        let section = self.section();
        out.energy = 0.0;
        out.volume = -self.excluded_volume_m3;
        out.force.iter_mut().for_each(|v| *v = 0.0);
        out.volume_gradient.iter_mut().for_each(|v| *v = 0.0);
        if with_tangent {
            out.tangent.fill_zero();
        }
        let mut c = ElementContribution::default();
        for e in 0..self.mesh.elements() {
            let range = self.element_dofs(e);
            let base = range.start;
            let nd = range.len();
            debug_assert!(nd <= MAX_ELEMENT_DOFS);
            compute_element(
                self.mesh.kind,
                &section,
                &self.mesh.reference[range.clone()],
                &x[range],
                dp,
                with_tangent,
                &mut c,
            )
            .map_err(|inv| InvertedElement {
                element: e,
                meridional_stretch: inv.meridional_stretch,
                hoop_stretch: inv.hoop_stretch,
            })?;
            out.energy += c.energy;
            out.volume += c.volume;
            for i in 0..nd {
                out.force[base + i] += c.force[i];
                out.volume_gradient[base + i] += c.volume_gradient[i];
                if with_tangent {
                    for j in 0..nd {
                        out.tangent.add(base + i, base + j, c.tangent[i][j]);
                    }
                }
            }
        }
        Ok(())
    }

    /// A fresh assembly buffer sized for this model.
    pub fn new_assembly(&self) -> Assembly {
        let n = self.dofs();
        Assembly {
            energy: 0.0,
            volume: 0.0,
            force: vec![0.0; n],
            volume_gradient: vec![0.0; n],
            tangent: BandedMatrix::zeros(n, self.band()),
        }
    }

    /// Largest first principal engineering strain `max(λ1, λ2) − 1` over the Gauss points,
    /// relative to the in-situ reference (prestretch excluded).
    pub fn compute_max_principal_strain(&self, x: &[f64]) -> f64 {
        let mut m = f64::NEG_INFINITY;
        for e in 0..self.mesh.elements() {
            let range = self.element_dofs(e);
            compute_element_stretches(
                self.mesh.kind,
                &self.mesh.reference[range.clone()],
                &x[range],
                |l1, l2| m = m.max(l1.max(l2) - 1.0),
            );
        }
        m
    }

    /// Lumped (row-sum) nodal masses per dof (kg): `ρ H 2π R |X'|` integrated against each
    /// shape function.
    pub fn compute_lumped_mass(&self) -> Vec<f64> {
        let kind = self.mesh.kind;
        let k = kind.nodes();
        let mut m = vec![0.0; self.dofs()];
        for e in 0..self.mesh.elements() {
            let range = self.element_dofs(e);
            let xr = &self.mesh.reference[range.clone()];
            for g in kind.gauss_points() {
                let s = kind.compute_shape(g.xi);
                let p = s.interpolate(k, xr);
                let w = self.density_kg_m3
                    * self.thickness_m
                    * 2.0
                    * std::f64::consts::PI
                    * p.r
                    * p.jacobian()
                    * g.weight;
                for a in 0..k {
                    m[range.start + 2 * a] += w * s.n[a];
                    m[range.start + 2 * a + 1] += w * s.n[a];
                }
            }
        }
        m
    }
}
