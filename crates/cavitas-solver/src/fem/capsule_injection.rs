//! Filling a closed capsule with more fluid (no bubbles, bones held): the capsule-only
//! study of `cavitas capsule --inject-ml`.

use super::capsule_model::CapsuleModel;
use super::capsule_solver::{
    CapsuleSolver, CapsuleState, LoadCase, NewtonSettings, PressureControl, step_load_path,
};
use super::solver_error::SolverError;

/// The capsule before and after the injection.
#[derive(Debug, Clone, PartialEq)]
pub struct InjectionResult {
    /// Transmural pressure `p − p_tissue` at rest (Pa): what holds the prestressed reference
    /// shape at its own volume.
    pub rest_transmural_pa: f64,
    /// Fluid volume at rest (m³).
    pub rest_volume_m3: f64,
    /// Transmural pressure after the injection (Pa): the joint (gauge) pressure.
    pub transmural_pa: f64,
    /// Absolute fluid pressure after the injection (Pa).
    pub pressure_pa: f64,
    /// Fluid volume after the injection (m³).
    pub volume_m3: f64,
    /// Largest first principal engineering strain from the in-situ reference.
    pub max_principal_strain: f64,
    /// Compliance `dV/dp` at rest (m³/Pa).
    pub rest_compliance_m3_per_pa: f64,
    /// Compliance `dV/dp` after the injection (m³/Pa).
    pub compliance_m3_per_pa: f64,
    /// Converged path: `(volume_m3, transmural_pa)` per load step, the rest state first.
    pub path: Vec<(f64, f64)>,
    /// Final state.
    pub state: CapsuleState,
}

/// Sets the capsule at rest (its reference volume under volume control) and injects
/// `injected_m3` in `steps` volume steps (each cut up to `max_cuts` times on failure).
pub fn inject_fluid(
    model: CapsuleModel,
    settings: NewtonSettings,
    injected_m3: f64,
    steps: usize,
    max_cuts: usize,
) -> Result<InjectionResult, SolverError> {
    let mut solver = CapsuleSolver::new(model, settings);
    let mut state = solver.reference_state();
    let rest_volume_m3 = solver.model.compute_volume(&state.x);
    solver.solve(
        &mut state,
        &LoadCase::held(PressureControl::Volume(rest_volume_m3)),
    )?;
    let rest = solver.compute_response(&state)?;
    let mut path = vec![(rest_volume_m3, state.dp)];
    step_load_path(
        &mut solver,
        &mut state,
        "volume_m3",
        (rest_volume_m3, rest_volume_m3 + injected_m3),
        steps,
        max_cuts,
        |s, st, v| s.solve(st, &LoadCase::held(PressureControl::Volume(v))),
        |_, st, v| path.push((v, st.dp)),
    )?;
    let response = solver.compute_response(&state)?;
    Ok(InjectionResult {
        rest_transmural_pa: path[0].1,
        rest_volume_m3,
        transmural_pa: state.dp,
        pressure_pa: solver.model.tissue_pressure_pa + state.dp,
        volume_m3: response.volume_m3,
        max_principal_strain: solver.model.compute_max_principal_strain(&state.x),
        rest_compliance_m3_per_pa: rest.dv_dp,
        compliance_m3_per_pa: response.dv_dp,
        path,
        state,
    })
}
