//! Volume flux of a generalized Newtonian fluid through a slot (plane Poiseuille flow).
//!
//! In a slot of gap `h` under the pressure gradient `G = ∂p/∂r` the shear stress is
//! `τ(z) = |G| z` across the half-gap `0 <= z <= h/2`, and with no slip at both walls the flux
//! per unit width is, exactly,
//!
//! `Q = (2/G²) ∫_0^{τ_w} τ γ̇(τ) dτ`, `τ_w = |G| h/2`,
//!
//! with `γ̇(τ)` the inverse of the flow curve. Substituting `τ = τ_w s`:
//! `Q = (h²/2) J(τ_w)`, `J(τ_w) = ∫_0^1 s γ̇(τ_w s) ds`, which is regular at `G = 0`
//! (`J → τ_w/(3 μ0)`, the Newtonian `Q = |G| h³/(12 μ0)`). The derivatives, for Newton:
//! `∂Q/∂|G| = (h³/4) J'(τ_w)` and `∂Q/∂h = h J + (h² |G|/4) J'` (which equals
//! `h γ̇(τ_w)/2`). `J` comes from a composite Gauss–Legendre rule on panels fixed in stress,
//! and `J'` is the exact derivative of that discrete `J`.
//!
//! The flux runs down the gradient: `q = −sign(G) Q`.

use super::film_error::FilmError;
use super::rheology::Rheology;

/// Gauss–Legendre nodes on `[0, 1]` (8 points, exact for polynomials of degree 15).
const GL_NODES: [f64; 8] = [
    0.019_855_071_751_231_856,
    0.101_666_761_293_186_63,
    0.237_233_795_041_835_5,
    0.408_282_678_752_175_1,
    0.591_717_321_247_825,
    0.762_766_204_958_164_5,
    0.898_333_238_706_813_4,
    0.980_144_928_248_768_2,
];
/// Gauss–Legendre weights on `[0, 1]`.
const GL_WEIGHTS: [f64; 8] = [
    0.050_614_268_145_188_13,
    0.111_190_517_226_687_24,
    0.156_853_322_938_943_64,
    0.181_341_891_689_181,
    0.181_341_891_689_181,
    0.156_853_322_938_943_64,
    0.111_190_517_226_687_24,
    0.050_614_268_145_188_13,
];

/// Below this fraction of the transition stress `μ0/λ` the flow curve is Newtonian to
/// `O(1e-4)`; one panel `[0, τ_c]` integrates that smooth, nearly linear part.
const NEWTONIAN_FRACTION: f64 = 1e-2;
/// At most this many panels doubling in stress (2^60 spans any stress range); the last one
/// runs to `τ_w` whatever its width.
const MAX_PANELS: usize = 60;

/// The flux per unit width through a slot and its derivatives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlotFlux {
    /// Flux per unit width along `+r`, `q = −sign(G) Q` (m²/s).
    pub flux_m2_s: f64,
    /// `∂q/∂G` (m³/(Pa·s)), never positive.
    pub d_flux_d_gradient: f64,
    /// `∂q/∂h` (m/s).
    pub d_flux_d_gap: f64,
}

impl SlotFlux {
    /// The flux through a slot of gap `h > 0` (m) under the pressure gradient `G` (Pa/m).
    pub fn compute(rheology: &Rheology, gradient_pa_m: f64, gap_m: f64) -> Result<Self, FilmError> {
        if !gradient_pa_m.is_finite() {
            return Err(FilmError::NonFinite {
                quantity: "pressure gradient",
                index: 0,
                value: gradient_pa_m,
            });
        }
        if !(gap_m > 0.0 && gap_m.is_finite()) {
            return Err(FilmError::NonFinite {
                quantity: "gap (must be > 0)",
                index: 0,
                value: gap_m,
            });
        }
        let sign = if gradient_pa_m < 0.0 { -1.0 } else { 1.0 };
        let g_abs = gradient_pa_m.abs();
        let h = gap_m;
        if rheology.is_newtonian() {
            let c = h * h * h / (12.0 * rheology.zero_shear_viscosity_pa_s());
            return Ok(Self {
                flux_m2_s: -c * gradient_pa_m,
                d_flux_d_gradient: -c,
                d_flux_d_gap: -sign * g_abs * h * h / (4.0 * rheology.zero_shear_viscosity_pa_s()),
            });
        }
        let tau_w = 0.5 * g_abs * h;
        let (j, dj) = Self::compute_integrals(rheology, tau_w)?;
        let q = 0.5 * h * h * j;
        let dq_dg = 0.25 * h * h * h * dj;
        let dq_dh = h * j + 0.25 * h * h * g_abs * dj;
        Ok(Self {
            flux_m2_s: -sign * q,
            d_flux_d_gradient: -dq_dg,
            d_flux_d_gap: -sign * dq_dh,
        })
    }

    /// `J(τ_w) = ∫_0^1 s γ̇(τ_w s) ds = I(τ_w)/τ_w²` (1/s) and its derivative `J'(τ_w)`
    /// (1/(Pa·s)), with `I(τ_w) = ∫_0^{τ_w} τ γ̇(τ) dτ` by Gauss–Legendre on panels fixed in
    /// stress, `[0, τ_c], [τ_c, 2τ_c], [2τ_c, 4τ_c], …` with `τ_c = 0.01 μ0/λ`, the last one cut
    /// at `τ_w`. Because the panels do not move with `τ_w`, the discrete flux is a continuous
    /// function of the gradient (a panel appears with zero width), and `J'` is the exact
    /// derivative of the discrete `J`: `I'` differentiates only the last panel.
    pub fn compute_integrals(
        rheology: &Rheology,
        wall_stress_pa: f64,
    ) -> Result<(f64, f64), FilmError> {
        let tau_w = wall_stress_pa;
        let mu0 = rheology.zero_shear_viscosity_pa_s();
        if tau_w == 0.0 {
            return Ok((0.0, 1.0 / (3.0 * mu0)));
        }
        let tau_c = NEWTONIAN_FRACTION * rheology.transition_stress_pa();
        // `f(τ) = τ γ̇(τ)` and `f'(τ) = γ̇ + τ dγ̇/dτ`.
        let f = |tau: f64| -> Result<(f64, f64), FilmError> {
            let (rate, d_rate) = rheology.compute_shear_rate(tau)?;
            Ok((tau * rate, rate + tau * d_rate))
        };
        let mut integral = 0.0;
        let mut lower = 0.0f64;
        let mut upper = tau_c.min(tau_w);
        let mut panels = 0;
        loop {
            let width = upper - lower;
            let last = upper >= tau_w;
            let mut d_integral = 0.0;
            for (x, w) in GL_NODES.iter().zip(GL_WEIGHTS.iter()) {
                let (value, slope) = f(lower + width * x)?;
                integral += w * width * value;
                if last {
                    d_integral += w * (value + width * x * slope);
                }
            }
            panels += 1;
            if last || panels > MAX_PANELS {
                let j = integral / (tau_w * tau_w);
                let dj = d_integral / (tau_w * tau_w) - 2.0 * integral / (tau_w * tau_w * tau_w);
                return Ok((j, dj));
            }
            lower = upper;
            upper = (2.0 * upper).min(tau_w);
            if panels == MAX_PANELS {
                upper = tau_w;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 8-point rule integrates `s^k` exactly for `k <= 15` (round-off, 1e-15).
    #[test]
    fn gauss_legendre_rule_is_exact_to_degree_15() {
        for k in 0..16 {
            let sum: f64 = GL_NODES
                .iter()
                .zip(GL_WEIGHTS.iter())
                .map(|(x, w)| w * x.powi(k))
                .sum();
            assert!(
                (sum * (k as f64 + 1.0) - 1.0).abs() < 1e-15,
                "k = {k}: {sum}"
            );
        }
    }

    /// A Carreau fluid with `μ0 = μ∞` is Newtonian: the quadrature reproduces
    /// `q = −G h³/(12 μ)` to round-off (the integrand is then a polynomial of degree 2 in s,
    /// integrated exactly by 8-point Gauss–Legendre).
    #[test]
    fn slot_flux_newtonian_limit_is_exact() {
        let newt = Rheology::Newtonian {
            viscosity_pa_s: 0.7,
        };
        let flat = Rheology::carreau(0.7, 0.7, 1.0, 0.3);
        for (g, h) in [(1e3, 1e-5), (-4e6, 3e-6), (0.0, 1e-4)] {
            let a = SlotFlux::compute(&newt, g, h).unwrap();
            let b = SlotFlux::compute(&flat, g, h).unwrap();
            let exact = -g * h * h * h / (12.0 * 0.7);
            assert!((a.flux_m2_s - exact).abs() <= 1e-15 * exact.abs());
            assert!((b.flux_m2_s - exact).abs() <= 1e-14 * exact.abs());
        }
    }

    /// In the quadrature's Newtonian core (`τ_w` well below `μ0/λ`) the flux is `μ0`'s;
    /// at `τ_w = 1e-4 μ0/λ` the Carreau correction is `O((λγ̇)²) = 1e-8`.
    #[test]
    fn slot_flux_low_stress_is_zero_shear_newtonian() {
        let r = Rheology::default();
        let h = 1e-5;
        let g = 2.0 * 1e-4 * 5.0 / h; // τ_w = 1e-4 μ0/λ
        let q = SlotFlux::compute(&r, g, h).unwrap();
        let exact = -g * h * h * h / (12.0 * 5.0);
        assert!(
            (q.flux_m2_s / exact - 1.0).abs() < 1e-7,
            "{} vs {exact}",
            q.flux_m2_s
        );
    }

    /// The derivatives are those of the discrete flux: central differences agree to 1e-6
    /// relative (truncation `O(ε²)` with `ε = 1e-5`, round-off `1e-16/1e-5`; the
    /// quadrature's panel count can change between the two evaluations only at a panel
    /// boundary, which these points avoid), and `∂q/∂h` equals `h γ̇(τ_w)/2` in magnitude.
    #[test]
    fn slot_flux_derivatives_match_finite_differences() {
        let r = Rheology::default();
        for (g, h) in [(3e5, 1e-5), (-7.3e7, 2e-6), (1.1e3, 1e-4), (4.2e9, 1e-6)] {
            let q = SlotFlux::compute(&r, g, h).unwrap();
            let eg = 1e-5 * g.abs();
            let fd_g = (SlotFlux::compute(&r, g + eg, h).unwrap().flux_m2_s
                - SlotFlux::compute(&r, g - eg, h).unwrap().flux_m2_s)
                / (2.0 * eg);
            let eh = 1e-5 * h;
            let fd_h = (SlotFlux::compute(&r, g, h + eh).unwrap().flux_m2_s
                - SlotFlux::compute(&r, g, h - eh).unwrap().flux_m2_s)
                / (2.0 * eh);
            assert!((q.d_flux_d_gradient / fd_g - 1.0).abs() < 1e-6, "{g} {h}");
            assert!((q.d_flux_d_gap / fd_h - 1.0).abs() < 1e-6, "{g} {h}");
            let (rate_w, _) = r.compute_shear_rate(0.5 * g.abs() * h).unwrap();
            assert!((q.d_flux_d_gap.abs() / (0.5 * h * rate_w) - 1.0).abs() < 1e-8);
        }
    }
}
