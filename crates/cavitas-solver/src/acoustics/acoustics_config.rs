//! The `[acoustics]` table: where the listeners are, the air they listen in, how sparingly
//! the record is kept and how the pop is analysed.

use serde::{Deserialize, Serialize};

use crate::config::{Validate, Validator};

/// The most listeners one run reports.
pub const MAX_LISTENERS: usize = 16;

/// Listeners, media and analysis settings of the acoustic record. Every field has a default;
/// an empty `[acoustics]` table (or none) gives the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AcousticsConfig {
    /// Distances of the listeners from the joint centre, m (default `[0.01, 0.1]`: the
    /// recordings of Chandran Suja & Barakat 2018 used a microphone < 1 cm from the joint,
    /// and 10 cm is a bystander; 1 to 16 distances, each in (0, 1000]).
    pub listener_distances_m: Vec<f64>,
    /// Direction from the joint centre towards the listeners, in the frame of the source
    /// positions; any length, it is normalised (default `[1, 0, 0]`, +x; finite, non-zero).
    pub listener_direction: [f64; 3],
    /// The joint centre in the frame of the source positions, m (default `[0, 0, 0]`;
    /// finite). Listener `k` sits at `joint_centre_m + listener_distances_m[k] · d̂`.
    pub joint_centre_m: [f64; 3],
    /// Density of the air the microphone is in, kg/m³ (default 1.204, dry air at 20 °C;
    /// allowed (0, 100]).
    pub air_density_kg_m3: f64,
    /// Speed of sound in that air, m/s (default 343; allowed (0, 1e4]).
    pub air_sound_speed_m_s: f64,
    /// A macro step is *quiet* when the air pressure all sources would make at the nearest
    /// listener, `Σ_i ρ_air |V''_i| / (4π r_i)`, is below this, Pa (default 2e-6, i.e.
    /// −20 dB SPL, ten times below the threshold of hearing; allowed [0, 1]; 0 keeps every
    /// step). A quiet step whose sources and `V''` (within the same bound) are those of the
    /// last kept step is not stored, except the latest one, so the onset of a pop keeps its
    /// shape.
    pub quiet_pressure_pa: f64,
    /// Longest stretch of dropped quiet steps, s: one step is kept at least this often so the
    /// volume history stays visible through creep (default 1, so a 30-minute run keeps
    /// about 1800 quiet steps; allowed (0, 1e6]).
    pub max_quiet_gap_s: f64,
    /// Most samples the record holds: one per source per kept step (40 bytes) plus one per
    /// kept step (24 bytes) (default 2,000,000, at most 80 MB; allowed >= 1024). Beyond it
    /// the record is thinned to three quarters of this, the quietest steps first: every
    /// other step among those no louder, with both neighbours, than the median step. Loud
    /// steps go only when quiet ones no longer suffice (counted in the report's
    /// `loud_steps_thinned`).
    pub max_stored_samples: usize,
    /// The analysed pop is the stretch of steps louder than this many dB below the loudest
    /// step, around the loudest one, dB (default 60; allowed (0, 200]).
    pub window_threshold_db: f64,
    /// Loud steps closer than this belong to the same pop, s (default 0.05; allowed
    /// [0, 1e6]). A second pop further away (a re-crack) is not in the analysed window.
    pub window_merge_gap_s: f64,
    /// Time added before and after the pop in the reported waveforms, s (default 1e-3;
    /// allowed [0, 10]).
    pub window_margin_s: f64,
    /// Sample rate of the reported full-band waveforms (air and tissue), Hz (default 441,000,
    /// ten times a CD; allowed [1e3, 1e8]). They are band-limited to 0.45 of it.
    pub waveform_sample_rate_hz: f64,
    /// Most samples of one reported waveform (default 1,048,576; allowed >= 1024). A longer
    /// window is cut around the loudest step and marked `truncated`.
    pub max_waveform_samples: usize,
    /// The pop lasts from the first to the last time the envelope of the microphone
    /// waveform comes within this many dB of its peak, dB (default 20; allowed (0, 120]).
    pub pop_threshold_db: f64,
    /// A volume maximum or minimum of the main cavity counts only once the volume has moved
    /// away from it by this fraction of the cavity's whole volume range (default 0.02;
    /// allowed (0, 0.5]). Keeps the jitter of a nucleus from being taken for the pop.
    pub extremum_hysteresis: f64,
    /// Peak of the WAV file relative to full scale, dBFS (default −1; allowed [−60, 0]).
    pub wav_peak_dbfs: f64,
    /// Silence written before and after the pop in the WAV file, s (default 0.1; allowed
    /// [0, 10]).
    pub wav_padding_s: f64,
}

impl Default for AcousticsConfig {
    fn default() -> Self {
        Self {
            listener_distances_m: vec![0.01, 0.1],
            listener_direction: [1.0, 0.0, 0.0],
            joint_centre_m: [0.0, 0.0, 0.0],
            air_density_kg_m3: 1.204,
            air_sound_speed_m_s: 343.0,
            quiet_pressure_pa: 2e-6,
            max_quiet_gap_s: 1.0,
            max_stored_samples: 2_000_000,
            window_threshold_db: 60.0,
            window_merge_gap_s: 0.05,
            window_margin_s: 1e-3,
            waveform_sample_rate_hz: 441_000.0,
            max_waveform_samples: 1 << 20,
            pop_threshold_db: 20.0,
            extremum_hysteresis: 0.02,
            wav_peak_dbfs: -1.0,
            wav_padding_s: 0.1,
        }
    }
}

impl AcousticsConfig {
    /// The listener direction as a unit vector (derived from `listener_direction`).
    pub fn unit_direction(&self) -> [f64; 3] {
        let d = self.listener_direction;
        let norm = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
        [d[0] / norm, d[1] / norm, d[2] / norm]
    }

    /// Position of every listener, m, in the frame of the source positions.
    pub fn listener_positions_m(&self) -> Vec<[f64; 3]> {
        let u = self.unit_direction();
        let c = self.joint_centre_m;
        self.listener_distances_m
            .iter()
            .map(|&r| [c[0] + r * u[0], c[1] + r * u[1], c[2] + r * u[2]])
            .collect()
    }
}

impl Validate for AcousticsConfig {
    fn validate(&self, v: &mut Validator<'_>) {
        let n = self.listener_distances_m.len();
        v.require(
            (1..=MAX_LISTENERS).contains(&n),
            "listener_distances_m",
            format!("{n} distances"),
            &format!("1 to {MAX_LISTENERS} distances"),
        );
        for (i, &r) in self.listener_distances_m.iter().enumerate() {
            v.require(
                r.is_finite() && r > 0.0 && r <= 1000.0,
                &format!("listener_distances_m.{i}"),
                r,
                "a distance in (0, 1000] m",
            );
        }
        let d = self.listener_direction;
        v.require(
            d.iter().all(|x| x.is_finite()) && d.iter().any(|&x| x != 0.0),
            "listener_direction",
            format!("{d:?}"),
            "a finite, non-zero vector",
        );
        for (i, &c) in self.joint_centre_m.iter().enumerate() {
            v.finite(&format!("joint_centre_m.{i}"), c);
        }
        v.require(
            self.air_density_kg_m3.is_finite()
                && self.air_density_kg_m3 > 0.0
                && self.air_density_kg_m3 <= 100.0,
            "air_density_kg_m3",
            self.air_density_kg_m3,
            "a density in (0, 100] kg/m³",
        );
        v.require(
            self.air_sound_speed_m_s.is_finite()
                && self.air_sound_speed_m_s > 0.0
                && self.air_sound_speed_m_s <= 1e4,
            "air_sound_speed_m_s",
            self.air_sound_speed_m_s,
            "a speed in (0, 1e4] m/s",
        );
        v.within("quiet_pressure_pa", self.quiet_pressure_pa, 0.0, 1.0);
        v.require(
            self.max_quiet_gap_s.is_finite()
                && self.max_quiet_gap_s > 0.0
                && self.max_quiet_gap_s <= 1e6,
            "max_quiet_gap_s",
            self.max_quiet_gap_s,
            "a time in (0, 1e6] s",
        );
        v.require(
            self.max_stored_samples >= 1024,
            "max_stored_samples",
            self.max_stored_samples,
            "an integer >= 1024",
        );
        v.require(
            self.window_threshold_db.is_finite()
                && self.window_threshold_db > 0.0
                && self.window_threshold_db <= 200.0,
            "window_threshold_db",
            self.window_threshold_db,
            "a level in (0, 200] dB",
        );
        v.within("window_merge_gap_s", self.window_merge_gap_s, 0.0, 1e6);
        v.within("window_margin_s", self.window_margin_s, 0.0, 10.0);
        v.within(
            "waveform_sample_rate_hz",
            self.waveform_sample_rate_hz,
            1e3,
            1e8,
        );
        v.require(
            self.max_waveform_samples >= 1024,
            "max_waveform_samples",
            self.max_waveform_samples,
            "an integer >= 1024",
        );
        v.require(
            self.pop_threshold_db.is_finite()
                && self.pop_threshold_db > 0.0
                && self.pop_threshold_db <= 120.0,
            "pop_threshold_db",
            self.pop_threshold_db,
            "a level in (0, 120] dB",
        );
        v.require(
            self.extremum_hysteresis.is_finite()
                && self.extremum_hysteresis > 0.0
                && self.extremum_hysteresis <= 0.5,
            "extremum_hysteresis",
            self.extremum_hysteresis,
            "a fraction in (0, 0.5]",
        );
        v.within("wav_peak_dbfs", self.wav_peak_dbfs, -60.0, 0.0);
        v.within("wav_padding_s", self.wav_padding_s, 0.0, 10.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigError, ConfigOrigin};

    #[test]
    fn defaults_validate_and_an_empty_table_gives_them() {
        let origin = ConfigOrigin::BuiltIn("test");
        let parsed: AcousticsConfig = toml::from_str("").unwrap();
        assert_eq!(parsed, AcousticsConfig::default());
        Validator::check(&origin, &parsed).unwrap();
        let p = parsed.listener_positions_m();
        assert_eq!(p, vec![[0.01, 0.0, 0.0], [0.1, 0.0, 0.0]]);
        assert!(toml::from_str::<AcousticsConfig>("listener_distance_m = [0.1]").is_err());
    }

    /// A negative distance is refused, and the message names the key as `--set` writes it.
    #[test]
    fn rejects_a_negative_listener_distance_naming_the_key() {
        let origin = ConfigOrigin::BuiltIn("test");
        let config: AcousticsConfig =
            toml::from_str("listener_distances_m = [0.01, -0.1]").unwrap();
        let err = Validator::check(&origin, &config).unwrap_err();
        assert!(
            matches!(&err, ConfigError::OutOfRange { key, .. } if key == "listener_distances_m.1"),
            "{err}"
        );
        let message = err.to_string();
        assert!(message.contains("listener_distances_m.1"), "{message}");
        assert!(message.contains("-0.1"), "{message}");

        // Nested under `[acoustics]` the key carries the table's name.
        struct Scenario(AcousticsConfig);
        impl Validate for Scenario {
            fn validate(&self, v: &mut Validator<'_>) {
                v.nested("acoustics", &self.0);
            }
        }
        let err = Validator::check(&origin, &Scenario(config)).unwrap_err();
        assert!(
            err.to_string().contains("acoustics.listener_distances_m.1"),
            "{err}"
        );
        let zero = AcousticsConfig {
            listener_direction: [0.0; 3],
            ..AcousticsConfig::default()
        };
        let err = Validator::check(&origin, &zero).unwrap_err();
        assert!(err.to_string().contains("listener_direction"), "{err}");
    }
}
