//! Loading protocols of the joint: force ramp (the MCP traction), displacement ramp, HVLA
//! thrust (preload, then a half-sine or tabulated pulse) and repeated pulls with a wait
//! (the refractory protocol).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, ConfigOrigin, Validate, Validator};

/// The thrust pulse of an HVLA protocol, `[loading.pulse]` with `shape = "…"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case", deny_unknown_fields)]
pub enum ThrustPulse {
    /// `F = F_pre + (F_peak − F_pre) sin(π τ / T)` for `0 ≤ τ ≤ T`.
    HalfSine {
        /// Peak total force (N). Range: [0, 1e5].
        peak_n: f64,
        /// Pulse duration `T` (s). Range: (0, 100].
        duration_s: f64,
    },
    /// A measured force–time pulse: a CSV file of `time_s,force_n` rows (total force, time
    /// from the start of the pulse, increasing), linear between rows. A relative path is
    /// taken from the scenario file's folder.
    Tabulated {
        /// The CSV file.
        file: PathBuf,
    },
}

/// `[loading]` with `protocol = "…"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "protocol", rename_all = "snake_case", deny_unknown_fields)]
pub enum LoadingProtocol {
    /// Axial force rising at a constant rate, then held.
    ForceRamp {
        /// Rate (N/s). Range: (0, 1e7].
        rate_n_per_s: f64,
        /// Final force (N). Range: (0, 1e5].
        max_force_n: f64,
        /// Hold at the final force (s). Default 0. Range: [0, 1e5].
        #[serde(default)]
        hold_s: f64,
    },
    /// Gap opening at a constant rate, then held.
    DisplacementRamp {
        /// Rate (m/s). Range: (0, 100].
        rate_m_per_s: f64,
        /// Final opening beyond the resting gap (m). Range: (0, 0.05].
        max_opening_m: f64,
        /// Hold (s). Default 0. Range: [0, 1e5].
        #[serde(default)]
        hold_s: f64,
    },
    /// Preload ramped and held, then the thrust pulse.
    HvlaThrust {
        /// Preload (N). Range: [0, 1e5].
        preload_n: f64,
        /// Time to ramp the preload up (s). Default 0.5. Range: (0, 1e3].
        #[serde(default = "half")]
        preload_ramp_s: f64,
        /// Time the preload is held before the pulse (s). Default 0.5. Range: [0, 1e3].
        #[serde(default = "half")]
        preload_hold_s: f64,
        /// The pulse.
        pulse: ThrustPulse,
    },
    /// `pulls` cycles of: ramp to the peak, hold, ramp down, wait.
    RepeatedPulls {
        /// Peak force of each pull (N). Range: (0, 1e5].
        peak_force_n: f64,
        /// Ramp up (and down) time (s). Range: (0, 1e4].
        ramp_s: f64,
        /// Hold at the peak (s). Default 0. Range: [0, 1e4].
        #[serde(default)]
        hold_s: f64,
        /// Wait between pulls (s), e.g. 1200 for the 20-minute refractory period.
        /// Range: [0, 1e5].
        wait_s: f64,
        /// Number of pulls. Range: [1, 1000].
        pulls: usize,
    },
}

fn half() -> f64 {
    0.5
}

/// What the protocol prescribes at a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LoadTarget {
    /// Axial force on the moving bone (N), pulling the joint open.
    Force(f64),
    /// Opening `h − h_rest` (m).
    Opening(f64),
}

/// A protocol with its tabulated pulse (if any) read.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadingSchedule {
    /// The protocol.
    pub protocol: LoadingProtocol,
    /// `(time_s, force_n)` rows of a tabulated pulse.
    pub table: Vec<(f64, f64)>,
}

impl LoadingProtocol {
    /// Reads a tabulated pulse (relative to the folder of `origin`'s file).
    pub fn resolve(&self, origin: &ConfigOrigin) -> Result<LoadingSchedule, ConfigError> {
        let mut table = Vec::new();
        if let Self::HvlaThrust {
            pulse: ThrustPulse::Tabulated { file },
            ..
        } = self
        {
            let path = match origin {
                ConfigOrigin::File(f) if file.is_relative() => {
                    f.parent().unwrap_or(Path::new(".")).join(file)
                }
                _ => file.clone(),
            };
            let err = |message: String| ConfigError::Key {
                origin: origin.clone(),
                key: "loading.pulse.file".into(),
                message,
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| err(format!("cannot read {}: {e}", path.display())))?;
            table =
                parse_force_table(&text).map_err(|m| err(format!("{}: {m}", path.display())))?;
        }
        Ok(LoadingSchedule {
            protocol: self.clone(),
            table,
        })
    }
}

/// Parses `time_s,force_n` rows (a header line and `#` comments allowed); times must
/// increase strictly.
pub fn parse_force_table(text: &str) -> Result<Vec<(f64, f64)>, String> {
    let mut rows: Vec<(f64, f64)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut it = line.split(',').map(str::trim);
        let (Some(a), Some(b)) = (it.next(), it.next()) else {
            return Err(format!("line {}: expected `time_s,force_n`", i + 1));
        };
        match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(t), Ok(f)) if t.is_finite() && f.is_finite() => {
                if rows.last().is_some_and(|&(tp, _)| t <= tp) {
                    return Err(format!("line {}: time {t} does not increase", i + 1));
                }
                rows.push((t, f));
            }
            _ if rows.is_empty() && i == 0 => continue, // header
            _ => return Err(format!("line {}: `{line}` is not two numbers", i + 1)),
        }
    }
    if rows.len() < 2 {
        return Err("a force table needs at least two rows".into());
    }
    Ok(rows)
}

fn interpolate(table: &[(f64, f64)], t: f64) -> f64 {
    if t <= table[0].0 {
        return table[0].1;
    }
    for w in table.windows(2) {
        if t <= w[1].0 {
            let s = (t - w[0].0) / (w[1].0 - w[0].0);
            return w[0].1 + s * (w[1].1 - w[0].1);
        }
    }
    table[table.len() - 1].1
}

impl LoadingSchedule {
    /// Times (s) where the prescribed load has a corner or a pulse begins or ends, the
    /// end included, in increasing order: a time stepper lands on them.
    pub fn corner_times_s(&self) -> Vec<f64> {
        let mut corners = match &self.protocol {
            LoadingProtocol::ForceRamp {
                rate_n_per_s,
                max_force_n,
                ..
            } => vec![max_force_n / rate_n_per_s],
            LoadingProtocol::DisplacementRamp {
                rate_m_per_s,
                max_opening_m,
                ..
            } => vec![max_opening_m / rate_m_per_s],
            LoadingProtocol::HvlaThrust {
                preload_ramp_s,
                preload_hold_s,
                pulse,
                ..
            } => {
                let start = preload_ramp_s + preload_hold_s;
                let mut c = vec![*preload_ramp_s, start];
                if let ThrustPulse::HalfSine { duration_s, .. } = pulse {
                    c.push(start + duration_s);
                }
                c.extend(self.table.iter().map(|(t, _)| start + t));
                c
            }
            LoadingProtocol::RepeatedPulls {
                ramp_s,
                hold_s,
                wait_s,
                pulls,
                ..
            } => {
                let cycle = 2.0 * ramp_s + hold_s + wait_s;
                (0..*pulls)
                    .flat_map(|i| {
                        let s = i as f64 * cycle;
                        [
                            s + ramp_s,
                            s + ramp_s + hold_s,
                            s + 2.0 * ramp_s + hold_s,
                            s + cycle,
                        ]
                    })
                    .collect()
            }
        };
        corners.push(self.duration_s());
        corners.sort_by(f64::total_cmp);
        corners.dedup();
        corners
    }

    /// Total duration of the protocol (s).
    pub fn duration_s(&self) -> f64 {
        match &self.protocol {
            LoadingProtocol::ForceRamp {
                rate_n_per_s,
                max_force_n,
                hold_s,
            } => max_force_n / rate_n_per_s + hold_s,
            LoadingProtocol::DisplacementRamp {
                rate_m_per_s,
                max_opening_m,
                hold_s,
            } => max_opening_m / rate_m_per_s + hold_s,
            LoadingProtocol::HvlaThrust {
                preload_ramp_s,
                preload_hold_s,
                pulse,
                ..
            } => {
                preload_ramp_s
                    + preload_hold_s
                    + match pulse {
                        ThrustPulse::HalfSine { duration_s, .. } => *duration_s,
                        ThrustPulse::Tabulated { .. } => self.table.last().map_or(0.0, |r| r.0),
                    }
            }
            LoadingProtocol::RepeatedPulls {
                ramp_s,
                hold_s,
                wait_s,
                pulls,
                ..
            } => *pulls as f64 * (2.0 * ramp_s + hold_s + wait_s),
        }
    }

    /// The prescribed force or opening at time `t` (s).
    pub fn compute_target(&self, t: f64) -> LoadTarget {
        match &self.protocol {
            LoadingProtocol::ForceRamp {
                rate_n_per_s,
                max_force_n,
                ..
            } => LoadTarget::Force((rate_n_per_s * t).min(*max_force_n)),
            LoadingProtocol::DisplacementRamp {
                rate_m_per_s,
                max_opening_m,
                ..
            } => LoadTarget::Opening((rate_m_per_s * t).min(*max_opening_m)),
            LoadingProtocol::HvlaThrust {
                preload_n,
                preload_ramp_s,
                preload_hold_s,
                pulse,
            } => {
                let t_pulse = t - preload_ramp_s - preload_hold_s;
                if t < *preload_ramp_s {
                    return LoadTarget::Force(preload_n * t / preload_ramp_s);
                }
                if t_pulse < 0.0 {
                    return LoadTarget::Force(*preload_n);
                }
                LoadTarget::Force(match pulse {
                    ThrustPulse::HalfSine { peak_n, duration_s } => {
                        if t_pulse >= *duration_s {
                            *preload_n
                        } else {
                            preload_n
                                + (peak_n - preload_n)
                                    * (std::f64::consts::PI * t_pulse / duration_s).sin()
                        }
                    }
                    ThrustPulse::Tabulated { .. } => interpolate(&self.table, t_pulse),
                })
            }
            LoadingProtocol::RepeatedPulls {
                peak_force_n,
                ramp_s,
                hold_s,
                wait_s,
                ..
            } => {
                let period = 2.0 * ramp_s + hold_s + wait_s;
                let tau = t.rem_euclid(period);
                let f = if tau < *ramp_s {
                    tau / ramp_s
                } else if tau < ramp_s + hold_s {
                    1.0
                } else if tau < 2.0 * ramp_s + hold_s {
                    1.0 - (tau - ramp_s - hold_s) / ramp_s
                } else {
                    0.0
                };
                LoadTarget::Force(peak_force_n * f)
            }
        }
    }
}

impl Validate for LoadingProtocol {
    fn validate(&self, v: &mut Validator<'_>) {
        let pos = |v: &mut Validator<'_>, k: &str, x: f64, hi: f64| {
            v.require(
                x.is_finite() && x > 0.0 && x <= hi,
                k,
                x,
                &format!("a number in (0, {hi:e}]"),
            );
        };
        match self {
            Self::ForceRamp {
                rate_n_per_s,
                max_force_n,
                hold_s,
            } => {
                pos(v, "rate_n_per_s", *rate_n_per_s, 1e7);
                pos(v, "max_force_n", *max_force_n, 1e5);
                v.within("hold_s", *hold_s, 0.0, 1e5);
            }
            Self::DisplacementRamp {
                rate_m_per_s,
                max_opening_m,
                hold_s,
            } => {
                pos(v, "rate_m_per_s", *rate_m_per_s, 100.0);
                pos(v, "max_opening_m", *max_opening_m, 0.05);
                v.within("hold_s", *hold_s, 0.0, 1e5);
            }
            Self::HvlaThrust {
                preload_n,
                preload_ramp_s,
                preload_hold_s,
                pulse,
            } => {
                v.within("preload_n", *preload_n, 0.0, 1e5);
                pos(v, "preload_ramp_s", *preload_ramp_s, 1e3);
                v.within("preload_hold_s", *preload_hold_s, 0.0, 1e3);
                if let ThrustPulse::HalfSine { peak_n, duration_s } = pulse {
                    v.within("pulse.peak_n", *peak_n, 0.0, 1e5);
                    pos(v, "pulse.duration_s", *duration_s, 100.0);
                }
            }
            Self::RepeatedPulls {
                peak_force_n,
                ramp_s,
                hold_s,
                wait_s,
                pulls,
            } => {
                pos(v, "peak_force_n", *peak_force_n, 1e5);
                pos(v, "ramp_s", *ramp_s, 1e4);
                v.within("hold_s", *hold_s, 0.0, 1e4);
                v.within("wait_s", *wait_s, 0.0, 1e5);
                v.require(
                    (1..=1000).contains(pulls),
                    "pulls",
                    pulls,
                    "an integer in [1, 1000]",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_give_their_defining_values() {
        let s = LoadingSchedule {
            protocol: LoadingProtocol::HvlaThrust {
                preload_n: 20.0,
                preload_ramp_s: 0.5,
                preload_hold_s: 0.5,
                pulse: ThrustPulse::HalfSine {
                    peak_n: 120.0,
                    duration_s: 0.1,
                },
            },
            table: vec![],
        };
        assert_eq!(s.compute_target(0.25), LoadTarget::Force(10.0));
        assert_eq!(s.compute_target(0.9), LoadTarget::Force(20.0));
        let LoadTarget::Force(peak) = s.compute_target(1.05) else {
            panic!()
        };
        assert!((peak - 120.0).abs() < 1e-9);
        assert!((s.duration_s() - 1.1).abs() < 1e-12);
        let p = LoadingSchedule {
            protocol: LoadingProtocol::RepeatedPulls {
                peak_force_n: 30.0,
                ramp_s: 10.0,
                hold_s: 0.0,
                wait_s: 1200.0,
                pulls: 2,
            },
            table: vec![],
        };
        assert_eq!(p.compute_target(1225.0), LoadTarget::Force(15.0));
        assert_eq!(p.compute_target(600.0), LoadTarget::Force(0.0));
        // Steps land on every corner: ramp ends, release ends, wait ends; and the pulse.
        assert_eq!(
            p.corner_times_s(),
            vec![10.0, 20.0, 1220.0, 1230.0, 1240.0, 2440.0]
        );
        assert_eq!(s.corner_times_s(), vec![0.5, 1.0, 1.1]);
    }

    #[test]
    fn force_table_parses_and_rejects_bad_rows() {
        let t = parse_force_table("time_s,force_n\n0,20\n0.05,120\n0.1,20\n").unwrap();
        assert_eq!(t.len(), 3);
        assert!((interpolate(&t, 0.025) - 70.0).abs() < 1e-12);
        assert!(
            parse_force_table("0,1\n0,2\n")
                .unwrap_err()
                .contains("does not increase")
        );
        assert!(
            parse_force_table("0,1\nx,2\n")
                .unwrap_err()
                .contains("line 2")
        );
    }
}
