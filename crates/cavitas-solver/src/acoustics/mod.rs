//! The sound of the pop: far-field monopole radiation of the bubbles' volume acceleration,
//! heard in air and in tissue, analysed (levels, dominant frequency, duration), decomposed
//! into growth, collapse and rebound, and confined oscillation, and written as a WAV file.
//!
//! `p(r, t) = ρ V''(t − r/c) / (4π r)`, summed over the sources, each with its own distance
//! `r_i = |x_listener − x_i|` and travel time `r_i / c`. At audio frequencies the wavelength
//! in tissue (~1.5 m at 1 kHz) dwarfs the finger: the tissue moves as an incompressible body,
//! the gas volume change displaces the skin, and a microphone in air hears `ρ_air V'' /
//! (4π r)`. Both are reported; levels use air.
//!
//! - [`acoustics_config`]: the `[acoustics]` table.

pub mod acoustics_config;

pub use acoustics_config::AcousticsConfig;
