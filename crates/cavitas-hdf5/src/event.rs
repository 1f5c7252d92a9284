//! A located event of the run (cavitation onset, gap jump, peak sound, re-crack).

/// One row of `/events`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Time of the event, s.
    pub t: f64,
    /// Kind, e.g. `cavitation_onset`, `gap_jump`, `peak_spl`, `recrack`.
    pub kind: String,
    /// The event's value in the SI unit its kind documents (e.g. gap jump in m).
    pub value: f64,
}

impl Event {
    /// An event at `t` (s) of `kind` with `value`.
    pub fn new(t: f64, kind: &str, value: f64) -> Self {
        Self {
            t,
            kind: kind.to_string(),
            value,
        }
    }
}
