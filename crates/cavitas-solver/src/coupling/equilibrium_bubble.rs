//! Bubbles in mechanical equilibrium with the liquid, on the host: the quiescent nuclei
//! before they cavitate, and the cavity after it has rung down.
//!
//! Explicit integration of such bubbles is hopelessly stiff (a 1 µm nucleus in synovial
//! fluid relaxes in ~0.1 µs while the joint creeps for seconds; a millimetre cavity rings at
//! kHz while it dissolves for minutes). Where the wall velocity and acceleration are
//! negligible, Keller–Miksis reduces to the static balance
//! `p_g(R, n) + p_v − 2σ/R = p` on its stable branch `R < R_c`, and the gas transfer to the
//! quasi-static Epstein–Plesset flux of [`crate::bubbles::keller_miksis`]. Everything here
//! is dimensionless with the field's [`Scales`](crate::bubbles::scales::Scales) and
//! [`GroupCoefficients`], isothermal (the quasi-static limit), with the van der Waals
//! co-volume.

use std::f64::consts::PI;

use crate::bubbles::coefficients::GroupCoefficients;
use crate::bubbles::keller_miksis::MIN_BOUNDARY_LAYER_FRACTION;
use crate::bubbles::species::SPECIES_COUNT;

/// Volume of a sphere of dimensionless radius `r`.
pub fn sphere_volume(r: f64) -> f64 {
    4.0 / 3.0 * PI * r * r * r
}

fn covolume(c: &GroupCoefficients<f64>, n: &[f64; SPECIES_COUNT]) -> f64 {
    (0..SPECIES_COUNT).map(|k| c.covolume[k] * n[k]).sum()
}

/// Isothermal gas pressure `N / (v − Σ b_k n_k)` of gas content `n` at radius `r`
/// (infinite once the gas fills the hard core).
pub fn gas_pressure(c: &GroupCoefficients<f64>, r: f64, n: &[f64; SPECIES_COUNT]) -> f64 {
    let total: f64 = n.iter().sum();
    let free = sphere_volume(r) - covolume(c, n);
    if free > 0.0 {
        total / free
    } else {
        f64::INFINITY
    }
}

/// The liquid pressure that holds the bubble at radius `r`: `p_g + p_v − 2σ/r`.
pub fn equilibrium_pressure(c: &GroupCoefficients<f64>, r: f64, n: &[f64; SPECIES_COUNT]) -> f64 {
    gas_pressure(c, r, n) + c.vapour_pressure - 2.0 * c.surface_tension / r
}

/// Radius at which the gas alone fills the hard core (the lower end of any radius).
fn core_radius(c: &GroupCoefficients<f64>, n: &[f64; SPECIES_COUNT]) -> f64 {
    (3.0 * covolume(c, n) / (4.0 * PI)).cbrt()
}

/// Blake's critical point of gas content `n`: the radius `R_c` where the equilibrium
/// pressure is least, and that pressure `p_B` (both dimensionless). Below `p_B` no
/// equilibrium exists and the bubble grows without bound. `None` without surface tension
/// or gas (no finite threshold).
pub fn blake_point(c: &GroupCoefficients<f64>, n: &[f64; SPECIES_COUNT]) -> Option<(f64, f64)> {
    let total: f64 = n.iter().sum();
    if !(c.surface_tension > 0.0 && total > 0.0) {
        return None;
    }
    // d p_eq / dr = 0  ⇔  g(r) = 2σ (v − core)² − 4π N r⁴ = 0; g < 0 at the core radius,
    // g > 0 for large r. The ideal-gas root sqrt(9N / (8πσ)) lies above the true one.
    let core = covolume(c, n);
    let g = |r: f64| {
        let free = sphere_volume(r) - core;
        2.0 * c.surface_tension * free * free - 4.0 * PI * total * r.powi(4)
    };
    let mut lo = core_radius(c, n);
    let mut hi = (9.0 * total / (8.0 * PI * c.surface_tension)).sqrt();
    while g(hi) < 0.0 {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if g(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-15 * hi {
            break;
        }
    }
    let r_c = 0.5 * (lo + hi);
    Some((r_c, equilibrium_pressure(c, r_c, n)))
}

/// The stable equilibrium radius of gas content `n` under liquid pressure `p` (both
/// dimensionless), starting the search from `guess`; `None` when `p` is below the Blake
/// threshold `p_B` of `blake` (then no equilibrium exists). Without surface tension the
/// balance is monotone and any `p > p_v` has a root.
pub fn equilibrium_radius(
    c: &GroupCoefficients<f64>,
    n: &[f64; SPECIES_COUNT],
    p: f64,
    blake: Option<(f64, f64)>,
    guess: f64,
) -> Option<f64> {
    let mut lo = core_radius(c, n);
    let mut hi = match blake {
        Some((r_c, p_b)) => {
            if p < p_b {
                return None;
            }
            r_c
        }
        None => {
            if p <= c.vapour_pressure {
                return None;
            }
            let total: f64 = n.iter().sum();
            // p_g = p − p_v at most (σ ≥ 0 only raises it): the ideal radius bounds the root.
            let mut hi = (3.0 * (total / (p - c.vapour_pressure) + covolume(c, n)) / (4.0 * PI))
                .cbrt()
                .max(lo * 2.0 + f64::MIN_POSITIVE);
            while equilibrium_pressure(c, hi, n) > p {
                hi *= 2.0;
            }
            hi
        }
    };
    // Safeguarded Newton on f(r) = p_eq(r) − p, decreasing on (lo, hi].
    let f = |r: f64| equilibrium_pressure(c, r, n) - p;
    let mut r = if guess > lo && guess < hi {
        guess
    } else {
        0.5 * (lo + hi)
    };
    for _ in 0..100 {
        let value = f(r);
        if value > 0.0 {
            lo = r;
        } else {
            hi = r;
        }
        if hi - lo <= 1e-13 * hi || value == 0.0 {
            return Some(r);
        }
        let h = 1e-7 * r;
        let slope = (f(r + h) - f(r - h)) / (2.0 * h);
        let newton = r - value / slope;
        r = if slope < 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
    }
    Some(r)
}

/// Epstein–Plesset gas flux into a bubble at rest per species, `dν_k/dτ`, exactly as in
/// the Keller–Miksis right-hand side (transient term included).
pub fn gas_flux(
    c: &GroupCoefficients<f64>,
    saturation: &[f64; SPECIES_COUNT],
    r: f64,
    n: &[f64; SPECIES_COUNT],
    age: f64,
) -> [f64; SPECIES_COUNT] {
    let total: f64 = n.iter().sum();
    let p_gas = gas_pressure(c, r, n);
    let min_layer = MIN_BOUNDARY_LAYER_FRACTION * r;
    std::array::from_fn(|k| {
        if c.solubility[k] <= 0.0 {
            return 0.0;
        }
        let partial = if total > 0.0 {
            n[k] * p_gas / total
        } else {
            0.0
        };
        let layer = (PI * c.diffusivity[k] * age)
            .max(min_layer * min_layer)
            .sqrt();
        4.0 * PI
            * c.diffusivity[k]
            * c.solubility[k]
            * r
            * (saturation[k] - partial)
            * (1.0 + r / layer)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::reference::blake_threshold;
    use crate::bubbles::liquid::Liquid;
    use crate::bubbles::model::BubbleModel;
    use crate::bubbles::scales::Scales;

    fn coefficients() -> (GroupCoefficients<f64>, Scales, Liquid) {
        let scales = Scales {
            length_m: 1e-6,
            pressure_pa: 1e5,
            density_kg_m3: 1000.0,
        };
        let liquid = Liquid::default();
        let model = BubbleModel {
            hard_core: false,
            ..BubbleModel::default()
        };
        (
            GroupCoefficients::new(&liquid, &model, &scales),
            scales,
            liquid,
        )
    }

    /// Gas of species `k` only.
    fn only(k: usize, value: f64) -> [f64; SPECIES_COUNT] {
        std::array::from_fn(|i| if i == k { value } else { 0.0 })
    }

    /// A nucleus in equilibrium at 1 atm has Blake's analytic threshold (ideal gas, no
    /// co-volume): the bisection is converged to 1e-15, so 1e-9 bounds the rounding.
    #[test]
    fn blake_point_matches_the_analytic_threshold() {
        let (c, scales, liquid) = coefficients();
        let radius = 2.0; // 2 µm
        let p0 = 101_325.0 / scales.pressure_pa;
        let p_gas = p0 + 2.0 * c.surface_tension / radius - c.vapour_pressure;
        let n = only(0, p_gas * sphere_volume(radius));
        let (r_c, p_b) = blake_point(&c, &n).unwrap();
        let (r_ref, p_ref) = blake_threshold(
            radius * scales.length_m,
            101_325.0,
            liquid.surface_tension_n_m,
            liquid.vapour_pressure_pa,
        );
        assert!((r_c * scales.length_m / r_ref - 1.0).abs() < 1e-9);
        assert!((p_b * scales.pressure_pa - p_ref).abs() < 1e-9 * p_ref.abs());
        // The equilibrium radius at the starting pressure is the nucleus itself, and it
        // grows towards R_c as the pressure falls to p_B.
        let r0 = equilibrium_radius(&c, &n, p0, Some((r_c, p_b)), 1.0).unwrap();
        assert!((r0 / radius - 1.0).abs() < 1e-10, "{r0}");
        let near = equilibrium_radius(&c, &n, p_b + 1e-6, Some((r_c, p_b)), r0).unwrap();
        assert!(near > r0 && near < r_c && (near / r_c - 1.0).abs() < 0.01);
        assert!(equilibrium_radius(&c, &n, p_b - 1e-6, Some((r_c, p_b)), r0).is_none());
    }

    /// The flux vanishes at saturation and matches Fick's quasi-stationary law
    /// `4π R D (c∞ − H p)` for an old bubble (transient term < 1e-3 after a long age).
    #[test]
    fn gas_flux_is_epstein_plesset() {
        let (c, _, _) = coefficients();
        let r = 50.0;
        let n = only(1, sphere_volume(r) * 0.8);
        let p_gas = gas_pressure(&c, r, &n);
        let saturated = only(1, p_gas);
        assert!(gas_flux(&c, &saturated, r, &n, 1e12)[1].abs() < 1e-12);
        let under = only(1, 0.5 * p_gas);
        let old = 1e12;
        let flux = gas_flux(&c, &under, r, &n, old)[1];
        let fick = 4.0 * PI * c.diffusivity[1] * c.solubility[1] * r * (-0.5 * p_gas);
        let transient = r / (PI * c.diffusivity[1] * old).sqrt();
        assert!((flux / fick - (1.0 + transient)).abs() < 1e-12);
    }
}
