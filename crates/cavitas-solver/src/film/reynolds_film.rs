//! The film solver: one backward-Euler step of the axisymmetric Reynolds squeeze film,
//! conservative finite volumes in `r`, Newton on the cell pressures.
//!
//! Cell `i` (annulus `r_i <= r <= r_{i+1}`, area `A_i`) balances its volume:
//!
//! `R_i = A_i (h_i − h_iⁿ)/Δt + Φ_{i+1} − Φ_i − S_i = 0`,
//!
//! with `Φ_j = 2π r_j q_j` the volume flow out through face `j` (`Φ_0 = 0` on the axis),
//! `q_j` the slot flux ([`SlotFlux`]) under the face gradient
//! `G_j = (p_j − p_{j−1})/(c_j − c_{j−1})` between the neighbouring centres `c` (at the rim,
//! `(p_rim − p_{N−1})/(a − c_{N−1})`), through the face gap `h(r_j)`, and `S_i` the volume
//! rate of cavities growing in the cell (they take up gap the liquid no longer has to fill).
//! The gap is `h = floor(h0 + s(r) + w(p))`: the axial gap, the surfaces' shape
//! ([`SurfaceShape`], cell averages exact) and the cartilage's deflection
//! ([`CartilageLayer`]; at faces the pressure is interpolated linearly between centres and is
//! `p_rim` at the rim), floored smoothly at the asperity gap `h_m`:
//! `floor(x) = x` for `x >= 2 h_m`, else `h_m (1 + e^{(x − 2h_m)/h_m})` (value and slope
//! continuous, `→ h_m` as `x → −∞`).
//!
//! With a cartilage layer that exchanges its volume with the film
//! ([`CartilageLayer::exchanges_with_film`]) the stored liquid is the rigid-body gap's,
//! `A_i (h0 − h0ⁿ)/Δt`, and the layer's share is reported as the cartilage outflow.
//!
//! The unknowns are the gauge pressures `u_i = p_i − p_rim`, so small suctions on a large
//! absolute pressure keep their digits. Summing the residuals telescopes the interior
//! fluxes: `Σ R_i Δt = ΔV_film − Q_rim Δt − Σ S_i Δt`, so the step conserves volume to the
//! Newton residual. The sensitivities of the force and the rim flux to `h0` and `p_rim` come
//! from the converged Jacobian (`du/dθ = −J⁻¹ ∂R/∂θ`).

use super::cartilage_layer::CartilageLayer;
use super::film_config::FilmConfig;
use super::film_error::FilmError;
use super::film_mesh::FilmMesh;
use super::film_solution::FilmSolution;
use super::film_state::FilmState;
use super::rheology::Rheology;
use super::slot_flux::SlotFlux;
use super::surface_shape::SurfaceShape;
use crate::fem::banded_matrix::BandedMatrix;

const TWO_PI: f64 = 2.0 * std::f64::consts::PI;

/// The inputs of one step from the joint: the end-of-step axial gap and rim pressure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FilmStepInput<'a> {
    /// Step `Δt` (s). Range: (0, ∞).
    pub time_step_s: f64,
    /// Gap on the axis `h0` at the end of the step (m); the rate is `(h0 − h0ⁿ)/Δt`.
    pub axis_gap_m: f64,
    /// Rim pressure `p_rim` at the end of the step (Pa, absolute): the bulk fluid of the
    /// recesses and capsule.
    pub rim_pressure_pa: f64,
    /// Volume rate of the cavities in each cell over the step (m³/s), `V̇_c = (V_cⁿ⁺¹ −
    /// V_cⁿ)/Δt`; empty for none.
    pub cavity_volume_rate_m3_s: &'a [f64],
}

/// Per-cell evaluation.
#[derive(Debug, Clone, Copy, Default)]
struct CellEval {
    gap: f64,
    /// `∂h_i/∂u_i` (= `∂h_i/∂p_rim`) (m/Pa).
    d_gap_d_gauge: f64,
    /// `∂h_i/∂h0` (1).
    d_gap_d_axis: f64,
}

/// Per-face evaluation: outflow `Φ` (m³/s) and its partial derivatives.
#[derive(Debug, Clone, Copy, Default)]
struct FaceEval {
    outflow: f64,
    d_lo: f64,
    d_hi: f64,
    d_axis: f64,
    d_rim: f64,
}

/// Residual norms of one evaluation.
#[derive(Debug, Clone, Copy)]
struct ResidualNorms {
    /// `max_i |R_i| / (scale + floor)`.
    scaled: f64,
    /// `Σ R_i²` (m⁶/s²).
    sum_squares: f64,
}

/// The Reynolds film solver: parameters, mesh and scratch. State lives in [`FilmState`].
#[derive(Debug, Clone)]
pub struct ReynoldsFilm {
    mesh: FilmMesh,
    rheology: Rheology,
    shape: SurfaceShape,
    cartilage: CartilageLayer,
    minimum_gap_m: f64,
    tolerance: f64,
    max_iterations: usize,
    shape_cell_m: Vec<f64>,
    shape_face_m: Vec<f64>,
    cells: Vec<CellEval>,
    faces: Vec<FaceEval>,
    residual: Vec<f64>,
    gauge: Vec<f64>,
    trial: Vec<f64>,
    last_gauge: Vec<f64>,
    jacobian: BandedMatrix,
}

impl ReynoldsFilm {
    /// A solver for `config` (its `enabled` flag is ignored) over the articular radius `a`
    /// (m).
    pub fn new(config: &FilmConfig, articular_radius_m: f64) -> Result<Self, FilmError> {
        let mesh = config.build_mesh(articular_radius_m)?;
        if !(config.minimum_gap_m > 0.0 && config.minimum_gap_m.is_finite()) {
            return Err(FilmError::InvalidInput {
                name: "minimum_gap_m",
                value: config.minimum_gap_m,
                allowed: "a finite gap > 0",
            });
        }
        if !(config.newton_tolerance > 0.0 && config.newton_tolerance < 1.0) {
            return Err(FilmError::InvalidInput {
                name: "newton_tolerance",
                value: config.newton_tolerance,
                allowed: "a tolerance in (0, 1)",
            });
        }
        let n = mesh.cells();
        let shape_cell_m = mesh
            .faces_m()
            .windows(2)
            .map(|f| config.shape.compute_annulus_average(f[0], f[1]))
            .collect();
        let shape_face_m = mesh
            .faces_m()
            .iter()
            .map(|&r| config.shape.compute_separation(r))
            .collect();
        Ok(Self {
            rheology: config.rheology,
            shape: config.shape,
            cartilage: config.cartilage,
            minimum_gap_m: config.minimum_gap_m,
            tolerance: config.newton_tolerance,
            max_iterations: config.newton_max_iterations.max(1),
            shape_cell_m,
            shape_face_m,
            cells: vec![CellEval::default(); n],
            faces: vec![FaceEval::default(); n + 1],
            residual: vec![0.0; n],
            gauge: vec![0.0; n],
            trial: vec![0.0; n],
            last_gauge: Vec::new(),
            jacobian: BandedMatrix::zeros(n, 1),
            mesh,
        })
    }

    /// The mesh (cell centres, faces, areas).
    pub fn mesh(&self) -> &FilmMesh {
        &self.mesh
    }

    /// The fluid.
    pub fn rheology(&self) -> &Rheology {
        &self.rheology
    }

    /// The surfaces' shape.
    pub fn shape(&self) -> &SurfaceShape {
        &self.shape
    }

    /// The cartilage layer.
    pub fn cartilage(&self) -> &CartilageLayer {
        &self.cartilage
    }

    /// The smooth gap floor `floor(x)` (m) and its slope (1).
    pub fn compute_floored_gap(&self, raw_gap_m: f64) -> (f64, f64) {
        let m = self.minimum_gap_m;
        if raw_gap_m >= 2.0 * m {
            (raw_gap_m, 1.0)
        } else {
            let e = ((raw_gap_m - 2.0 * m) / m).exp();
            (m * (1.0 + e), e)
        }
    }

    /// A film at rest: uniform pressure `p` (Pa) at axial gap `h0` (m), the gaps deflected
    /// by that pressure.
    pub fn compute_rest_state(&self, axis_gap_m: f64, pressure_pa: f64) -> FilmState {
        let w = self.cartilage.compute_deflection(pressure_pa);
        let gap_m = self
            .shape_cell_m
            .iter()
            .map(|s| self.compute_floored_gap(axis_gap_m + s + w).0)
            .collect();
        FilmState {
            axis_gap_m,
            rim_pressure_pa: pressure_pa,
            gap_m,
            pressure_pa: vec![pressure_pa; self.mesh.cells()],
        }
    }

    fn check_inputs(&self, state: &FilmState, input: &FilmStepInput<'_>) -> Result<(), FilmError> {
        let n = self.mesh.cells();
        if !(input.time_step_s > 0.0 && input.time_step_s.is_finite()) {
            return Err(FilmError::InvalidInput {
                name: "time_step_s",
                value: input.time_step_s,
                allowed: "a finite step > 0 s",
            });
        }
        for (name, value) in [
            ("axis_gap_m", input.axis_gap_m),
            ("rim_pressure_pa", input.rim_pressure_pa),
            ("state.axis_gap_m", state.axis_gap_m),
            ("state.rim_pressure_pa", state.rim_pressure_pa),
        ] {
            if !value.is_finite() {
                return Err(FilmError::InvalidInput {
                    name,
                    value,
                    allowed: "a finite number",
                });
            }
        }
        for (name, len) in [
            ("state.gap_m", state.gap_m.len()),
            ("state.pressure_pa", state.pressure_pa.len()),
        ] {
            if len != n {
                return Err(FilmError::WrongLength {
                    name,
                    found: len,
                    expected: n,
                });
            }
        }
        let rates = input.cavity_volume_rate_m3_s;
        if !rates.is_empty() && rates.len() != n {
            return Err(FilmError::WrongLength {
                name: "cavity_volume_rate_m3_s",
                found: rates.len(),
                expected: n,
            });
        }
        for (quantity, values) in [
            ("cavity volume rate", rates),
            ("state gap", &state.gap_m[..]),
            ("state pressure", &state.pressure_pa[..]),
        ] {
            if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(FilmError::NonFinite {
                    quantity,
                    index,
                    value,
                });
            }
        }
        Ok(())
    }

    /// Evaluates gaps, fluxes and the residual at gauge pressures `u`.
    fn evaluate(
        &mut self,
        u: &[f64],
        state: &FilmState,
        input: &FilmStepInput<'_>,
    ) -> Result<ResidualNorms, FilmError> {
        let n = self.mesh.cells();
        let dt = input.time_step_s;
        let h0 = input.axis_gap_m;
        let c = self.cartilage.compliance_m_per_pa();
        let offset = input.rim_pressure_pa - self.cartilage.reference_pressure_pa();
        let faces = self.mesh.faces_m();
        let centres = self.mesh.centres_m();
        for i in 0..n {
            let (gap, slope) =
                self.compute_floored_gap(h0 + self.shape_cell_m[i] + c * (offset + u[i]));
            self.cells[i] = CellEval {
                gap,
                d_gap_d_gauge: slope * c,
                d_gap_d_axis: slope,
            };
        }
        self.faces[0] = FaceEval::default();
        for j in 1..=n {
            let rf = faces[j];
            let (gradient, w_lo, w_hi, inv_d, u_face) = if j < n {
                let d = centres[j] - centres[j - 1];
                let w_lo = (centres[j] - rf) / d;
                let w_hi = (rf - centres[j - 1]) / d;
                (
                    (u[j] - u[j - 1]) / d,
                    w_lo,
                    w_hi,
                    1.0 / d,
                    w_lo * u[j - 1] + w_hi * u[j],
                )
            } else {
                let d = rf - centres[n - 1];
                (-u[n - 1] / d, 0.0, 0.0, 1.0 / d, 0.0)
            };
            let (gap, slope) =
                self.compute_floored_gap(h0 + self.shape_face_m[j] + c * (offset + u_face));
            let flux = SlotFlux::compute(&self.rheology, gradient, gap).map_err(|e| match e {
                FilmError::NonFinite {
                    quantity, value, ..
                } => FilmError::NonFinite {
                    quantity,
                    index: j,
                    value,
                },
                other => other,
            })?;
            let k = TWO_PI * rf;
            let dq_dgap = flux.d_flux_d_gap * slope;
            self.faces[j] = FaceEval {
                outflow: k * flux.flux_m2_s,
                d_lo: k * (-flux.d_flux_d_gradient * inv_d + dq_dgap * c * w_lo),
                d_hi: k * (flux.d_flux_d_gradient * inv_d + dq_dgap * c * w_hi),
                d_axis: k * dq_dgap,
                d_rim: k * dq_dgap * c,
            };
        }
        let areas = self.mesh.areas_m2();
        let rates = input.cavity_volume_rate_m3_s;
        let total_area: f64 = areas.iter().sum();
        let mut scale = total_area * (h0 - state.axis_gap_m).abs() / dt;
        let mut floor = 0.0f64;
        let mut sum_squares = 0.0;
        let mut max_abs = 0.0f64;
        let exchange = self.cartilage.exchanges_with_film();
        for i in 0..n {
            // With a layer exchanging liquid with the film, the liquid stored in the cell
            // changes only with the rigid-body gap `h0 + s(r)`.
            let storage = if exchange {
                areas[i] * (h0 - state.axis_gap_m) / dt
            } else {
                areas[i] * (self.cells[i].gap - state.gap_m[i]) / dt
            };
            let source = rates.get(i).copied().unwrap_or(0.0);
            let r = storage + self.faces[i + 1].outflow - self.faces[i].outflow - source;
            if !r.is_finite() {
                return Err(FilmError::NonFinite {
                    quantity: "film residual",
                    index: i,
                    value: r,
                });
            }
            self.residual[i] = r;
            scale = scale
                .max(storage.abs())
                .max(source.abs())
                .max(self.faces[i + 1].outflow.abs());
            // Round-off of the storage term: the gap is known to a few ulps of itself.
            floor = floor.max(64.0 * f64::EPSILON * areas[i] * self.cells[i].gap / dt);
            sum_squares += r * r;
            max_abs = max_abs.max(r.abs());
        }
        Ok(ResidualNorms {
            scaled: max_abs / (scale + floor + f64::MIN_POSITIVE),
            sum_squares,
        })
    }

    /// Assembles the tridiagonal Jacobian `∂R/∂u` from the last evaluation and factors it.
    fn assemble_and_factor(&mut self, dt: f64) -> Result<(), FilmError> {
        self.assemble_jacobian(dt);
        self.jacobian.factor()?;
        Ok(())
    }

    /// Assembles the tridiagonal Jacobian `∂R/∂u` (m³/(s·Pa)) from the last evaluation.
    fn assemble_jacobian(&mut self, dt: f64) {
        let n = self.mesh.cells();
        let areas = self.mesh.areas_m2();
        let jac = &mut self.jacobian;
        jac.fill_zero();
        let storage_weight = if self.cartilage.exchanges_with_film() {
            0.0
        } else {
            1.0
        };
        for i in 0..n {
            let mut diag = storage_weight * areas[i] / dt * self.cells[i].d_gap_d_gauge
                + self.faces[i + 1].d_lo;
            if i > 0 {
                diag -= self.faces[i].d_hi;
                jac.add(i, i - 1, -self.faces[i].d_lo);
            }
            if i + 1 < n {
                jac.add(i, i + 1, self.faces[i + 1].d_hi);
            }
            jac.add(i, i, diag);
        }
    }

    /// Solves one backward-Euler step from `state` to the end-of-step inputs. `state` is not
    /// changed: a coupled solver calls this once per closure iteration with trial `h0` and
    /// `p_rim`, then [`FilmState::accept`]s the solution of the accepted step. The last
    /// converged pressures warm-start the next call.
    pub fn solve_step(
        &mut self,
        state: &FilmState,
        input: &FilmStepInput<'_>,
    ) -> Result<FilmSolution, FilmError> {
        self.check_inputs(state, input)?;
        let n = self.mesh.cells();

        // Start from the state's gauge pressures, or from the last converged solution when
        // that fits better (closure iterations repeat nearby steps).
        let mut u = std::mem::take(&mut self.gauge);
        u.resize(n, 0.0);
        for i in 0..n {
            u[i] = state.pressure_pa[i] - state.rim_pressure_pa;
        }
        let mut norms = self.evaluate(&u, state, input)?;
        if self.last_gauge.len() == n {
            let last = std::mem::take(&mut self.last_gauge);
            let other = self.evaluate(&last, state, input)?;
            if other.sum_squares < norms.sum_squares {
                u.copy_from_slice(&last);
                norms = other;
            } else {
                norms = self.evaluate(&u, state, input)?;
            }
            self.last_gauge = last;
        }

        let mut result = self.newton(&mut u, norms, state, input);
        // Newton from the warm start can stall where the film folds (a compliant layer that
        // draws from the film narrows the gap it must flow through: past a critical rate the
        // only solution is a pinched film). When the liquid stored does not depend on the
        // pressure, the face flows are known and a march from the rim finds the branch
        // continuous with rest, or the pinched one past the fold; Newton then polishes it.
        if matches!(
            result,
            Err(FilmError::LineSearchFailed { .. }) | Err(FilmError::NotConverged { .. })
        ) && self.storage_is_pressure_independent()
        {
            let first = result;
            let marched = self.compute_marching_guess(state, input)?;
            u.copy_from_slice(&marched);
            let norms = self.evaluate(&u, state, input)?;
            result = self
                .newton(&mut u, norms, state, input)
                .map_err(|_| first.unwrap_err());
        }
        let iterations = match result {
            Ok(iterations) => iterations,
            Err(e) => {
                self.gauge = u;
                return Err(e);
            }
        };
        // The last evaluation may be another iterate's: re-evaluate at the solution.
        let final_norms = self.evaluate(&u, state, input)?;
        let solution = self.finish(&u, state, input, iterations, final_norms.scaled)?;
        self.last_gauge.clone_from(&u);
        self.gauge = u;
        Ok(solution)
    }

    /// Newton with a backtracking line search on `Σ R_i²` from `u` (evaluated last, with
    /// `norms`); `u` holds the solution on success. Returns the iterations used.
    fn newton(
        &mut self,
        u: &mut Vec<f64>,
        mut norms: ResidualNorms,
        state: &FilmState,
        input: &FilmStepInput<'_>,
    ) -> Result<usize, FilmError> {
        let n = self.mesh.cells();
        let dt = input.time_step_s;
        let mut trial = std::mem::take(&mut self.trial);
        trial.resize(n, 0.0);
        let mut iterations = 0;
        let result = loop {
            if norms.scaled <= self.tolerance {
                break Ok(iterations);
            }
            if iterations >= self.max_iterations {
                break Err(FilmError::NotConverged {
                    iterations,
                    residual: norms.scaled,
                    tolerance: self.tolerance,
                });
            }
            iterations += 1;
            if let Err(e) = self.assemble_and_factor(dt) {
                break Err(e);
            }
            let mut step: Vec<f64> = self.residual.iter().map(|r| -r).collect();
            self.jacobian.solve_in_place(&mut step);
            let mut alpha = 1.0;
            let accepted = loop {
                for i in 0..n {
                    trial[i] = u[i] + alpha * step[i];
                }
                match self.evaluate(&trial, state, input) {
                    Ok(t)
                        if t.sum_squares <= (1.0 - 1e-4 * alpha) * norms.sum_squares
                            || t.scaled <= self.tolerance =>
                    {
                        break Ok(Some(t));
                    }
                    // A trial that overflows is too long a step, not a failure.
                    Ok(_) | Err(FilmError::NonFinite { .. }) | Err(FilmError::Rheology { .. }) => {}
                    Err(e) => break Err(e),
                }
                alpha *= 0.5;
                if alpha < 1e-12 {
                    break Ok(None);
                }
            };
            match accepted {
                Ok(Some(t)) => {
                    std::mem::swap(u, &mut trial);
                    norms = t;
                }
                Ok(None) => {
                    break Err(FilmError::LineSearchFailed {
                        iteration: iterations,
                        residual: norms.scaled,
                    });
                }
                Err(e) => break Err(e),
            }
        };
        self.trial = trial;
        result
    }

    /// Whether the liquid stored in a cell is independent of the pressure (rigid surfaces, or
    /// a layer exchanging its volume with the film): then the flows through the faces follow
    /// from the storage and the cavities alone.
    fn storage_is_pressure_independent(&self) -> bool {
        self.cartilage.exchanges_with_film() || self.cartilage.compliance_m_per_pa() == 0.0
    }

    /// Gauge pressures marched from the rim when the storage does not depend on the
    /// pressure: the outflow through face `j` is `Φ_j = Σ_{i<j} (S_i − storage_i)`, and
    /// each face's scalar equation `2π r_j q(G, h(r_j)) = Φ_j` gives the pressure inside it
    /// from the one outside. Of several roots (a fold), the one with the smallest `|G|` —
    /// the branch continuous with rest — is taken: the scan grows `|G|` by 1.5 per trial
    /// from far below any root, and the first sign change is bisected.
    fn compute_marching_guess(
        &self,
        state: &FilmState,
        input: &FilmStepInput<'_>,
    ) -> Result<Vec<f64>, FilmError> {
        let n = self.mesh.cells();
        let dt = input.time_step_s;
        let h0 = input.axis_gap_m;
        let c = self.cartilage.compliance_m_per_pa();
        let offset = input.rim_pressure_pa - self.cartilage.reference_pressure_pa();
        let faces = self.mesh.faces_m();
        let centres = self.mesh.centres_m();
        let areas = self.mesh.areas_m2();
        let exchange = self.cartilage.exchanges_with_film();
        // Outflows through the faces, from the axis.
        let mut outflow = vec![0.0; n + 1];
        for i in 0..n {
            let storage = if exchange {
                areas[i] * (h0 - state.axis_gap_m) / dt
            } else {
                let (gap, _) = self.compute_floored_gap(h0 + self.shape_cell_m[i] + c * offset);
                areas[i] * (gap - state.gap_m[i]) / dt
            };
            let source = input.cavity_volume_rate_m3_s.get(i).copied().unwrap_or(0.0);
            outflow[i + 1] = outflow[i] - storage + source;
        }
        let mu_inf = self.rheology.infinite_shear_viscosity_pa_s();
        let mu0 = self.rheology.zero_shear_viscosity_pa_s();
        let mut u = vec![0.0; n];
        let mut outer = 0.0; // gauge pressure outside face j (0 at the rim)
        for j in (1..=n).rev() {
            let target = outflow[j];
            let rf = faces[j];
            let (d, w_lo, w_hi) = if j < n {
                let d = centres[j] - centres[j - 1];
                (d, (centres[j] - rf) / d, (rf - centres[j - 1]) / d)
            } else {
                (rf - centres[n - 1], 0.0, 0.0)
            };
            let residual = |g: f64| -> Result<f64, FilmError> {
                let inner = outer - g * d;
                let u_face = if j < n {
                    w_lo * inner + w_hi * outer
                } else {
                    0.0
                };
                let (gap, _) =
                    self.compute_floored_gap(h0 + self.shape_face_m[j] + c * (offset + u_face));
                let q = SlotFlux::compute(&self.rheology, g, gap)?;
                Ok(TWO_PI * rf * q.flux_m2_s - target)
            };
            let g = if target == 0.0 {
                0.0
            } else {
                // The flux runs down the gradient: an inflow (target < 0) needs G > 0.
                let sign = if target < 0.0 { 1.0 } else { -1.0 };
                let (gap0, _) =
                    self.compute_floored_gap(h0 + self.shape_face_m[j] + c * (offset + outer));
                let linear = target.abs() / (TWO_PI * rf) * 12.0 * mu0 / gap0.powi(3);
                let mut lo = 0.0;
                let mut hi = 1e-8 * linear * mu_inf / mu0;
                let r0 = residual(0.0)?;
                let mut found = false;
                for _ in 0..400 {
                    let r = residual(sign * hi)?;
                    if r.signum() != r0.signum() {
                        found = true;
                        break;
                    }
                    lo = hi;
                    hi *= 1.5;
                }
                if !found {
                    return Err(FilmError::NonFinite {
                        quantity: "marched pressure gradient (no root)",
                        index: j,
                        value: hi,
                    });
                }
                // Illinois regula falsi on the bracket (Newton polishes the result).
                let (mut f_lo, mut f_hi) = (residual(sign * lo)?, residual(sign * hi)?);
                let mut side = 0;
                for _ in 0..100 {
                    let mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
                    let mid = if mid > lo && mid < hi {
                        mid
                    } else {
                        0.5 * (lo + hi)
                    };
                    let f_mid = residual(sign * mid)?;
                    if f_mid.signum() == f_lo.signum() {
                        lo = mid;
                        f_lo = f_mid;
                        if side == -1 {
                            f_hi *= 0.5;
                        }
                        side = -1;
                    } else {
                        hi = mid;
                        f_hi = f_mid;
                        if side == 1 {
                            f_lo *= 0.5;
                        }
                        side = 1;
                    }
                    if hi - lo <= 1e-12 * hi || f_mid == 0.0 {
                        break;
                    }
                }
                sign * 0.5 * (lo + hi)
            };
            outer -= g * d;
            u[j - 1] = outer;
        }
        Ok(u)
    }

    /// Outputs and sensitivities at the converged gauge pressures `u` (evaluated last).
    fn finish(
        &mut self,
        u: &[f64],
        state: &FilmState,
        input: &FilmStepInput<'_>,
        iterations: usize,
        scaled_residual: f64,
    ) -> Result<FilmSolution, FilmError> {
        let n = self.mesh.cells();
        let dt = input.time_step_s;
        let p_rim = input.rim_pressure_pa;
        let areas = self.mesh.areas_m2().to_vec();
        self.assemble_and_factor(dt)?;
        // ∂R/∂h0 and ∂R/∂p_rim at fixed gauge pressures.
        let mut d_axis = vec![0.0; n];
        let mut d_rim = vec![0.0; n];
        let exchange = self.cartilage.exchanges_with_film();
        for i in 0..n {
            let (storage_axis, storage_rim) = if exchange {
                (areas[i] / dt, 0.0)
            } else {
                (
                    areas[i] / dt * self.cells[i].d_gap_d_axis,
                    areas[i] / dt * self.cells[i].d_gap_d_gauge,
                )
            };
            d_axis[i] = storage_axis + self.faces[i + 1].d_axis - self.faces[i].d_axis;
            d_rim[i] = storage_rim + self.faces[i + 1].d_rim - self.faces[i].d_rim;
        }
        self.jacobian.solve_in_place(&mut d_axis);
        self.jacobian.solve_in_place(&mut d_rim);
        // du/dθ = −J⁻¹ ∂R/∂θ; F = −Σ A_i u_i; Q = −Φ_N.
        let force: f64 = -areas.iter().zip(u).map(|(a, ui)| a * ui).sum::<f64>();
        let d_force_d_axis: f64 = areas.iter().zip(&d_axis).map(|(a, d)| a * d).sum();
        let d_force_d_rim: f64 = areas.iter().zip(&d_rim).map(|(a, d)| a * d).sum();
        let rim = self.faces[n];
        let inflow = -rim.outflow;
        let d_inflow_d_axis = -(rim.d_axis - rim.d_lo * d_axis[n - 1]);
        let d_inflow_d_rim = -(rim.d_rim - rim.d_lo * d_rim[n - 1]);

        let pressure_pa: Vec<f64> = u.iter().map(|ui| p_rim + ui).collect();
        let gap_m: Vec<f64> = self.cells.iter().map(|c| c.gap).collect();
        let film_volume: f64 = gap_m.iter().zip(&areas).map(|(h, a)| h * a).sum();
        let (min_pressure_pa, min_pressure_radius_m) = self.compute_minimum(&pressure_pa, p_rim);
        let cavity: f64 = input.cavity_volume_rate_m3_s.iter().sum();
        let cartilage_outflow = if exchange {
            (film_volume - state.compute_film_volume(&areas)) / dt
                - areas.iter().sum::<f64>() * (input.axis_gap_m - state.axis_gap_m) / dt
        } else {
            0.0
        };
        let solution = FilmSolution {
            axis_gap_m: input.axis_gap_m,
            rim_pressure_pa: p_rim,
            pressure_pa,
            gap_m,
            film_force_n: force,
            d_force_d_axis_gap_n_per_m: d_force_d_axis,
            d_force_d_rim_pressure_m2: d_force_d_rim,
            film_volume_m3: film_volume,
            rim_inflow_m3_s: inflow,
            d_rim_inflow_d_axis_gap_m2_per_s: d_inflow_d_axis,
            d_rim_inflow_d_rim_pressure_m3_per_s_pa: d_inflow_d_rim,
            cavity_volume_rate_m3_s: cavity,
            cartilage_outflow_m3_s: cartilage_outflow,
            min_pressure_pa,
            min_pressure_radius_m,
            newton_iterations: iterations,
            scaled_residual,
        };
        for (quantity, value) in [
            ("film force", solution.film_force_n),
            ("dF/dh0", solution.d_force_d_axis_gap_n_per_m),
            ("dF/dp_rim", solution.d_force_d_rim_pressure_m2),
            ("rim inflow", solution.rim_inflow_m3_s),
            ("dQ/dh0", solution.d_rim_inflow_d_axis_gap_m2_per_s),
            (
                "dQ/dp_rim",
                solution.d_rim_inflow_d_rim_pressure_m3_per_s_pa,
            ),
        ] {
            if !value.is_finite() {
                return Err(FilmError::NonFinite {
                    quantity,
                    index: 0,
                    value,
                });
            }
        }
        Ok(solution)
    }

    /// The lowest pressure (Pa) and its radius (m): the lowest cell, refined by a parabola
    /// through it and its neighbours (even in `r` at the axis); the rim when it is lower.
    fn compute_minimum(&self, pressure_pa: &[f64], rim_pressure_pa: f64) -> (f64, f64) {
        let c = self.mesh.centres_m();
        let n = c.len();
        let (k, &pk) = pressure_pa
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .expect("a film has cells");
        if rim_pressure_pa < pk {
            return (rim_pressure_pa, self.mesh.radius_m());
        }
        if k == 0 {
            // p = α + β r² through cells 0 and 1.
            let beta = (pressure_pa[1] - pressure_pa[0]) / (c[1] * c[1] - c[0] * c[0]);
            if beta > 0.0 {
                return (pressure_pa[0] - beta * c[0] * c[0], 0.0);
            }
            return (pk, c[0]);
        }
        let (r0, r1, r2) = (
            c[k - 1],
            c[k],
            if k + 1 < n {
                c[k + 1]
            } else {
                self.mesh.radius_m()
            },
        );
        let (p0, p1, p2) = (
            pressure_pa[k - 1],
            pk,
            if k + 1 < n {
                pressure_pa[k + 1]
            } else {
                rim_pressure_pa
            },
        );
        // Newton's divided differences of the parabola through the three points.
        let d01 = (p1 - p0) / (r1 - r0);
        let d12 = (p2 - p1) / (r2 - r1);
        let curvature = (d12 - d01) / (r2 - r0);
        if curvature > 0.0 {
            let r_star = 0.5 * (r0 + r1) - d01 / (2.0 * curvature);
            if r_star > r0 && r_star < r2 {
                let p_star = p0 + d01 * (r_star - r0) + curvature * (r_star - r0) * (r_star - r1);
                if p_star <= pk {
                    return (p_star, r_star);
                }
            }
        }
        (pk, r1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A moderate film: Carreau fluid thinned at the rim, a stiff elastic layer deflecting
    /// ~10 % of the gap, a mild paraboloid, a cavity sink near the axis.
    fn moderate(exchange: bool) -> (ReynoldsFilm, FilmState, Vec<f64>) {
        let layer = if exchange {
            CartilageLayer::draining(1e-3, 1e8, 101_325.0)
        } else {
            CartilageLayer::elastic(1e-3, 1e8, 101_325.0)
        };
        let config = FilmConfig {
            enabled: true,
            resting_thickness_m: 20e-6,
            minimum_gap_m: 0.5e-6,
            rheology: Rheology::default(),
            shape: SurfaceShape::Paraboloid {
                head_radius_m: 1.0,
                base_radius_m: None,
            },
            cartilage: layer,
            cells: 12,
            ..FilmConfig::default()
        };
        let film = ReynoldsFilm::new(&config, 5e-3).unwrap();
        let state = film.compute_rest_state(20e-6, 101_325.0);
        let mut cavity = vec![0.0; 12];
        cavity[0] = 1e-12;
        cavity[1] = 5e-13;
        (film, state, cavity)
    }

    /// The assembled Jacobian is the derivative of the residual: each column matches a
    /// central difference in the gauge pressure to 1e-6 of the row's largest entry
    /// (truncation `O(δ²)`, δ = 1e-2 Pa on pressures of ~1e4 Pa; the Carreau flux is smooth).
    #[test]
    fn film_jacobian_matches_finite_differences() {
        for exchange in [false, true] {
            let (mut film, state, cavity) = moderate(exchange);
            let input = FilmStepInput {
                time_step_s: 1e-2,
                axis_gap_m: 20.02e-6,
                rim_pressure_pa: 100_000.0,
                cavity_volume_rate_m3_s: &cavity,
            };
            let n = film.mesh().cells();
            let u: Vec<f64> = (0..n)
                .map(|i| -3e4 * (1.0 - (i as f64 / n as f64).powi(2)) + 500.0 * (i as f64).sin())
                .collect();
            film.evaluate(&u, &state, &input).unwrap();
            film.assemble_jacobian(input.time_step_s);
            let jac: Vec<Vec<f64>> = (0..n)
                .map(|i| (0..n).map(|j| film.jacobian.get(i, j)).collect())
                .collect();
            let delta = 1e-2;
            for j in 0..n {
                let mut up = u.clone();
                up[j] += delta;
                film.evaluate(&up, &state, &input).unwrap();
                let r_up = film.residual.clone();
                let mut down = u.clone();
                down[j] -= delta;
                film.evaluate(&down, &state, &input).unwrap();
                let r_down = film.residual.clone();
                for i in 0..n {
                    let fd = (r_up[i] - r_down[i]) / (2.0 * delta);
                    let row_max = jac[i].iter().fold(0.0f64, |m, v| m.max(v.abs()));
                    assert!(
                        (jac[i][j] - fd).abs() <= 1e-6 * row_max,
                        "exchange {exchange}: J[{i}][{j}] = {:e}, FD {fd:e}",
                        jac[i][j]
                    );
                }
            }
        }
    }

    /// The sensitivities of force and rim inflow to the end-of-step gap and the rim pressure
    /// match central differences of converged solves to 1e-6 relative (Newton converges to
    /// 1e-12; truncation `O(ε²)` with ε = 1e-4 of the step's opening, and 1 Pa of rim
    /// pressure: the rim pressure acts through the layer, whose deflection changes by
    /// 2e-11 m/Pa, so 1 kPa would change the step's 2e-8 m opening by 100 % and the
    /// difference would measure curvature, not slope).
    #[test]
    fn film_sensitivities_match_finite_differences() {
        for exchange in [false, true] {
            let (mut film, state, cavity) = moderate(exchange);
            let base = FilmStepInput {
                time_step_s: 1e-2,
                axis_gap_m: 20.02e-6,
                rim_pressure_pa: 101_300.0,
                cavity_volume_rate_m3_s: &cavity,
            };
            let s = film.solve_step(&state, &base).unwrap();
            assert!(s.film_force_n > 0.0, "suction: {}", s.film_force_n);
            let eh = 1e-4 * (base.axis_gap_m - state.axis_gap_m);
            let ep = 1.0;
            let mut at = |h0: f64, p: f64| {
                let input = FilmStepInput {
                    axis_gap_m: h0,
                    rim_pressure_pa: p,
                    ..base
                };
                let s = film.solve_step(&state, &input).unwrap();
                (s.film_force_n, s.rim_inflow_m3_s)
            };
            let (fp, qp) = at(base.axis_gap_m + eh, base.rim_pressure_pa);
            let (fm, qm) = at(base.axis_gap_m - eh, base.rim_pressure_pa);
            let (fpp, qpp) = at(base.axis_gap_m, base.rim_pressure_pa + ep);
            let (fpm, qpm) = at(base.axis_gap_m, base.rim_pressure_pa - ep);
            let close = |a: f64, b: f64, scale: f64| (a - b).abs() <= 1e-6 * scale;
            let df_dh = (fp - fm) / (2.0 * eh);
            let dq_dh = (qp - qm) / (2.0 * eh);
            let df_dp = (fpp - fpm) / (2.0 * ep);
            let dq_dp = (qpp - qpm) / (2.0 * ep);
            assert!(
                close(s.d_force_d_axis_gap_n_per_m, df_dh, df_dh.abs()),
                "{} vs {df_dh}",
                s.d_force_d_axis_gap_n_per_m
            );
            assert!(
                close(s.d_rim_inflow_d_axis_gap_m2_per_s, dq_dh, dq_dh.abs()),
                "{} vs {dq_dh}",
                s.d_rim_inflow_d_axis_gap_m2_per_s
            );
            // The rim-pressure sensitivities come only from the layer's deflection; compare
            // them on the scale of the gap sensitivities times the deflection per pascal.
            let c = film.cartilage().compliance_m_per_pa();
            assert!(
                close(s.d_force_d_rim_pressure_m2, df_dp, df_dh.abs() * c),
                "{} vs {df_dp}",
                s.d_force_d_rim_pressure_m2
            );
            assert!(
                close(
                    s.d_rim_inflow_d_rim_pressure_m3_per_s_pa,
                    dq_dp,
                    dq_dh.abs() * c
                ),
                "{} vs {dq_dp}",
                s.d_rim_inflow_d_rim_pressure_m3_per_s_pa
            );
        }
    }

    /// Bad input is reported, never a panic: a zero step, a NaN gap, wrong lengths.
    #[test]
    fn film_rejects_bad_input() {
        let (mut film, state, cavity) = moderate(false);
        let good = FilmStepInput {
            time_step_s: 1e-3,
            axis_gap_m: 20e-6,
            rim_pressure_pa: 1e5,
            cavity_volume_rate_m3_s: &cavity,
        };
        assert!(film.solve_step(&state, &good).is_ok());
        let bad = [
            FilmStepInput {
                time_step_s: 0.0,
                ..good
            },
            FilmStepInput {
                axis_gap_m: f64::NAN,
                ..good
            },
            FilmStepInput {
                rim_pressure_pa: f64::INFINITY,
                ..good
            },
            FilmStepInput {
                cavity_volume_rate_m3_s: &cavity[..3],
                ..good
            },
        ];
        for input in bad {
            assert!(film.solve_step(&state, &input).is_err());
        }
        let mut broken = state.clone();
        broken.pressure_pa[3] = f64::NAN;
        assert!(matches!(
            film.solve_step(&broken, &good),
            Err(FilmError::NonFinite { index: 3, .. })
        ));
        broken.pressure_pa.pop();
        assert!(matches!(
            film.solve_step(&broken, &good),
            Err(FilmError::WrongLength { .. })
        ));
        // The solver still works after the failures.
        assert!(film.solve_step(&state, &good).is_ok());
    }
}
