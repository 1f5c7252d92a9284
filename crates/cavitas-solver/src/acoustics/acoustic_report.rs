//! What the record of a run says about its sound, and the WAV file of it.

use std::path::Path;

use serde::Serialize;

use super::acoustic_medium::AcousticMedium;
use super::acoustics_error::AcousticsError;
use super::listener_report::{ListenerReport, MICROPHONE_SAMPLE_RATE_HZ};
use super::pop_decomposition::PopDecomposition;
use super::pop_window::PopWindow;

/// The sound of the run: the loudest pop at every listener, in air and in tissue, and its
/// decomposition into growth, collapse and rebound, and confined oscillation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcousticReport {
    /// The air the microphone listens in.
    pub air: AcousticMedium,
    /// The tissue (synovial fluid) around the joint.
    pub tissue: AcousticMedium,
    /// Sources added (count).
    pub source_count: usize,
    /// Macro steps offered to the record (count).
    pub steps_recorded: u64,
    /// Macro steps kept after dropping quiet ones and any thinning (count).
    pub steps_kept: usize,
    /// Source samples kept (count; 40 bytes each).
    pub samples_kept: usize,
    /// Steps above `quiet_pressure_pa` and within `window_threshold_db` of the loudest step
    /// (at the time) that were dropped to keep the record under `max_stored_samples`
    /// (count). Non-zero means the
    /// pop may be coarser than the solver computed it.
    pub loud_steps_thinned: usize,
    /// The analysed stretch of the record (source time); `None` when nothing was heard.
    pub window: Option<PopWindow>,
    /// The main cavity's growth, collapse and rebound, and confined oscillation; `None`
    /// when no source was recorded.
    pub decomposition: Option<PopDecomposition>,
    /// Silence before and after the microphone waveform in a WAV file, samples at 44.1 kHz:
    /// WAV sample `k` is at listener time `microphone.start_time_s + (k − wav_padding_samples)
    /// / 44100` s.
    pub wav_padding_samples: usize,
    /// Level of the microphone peak in the WAV file, dBFS.
    pub wav_peak_dbfs: f64,
    /// One report per listener, in the order of `listener_distances_m`.
    pub listeners: Vec<ListenerReport>,
}

impl AcousticReport {
    /// Writes the microphone waveform of listener `listener_index` to `path` as a 16-bit
    /// mono 44.1 kHz WAV: `wav_padding_samples` of silence, the samples scaled so that
    /// `wav_full_scale_pa` is full scale (32767) and the peak is at `wav_peak_dbfs`, and the
    /// silence again.
    pub fn write_wav(&self, path: &Path, listener_index: usize) -> Result<(), AcousticsError> {
        let listener =
            self.listeners
                .get(listener_index)
                .ok_or_else(|| AcousticsError::NoSuchListener {
                    path: path.to_path_buf(),
                    index: listener_index,
                    count: self.listeners.len(),
                })?;
        let wav_error = |source| AcousticsError::Wav {
            path: path.to_path_buf(),
            source,
        };
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: MICROPHONE_SAMPLE_RATE_HZ,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::create(path, spec).map_err(wav_error)?;
        let scale = f64::from(i16::MAX) / listener.wav_full_scale_pa;
        let silence = std::iter::repeat_n(0_i16, self.wav_padding_samples);
        let pop = listener.microphone.pressure_pa.iter().map(|p| {
            (p * scale)
                .round()
                .clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
        });
        for sample in silence.clone().chain(pop).chain(silence) {
            writer.write_sample(sample).map_err(wav_error)?;
        }
        writer.finalize().map_err(wav_error)
    }
}
