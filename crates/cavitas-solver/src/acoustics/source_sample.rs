//! What the coupled solver hands the acoustic record for one source at one macro step.

/// The volume history of one source (a gas bubble or cavity) at one instant.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SourceSample {
    /// Index returned by [`super::AcousticRecorder::add_source`].
    pub source: usize,
    /// Volume `V`, m³.
    pub volume_m3: f64,
    /// Volume rate `V'`, m³/s.
    pub volume_rate_m3_s: f64,
    /// Volume acceleration `V''`, m³/s²: what radiates.
    pub volume_acceleration_m3_s2: f64,
}
