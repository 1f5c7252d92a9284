//! The joint over time, whatever computed it.

use super::joint_scene::JointScene;

/// The joint at any time: what the synthetic scanner images. Implemented by
/// [`SampledTimeline`](crate::SampledTimeline) (samples of a run, interpolated) and by a
/// [`JointScene`] that does not move.
pub trait JointTimeline {
    /// First and last time the timeline knows (s).
    fn time_span_s(&self) -> (f64, f64);

    /// The joint at `t_s` (s); before the span the first state, after it the last.
    fn scene_at(&self, t_s: f64) -> JointScene;

    /// Located events `(kind, time in s)` in time order (e.g. `gap_jump`), if known.
    fn events(&self) -> Vec<(String, f64)> {
        Vec::new()
    }
}

impl JointTimeline for JointScene {
    fn time_span_s(&self) -> (f64, f64) {
        (0.0, 0.0)
    }

    fn scene_at(&self, _t_s: f64) -> JointScene {
        self.clone()
    }
}
