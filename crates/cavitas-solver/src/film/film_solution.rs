//! What one implicit step of the film returns.

/// The film at the end of a backward-Euler step, with the sensitivities a coupled Newton
/// needs. Forces are relative to the rim pressure; `θ` below is either the axial gap `h0` at
/// the end of the step or the rim pressure `p_rim`, the film's two inputs from the joint.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmSolution {
    /// Gap on the axis `h0` at the end of the step (m).
    pub axis_gap_m: f64,
    /// Rim pressure `p_rim` (Pa, absolute).
    pub rim_pressure_pa: f64,
    /// Cell pressure `p_i` (Pa, absolute), at the cell centres
    /// ([`super::FilmMesh::centres_m`]).
    pub pressure_pa: Vec<f64>,
    /// Cell-average gap `h_i` (m).
    pub gap_m: Vec<f64>,
    /// Film force on the surfaces relative to the rim pressure,
    /// `F = ∫ (p_rim − p) 2πr dr` (N); positive is suction holding the surfaces together.
    pub film_force_n: f64,
    /// `dF/dh0` (N/m), the rate `(h0 − h0ⁿ)/Δt` changing with `h0`.
    pub d_force_d_axis_gap_n_per_m: f64,
    /// `dF/dp_rim` (m²).
    pub d_force_d_rim_pressure_m2: f64,
    /// Film (gap) volume `V = ∫ h 2πr dr` (m³); it includes the volume of cavities in the
    /// film, whose liquid volume is `V − V_cavities`.
    pub film_volume_m3: f64,
    /// Liquid drawn through the rim from the recesses, `Q = −2π a q(a)` (m³/s); positive
    /// into the film.
    pub rim_inflow_m3_s: f64,
    /// `dQ/dh0` (m²/s).
    pub d_rim_inflow_d_axis_gap_m2_per_s: f64,
    /// `dQ/dp_rim` (m³/(s·Pa)).
    pub d_rim_inflow_d_rim_pressure_m3_per_s_pa: f64,
    /// Sum of the cavity volume rates the step was given (m³/s).
    pub cavity_volume_rate_m3_s: f64,
    /// Liquid the cartilage expels into the film (m³/s), negative when it draws liquid in;
    /// nonzero only for a layer that exchanges with the film. Volume balance of the step:
    /// `ΔV_film/Δt = rim inflow + cavity volume rate + cartilage outflow`.
    pub cartilage_outflow_m3_s: f64,
    /// Lowest pressure in the film or at its rim (Pa, absolute), refined between cell centres
    /// by a parabola through the lowest cell and its neighbours (in `r²` at the axis, where
    /// the pressure is even in `r`).
    pub min_pressure_pa: f64,
    /// Radius of [`Self::min_pressure_pa`] (m): where a nucleus would cavitate first.
    pub min_pressure_radius_m: f64,
    /// Newton iterations used.
    pub newton_iterations: usize,
    /// Final scaled residual `max_i |R_i| / scale` (1).
    pub scaled_residual: f64,
}

impl FilmSolution {
    /// Peak tension relative to the rim, `p_rim − p_min` (Pa).
    pub fn peak_suction_pa(&self) -> f64 {
        self.rim_pressure_pa - self.min_pressure_pa
    }
}
