//! The meridian of a surface of revolution: nodes `(r, z)` joined by consecutive elements,
//! with the conditions at its two ends.

use super::element::ElementKind;

/// What holds an end node of the meridian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndCondition {
    /// A pole on the axis: `r = 0` held, `z` free.
    Pole,
    /// A pole on the axis with `z` held too (removes the rigid axial motion).
    FixedPole,
    /// Held axially, free to slide radially (a tube end closed by a frictionless cap).
    RadialSlide,
    /// Attached to a rigid rim: `r` and `z` held (`z` may be driven by the joint gap).
    Clamped,
}

impl EndCondition {
    /// `(r held, z held)`.
    pub fn held(self) -> (bool, bool) {
        match self {
            Self::Pole => (true, false),
            Self::FixedPole | Self::Clamped => (true, true),
            Self::RadialSlide => (false, true),
        }
    }
}

/// Invalid reference geometry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeshError {
    /// An element has zero or reversed length, or a negative radius, at a Gauss point.
    #[error(
        "element {element} of the reference meridian is inverted or degenerate \
         (|dX/dξ| = {jacobian:e} m, R = {radius:e} m at a Gauss point); \
         check the geometry and the number of elements"
    )]
    InvertedElement {
        element: usize,
        jacobian: f64,
        radius: f64,
    },
    /// Too few elements.
    #[error("a meridian needs at least {min} elements, got {got}")]
    TooFewElements { min: usize, got: usize },
}

/// Reference nodes and element connectivity of a meridian.
#[derive(Debug, Clone)]
pub struct MeridianMesh {
    /// Element kind (all elements alike).
    pub kind: ElementKind,
    /// Reference nodal positions `[R0, Z0, R1, Z1, …]` (m).
    pub reference: Vec<f64>,
    /// Condition at the first node.
    pub start: EndCondition,
    /// Condition at the last node.
    pub end: EndCondition,
}

impl MeridianMesh {
    /// A mesh whose node `i` sits at `curve(i / (nodes − 1))` (`s ∈ [0, 1]`).
    pub fn from_curve(
        kind: ElementKind,
        elements: usize,
        start: EndCondition,
        end: EndCondition,
        curve: impl Fn(f64) -> (f64, f64),
    ) -> Result<Self, MeshError> {
        if elements < 1 {
            return Err(MeshError::TooFewElements {
                min: 1,
                got: elements,
            });
        }
        let nodes = elements * kind.order() + 1;
        let mut reference = Vec::with_capacity(2 * nodes);
        for i in 0..nodes {
            let (r, z) = curve(i as f64 / (nodes - 1) as f64);
            reference.push(r);
            reference.push(z);
        }
        let mesh = Self {
            kind,
            reference,
            start,
            end,
        };
        mesh.check()?;
        Ok(mesh)
    }

    /// A closed sphere of radius `radius_m`, south pole held, nodes equally spaced in angle.
    pub fn sphere(kind: ElementKind, elements: usize, radius_m: f64) -> Result<Self, MeshError> {
        Self::from_curve(
            kind,
            elements,
            EndCondition::FixedPole,
            EndCondition::Pole,
            |s| {
                let theta = -std::f64::consts::FRAC_PI_2 + std::f64::consts::PI * s;
                // The poles are exactly on the axis.
                let r = if s == 0.0 || s == 1.0 {
                    0.0
                } else {
                    radius_m * theta.cos()
                };
                (r, radius_m * theta.sin())
            },
        )
    }

    /// A tube of radius `radius_m` from `z = 0` to `z = length_m`, ends held axially and
    /// free to slide radially.
    pub fn tube(
        kind: ElementKind,
        elements: usize,
        radius_m: f64,
        length_m: f64,
    ) -> Result<Self, MeshError> {
        Self::from_curve(
            kind,
            elements,
            EndCondition::RadialSlide,
            EndCondition::RadialSlide,
            |s| (radius_m, length_m * s),
        )
    }

    /// A capsule from the rim `(rim_radius_m, z_start)` to `(rim_radius_m, z_end)` along a
    /// circular arc bulging outward by `bulge_m` at mid-span (a straight line for 0), both
    /// ends clamped.
    pub fn capsule_arc(
        kind: ElementKind,
        elements: usize,
        rim_radius_m: f64,
        z_start: f64,
        z_end: f64,
        bulge_m: f64,
    ) -> Result<Self, MeshError> {
        let chord = z_end - z_start;
        let zm = 0.5 * (z_start + z_end);
        Self::from_curve(
            kind,
            elements,
            EndCondition::Clamped,
            EndCondition::Clamped,
            |s| {
                if bulge_m == 0.0 {
                    return (rim_radius_m, z_start + chord * s);
                }
                // Circle through both rims with sagitta `bulge_m`.
                let rho = (0.25 * chord * chord + bulge_m * bulge_m) / (2.0 * bulge_m);
                let rc = rim_radius_m + bulge_m - rho;
                // Half-angle subtended by the arc, measured from the outward radial direction;
                // it exceeds π/2 when the bulge is deeper than half the chord.
                let half = 2.0 * (2.0 * bulge_m / chord).atan();
                let phi = -half + 2.0 * half * s;
                if s == 0.0 {
                    (rim_radius_m, z_start)
                } else if s == 1.0 {
                    (rim_radius_m, z_end)
                } else {
                    (rc + rho * phi.cos(), zm + rho * phi.sin())
                }
            },
        )
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.reference.len() / 2
    }

    /// Number of elements.
    pub fn elements(&self) -> usize {
        (self.nodes() - 1) / self.kind.order()
    }

    /// The first node of element `e` (its nodes are consecutive).
    pub fn first_node(&self, e: usize) -> usize {
        e * self.kind.order()
    }

    /// Checks every element of the reference meridian: positive `|dX/dξ|`, `R >= 0` at the
    /// nodes and `R > 0` at the Gauss points, the mid node between the ends
    /// (`dX/dξ · (X_last − X_first) > 0`), and no element folded back on its predecessor
    /// (chords turning by more than 90°).
    pub fn check(&self) -> Result<(), MeshError> {
        let k = self.kind.nodes();
        let mut previous_chord: Option<[f64; 2]> = None;
        for e in 0..self.elements() {
            let a0 = self.first_node(e);
            let x = |a: usize, c: usize| self.reference[2 * (a0 + a) + c];
            let chord = [x(k - 1, 0) - x(0, 0), x(k - 1, 1) - x(0, 1)];
            if let Some(p) = previous_chord
                && p[0] * chord[0] + p[1] * chord[1] < 0.0
            {
                return Err(MeshError::InvertedElement {
                    element: e,
                    jacobian: chord[0].hypot(chord[1]),
                    radius: x(0, 0),
                });
            }
            previous_chord = Some(chord);
            for g in self.kind.gauss_points() {
                let p = self
                    .kind
                    .compute_shape(g.xi)
                    .interpolate(k, &self.reference[2 * a0..2 * (a0 + k)]);
                let (r, dr, dz) = (p.r, p.dr_dxi, p.dz_dxi);
                let jac = p.jacobian();
                let along = dr * chord[0] + dz * chord[1];
                if !(jac > 0.0 && r > 0.0 && along > 0.0 && jac.is_finite() && r.is_finite()) {
                    return Err(MeshError::InvertedElement {
                        element: e,
                        jacobian: jac,
                        radius: r,
                    });
                }
            }
            for a in 0..k {
                if !(x(a, 0) >= 0.0) {
                    return Err(MeshError::InvertedElement {
                        element: e,
                        jacobian: 0.0,
                        radius: x(a, 0),
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_place_ends_and_count_nodes() {
        let m = MeridianMesh::sphere(ElementKind::Quadratic, 8, 0.01).unwrap();
        assert_eq!(m.nodes(), 17);
        assert_eq!(m.elements(), 8);
        assert_eq!(m.reference[0], 0.0);
        assert_eq!(m.reference[2 * 16], 0.0);
        let c =
            MeridianMesh::capsule_arc(ElementKind::Linear, 10, 7e-3, -3e-3, 3.5e-3, 4e-3).unwrap();
        let n = c.nodes();
        assert!(
            (c.reference[0] - 7e-3).abs() < 1e-15
                && (c.reference[2 * (n - 1) + 1] - 3.5e-3).abs() < 1e-15
        );
        // The mid node bulges out by the sagitta.
        assert!((c.reference[2 * 5] - 11e-3).abs() < 1e-12);
    }

    #[test]
    fn folded_reference_element_is_rejected_by_index() {
        let mut m = MeridianMesh::tube(ElementKind::Linear, 4, 0.01, 0.04).unwrap();
        // Swap nodes 2 and 3 axially: element 2 runs backwards.
        m.reference[2 * 2 + 1] = 0.035;
        m.reference[2 * 3 + 1] = 0.02;
        match m.check() {
            Err(MeshError::InvertedElement { element, .. }) => assert_eq!(element, 2),
            other => panic!("expected an inverted element, got {other:?}"),
        }
    }
}
