//! Physics and numerics of joint cavitation.
//!
//! - [`config`]: scenario files, overrides and range checks.
//! - [`bubbles`]: the bubble field (Keller–Miksis with gas transfer), CPU reference and GPU path.
//! - [`gpu`]: every wgpu call of the project.

pub mod config;
pub mod fem;
pub mod joint;
