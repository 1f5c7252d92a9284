//! Meridian elements: one-dimensional Lagrange elements along the generating curve of a
//! surface of revolution, with their Gauss rules.

use serde::{Deserialize, Serialize};

/// The interpolation order of a meridian element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// Two nodes, linear interpolation, two-point Gauss rule.
    Linear,
    /// Three nodes (ends and a mid node), quadratic interpolation, three-point Gauss rule.
    Quadratic,
}

/// Shape functions `N_a` and their derivatives `dN_a/dξ` at one point, `ξ ∈ [-1, 1]`.
#[derive(Debug, Clone, Copy)]
pub struct ShapeValues {
    /// `N_a(ξ)`, only the first `nodes` entries are used.
    pub n: [f64; 3],
    /// `dN_a/dξ`.
    pub dn: [f64; 3],
}

impl ShapeValues {
    /// The meridian at this point from an element's nodal coordinates
    /// `[r0, z0, r1, z1, …]` (`nodes` nodes): `r = Σ N_a r_a`, `dr/dξ`, `dz/dξ`.
    pub fn interpolate(&self, nodes: usize, x: &[f64]) -> MeridianPoint {
        let mut p = MeridianPoint {
            r: 0.0,
            dr_dxi: 0.0,
            dz_dxi: 0.0,
        };
        for a in 0..nodes {
            p.r += self.n[a] * x[2 * a];
            p.dr_dxi += self.dn[a] * x[2 * a];
            p.dz_dxi += self.dn[a] * x[2 * a + 1];
        }
        p
    }
}

/// Radius and tangent of the meridian at one parametric point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeridianPoint {
    /// Radius `r`, m.
    pub r: f64,
    /// `dr/dξ`, m.
    pub dr_dxi: f64,
    /// `dz/dξ`, m.
    pub dz_dxi: f64,
}

impl MeridianPoint {
    /// Length of the tangent `|dx/dξ|`, m (the line Jacobian).
    pub fn jacobian(&self) -> f64 {
        self.dr_dxi.hypot(self.dz_dxi)
    }
}

/// A quadrature point on `[-1, 1]` with its weight.
#[derive(Debug, Clone, Copy)]
pub struct GaussPoint {
    /// Parametric coordinate `ξ`.
    pub xi: f64,
    /// Weight.
    pub weight: f64,
}

const GAUSS_2: [GaussPoint; 2] = [
    GaussPoint {
        xi: -0.577_350_269_189_625_8,
        weight: 1.0,
    },
    GaussPoint {
        xi: 0.577_350_269_189_625_8,
        weight: 1.0,
    },
];

const GAUSS_3: [GaussPoint; 3] = [
    GaussPoint {
        xi: -0.774_596_669_241_483_4,
        weight: 5.0 / 9.0,
    },
    GaussPoint {
        xi: 0.0,
        weight: 8.0 / 9.0,
    },
    GaussPoint {
        xi: 0.774_596_669_241_483_4,
        weight: 5.0 / 9.0,
    },
];

impl ElementKind {
    /// Nodes per element.
    pub fn nodes(self) -> usize {
        match self {
            Self::Linear => 2,
            Self::Quadratic => 3,
        }
    }

    /// Polynomial order `k`.
    pub fn order(self) -> usize {
        self.nodes() - 1
    }

    /// The Gauss rule: 2 points (exact to degree 3) for linear elements, 3 points (degree 5)
    /// for quadratic ones. The enclosed-volume integrand `π r² z'` has degree `3k - 1`, so
    /// the volume and its derivatives are integrated exactly for both kinds.
    pub fn gauss_points(self) -> &'static [GaussPoint] {
        match self {
            Self::Linear => &GAUSS_2,
            Self::Quadratic => &GAUSS_3,
        }
    }

    /// Shape functions at `ξ`. Quadratic nodes are ordered start, middle, end.
    pub fn compute_shape(self, xi: f64) -> ShapeValues {
        match self {
            Self::Linear => ShapeValues {
                n: [0.5 * (1.0 - xi), 0.5 * (1.0 + xi), 0.0],
                dn: [-0.5, 0.5, 0.0],
            },
            Self::Quadratic => ShapeValues {
                n: [0.5 * xi * (xi - 1.0), 1.0 - xi * xi, 0.5 * xi * (xi + 1.0)],
                dn: [xi - 0.5, -2.0 * xi, xi + 0.5],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_functions_are_a_partition_of_unity_and_interpolate_lines() {
        for kind in [ElementKind::Linear, ElementKind::Quadratic] {
            let k = kind.nodes();
            for &xi in &[-1.0, -0.3, 0.0, 0.7, 1.0] {
                let s = kind.compute_shape(xi);
                let sum: f64 = s.n[..k].iter().sum();
                let dsum: f64 = s.dn[..k].iter().sum();
                // Exact identities up to round-off of a few operations.
                assert!((sum - 1.0).abs() < 1e-14);
                assert!(dsum.abs() < 1e-14);
                // Nodes equally spaced in ξ reproduce x = ξ exactly.
                let xs: Vec<f64> = (0..k)
                    .map(|a| -1.0 + 2.0 * a as f64 / (k - 1) as f64)
                    .collect();
                let x: f64 = (0..k).map(|a| s.n[a] * xs[a]).sum();
                let dx: f64 = (0..k).map(|a| s.dn[a] * xs[a]).sum();
                assert!((x - xi).abs() < 1e-14 && (dx - 1.0).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn gauss_rules_integrate_their_degree_exactly() {
        for (kind, degree) in [(ElementKind::Linear, 3), (ElementKind::Quadratic, 5)] {
            for p in 0..=degree {
                let q: f64 = kind
                    .gauss_points()
                    .iter()
                    .map(|g| g.weight * g.xi.powi(p))
                    .sum();
                let exact = if p % 2 == 0 {
                    2.0 / (p as f64 + 1.0)
                } else {
                    0.0
                };
                assert!((q - exact).abs() < 1e-14, "{kind:?} degree {p}");
            }
        }
    }
}
