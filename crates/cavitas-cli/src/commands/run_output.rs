//! The HDF5 run file of a bubble-field run (`-o out.h5`): a [`StudyObserver`] that streams
//! the primary bubble and the per-group sums every interval, stores checkpoints, and at the
//! end writes the per-bubble arrays and the vanish events (layout: cavitas-hdf5 SCHEMA.md,
//! "Bubble-field runs"). It also times its own calls into the writer.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cavitas_hdf5::{
    CheckpointState, Column, CreateOptions, Event, Provenance, RunFile, Snapshots, TimeSeries,
};
use cavitas_solver::bubbles::checkpoint::BubbleCheckpoint;
use cavitas_solver::bubbles::nuclei::GasContent;
use cavitas_solver::bubbles::observer::{IntervalSample, ObserverError, StudyObserver, StudyStart};
use cavitas_solver::bubbles::scenario::BubbleScenario;
use cavitas_solver::bubbles::species::{GasSpecies, SPECIES_COUNT};
use cavitas_solver::bubbles::state::BubbleStatus;
use cavitas_solver::bubbles::study::BubbleOutcome;

/// At most this many vanish events are listed; the rest are counted in one
/// `vanished_not_listed` event.
pub const EVENT_LIMIT: usize = 10_000;

/// Species suffixes of the per-species fields, in the solver's species order.
fn species() -> [&'static str; SPECIES_COUNT] {
    GasSpecies::ALL.map(GasSpecies::name)
}

/// A run file being written by a bubble study.
#[derive(Debug)]
pub struct RunOutput {
    file: RunFile,
    primary: Option<TimeSeries>,
    groups: Option<Snapshots>,
    /// Seconds spent inside calls to the writer.
    output_seconds: f64,
    checkpoints: u64,
}

impl RunOutput {
    /// Creates the run file `path` (timed with the rest of the output).
    pub fn create(
        path: &Path,
        provenance: &Provenance,
        options: CreateOptions,
    ) -> Result<Self, cavitas_hdf5::OutputError> {
        let started = Instant::now();
        let file = RunFile::create(path, provenance, options)?;
        Ok(Self::new(file, started.elapsed().as_secs_f64()))
    }

    /// Wraps a run file opened `setup_seconds` ago (resumed).
    pub fn new(file: RunFile, setup_seconds: f64) -> Self {
        Self {
            file,
            primary: None,
            groups: None,
            output_seconds: setup_seconds,
            checkpoints: 0,
        }
    }

    /// Checkpoints written in this session.
    pub fn checkpoints(&self) -> u64 {
        self.checkpoints
    }

    /// Writes the per-bubble arrays and the events, marks the file complete and renames it
    /// to its output path.
    pub fn finish(
        mut self,
        scenario: &BubbleScenario,
        outcome: &BubbleOutcome,
    ) -> Result<(PathBuf, f64), cavitas_hdf5::OutputError> {
        let started = Instant::now();
        let field = &outcome.field;
        let l = field.scales.length_m;
        let time = field.scales.time_s();
        let n = field.len();
        let status = |s: BubbleStatus| s as u32 as f64;
        let arrays: [(Column, Vec<f64>); 5] = [
            (
                Column::new(
                    "radius_max",
                    "m",
                    "largest radius of the bubble while active",
                ),
                field.slots.iter().map(|s| s.r_max * l).collect(),
            ),
            (
                Column::new(
                    "radius_min",
                    "m",
                    "smallest radius of the bubble while active",
                ),
                field.slots.iter().map(|s| s.r_min * l).collect(),
            ),
            (
                Column::new(
                    "t_event",
                    "s",
                    "time the bubble vanished or failed; NaN while active",
                ),
                field
                    .slots
                    .iter()
                    .map(|s| {
                        if s.status == BubbleStatus::Active {
                            f64::NAN
                        } else {
                            s.t_event * time
                        }
                    })
                    .collect(),
            ),
            (
                Column::new("status", "1", "0 active, 1 vanished, 2 failed"),
                field.slots.iter().map(|s| status(s.status)).collect(),
            ),
            (
                Column::new(
                    "group",
                    "1",
                    "index of the bubble's group (row of /bubbles/groups)",
                ),
                field.slots.iter().map(|s| f64::from(s.group)).collect(),
            ),
        ];
        for (column, values) in &arrays {
            self.file
                .write_array("bubbles/final", &[n], values, column)?;
        }
        for event in vanish_events(scenario, outcome) {
            self.file.record_event(event);
        }
        let path = self.file.finish()?;
        self.output_seconds += started.elapsed().as_secs_f64();
        Ok((path, self.output_seconds))
    }

    fn timed<T>(
        &mut self,
        f: impl FnOnce(&mut RunFile) -> cavitas_hdf5::Result<T>,
    ) -> Result<T, ObserverError> {
        let started = Instant::now();
        let out = f(&mut self.file);
        self.output_seconds += started.elapsed().as_secs_f64();
        Ok(out?)
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

impl StudyObserver for RunOutput {
    fn on_start(&mut self, start: &StudyStart<'_>) -> Result<(), ObserverError> {
        let groups = start.field.groups.len();
        let primary = self.timed(|f| {
            f.time_series(
                "bubbles/primary",
                &[
                    Column::new("t", "s", "time"),
                    Column::new(
                        "radius",
                        "m",
                        "radius of the primary bubble (largest nucleus of the first group)",
                    ),
                ],
            )
        })?;
        let mut fields = vec![
            Column::new(
                "gas_volume",
                "m^3",
                "gas volume of the group's active bubbles",
            ),
            Column::new("gas_volume_rate", "m^3/s", "its first time derivative"),
            Column::new(
                "gas_volume_acceleration",
                "m^3/s^2",
                "its second time derivative",
            ),
        ];
        for s in species() {
            fields.push(Column::new(
                &format!("bubble_gas_{s}"),
                "mol",
                &format!("{s} held by the group's active bubbles"),
            ));
        }
        for s in species() {
            fields.push(Column::new(
                &format!("dissolved_gas_{s}"),
                "mol",
                &format!("{s} dissolved in the group's liquid"),
            ));
        }
        fields.push(Column::new("active", "1", "active bubbles of the group"));
        let series = self.timed(|f| f.snapshots("bubbles/groups", &[groups], &fields))?;
        self.primary = Some(primary);
        self.groups = Some(series);
        Ok(())
    }

    fn on_interval(&mut self, sample: &IntervalSample<'_>) -> Result<(), ObserverError> {
        let (Some(primary), Some(groups)) = (self.primary, self.groups) else {
            return Err("on_interval before on_start".into());
        };
        let g = sample.groups;
        let mut columns: Vec<Vec<f64>> = vec![
            g.iter().map(|s| s.gas_volume_m3).collect(),
            g.iter().map(|s| s.gas_volume_rate_m3_s).collect(),
            g.iter().map(|s| s.gas_volume_acceleration_m3_s2).collect(),
        ];
        for k in 0..SPECIES_COUNT {
            columns.push(g.iter().map(|s| s.bubble_gas_mol[k]).collect());
        }
        for k in 0..SPECIES_COUNT {
            columns.push(g.iter().map(|s| s.dissolved_gas_mol[k]).collect());
        }
        columns.push(g.iter().map(|s| f64::from(s.active)).collect());
        let slices: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let (t, r) = (sample.time_s, sample.primary_radius_m);
        self.timed(|f| {
            f.append_row(primary, &[t, r])?;
            f.append_snapshot(groups, t, &slices)
        })
    }

    fn wants_checkpoints(&self) -> bool {
        true
    }

    fn on_checkpoint(&mut self, checkpoint: &BubbleCheckpoint) -> Result<(), ObserverError> {
        let arrays = checkpoint.to_arrays();
        let state = CheckpointState {
            t: checkpoint.time_s,
            step: checkpoint.interval,
            f64_arrays: arrays.f64_arrays,
            u64_arrays: arrays.u64_arrays,
        };
        self.timed(|f| f.checkpoint(&state))?;
        self.checkpoints += 1;
        Ok(())
    }
}
