//! The `[joint]` table: the gap degree of freedom and what acts on it besides the capsule.

use serde::{Deserialize, Serialize};

use super::cartilage_contact::CartilageContact;
use super::ligament::Ligament;
use crate::config::{Validate, Validator};

/// `m_eff h'' = F_load − F_lig(h) − F_cap − F_p − F_film + F_contact`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JointConfig {
    /// Effective mass of the moving bone (and what moves with it) (kg). Default 0.02.
    /// Range: (0, 100].
    #[serde(default = "default_mass")]
    pub effective_mass_kg: f64,
    /// Viscosity of the synovial film for the thin-film (Stefan) resistance (Pa·s).
    /// Default 0.01 (high-shear value). Range: [0, 100].
    #[serde(default = "default_viscosity")]
    pub film_viscosity_pa_s: f64,
    /// Collateral ligaments (`[joint.ligament]`).
    pub ligament: Ligament,
    /// Cartilage contact at rest (`[joint.contact]`).
    #[serde(default)]
    pub contact: CartilageContact,
}

fn default_mass() -> f64 {
    0.02
}
fn default_viscosity() -> f64 {
    0.01
}

impl Validate for JointConfig {
    fn validate(&self, v: &mut Validator<'_>) {
        v.require(
            self.effective_mass_kg.is_finite()
                && self.effective_mass_kg > 0.0
                && self.effective_mass_kg <= 100.0,
            "effective_mass_kg",
            self.effective_mass_kg,
            "a mass in (0, 100] kg",
        );
        v.within("film_viscosity_pa_s", self.film_viscosity_pa_s, 0.0, 100.0);
        v.nested("ligament", &self.ligament);
        v.nested("contact", &self.contact);
    }
}
