//! Physics and numerics of joint cavitation.
//!
//! - [`config`]: scenario files, overrides and range checks.
//! - [`bubbles`]: the bubble field (Keller–Miksis with gas transfer), CPU reference and GPU path.
//! - [`fem`]: the capsule as axisymmetric hyperelastic membrane finite elements.
//! - [`joint`]: the gap degree of freedom, ligaments, thin film and loading protocols.
//! - [`film`]: the synovial film resolved in radius (Reynolds squeeze film, shear-thinning).
//! - [`coupling`]: the crack — capsule, joint and bubbles tied by the fluid pressure.
//! - [`driver`]: one loop runs a scenario of any kind and tells an observer what happens.
//! - [`acoustics`]: the sound of the pop: monopole radiation to listeners in air and tissue,
//!   levels, frequency, duration, its growth/collapse/oscillation parts, and a WAV file.
//! - [`gpu`]: every wgpu call of the project.

pub mod acoustics;
pub mod analysis;
pub mod bubbles;
pub mod compute;
pub mod config;
pub mod coupling;
pub mod driver;
pub mod fem;
pub mod film;
pub mod gpu;
pub mod joint;
pub mod real;
