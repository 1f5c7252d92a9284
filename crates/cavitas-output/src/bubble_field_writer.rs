//! The run file of a bubble-field run: the primary bubble and the per-group sums every
//! interval, checkpoints, and at the end the per-bubble arrays and the vanish events
//! (layout: cavitas-hdf5 SCHEMA.md, "Bubble-field runs"; the tables are declared in
//! [`crate::bubble_field_schema`]).

use std::path::PathBuf;

use cavitas_hdf5::{CheckpointState, Event, RunFile, Snapshots, TimeSeries};
use cavitas_solver::bubbles::checkpoint::BubbleCheckpoint;
use cavitas_solver::bubbles::nuclei::GasContent;
use cavitas_solver::bubbles::observer::{IntervalSample, StudyStart};
use cavitas_solver::bubbles::scenario::BubbleScenario;
use cavitas_solver::bubbles::state::BubbleStatus;
use cavitas_solver::bubbles::study::BubbleOutcome;

use crate::bubble_field_schema::{
    FinalBubble, PrimarySample, final_table, group_table, primary_table,
};
use crate::write_error::WriteError;

/// At most this many vanish events are listed; the rest are counted in one
/// `vanished_not_listed` event.
pub const EVENT_LIMIT: usize = 10_000;

/// A run file being written by a bubble study.
#[derive(Debug)]
pub(crate) struct BubbleFieldWriter {
    primary: TimeSeries,
    groups: Snapshots,
}

impl BubbleFieldWriter {
    /// Declares the series of a run that starts (or resumes) as `start` says.
    pub(crate) fn declare(file: &mut RunFile, start: &StudyStart<'_>) -> Result<Self, WriteError> {
        let primary_table = primary_table();
        let primary = file.time_series(primary_table.group, &primary_table.columns())?;
        let groups_table = group_table();
        let groups = file.snapshots(
            groups_table.group,
            &[start.field.groups.len()],
            &groups_table.columns(),
        )?;
        Ok(Self { primary, groups })
    }

    /// Appends the sample of one interval.
    pub(crate) fn on_interval(
        &mut self,
        file: &mut RunFile,
        sample: &IntervalSample<'_>,
    ) -> Result<(), WriteError> {
        let primary: Vec<f64> = primary_table().row(&PrimarySample::from(sample)).collect();
        let columns = group_table().columns_of(sample.groups.iter());
        let slices: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        file.append_row(self.primary, &primary)?;
        file.append_snapshot(self.groups, sample.time_s, &slices)?;
        Ok(())
    }

    /// Stores `checkpoint`.
    pub(crate) fn checkpoint(
        file: &mut RunFile,
        checkpoint: &BubbleCheckpoint,
    ) -> Result<(), WriteError> {
        let arrays = checkpoint.to_arrays();
        file.checkpoint(&CheckpointState {
            t: checkpoint.time_s,
            step: checkpoint.interval,
            f64_arrays: arrays.f64_arrays,
            u64_arrays: arrays.u64_arrays,
        })?;
        Ok(())
    }

    /// Writes the per-bubble arrays and the events, marks the file complete and renames it
    /// to its output path.
    pub(crate) fn finish(
        mut file: RunFile,
        scenario: &BubbleScenario,
        outcome: &BubbleOutcome,
    ) -> Result<PathBuf, WriteError> {
        let bubbles = FinalBubble::all(&outcome.field);
        let table = final_table();
        for (field, values) in table.fields.iter().zip(table.columns_of(bubbles.iter())) {
            file.write_array(table.group, &[bubbles.len()], &values, &field.column())?;
        }
        for event in vanish_events(scenario, outcome) {
            file.record_event(event);
        }
        Ok(file.finish()?)
    }
}

/// The spec index of every built group (copies expanded, in slot order).
fn group_specs(scenario: &BubbleScenario) -> Vec<usize> {
    scenario
        .groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| std::iter::repeat_n(i, g.copies as usize))
        .collect()
}

/// One event per vanished bubble, earliest first (ties by bubble index), at most
/// [`EVENT_LIMIT`], then one `vanished_not_listed` event counting the rest. An empty cavity
/// vanishes by `collapse`, a gas bubble by `dissolution`; the value is the bubble index.
fn vanish_events(scenario: &BubbleScenario, outcome: &BubbleOutcome) -> Vec<Event> {
    let field = &outcome.field;
    let time = field.scales.time_s();
    let specs = group_specs(scenario);
    let mut vanished: Vec<(f64, usize)> = field
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status == BubbleStatus::Vanished)
        .map(|(i, s)| (s.t_event * time, i))
        .collect();
    vanished.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut events: Vec<Event> = vanished
        .iter()
        .take(EVENT_LIMIT)
        .map(|&(t, i)| {
            let spec = &scenario.groups[specs[field.slots[i].group as usize]];
            let kind = if spec.nuclei.gas == GasContent::Empty {
                "collapse"
            } else {
                "dissolution"
            };
            Event::new(t, kind, i as f64)
        })
        .collect();
    if vanished.len() > EVENT_LIMIT {
        events.push(Event::new(
            scenario.duration_s,
            "vanished_not_listed",
            (vanished.len() - EVENT_LIMIT) as f64,
        ));
    }
    events
}
