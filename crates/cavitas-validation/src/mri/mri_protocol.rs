//! How the synthetic cine MRI is acquired: frame rate, sampling, noise, slice, contrast.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::slice_geometry::SliceGeometry;
use super::tissue_intensities::TissueIntensities;
use crate::validation_error::{ValidationError, check_above, check_range};

/// The acquisition (`[mri]` in TOML; unknown keys are refused). Defaults follow the
/// cine MRI of Kawchuk et al. (2015) where it is published \[P\], else are \[A\].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MriProtocol {
    /// Frames per second (Hz). Default 3.2 \[P\] (312.5 ms per frame). Range: (0, 1000].
    #[serde(default = "d_rate")]
    pub frame_rate_hz: f64,
    /// Share of each frame period over which the frame acquires (1). Default 1.0 \[A\]:
    /// real-time cine acquires continuously. Range: (0, 1].
    #[serde(default = "d_fraction")]
    pub acquisition_fraction: f64,
    /// Instants averaged over each acquisition window (motion blur). Default 8 \[A\]
    /// (39 ms apart at the default rate). Range: [1, 1000].
    #[serde(default = "d_time_samples")]
    pub time_samples_per_frame: usize,
    /// Sub-samples per pixel along each in-plane axis (partial volume). Default 4 \[A\]
    /// (16 per pixel). Range: [1, 16].
    #[serde(default = "d_in_plane")]
    pub in_plane_supersampling: usize,
    /// Sub-samples through the slice thickness (partial volume). Default 5 \[A\].
    /// Range: [1, 64].
    #[serde(default = "d_through")]
    pub through_slice_samples: usize,
    /// Signal-to-noise ratio: marrow signal over the standard deviation of the noise in
    /// each of the real and imaginary channels (Rician magnitude noise). Default 20 \[A\].
    /// `inf` for noise-free images. Range: (0, inf].
    #[serde(default = "d_snr")]
    pub snr: f64,
    /// Seed of the noise (frame `k` draws from stream `k`). Default 1.
    #[serde(default = "d_seed")]
    pub seed: u64,
    /// The slice.
    #[serde(default)]
    pub slice: SliceGeometry,
    /// Tissue signals.
    #[serde(default)]
    pub intensities: TissueIntensities,
}

fn d_rate() -> f64 {
    3.2
}
fn d_fraction() -> f64 {
    1.0
}
fn d_time_samples() -> usize {
    8
}
fn d_in_plane() -> usize {
    4
}
fn d_through() -> usize {
    5
}
fn d_snr() -> f64 {
    20.0
}
fn d_seed() -> u64 {
    1
}

impl Default for MriProtocol {
    fn default() -> Self {
        Self {
            frame_rate_hz: d_rate(),
            acquisition_fraction: d_fraction(),
            time_samples_per_frame: d_time_samples(),
            in_plane_supersampling: d_in_plane(),
            through_slice_samples: d_through(),
            snr: d_snr(),
            seed: d_seed(),
            slice: SliceGeometry::default(),
            intensities: TissueIntensities::default(),
        }
    }
}

impl MriProtocol {
    /// Parses a protocol from TOML text (the fields of `[mri]` at top level); `source`
    /// names the file in errors. The protocol is validated.
    pub fn from_toml_str(text: &str, source: &Path) -> Result<Self, ValidationError> {
        let protocol: Self =
            toml::from_str(text).map_err(|e| ValidationError::file(source, e.to_string()))?;
        protocol.validate()?;
        Ok(protocol)
    }

    /// Frame period (s).
    pub fn frame_period_s(&self) -> f64 {
        1.0 / self.frame_rate_hz
    }

    /// Acquisition window of one frame (s).
    pub fn acquisition_window_s(&self) -> f64 {
        self.acquisition_fraction / self.frame_rate_hz
    }

    /// Standard deviation of the noise in each channel (signal units); 0 without noise.
    pub fn noise_sigma(&self) -> f64 {
        if self.snr.is_infinite() {
            0.0
        } else {
            self.intensities.marrow / self.snr
        }
    }

    /// Mean magnitude of a signal void under the noise, `σ √(π/2)` (the Rayleigh mean):
    /// what a reader sees where there is no signal.
    pub fn void_level(&self) -> f64 {
        self.intensities
            .gas
            .max(self.noise_sigma() * (std::f64::consts::PI / 2.0).sqrt())
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_above("mri.frame_rate_hz", self.frame_rate_hz, 0.0, 1000.0)?;
        check_above(
            "mri.acquisition_fraction",
            self.acquisition_fraction,
            0.0,
            1.0,
        )?;
        let count = |key: &str, v: usize, max: usize| {
            if (1..=max).contains(&v) {
                Ok(())
            } else {
                Err(ValidationError::parameter(
                    key,
                    v,
                    &format!("must be within [1, {max}]"),
                ))
            }
        };
        count(
            "mri.time_samples_per_frame",
            self.time_samples_per_frame,
            1000,
        )?;
        count(
            "mri.in_plane_supersampling",
            self.in_plane_supersampling,
            16,
        )?;
        count("mri.through_slice_samples", self.through_slice_samples, 64)?;
        if !(self.snr > 0.0) {
            return Err(ValidationError::parameter(
                "mri.snr",
                self.snr,
                "must be > 0 (inf for no noise)",
            ));
        }
        check_range("mri.intensities.marrow", self.intensities.marrow, 0.0, 10.0)?;
        self.slice.validate()?;
        self.intensities.validate()
    }
}
