//! The strain energy of an incompressible membrane as a function of its two principal
//! in-plane stretches, with first and second derivatives.

/// `W(λ1, λ2)` per unit reference volume (Pa) and its derivatives; `λ3 = 1/(λ1 λ2)` by
/// incompressibility, so the through-thickness stress vanishes identically (plane stress).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StrainEnergy {
    /// `W` (Pa = J/m³).
    pub w: f64,
    /// `∂W/∂λ1` (Pa), meridional.
    pub d1: f64,
    /// `∂W/∂λ2` (Pa), hoop.
    pub d2: f64,
    /// `∂²W/∂λ1²` (Pa).
    pub d11: f64,
    /// `∂²W/∂λ1∂λ2` (Pa).
    pub d12: f64,
    /// `∂²W/∂λ2²` (Pa).
    pub d22: f64,
}

impl std::ops::AddAssign for StrainEnergy {
    fn add_assign(&mut self, o: Self) {
        self.w += o.w;
        self.d1 += o.d1;
        self.d2 += o.d2;
        self.d11 += o.d11;
        self.d12 += o.d12;
        self.d22 += o.d22;
    }
}
