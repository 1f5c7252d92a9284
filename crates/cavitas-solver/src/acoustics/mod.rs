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
//! - [`acoustic_recorder`]: the record the coupled solver fills each macro step.
//! - [`source_sample`], [`source_track`]: one source at one step; one source's kept history.
//! - [`acoustic_medium`]: density, speed of sound, monopole gain and delay.
//! - [`pop_window`]: which stretch of the record is the (loudest) pop.
//! - [`anti_alias_resampler`]: non-uniform record to uniform band-limited samples.
//! - [`envelope`]: analytic-signal envelope and the span near its peak (the pop duration).
//! - [`pop_decomposition`]: growth, collapse and rebound, confined oscillation.
//! - [`listener_report`], [`acoustic_report`], [`waveform`]: what is reported; the WAV.
//! - [`acoustics_error`]: bad records, unwritable WAV files.

pub mod acoustic_medium;
pub mod acoustic_recorder;
pub mod acoustic_report;
pub mod acoustics_config;
pub mod acoustics_error;
pub mod anti_alias_resampler;
pub mod envelope;
pub mod listener_report;
pub mod pop_decomposition;
pub mod pop_window;
pub mod source_sample;
pub mod source_track;
pub mod waveform;

pub use acoustic_medium::AcousticMedium;
pub use acoustic_recorder::AcousticRecorder;
pub use acoustic_report::AcousticReport;
pub use acoustics_config::AcousticsConfig;
pub use acoustics_error::AcousticsError;
pub use listener_report::{
    ListenerReport, MICROPHONE_SAMPLE_RATE_HZ, PhaseAtListener, REFERENCE_PRESSURE_PA,
};
pub use pop_decomposition::{PopDecomposition, PopPhase, PopPhaseKind};
pub use pop_window::PopWindow;
pub use source_sample::SourceSample;
pub use source_track::{SourceTrack, TrackPoint};
pub use waveform::Waveform;
