//! The run file of a coupled joint run: `/joint` one row per accepted macro step,
//! `/capsule` and `/bubbles` snapshots, checkpoints, and at the end `/acoustics`,
//! `/bubbles/final`, `/events`, `/event_state` and the summary (layout: cavitas-hdf5
//! SCHEMA.md, "Coupled joint runs"; the tables are declared in [`crate::joint_schema`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use cavitas_hdf5::{
    CheckpointState, Column, Event, RunFile, RunReader, Snapshots, TimeSeries, XdmfCapsule,
};
use cavitas_solver::acoustics::AcousticReport;
use cavitas_solver::coupling::crack_events::CrackEventKind;
use cavitas_solver::coupling::crack_scenario::OutputSettings;
use cavitas_solver::coupling::{CrackCheckpoint, CrackRun, CrackSummary, JointSample};

use crate::joint_schema::{
    bubble_record_table, bubble_snapshot_table, event_state_table, joint_table,
};
use crate::table::Table;
use crate::write_error::{InputError, WriteError};

/// Checkpoint array holding the time of the last bubble and capsule snapshot (s), so a
/// resumed run takes its snapshots where the uninterrupted one does.
pub(crate) const LAST_SNAPSHOT: &str = "output_last_snapshot_s";

/// The `/capsule` snapshot field.
fn displacement_column() -> Column {
    Column::new(
        "displacement",
        "m",
        "nodal displacement (dr, dz) from the capsule at rest (nodes_ref)",
    )
}

/// A run file being written by a coupled run.
pub(crate) struct CrackWriter {
    joint_table: Table<JointSample>,
    joint: TimeSeries,
    capsule: Snapshots,
    bubbles: Snapshots,
    /// Bubbles in each `/bubbles` snapshot: the nuclei present at the start.
    bubble_columns: usize,
    /// The capsule at rest, `[r0, z0, r1, z1, …]` (m).
    rest_nodes: Vec<f64>,
    settings: OutputSettings,
    /// Simulated time of the last snapshot (s).
    last_snapshot_s: f64,
}

impl std::fmt::Debug for CrackWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrackWriter")
            .field("bubble_columns", &self.bubble_columns)
            .field("last_snapshot_s", &self.last_snapshot_s)
            .finish()
    }
}

impl CrackWriter {
    /// Declares the groups of a new file for `run` (at rest) and writes the capsule's rest
    /// nodes; the first row and snapshots come with the first sample.
    pub(crate) fn create(file: &mut RunFile, run: &mut CrackRun) -> Result<Self, WriteError> {
        let out = Self::declare(file, run)?;
        let nodes = out.rest_nodes.len() / 2;
        file.write_array(
            "capsule",
            &[nodes, 2],
            &out.rest_nodes,
            &Column::new(
                "nodes_ref",
                "m",
                "capsule meridian nodes (r, z) at rest, holding the fluid at the rest pressure",
            ),
        )?;
        Ok(out)
    }

    /// Continues the unfinished file, with `run` already restored from its checkpoint;
    /// `f64_arrays` are the checkpoint's arrays (the writer's own among them).
    pub(crate) fn resumed(
        file: &mut RunFile,
        f64_arrays: &BTreeMap<String, Vec<f64>>,
        run: &mut CrackRun,
    ) -> Result<Self, WriteError> {
        let mut out = Self::declare(file, run)?;
        let name = file.paths().output.display().to_string();
        out.last_snapshot_s = f64_arrays
            .get(LAST_SNAPSHOT)
            .and_then(|v| v.first().copied())
            .ok_or_else(|| {
                InputError(format!(
                    "--resume {name}: the checkpoint has no {LAST_SNAPSHOT}"
                ))
            })?;
        let rows = file.rows(out.joint) as usize;
        if rows != run.series().len() {
            return Err(InputError(format!(
                "--resume {name}: the run file holds {rows} /joint rows but its checkpoint {} \
                 samples",
                run.series().len()
            ))
            .into());
        }
        Ok(out)
    }

    fn declare(file: &mut RunFile, run: &mut CrackRun) -> Result<Self, WriteError> {
        let rest_nodes = run.context().rest_nodes.clone();
        let bubble_columns = run.population().records().len();
        let joint_table = joint_table();
        let joint = file.time_series(joint_table.group, &joint_table.columns())?;
        let capsule = file.snapshots(
            "capsule",
            &[rest_nodes.len() / 2, 2],
            &[displacement_column()],
        )?;
        let bubble_table = bubble_snapshot_table();
        let bubbles = file.snapshots(
            bubble_table.group,
            &[bubble_columns.max(1)],
            &bubble_table.columns(),
        )?;
        Ok(Self {
            joint_table,
            joint,
            capsule,
            bubbles,
            bubble_columns,
            rest_nodes,
            settings: run.scenario().output,
            last_snapshot_s: f64::NEG_INFINITY,
        })
    }

    /// After the rest state and every accepted step: the new joint rows, and the
    /// snapshots when due.
    pub(crate) fn on_sample(
        &mut self,
        file: &mut RunFile,
        run: &mut CrackRun,
    ) -> Result<(), WriteError> {
        let written = file.rows(self.joint) as usize;
        let rows: Vec<f64> = run.series()[written..]
            .iter()
            .flat_map(|s| self.joint_table.row(s))
            .collect();
        file.append_rows(self.joint, &rows)?;
        let t = run.time_s();
        if run.is_finished() || t - self.last_snapshot_s >= self.settings.snapshot_interval_s {
            self.snapshot(file, run)?;
        }
        Ok(())
    }

    fn snapshot(&mut self, file: &mut RunFile, run: &mut CrackRun) -> Result<(), WriteError> {
        let t = run.time_s();
        let displacement: Vec<f64> = run
            .capsule_nodes()
            .iter()
            .zip(&self.rest_nodes)
            .map(|(x, x0)| x - x0)
            .collect();
        file.append_snapshot(self.capsule, t, &[&displacement])?;
        if self.bubble_columns > 0 {
            let states = run.population().bubble_states(self.bubble_columns)?;
            let fields = bubble_snapshot_table().columns_of(states.iter());
            let slices: Vec<&[f64]> = fields.iter().map(Vec::as_slice).collect();
            file.append_snapshot(self.bubbles, t, &slices)?;
        }
        self.last_snapshot_s = t;
        Ok(())
    }

    /// Stores `checkpoint` with the writer's own state.
    pub(crate) fn checkpoint(
        &mut self,
        file: &mut RunFile,
        checkpoint: &CrackCheckpoint,
    ) -> Result<(), WriteError> {
        let (mut f64_arrays, u64_arrays) = checkpoint.to_arrays();
        f64_arrays.insert(LAST_SNAPSHOT.into(), vec![self.last_snapshot_s]);
        file.checkpoint(&CheckpointState {
            t: checkpoint.time_s(),
            step: checkpoint.accepted_steps(),
            f64_arrays,
            u64_arrays,
        })?;
        Ok(())
    }

    /// Writes the sound, the bubbles' records, the events and the summary, marks the file
    /// complete, renames it to its output path and writes the XDMF sidecar.
    pub(crate) fn finish(
        self,
        mut file: RunFile,
        run: &mut CrackRun,
        sound: &AcousticReport,
        summary: &CrackSummary,
    ) -> Result<PathBuf, WriteError> {
        write_acoustics(&mut file, sound)?;
        write_bubble_records(&mut file, run)?;
        let events = &summary.events;
        for e in events {
            let value = match e.kind {
                CrackEventKind::GapJump | CrackEventKind::ReCrack => e.gap_m,
                CrackEventKind::PeakSound => sound
                    .listeners
                    .first()
                    .map_or(f64::NAN, |l| l.peak_pressure_air_pa),
                CrackEventKind::CavitationOnset
                | CrackEventKind::Cavitation
                | CrackEventKind::Tribonucleation => e.pressure_pa,
            };
            file.record_event(Event::new(e.time_s, e.kind.name(), value));
        }
        if !events.is_empty() {
            let table = event_state_table();
            for (field, values) in table.fields.iter().zip(table.columns_of(events.iter())) {
                file.write_array(table.group, &[events.len()], &values, &field.column())?;
            }
        }
        let summary_json = serde_json::to_string(summary).map_err(|source| WriteError::Json {
            what: "the summary",
            source,
        })?;
        file.set_attribute("summary_json", &summary_json)?;
        let path = file.finish()?;
        let reader = RunReader::open(&path)?;
        XdmfCapsule::from_run(&reader, "capsule")?.write(&XdmfCapsule::sidecar_path(&path))?;
        Ok(path)
    }
}

fn write_acoustics(file: &mut RunFile, sound: &AcousticReport) -> Result<(), WriteError> {
    let distances: Vec<f64> = sound.listeners.iter().map(|l| l.distance_m).collect();
    if distances.is_empty() {
        return Ok(());
    }
    file.write_array(
        "acoustics",
        &[distances.len()],
        &distances,
        &Column::new(
            "listener_distance",
            "m",
            "distance of each listener (acoustics/listener_<i>) from the joint centre",
        ),
    )?;
    for (i, l) in sound.listeners.iter().enumerate() {
        let group = format!("acoustics/listener_{i}");
        let waves = [
            ("air", "in air, full band", &l.air),
            ("tissue", "in tissue, full band", &l.tissue),
            (
                "microphone",
                "in air as a 44.1 kHz microphone records it (the WAV samples)",
                &l.microphone,
            ),
        ];
        for (name, what, wave) in waves {
            let n = wave.pressure_pa.len();
            if n == 0 {
                continue;
            }
            // Uniform samples: sample k is at start_time + k / sample_rate.
            file.write_array(
                &group,
                &[1],
                &[wave.start_time_s],
                &Column::new(
                    &format!("start_time_{name}"),
                    "s",
                    &format!("listener time of the first sample of pressure_{name}"),
                ),
            )?;
            file.write_array(
                &group,
                &[1],
                &[wave.sample_rate_hz],
                &Column::new(
                    &format!("sample_rate_{name}"),
                    "Hz",
                    &format!("samples per second of pressure_{name}"),
                ),
            )?;
            file.write_array(
                &group,
                &[n],
                &wave.pressure_pa,
                &Column::new(
                    &format!("pressure_{name}"),
                    "Pa",
                    &format!("acoustic pressure at the listener {what}"),
                ),
            )?;
        }
        let spectrum = &l.microphone_spectrum;
        if !spectrum.frequency_hz.is_empty() {
            let m = [spectrum.frequency_hz.len()];
            file.write_array(
                &group,
                &m,
                &spectrum.frequency_hz,
                &Column::new(
                    "spectrum_frequency",
                    "Hz",
                    "frequency of spectrum_amplitude",
                ),
            )?;
            file.write_array(
                &group,
                &m,
                &spectrum.amplitude,
                &Column::new(
                    "spectrum_amplitude",
                    "Pa",
                    "one-sided amplitude spectrum of pressure_microphone (Hann window)",
                ),
            )?;
        }
    }
    Ok(())
}

fn write_bubble_records(file: &mut RunFile, run: &mut CrackRun) -> Result<(), WriteError> {
    let records = run.population().records().to_vec();
    if records.is_empty() {
        return Ok(());
    }
    let n = records.len();
    let xyz: Vec<f64> = records.iter().flat_map(|r| r.position_m).collect();
    let table = bubble_record_table();
    file.write_array(
        table.group,
        &[n, 3],
        &xyz,
        &Column::new(
            "position",
            "m",
            "bubble centre (x, y, z), z along the joint axis",
        ),
    )?;
    for (field, values) in table.fields.iter().zip(table.columns_of(records.iter())) {
        file.write_array(table.group, &[n], &values, &field.column())?;
    }
    Ok(())
}
