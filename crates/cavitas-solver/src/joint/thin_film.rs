//! Thin-film (Stefan) resistance of the synovial film between two flat discs.

/// `F = 3 π μ a⁴ ḣ / (2 h³)`: the force resisting the separation rate `ḣ` of two discs of
/// radius `a` at gap `h` filled with a Newtonian fluid of viscosity `μ`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThinFilm {
    /// Viscosity `μ` (Pa·s).
    pub viscosity_pa_s: f64,
    /// Disc (articular) radius `a` (m).
    pub radius_m: f64,
}

impl ThinFilm {
    /// Damping coefficient `c(h) = 3 π μ a⁴ / (2 h³)` (N·s/m) and `dc/dh` (N·s/m²).
    pub fn compute_coefficient(&self, gap_m: f64) -> (f64, f64) {
        let c0 = 1.5 * std::f64::consts::PI * self.viscosity_pa_s * self.radius_m.powi(4);
        let h = gap_m.max(1e-9);
        (c0 / (h * h * h), -3.0 * c0 / (h * h * h * h))
    }

    /// Force resisting the opening (N) for the rate `ḣ = (h − h_prev)/dt`, and its
    /// derivative with respect to `h` (N/m).
    pub fn compute_force(&self, gap_m: f64, previous_gap_m: f64, dt_s: f64) -> (f64, f64) {
        let (c, dc) = self.compute_coefficient(gap_m);
        let rate = (gap_m - previous_gap_m) / dt_s;
        (c * rate, dc * rate + c / dt_s)
    }
}
