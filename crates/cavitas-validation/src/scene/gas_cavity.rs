//! A gas cavity in the joint.

/// A gas cavity: a sphere of gas whose centre is in the joint's frame (m; `z` along the
/// axis, the proximal articular apex at `z = 0`). It takes the place of synovial fluid
/// only: cartilage and bone bound it \[A\] (a cavity forms in the fluid; a sphere larger than
/// the joint space shows as a lens filling the fluid space it overlaps).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GasCavity {
    /// Centre `(x, y, z)` (m).
    pub centre_m: [f64; 3],
    /// Radius (m).
    pub radius_m: f64,
}

impl GasCavity {
    /// Whether `p` (m) lies inside.
    pub fn contains(&self, p: [f64; 3]) -> bool {
        let d2: f64 = (0..3).map(|i| (p[i] - self.centre_m[i]).powi(2)).sum();
        d2 < self.radius_m * self.radius_m
    }

    /// Volume of the sphere (m³).
    pub fn volume_m3(&self) -> f64 {
        4.0 / 3.0 * std::f64::consts::PI * self.radius_m.powi(3)
    }

    /// Radius of a sphere of volume `volume_m3` (m); 0 for a non-positive volume.
    pub fn radius_for_volume(volume_m3: f64) -> f64 {
        if volume_m3 > 0.0 {
            (3.0 * volume_m3 / (4.0 * std::f64::consts::PI)).cbrt()
        } else {
            0.0
        }
    }
}
