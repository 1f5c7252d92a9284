//! The film's state between macro steps: what a backward-Euler step starts from.

use super::film_solution::FilmSolution;

/// The film at the start of a step (the end of the last accepted one). The solver owns only
/// scratch; this container is the film's memory.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmState {
    /// Gap on the axis `h0` (m).
    pub axis_gap_m: f64,
    /// Rim pressure `p_rim` (Pa, absolute).
    pub rim_pressure_pa: f64,
    /// Cell-average gap `h_i` (m), one per cell.
    pub gap_m: Vec<f64>,
    /// Cell pressure `p_i` (Pa, absolute), one per cell.
    pub pressure_pa: Vec<f64>,
}

impl FilmState {
    /// Makes `solution` (a converged step) the start of the next step.
    pub fn accept(&mut self, solution: &FilmSolution) {
        self.axis_gap_m = solution.axis_gap_m;
        self.rim_pressure_pa = solution.rim_pressure_pa;
        self.gap_m.clone_from(&solution.gap_m);
        self.pressure_pa.clone_from(&solution.pressure_pa);
    }

    /// Film volume `∫ h 2πr dr` (m³) given the cell areas (m²).
    pub fn compute_film_volume(&self, areas_m2: &[f64]) -> f64 {
        self.gap_m.iter().zip(areas_m2).map(|(h, a)| h * a).sum()
    }
}
