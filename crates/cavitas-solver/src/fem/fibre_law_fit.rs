//! Fitting the fibre-reinforced law to uniaxial tangent moduli measured along the fibres
//! (Little & Khalsa 2005 for the lumbar facet capsule; see `validation/little-khalsa-2005`).

use super::fibre_reinforced::{FibreFamily, FibreForm, FibreReinforced};

/// One measured point: engineering strain and the tangent modulus `dP/dε` of the nominal
/// (first Piola–Kirchhoff) stress there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TangentModulusPoint {
    /// Engineering strain `ε = λ − 1` (dimensionless).
    pub strain: f64,
    /// Tangent modulus `dP/dε` (Pa).
    pub tangent_modulus_pa: f64,
}

/// The fitted parameters of a matrix plus one fibre family along the test direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FibreLawFit {
    /// The fibre energy form fitted.
    pub form: FibreForm,
    /// Matrix shear modulus `μ` (Pa).
    pub matrix_shear_modulus_pa: f64,
    /// Fibre stiffness `k1` (Pa).
    pub k1_pa: f64,
    /// Fibre stiffening `k2` (dimensionless).
    pub k2: f64,
    /// Root-mean-square of `ln(E_model / E_measured)` over the points.
    pub rms_log_error: f64,
}

/// Why a fit failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// Fewer than three points, or a non-positive modulus or strain.
    #[error("a fit needs at least 3 points with strain > 0 and modulus > 0; got {0}")]
    BadData(String),
}

/// The uniaxial tangent modulus `dP/dλ` of a strip stretched to `λ` along the fibres of
/// `material`'s family 0 (fibres at 0°): with `λ2 = λ^(-1/2)` (which makes `∂W/∂λ2 = 0`
/// for a neo-Hookean matrix and fibres along the load), `P = ∂W/∂λ1` and
/// `dP/dλ = μ (1 + 2 λ⁻³) + 2 Ψ'(λ²) + 4 λ² Ψ''(λ²)`.
pub fn compute_uniaxial_tangent(material: &FibreReinforced, stretch: f64) -> f64 {
    let l2 = stretch.powf(-0.5);
    let e = material.compute_energy(stretch, l2);
    // Total derivative along the uniaxial path λ2 = λ^(-1/2).
    e.d11 - 0.5 * stretch.powf(-1.5) * e.d12
}

/// The material a fit describes (one family along the meridian).
impl FibreLawFit {
    /// Matrix plus the fitted family at `angle_deg`.
    pub fn material(&self) -> FibreReinforced {
        FibreReinforced {
            matrix_shear_modulus_pa: self.matrix_shear_modulus_pa,
            fibres: vec![FibreFamily {
                form: self.form,
                angle_deg: 0.0,
                k1_pa: self.k1_pa,
                k2: self.k2,
            }],
        }
    }
}

fn residuals(form: FibreForm, theta: &[f64; 3], points: &[TangentModulusPoint]) -> Vec<f64> {
    let fit = FibreLawFit {
        form,
        matrix_shear_modulus_pa: theta[0].exp(),
        k1_pa: theta[1].exp(),
        k2: theta[2].exp(),
        rms_log_error: 0.0,
    };
    let m = fit.material();
    points
        .iter()
        .map(|p| (compute_uniaxial_tangent(&m, 1.0 + p.strain) / p.tangent_modulus_pa).ln())
        .collect()
}

/// Least-squares fit of `(μ, k1, k2)` to the logarithm of the tangent moduli
/// (Levenberg–Marquardt in log-parameters, so all three stay positive), started from a
/// few values of `k2`; the best local minimum wins. With `matrix_shear_modulus_pa` given,
/// `μ` is held at that value and only the fibres are fitted (uniaxial data along the fibres
/// barely constrain the matrix: a free fit drives `μ` to zero).
pub fn fit_fibre_law(
    form: FibreForm,
    points: &[TangentModulusPoint],
    matrix_shear_modulus_pa: Option<f64>,
) -> Result<FibreLawFit, FitError> {
    if points.len() < 3
        || points
            .iter()
            .any(|p| !(p.strain > 0.0 && p.tangent_modulus_pa > 0.0))
    {
        return Err(FitError::BadData(format!("{points:?}")));
    }
    let e0 = points
        .iter()
        .map(|p| p.tangent_modulus_pa)
        .fold(f64::INFINITY, f64::min);
    let mut best: Option<([f64; 3], f64)> = None;
    for &k2 in &[0.3, 1.0, 3.0, 10.0] {
        let mu0 = matrix_shear_modulus_pa.unwrap_or(e0 / 6.0);
        if !(mu0 > 0.0) {
            return Err(FitError::BadData(format!("matrix shear modulus {mu0}")));
        }
        let mut theta = [mu0.ln(), (e0).ln(), f64::ln(k2)];
        let cost = |t: &[f64; 3]| {
            residuals(form, t, points)
                .iter()
                .map(|r| r * r)
                .sum::<f64>()
        };
        let mut c = cost(&theta);
        let mut damping = 1e-3;
        for _ in 0..500 {
            let r = residuals(form, &theta, points);
            // Forward-difference Jacobian in the log-parameters.
            let mut jac = vec![[0.0; 3]; points.len()];
            for k in 0..3 {
                let mut t = theta;
                t[k] += 1e-7;
                let rk = residuals(form, &t, points);
                for i in 0..points.len() {
                    jac[i][k] = (rk[i] - r[i]) / 1e-7;
                }
            }
            let mut jtj = nalgebra::Matrix3::<f64>::zeros();
            let mut jtr = nalgebra::Vector3::<f64>::zeros();
            for i in 0..points.len() {
                for a in 0..3 {
                    jtr[a] += jac[i][a] * r[i];
                    for b in 0..3 {
                        jtj[(a, b)] += jac[i][a] * jac[i][b];
                    }
                }
            }
            if matrix_shear_modulus_pa.is_some() {
                for a in 0..3 {
                    jtj[(0, a)] = 0.0;
                    jtj[(a, 0)] = 0.0;
                }
                jtj[(0, 0)] = 1.0;
                jtr[0] = 0.0;
            }
            let mut improved = false;
            for _ in 0..20 {
                let mut lhs = jtj;
                for a in 0..3 {
                    lhs[(a, a)] *= 1.0 + damping;
                }
                let Some(step) = lhs.lu().solve(&(-jtr)) else {
                    break;
                };
                let trial = [theta[0] + step[0], theta[1] + step[1], theta[2] + step[2]];
                let ct = cost(&trial);
                if ct.is_finite() && ct < c {
                    theta = trial;
                    let done = c - ct < 1e-14 * c.max(1e-300);
                    c = ct;
                    damping = (damping * 0.3).max(1e-12);
                    improved = !done;
                    break;
                }
                damping *= 10.0;
            }
            if !improved {
                break;
            }
        }
        if best.is_none_or(|(_, cb)| c < cb) {
            best = Some((theta, c));
        }
    }
    let (theta, c) = best.expect("at least one start");
    Ok(FibreLawFit {
        form,
        matrix_shear_modulus_pa: theta[0].exp(),
        k1_pa: theta[1].exp(),
        k2: theta[2].exp(),
        rms_log_error: (c / points.len() as f64).sqrt(),
    })
}
