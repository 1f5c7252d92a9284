//! Events of a coupled run, located in time: cavitation onset (a nucleus reaches its Blake
//! threshold), tribonucleation, cavitation (a bubble grows visible), the gap jump (the
//! crack), a re-crack, and the peak of the sound (from the acoustic analysis).

use serde::Serialize;

use super::crack_run::Phase;
use super::crack_scenario::EventSettings;
use super::gap_motion::GapMotion;

/// Kinds of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrackEventKind {
    /// The fluid pressure reached a nucleus's Blake threshold: its growth begins.
    CavitationOnset,
    /// Nuclei were made at the separating contact.
    Tribonucleation,
    /// A bubble grew past `events.cavitation_radius_m`.
    Cavitation,
    /// The gap jumped (peak gap speed of a cavitation episode above
    /// `events.crack_gap_speed_m_s`): the crack.
    GapJump,
    /// A gap jump after the first.
    ReCrack,
    /// The largest sound pressure at the nearest listener.
    PeakSound,
}

impl CrackEventKind {
    /// Name in run files and JSON (`cavitation_onset`, `gap_jump`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::CavitationOnset => "cavitation_onset",
            Self::Tribonucleation => "tribonucleation",
            Self::Cavitation => "cavitation",
            Self::GapJump => "gap_jump",
            Self::ReCrack => "re_crack",
            Self::PeakSound => "peak_sound",
        }
    }

    /// Label for the human summary.
    pub fn label(self) -> &'static str {
        match self {
            Self::CavitationOnset => "cavitation onset",
            Self::Tribonucleation => "tribonucleation",
            Self::Cavitation => "cavitation",
            Self::GapJump => "gap jump (crack)",
            Self::ReCrack => "re-crack",
            Self::PeakSound => "peak sound",
        }
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CrackEvent {
    /// Kind.
    pub kind: CrackEventKind,
    /// Time (s).
    pub time_s: f64,
    /// Applied force then (N).
    pub force_n: f64,
    /// Gap then (m).
    pub gap_m: f64,
    /// Fluid pressure then (Pa, absolute).
    pub pressure_pa: f64,
    /// What happened, in words.
    pub detail: String,
}

/// One crack: a cavitation episode whose gap jumped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Crack {
    /// Cavitation onset (s).
    pub onset_s: f64,
    /// Time of the largest gap speed (s): the crack.
    pub time_s: f64,
    /// Applied force at the crack (N).
    pub force_n: f64,
    /// Gap at the onset (m).
    pub gap_before_m: f64,
    /// Gap `events.settle_s` after the crack (m), once reached.
    pub gap_after_m: Option<f64>,
    /// Largest gap speed (m/s).
    pub peak_gap_speed_m_s: f64,
    /// Fluid pressure at the onset (Pa, absolute).
    pub onset_pressure_pa: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct Episode {
    onset_s: f64,
    onset_gap_m: f64,
    onset_pressure_pa: f64,
    cavitated: bool,
    peak_speed: f64,
    peak_time: f64,
    peak_force: f64,
    peak_gap_m: f64,
    peak_pressure_pa: f64,
    jumped: bool,
}

/// Watches the run and records events and cracks.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CrackMonitor {
    settings: EventSettings,
    events: Vec<CrackEvent>,
    episode: Option<Episode>,
    cracks: Vec<Crack>,
    last: Option<(f64, f64)>,
    /// A new episode may start: no bubble has been dynamic since the last jump ended.
    armed: bool,
}

impl CrackMonitor {
    /// A monitor with the scenario's settings.
    pub fn new(settings: EventSettings) -> Self {
        Self {
            settings,
            events: Vec::new(),
            episode: None,
            cracks: Vec::new(),
            last: None,
            armed: true,
        }
    }

    /// Events so far, in time order.
    pub fn events(&self) -> &[CrackEvent] {
        &self.events
    }

    /// Cracks so far.
    pub fn cracks(&self) -> &[Crack] {
        &self.cracks
    }

    /// Whether any bubble has cavitated.
    pub fn cavitated(&self) -> bool {
        self.events
            .iter()
            .any(|e| e.kind == CrackEventKind::Cavitation)
    }

    /// Records an event.
    pub fn push(&mut self, event: CrackEvent) {
        self.events.push(event);
    }

    /// A bubble (`id`) became dynamic at its threshold.
    pub fn on_activation(
        &mut self,
        id: usize,
        time_s: f64,
        force_n: f64,
        gap_m: f64,
        pressure_pa: f64,
    ) {
        if self.episode.is_none() && self.armed {
            self.episode = Some(Episode {
                onset_s: time_s,
                onset_gap_m: gap_m,
                onset_pressure_pa: pressure_pa,
                cavitated: false,
                peak_speed: 0.0,
                peak_time: time_s,
                peak_force: force_n,
                peak_gap_m: gap_m,
                peak_pressure_pa: pressure_pa,
                jumped: false,
            });
            self.events.push(CrackEvent {
                kind: CrackEventKind::CavitationOnset,
                time_s,
                force_n,
                gap_m,
                pressure_pa,
                detail: format!("bubble {id} reached its Blake threshold"),
            });
        }
    }

    /// After an accepted step: `radii` of every bubble present (id, m).
    pub fn on_step(
        &mut self,
        time_s: f64,
        gap: GapMotion,
        force_n: f64,
        pressure_pa: f64,
        radii: &[(usize, f64)],
        phase: Phase,
    ) {
        let s = self.settings;
        for crack in &mut self.cracks {
            if crack.gap_after_m.is_none() && time_s >= crack.time_s + s.settle_s {
                let target = crack.time_s + s.settle_s;
                crack.gap_after_m = Some(match self.last {
                    Some((t0, h0)) if t0 < target => {
                        h0 + (gap.gap_m - h0) * (target - t0) / (time_s - t0)
                    }
                    _ => gap.gap_m,
                });
            }
        }
        self.last = Some((time_s, gap.gap_m));
        if phase != Phase::Crack && self.episode.is_none() {
            self.armed = true;
        }
        let Some(mut e) = self.episode else { return };
        if !e.cavitated
            && let Some(&(id, r)) = radii.iter().find(|(_, r)| *r > s.cavitation_radius_m)
        {
            e.cavitated = true;
            self.events.push(CrackEvent {
                kind: CrackEventKind::Cavitation,
                time_s,
                force_n,
                gap_m: gap.gap_m,
                pressure_pa,
                detail: format!("bubble {id} grew to {:.1} µm", r * 1e6),
            });
        }
        if gap.speed_m_s > e.peak_speed {
            e.peak_speed = gap.speed_m_s;
            e.peak_time = time_s;
            e.peak_force = force_n;
            e.peak_gap_m = gap.gap_m;
            e.peak_pressure_pa = pressure_pa;
        }
        e.jumped |= e.peak_speed > s.crack_gap_speed_m_s;
        let jump_over = e.jumped && gap.speed_m_s < 0.5 * s.crack_gap_speed_m_s;
        if jump_over || phase != Phase::Crack {
            if e.jumped {
                self.finish_jump(&e);
            }
            // A later crack needs the bubbles to have come to rest first.
            self.armed = phase != Phase::Crack;
            self.episode = None;
        } else {
            self.episode = Some(e);
        }
    }

    /// Records the jump of episode `e`, with the joint's state at its peak gap speed.
    fn finish_jump(&mut self, e: &Episode) {
        let kind = if self.cracks.is_empty() {
            CrackEventKind::GapJump
        } else {
            CrackEventKind::ReCrack
        };
        self.events.push(CrackEvent {
            kind,
            time_s: e.peak_time,
            force_n: e.peak_force,
            gap_m: e.peak_gap_m,
            pressure_pa: e.peak_pressure_pa,
            detail: format!("peak gap speed {:.3} m/s", e.peak_speed),
        });
        self.cracks.push(Crack {
            onset_s: e.onset_s,
            time_s: e.peak_time,
            force_n: e.peak_force,
            gap_before_m: e.onset_gap_m,
            gap_after_m: None,
            peak_gap_speed_m_s: e.peak_speed,
            onset_pressure_pa: e.onset_pressure_pa,
        });
    }

    /// Closes an episode still open (a jump in progress when the run ended).
    pub fn finish(&mut self) {
        if let Some(e) = self.episode.take()
            && e.jumped
        {
            self.finish_jump(&e);
        }
        self.events.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    }
}
