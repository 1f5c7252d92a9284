//! One axisymmetric membrane element: strain energy, internal force and consistent tangent,
//! and its share of the enclosed volume (Pappus) with first and second derivatives.
//!
//! With the meridian `x(ξ) = Σ N_a(ξ) x_a` (`x = (r, z)`), reference `X(ξ)` and in-plane
//! prestretches `(λp1, λp2)` (the stress-free state is the reference shrunk by `1/λp`):
//!
//! - meridional stretch `λ1 = λp1 |x'| / |X'|`, hoop stretch `λ2 = λp2 r / R`;
//! - energy `Π = Σ_g 2π R |X'| H W(λ1, λ2) w_g` (`H` the in-situ thickness; by
//!   incompressibility the in-situ and stress-free volumes agree, so `W` per unit in-situ
//!   volume is exact);
//! - enclosed volume `V = Σ_g π r² z' w_g` (Pappus; exact for both element kinds);
//! - internal force `f = ∂Π/∂x`, tangent `K = ∂²Π/∂x² − Δp ∂²V/∂x²`, so that the
//!   follower pressure `Δp = p_inside − p_outside` enters as the conservative load `Δp ∂V/∂x`.

use std::f64::consts::PI;

use super::element::ElementKind;
use super::membrane_material::MembraneMaterial;

/// Largest number of element dofs (quadratic: 3 nodes × 2).
pub const MAX_ELEMENT_DOFS: usize = 6;

/// What one element contributes.
#[derive(Debug, Clone)]
pub struct ElementContribution {
    /// Strain energy (J).
    pub energy: f64,
    /// Share of the enclosed volume `∫ π r² dz` (m³).
    pub volume: f64,
    /// `∂Π/∂x_a` (N).
    pub force: [f64; MAX_ELEMENT_DOFS],
    /// `∂V/∂x_a` (m²).
    pub volume_gradient: [f64; MAX_ELEMENT_DOFS],
    /// `∂²Π/∂x_a∂x_b − Δp ∂²V/∂x_a∂x_b` (N/m); only filled when asked for.
    pub tangent: [[f64; MAX_ELEMENT_DOFS]; MAX_ELEMENT_DOFS],
}

impl Default for ElementContribution {
    fn default() -> Self {
        Self {
            energy: 0.0,
            volume: 0.0,
            force: [0.0; MAX_ELEMENT_DOFS],
            volume_gradient: [0.0; MAX_ELEMENT_DOFS],
            tangent: [[0.0; MAX_ELEMENT_DOFS]; MAX_ELEMENT_DOFS],
        }
    }
}

/// The deformed element is inverted or collapsed at a Gauss point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvertedAt {
    /// Meridional stretch there.
    pub meridional_stretch: f64,
    /// Hoop stretch there.
    pub hoop_stretch: f64,
}

/// The membrane's section properties shared by all elements.
#[derive(Debug, Clone, Copy)]
pub struct MembraneSection<'a> {
    /// Constitutive law.
    pub material: &'a MembraneMaterial,
    /// In-situ thickness `H` (m).
    pub thickness_m: f64,
    /// Prestretch `(λp1, λp2)` (meridional, hoop).
    pub prestretch: [f64; 2],
}

/// Principal stretches `(λ1, λ2)` relative to the in-situ reference (prestretch excluded)
/// at every Gauss point of the element, or `None` if inverted.
pub fn compute_element_stretches(
    kind: ElementKind,
    xr: &[f64],
    x: &[f64],
    mut visit: impl FnMut(f64, f64),
) {
    let k = kind.nodes();
    for g in kind.gauss_points() {
        let s = kind.compute_shape(g.xi);
        let reference = s.interpolate(k, xr);
        let current = s.interpolate(k, x);
        visit(
            current.jacobian() / reference.jacobian(),
            current.r / reference.r,
        );
    }
}

/// Computes one element's contribution at the deformed nodes `x` (reference `xr`, both
/// `[r0, z0, r1, z1, …]`) under the transmural pressure `dp` (Pa).
pub fn compute_element(
    kind: ElementKind,
    section: &MembraneSection<'_>,
    xr: &[f64],
    x: &[f64],
    dp: f64,
    with_tangent: bool,
    out: &mut ElementContribution,
) -> Result<(), InvertedAt> {
    *out = ElementContribution::default();
    let k = kind.nodes();
    let nd = 2 * k;
    let [pm, ph] = section.prestretch;
    let h = section.thickness_m;
    // The deformed chord must keep its reference orientation (no fold inside the element).
    let chord = [x[nd - 2] - x[0], x[nd - 1] - x[1]];
    for gp in kind.gauss_points() {
        let s = kind.compute_shape(gp.xi);
        let reference = s.interpolate(k, xr);
        let current = s.interpolate(k, x);
        let (rr, r, dr, dz) = (reference.r, current.r, current.dr_dxi, current.dz_dxi);
        let j0 = reference.jacobian();
        let j = current.jacobian();
        let l1 = pm * j / j0;
        let l2 = ph * r / rr;
        let oriented = dr * chord[0] + dz * chord[1] > 0.0;
        if !(l1 > 1e-6 && l2 > 1e-6 && l1.is_finite() && l2.is_finite() && oriented) {
            return Err(InvertedAt {
                meridional_stretch: l1 / pm,
                hoop_stretch: l2 / ph,
            });
        }
        let wgt = 2.0 * PI * rr * j0 * h * gp.weight;
        let e = section.material.compute_energy(l1, l2);
        out.energy += wgt * e.w;
        let (tr, tz) = (dr / j, dz / j);
        let mut g1 = [0.0; MAX_ELEMENT_DOFS];
        let mut g2 = [0.0; MAX_ELEMENT_DOFS];
        for a in 0..k {
            g1[2 * a] = pm / j0 * s.dn[a] * tr;
            g1[2 * a + 1] = pm / j0 * s.dn[a] * tz;
            g2[2 * a] = ph / rr * s.n[a];
        }
        for i in 0..nd {
            out.force[i] += wgt * (e.d1 * g1[i] + e.d2 * g2[i]);
        }
        // Pappus volume and its gradient.
        let vw = PI * gp.weight;
        out.volume += vw * r * r * dz;
        for a in 0..k {
            out.volume_gradient[2 * a] += vw * 2.0 * r * s.n[a] * dz;
            out.volume_gradient[2 * a + 1] += vw * r * r * s.dn[a];
        }
        if !with_tangent {
            continue;
        }
        let geo = wgt * e.d1 * pm / (j0 * j);
        // (I − t tᵀ) for the geometric stiffness of |x'|.
        let proj = [[1.0 - tr * tr, -tr * tz], [-tz * tr, 1.0 - tz * tz]];
        for i in 0..nd {
            for jj in 0..nd {
                out.tangent[i][jj] += wgt
                    * (e.d11 * g1[i] * g1[jj]
                        + e.d12 * (g1[i] * g2[jj] + g2[i] * g1[jj])
                        + e.d22 * g2[i] * g2[jj]);
            }
        }
        for a in 0..k {
            for b in 0..k {
                let c = geo * s.dn[a] * s.dn[b];
                for p in 0..2 {
                    for q in 0..2 {
                        out.tangent[2 * a + p][2 * b + q] += c * proj[p][q];
                    }
                }
                // −Δp ∂²V: ∂²V/∂r_a∂r_b = 2π N_a N_b z', ∂²V/∂r_a∂z_b = 2π r N_a N_b'.
                let vrr = vw * 2.0 * s.n[a] * s.n[b] * dz;
                let vrz = vw * 2.0 * r * s.n[a] * s.dn[b];
                out.tangent[2 * a][2 * b] -= dp * vrr;
                out.tangent[2 * a][2 * b + 1] -= dp * vrz;
                out.tangent[2 * b + 1][2 * a] -= dp * vrz;
            }
        }
    }
    Ok(())
}
