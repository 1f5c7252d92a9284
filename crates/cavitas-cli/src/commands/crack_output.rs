//! The HDF5 run file of a coupled run (`cavitas run -o out.h5`): `/joint` one row per
//! accepted macro step, `/capsule` and `/bubbles` snapshots, checkpoints from which
//! `--resume` continues, and at the end `/acoustics`, `/bubbles/final`, `/events`, the
//! event table and the summary (layout: cavitas-hdf5 SCHEMA.md, "Coupled runs"). It times
//! its own calls into the writer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use cavitas_hdf5::{
    CheckpointState, Column, CreateOptions, Event, Provenance, RunFile, RunReader, Snapshots,
    TimeSeries, XdmfCapsule,
};
use cavitas_solver::acoustics::AcousticReport;
use cavitas_solver::analysis::spectrum::amplitude_spectrum;
use cavitas_solver::bubbles::species::{GasSpecies, SPECIES_COUNT};
use cavitas_solver::coupling::crack_events::CrackEventKind;
use cavitas_solver::coupling::crack_scenario::OutputSettings;
use cavitas_solver::coupling::{CrackCheckpoint, CrackRun, CrackSummary, JointSample, Phase};

use crate::exit::InputError;

/// Species suffixes of the per-species fields, in the solver's species order.
fn species() -> [&'static str; SPECIES_COUNT] {
    GasSpecies::ALL.map(GasSpecies::name)
}

/// Checkpoint array holding the time of the last bubble and capsule snapshot (s), so a
/// resumed run takes its snapshots where the uninterrupted one does.
const LAST_SNAPSHOT: &str = "output_last_snapshot_s";

/// A run file being written by a coupled run.
#[derive(Debug)]
pub struct CrackOutput {
    file: RunFile,
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
    last_checkpoint: Instant,
    /// Seconds spent inside calls to the writer.
    output_seconds: f64,
    checkpoints: u64,
}

/// Phase code in `/joint/phase`.
fn phase_code(phase: Phase) -> f64 {
    match phase {
        Phase::Creep => 0.0,
        Phase::Crack => 1.0,
        Phase::Cavity => 2.0,
    }
}

fn joint_columns() -> Vec<Column> {
    let mut c = vec![
        Column::new("t", "s", "time"),
        Column::new("gap", "m", "gap h between the articular surfaces"),
        Column::new("gap_speed", "m/s", "dh/dt"),
        Column::new(
            "force",
            "N",
            "applied axial load (for an opening protocol: the force it takes)",
        ),
        Column::new(
            "pressure",
            "Pa",
            "synovial fluid pressure, absolute (negative = tension)",
        ),
        Column::new("capsule_volume", "m^3", "volume enclosed by the capsule"),
        Column::new("gas_volume", "m^3", "gas + vapour volume of all bubbles"),
        Column::new(
            "gas_volume_acceleration",
            "m^3/s^2",
            "second time derivative of the dynamic bubbles' volume (the acoustic source)",
        ),
    ];
    for s in species() {
        c.push(Column::new(
            &format!("bubble_gas_{s}"),
            "mol",
            &format!("{s} held by the bubbles"),
        ));
    }
    for s in species() {
        c.push(Column::new(
            &format!("dissolved_gas_{s}"),
            "mol",
            &format!("{s} dissolved in the synovial fluid"),
        ));
    }
    c.push(Column::new(
        "dynamic_bubbles",
        "1",
        "bubbles integrated dynamically",
    ));
    c.push(Column::new(
        "phase",
        "1",
        "0 creep (no cavity), 1 crack (dynamic bubbles), 2 cavity (settled)",
    ));
    c
}

fn joint_row(s: &JointSample) -> Vec<f64> {
    let mut row = vec![
        s.time_s,
        s.gap_m,
        s.gap_speed_m_s,
        s.force_n,
        s.pressure_pa,
        s.capsule_volume_m3,
        s.gas_volume_m3,
        s.gas_volume_acceleration_m3_s2,
    ];
    row.extend(s.bubble_gas_mol);
    row.extend(s.dissolved_gas_mol);
    row.push(f64::from(s.dynamic_bubbles));
    row.push(phase_code(s.phase));
    row
}

fn bubble_fields() -> Vec<Column> {
    let mut f = vec![
        Column::new("radius", "m", "bubble radius R (NaN once gone)"),
        Column::new(
            "wall_velocity",
            "m/s",
            "dR/dt (0 for a bubble held in equilibrium)",
        ),
    ];
    for s in species() {
        f.push(Column::new(
            &format!("moles_{s}"),
            "mol",
            &format!("{s} in the bubble"),
        ));
    }
    f.push(Column::new(
        "regime",
        "1",
        "0 dormant nucleus, 1 dynamic, 2 settled cavity, 3 gone",
    ));
    f
}

impl CrackOutput {
    /// Creates the run file `path` for `run` (at rest): declares the groups, writes the
    /// capsule's rest nodes and the first joint row and snapshots.
    pub fn create(
        path: &Path,
        provenance: &Provenance,
        options: CreateOptions,
        run: &mut CrackRun,
    ) -> anyhow::Result<Self> {
        let started = Instant::now();
        let file = RunFile::create(path, provenance, options)
            .with_context(|| format!("creating {}", path.display()))?;
        let mut out = Self::declare(file, run)?;
        let nodes = out.rest_nodes.len() / 2;
        out.file.write_array(
            "capsule",
            &[nodes, 2],
            &out.rest_nodes,
            &Column::new(
                "nodes_ref",
                "m",
                "capsule meridian nodes (r, z) at rest, holding the fluid at the rest pressure",
            ),
        )?;
        out.write_new_rows(run)?;
        out.snapshot(run)?;
        out.output_seconds += started.elapsed().as_secs_f64();
        Ok(out)
    }

    /// Continues the unfinished run file `file` with `run`, already restored from the
    /// checkpoint `state`.
    pub fn resumed(
        file: RunFile,
        f64_arrays: &BTreeMap<String, Vec<f64>>,
        run: &mut CrackRun,
        open_seconds: f64,
    ) -> anyhow::Result<Self> {
        let mut out = Self::declare(file, run)?;
        out.output_seconds = open_seconds;
        let name = out.file.paths().output.display().to_string();
        out.last_snapshot_s = f64_arrays
            .get(LAST_SNAPSHOT)
            .and_then(|v| v.first().copied())
            .ok_or_else(|| {
                InputError(format!(
                    "--resume {name}: the checkpoint has no {LAST_SNAPSHOT}"
                ))
            })?;
        let rows = out.file.rows(out.joint) as usize;
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

    fn declare(mut file: RunFile, run: &mut CrackRun) -> anyhow::Result<Self> {
        let rest_nodes = run.context().rest_nodes.clone();
        let bubble_columns = run.population().records().len();
        let joint = file.time_series("joint", &joint_columns())?;
        let capsule = file.snapshots(
            "capsule",
            &[rest_nodes.len() / 2, 2],
            &[Column::new(
                "displacement",
                "m",
                "nodal displacement (dr, dz) from the capsule at rest (nodes_ref)",
            )],
        )?;
        let bubbles = file.snapshots("bubbles", &[bubble_columns.max(1)], &bubble_fields())?;
        Ok(Self {
            file,
            joint,
            capsule,
            bubbles,
            bubble_columns,
            rest_nodes,
            settings: run.scenario().output,
            last_snapshot_s: f64::NEG_INFINITY,
            last_checkpoint: Instant::now(),
            output_seconds: 0.0,
            checkpoints: 0,
        })
    }

    /// Checkpoints written in this session.
    pub fn checkpoints(&self) -> u64 {
        self.checkpoints
    }

    /// After an accepted step: the new joint rows, the snapshots when due, a checkpoint
    /// when due (never at the end: the file is finished instead).
    pub fn on_step(&mut self, run: &mut CrackRun) -> anyhow::Result<()> {
        let started = Instant::now();
        self.write_new_rows(run)?;
        let t = run.time_s();
        if run.is_finished() || t - self.last_snapshot_s >= self.settings.snapshot_interval_s {
            self.snapshot(run)?;
        }
        if !run.is_finished()
            && self.last_checkpoint.elapsed().as_secs_f64() >= self.settings.checkpoint_interval_s
        {
            self.checkpoint(&run.checkpoint()?)?;
        }
        self.output_seconds += started.elapsed().as_secs_f64();
        Ok(())
    }

    fn write_new_rows(&mut self, run: &CrackRun) -> anyhow::Result<()> {
        let written = self.file.rows(self.joint) as usize;
        let rows: Vec<f64> = run.series()[written..].iter().flat_map(joint_row).collect();
        self.file.append_rows(self.joint, &rows)?;
        Ok(())
    }

    fn snapshot(&mut self, run: &mut CrackRun) -> anyhow::Result<()> {
        let t = run.time_s();
        let displacement: Vec<f64> = run
            .capsule_nodes()
            .iter()
            .zip(&self.rest_nodes)
            .map(|(x, x0)| x - x0)
            .collect();
        self.file
            .append_snapshot(self.capsule, t, &[&displacement])?;
        let states = run.population().bubble_states(self.bubble_columns)?;
        if self.bubble_columns > 0 {
            let mut fields: Vec<&[f64]> = vec![&states.radius_m, &states.wall_velocity_m_s];
            fields.extend(states.gas_mol.iter().map(Vec::as_slice));
            fields.push(&states.regime);
            self.file.append_snapshot(self.bubbles, t, &fields)?;
        }
        self.last_snapshot_s = t;
        Ok(())
    }

    fn checkpoint(&mut self, checkpoint: &CrackCheckpoint) -> anyhow::Result<()> {
        let (mut f64_arrays, u64_arrays) = checkpoint.to_arrays();
        f64_arrays.insert(LAST_SNAPSHOT.into(), vec![self.last_snapshot_s]);
        let state = CheckpointState {
            t: checkpoint.time_s(),
            step: checkpoint.accepted_steps(),
            f64_arrays,
            u64_arrays,
        };
        self.file.checkpoint(&state)?;
        self.checkpoints += 1;
        self.last_checkpoint = Instant::now();
        Ok(())
    }

    /// Writes the sound, the bubbles' records, the events and the summary, marks the file
    /// complete, renames it to its output path and writes the XDMF sidecar. Returns the
    /// path and the seconds spent in output over the session.
    pub fn finish(
        mut self,
        run: &mut CrackRun,
        sound: &AcousticReport,
        summary: &CrackSummary,
    ) -> anyhow::Result<(PathBuf, f64)> {
        let started = Instant::now();
        self.write_acoustics(sound)?;
        self.write_bubble_records(run)?;
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
            self.file
                .record_event(Event::new(e.time_s, e.kind.name(), value));
        }
        if !events.is_empty() {
            let n = [events.len()];
            let table: [(Column, Vec<f64>); 3] = [
                (
                    Column::new("force", "N", "applied force at each event of /events"),
                    events.iter().map(|e| e.force_n).collect(),
                ),
                (
                    Column::new("gap", "m", "gap at each event of /events"),
                    events.iter().map(|e| e.gap_m).collect(),
                ),
                (
                    Column::new(
                        "pressure",
                        "Pa",
                        "fluid pressure (absolute) at each event of /events",
                    ),
                    events.iter().map(|e| e.pressure_pa).collect(),
                ),
            ];
            for (column, values) in &table {
                self.file.write_array("event_state", &n, values, column)?;
            }
        }
        self.file.set_attribute(
            "summary_json",
            &serde_json::to_string(summary).context("converting the summary")?,
        )?;
        let path = self.file.finish()?;
        let reader = RunReader::open(&path)?;
        XdmfCapsule::from_run(&reader, "capsule")?.write(&XdmfCapsule::sidecar_path(&path))?;
        self.output_seconds += started.elapsed().as_secs_f64();
        Ok((path, self.output_seconds))
    }

    fn write_acoustics(&mut self, sound: &AcousticReport) -> anyhow::Result<()> {
        let distances: Vec<f64> = sound.listeners.iter().map(|l| l.distance_m).collect();
        if distances.is_empty() {
            return Ok(());
        }
        self.file.write_array(
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
                self.file.write_array(
                    &group,
                    &[1],
                    &[wave.start_time_s],
                    &Column::new(
                        &format!("start_time_{name}"),
                        "s",
                        &format!("listener time of the first sample of pressure_{name}"),
                    ),
                )?;
                self.file.write_array(
                    &group,
                    &[1],
                    &[wave.sample_rate_hz],
                    &Column::new(
                        &format!("sample_rate_{name}"),
                        "Hz",
                        &format!("samples per second of pressure_{name}"),
                    ),
                )?;
                self.file.write_array(
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
            let mic = &l.microphone;
            let (frequency, amplitude) =
                amplitude_spectrum(&mic.pressure_pa, mic.sample_interval_s());
            if !frequency.is_empty() {
                let m = [frequency.len()];
                self.file.write_array(
                    &group,
                    &m,
                    &frequency,
                    &Column::new(
                        "spectrum_frequency",
                        "Hz",
                        "frequency of spectrum_amplitude",
                    ),
                )?;
                self.file.write_array(
                    &group,
                    &m,
                    &amplitude,
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

    fn write_bubble_records(&mut self, run: &mut CrackRun) -> anyhow::Result<()> {
        let records = run.population().records().to_vec();
        if records.is_empty() {
            return Ok(());
        }
        let n = records.len();
        let xyz: Vec<f64> = records.iter().flat_map(|r| r.position_m).collect();
        self.file.write_array(
            "bubbles/final",
            &[n, 3],
            &xyz,
            &Column::new(
                "position",
                "m",
                "bubble centre (x, y, z), z along the joint axis",
            ),
        )?;
        let arrays: [(Column, Vec<f64>); 5] = [
            (
                Column::new("initial_radius", "m", "radius the bubble started with"),
                records.iter().map(|r| r.initial_radius_m).collect(),
            ),
            (
                Column::new("max_radius", "m", "largest radius the bubble reached"),
                records.iter().map(|r| r.max_radius_m).collect(),
            ),
            (
                Column::new(
                    "activated_at",
                    "s",
                    "when the bubble's dynamics began (it reached its Blake threshold); NaN if never",
                ),
                records
                    .iter()
                    .map(|r| r.activated_at_s.unwrap_or(f64::NAN))
                    .collect(),
            ),
            (
                Column::new(
                    "tribonucleated",
                    "1",
                    "1 if made at the separating contact, 0 if drawn from the nuclei",
                ),
                records
                    .iter()
                    .map(|r| f64::from(u8::from(r.tribonucleated)))
                    .collect(),
            ),
            (
                Column::new(
                    "regime",
                    "1",
                    "regime at the end: 0 dormant, 1 dynamic, 2 settled, 3 gone",
                ),
                records.iter().map(|r| f64::from(r.regime.code())).collect(),
            ),
        ];
        for (column, values) in &arrays {
            self.file
                .write_array("bubbles/final", &[n], values, column)?;
        }
        Ok(())
    }
}
