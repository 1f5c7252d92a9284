//! The whole image pipeline in one call, for a validation case: a timeline imaged as a
//! cine series with stills before and after, measured by the reader, ready to compare.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data::series_comparison::SeriesComparison;
use crate::measure::cine_reader::ReaderSettings;
use crate::measure::measurement_series::{EventRules, MeasurementSeries};
use crate::mri::cine_series::{CineSeries, FrameArray};
use crate::mri::mri_protocol::MriProtocol;
use crate::mri::slice_image::SliceImage;
use crate::mri::synthetic_scanner::SyntheticScanner;
use crate::scene::joint_timeline::JointTimeline;
use crate::validation_error::ValidationError;

/// An imaging study of a simulated joint (`[imaging]` of a validation case; unknown keys
/// are refused).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ImagingStudy {
    /// The acquisition.
    #[serde(default)]
    pub mri: MriProtocol,
    /// The reader; default [`ReaderSettings::for_protocol`] with the articular radius of
    /// the joint imaged.
    #[serde(default)]
    pub reader: Option<ReaderSettings>,
    /// How events are dated.
    #[serde(default)]
    pub events: EventRules,
    /// Start of the cine acquisition (s). Default: the start of the timeline.
    #[serde(default)]
    pub start_s: Option<f64>,
    /// End of the cine acquisition (s). Default: the end of the timeline.
    #[serde(default)]
    pub end_s: Option<f64>,
}

/// What an imaging study produced.
#[derive(Debug, Clone, PartialEq)]
pub struct ImagingResult {
    /// The cine frames.
    pub series: CineSeries,
    /// The still before traction (the joint at the start).
    pub pre_still: SliceImage,
    /// The still after (the joint at the end).
    pub post_still: SliceImage,
    /// The reader's measurements of the cine frames.
    pub measurements: MeasurementSeries,
    /// The reader used.
    pub reader: ReaderSettings,
}

impl ImagingStudy {
    /// Parses a study from TOML text; `source` names the file in errors.
    pub fn from_toml_str(text: &str, source: &Path) -> Result<Self, ValidationError> {
        let study: Self =
            toml::from_str(text).map_err(|e| ValidationError::file(source, e.to_string()))?;
        study.mri.validate()?;
        Ok(study)
    }

    /// Images `timeline` and measures the frames.
    pub fn image(&self, timeline: &dyn JointTimeline) -> Result<ImagingResult, ValidationError> {
        let scanner = SyntheticScanner::new(self.mri)?;
        let (t0, t1) = timeline.time_span_s();
        let (start, end) = (self.start_s.unwrap_or(t0), self.end_s.unwrap_or(t1));
        let first = timeline.scene_at(start);
        let series = scanner.cine(timeline, start, end)?;
        // Noise streams past the cine frames' keep the stills independent of them.
        let pre_still = scanner.still(&first, u64::MAX - 1);
        let post_still = scanner.still(&timeline.scene_at(end), u64::MAX);
        let reader = self.reader.unwrap_or_else(|| {
            let a = &first.anatomy;
            ReaderSettings::for_protocol(
                &self.mri,
                a.proximal.rim_radius_m.min(a.distal.rim_radius_m),
            )
        });
        let measurements = reader.measure_series(&series)?;
        Ok(ImagingResult {
            series,
            pre_still,
            post_still,
            measurements,
            reader,
        })
    }

    /// Compares the study's measurements with `observed` (digitised or real).
    pub fn compare(
        &self,
        result: &ImagingResult,
        observed: &MeasurementSeries,
    ) -> Result<SeriesComparison, ValidationError> {
        SeriesComparison::compare(&result.measurements, observed, &self.events)
    }
}

impl ImagingResult {
    /// `/imaging/frames`: the cine frames `[frames, rows, columns]`.
    pub fn frames(&self) -> FrameArray {
        self.series.to_array()
    }

    /// `/imaging/gap_measured`: the joint space per frame (m), NaN where not found.
    pub fn gap_measured_m(&self) -> Vec<f64> {
        self.measurements
            .joint_space_m
            .iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect()
    }

    /// `/imaging/cavity_area`: the dark-cavity area per frame (m²), NaN where not found.
    pub fn cavity_area_m2(&self) -> Vec<f64> {
        self.measurements
            .cavity_area_m2
            .iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect()
    }
}
