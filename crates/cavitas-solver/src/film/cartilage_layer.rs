//! The articular cartilage under the film's pressure: a thin bonded layer in confined
//! compression (local "column" model).
//!
//! Each of the two layers, of thickness `t_c` and aggregate modulus `H_A`, shortens by
//! `t_c (p − p_ref)/H_A` under the film pressure `p` relative to the pressure `p_ref` at which
//! it is undeformed, so the gap changes by `w = 2 t_c (p − p_ref)/H_A`: under tension
//! (`p < p_ref`) the cartilage is pulled into the film and the gap narrows.
//!
//! This is the drained (equilibrium) response: `H_A` is the modulus after the interstitial
//! fluid has flowed. The consolidation time of a layer, `t_c²/(H_A k)` with permeability `k`
//! (1.7–5.4e-15 m⁴/(N·s) \[P\]), is minutes for a millimetre layer (`1e-6/(1e6 · 3e-15)` ≈
//! 300 s), so at the time scale of a crack the real layer is far stiffer than this model:
//! the elastic layer is an upper bound on the compliance, and `[film]` defaults to rigid.
//!
//! How much it matters: 2 t_c/H_A = 2e-9 m/Pa means 500 Pa of tension pulls the surfaces
//! 1 µm into a film of ~10 µm. With the deflection taking up gap, the liquid of such a film
//! needs `12 μ (2t_c/H_A) a²/h³` (seconds to hours) to flow in, so at any faster pull the
//! layers follow the bones and the film holds a uniform tension `opening · H_A/(2 t_c)` — a
//! suction cup with no rate dependence; with the layer exchanging its volume with the film,
//! the narrowing feeds back on the suction and past a critical rate the film pinches shut
//! (to the asperity gap).
//!
//! Where the layer's volume change comes from is a modelling choice
//! (`exchanges_with_film`): by default the deflection takes up gap, so a layer pulled into
//! the film supplies volume the liquid need not (`∂w/∂t` enters the film's balance, as for an
//! impermeable, compressible layer); with `exchanges_with_film = true` the drained layer's
//! volume change is liquid it draws from (or expels into) the film through the articular
//! surface, which cancels `∂w/∂t` from the balance: the deflection then only narrows the gap
//! the liquid flows through. Time-resolved biphasic exudation is not modelled.

use serde::{Deserialize, Serialize};

use crate::config::{Validate, Validator};

/// `[film.cartilage]` with `model = "rigid" | "elastic"`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case", deny_unknown_fields)]
pub enum CartilageLayer {
    /// Rigid surfaces: `w = 0`.
    Rigid,
    /// Two elastic layers: `w = 2 t_c (p − p_ref)/H_A`.
    Elastic {
        /// Thickness `t_c` of each layer (m). Default 1e-3 (\[A\], as `[joint.contact]`).
        /// Range: (0, 0.01].
        #[serde(default = "default_thickness")]
        layer_thickness_m: f64,
        /// Aggregate modulus `H_A` (Pa). Default 1.0e6 (published 0.48–1.58 MPa \[P\]).
        /// Range: [1e3, 1e9].
        #[serde(default = "default_modulus")]
        aggregate_modulus_pa: f64,
        /// Film pressure at which the layers are undeformed `p_ref` (Pa, absolute).
        /// Default 101325 (\[A\]: the resting joint pressure is within 0.3 kPa of atmospheric).
        /// Range: [−1e8, 1e8].
        #[serde(default = "default_reference_pressure")]
        reference_pressure_pa: f64,
        /// Whether the layer's volume change is liquid exchanged with the film through the
        /// articular surface (true) or gap taken up by the layer (false). Default false.
        #[serde(default)]
        exchanges_with_film: bool,
    },
}

fn default_thickness() -> f64 {
    1.0e-3
}
fn default_modulus() -> f64 {
    1.0e6
}
fn default_reference_pressure() -> f64 {
    101_325.0
}

impl Default for CartilageLayer {
    fn default() -> Self {
        Self::elastic(
            default_thickness(),
            default_modulus(),
            default_reference_pressure(),
        )
    }
}

impl CartilageLayer {
    /// Two elastic layers.
    pub fn elastic(
        layer_thickness_m: f64,
        aggregate_modulus_pa: f64,
        reference_pressure_pa: f64,
    ) -> Self {
        Self::Elastic {
            layer_thickness_m,
            aggregate_modulus_pa,
            reference_pressure_pa,
            exchanges_with_film: false,
        }
    }

    /// Two elastic layers whose volume change is liquid exchanged with the film.
    pub fn draining(
        layer_thickness_m: f64,
        aggregate_modulus_pa: f64,
        reference_pressure_pa: f64,
    ) -> Self {
        Self::Elastic {
            layer_thickness_m,
            aggregate_modulus_pa,
            reference_pressure_pa,
            exchanges_with_film: true,
        }
    }

    /// Whether the deflection's volume is liquid exchanged with the film (it then drops out
    /// of the film's volume balance).
    pub fn exchanges_with_film(&self) -> bool {
        matches!(
            self,
            Self::Elastic {
                exchanges_with_film: true,
                ..
            }
        )
    }

    /// `dw/dp = 2 t_c / H_A` (m/Pa): 0 for rigid surfaces.
    pub fn compliance_m_per_pa(&self) -> f64 {
        match *self {
            Self::Rigid => 0.0,
            Self::Elastic {
                layer_thickness_m,
                aggregate_modulus_pa,
                ..
            } => 2.0 * layer_thickness_m / aggregate_modulus_pa,
        }
    }

    /// `p_ref` (Pa): the pressure at which the layers are undeformed (0 for rigid surfaces,
    /// where it does not matter).
    pub fn reference_pressure_pa(&self) -> f64 {
        match *self {
            Self::Rigid => 0.0,
            Self::Elastic {
                reference_pressure_pa,
                ..
            } => reference_pressure_pa,
        }
    }

    /// The gap change `w = 2 t_c (p − p_ref)/H_A` (m) at film pressure `p` (Pa).
    pub fn compute_deflection(&self, pressure_pa: f64) -> f64 {
        self.compliance_m_per_pa() * (pressure_pa - self.reference_pressure_pa())
    }
}

impl Validate for CartilageLayer {
    fn validate(&self, v: &mut Validator<'_>) {
        if let Self::Elastic {
            layer_thickness_m,
            aggregate_modulus_pa,
            reference_pressure_pa,
            ..
        } = *self
        {
            v.require(
                layer_thickness_m.is_finite()
                    && layer_thickness_m > 0.0
                    && layer_thickness_m <= 0.01,
                "layer_thickness_m",
                layer_thickness_m,
                "a thickness in (0, 0.01] m",
            );
            v.within("aggregate_modulus_pa", aggregate_modulus_pa, 1e3, 1e9);
            v.within("reference_pressure_pa", reference_pressure_pa, -1e8, 1e8);
        }
    }
}
