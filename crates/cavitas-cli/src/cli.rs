//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Simulate the "crack" of a synovial joint: capsule, fluid and a GPU field of gas bubbles.
#[derive(Debug, Parser)]
#[command(
    name = "cavitas",
    version,
    about = "Simulate the crack of a synovial joint: capsule, fluid and a GPU field of gas bubbles",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More diagnostics on stderr (-v info, -vv debug, -vvv trace); `RUST_LOG` overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true, help_heading = "Diagnostics")]
    pub verbose: u8,
    /// Errors only on stderr: no progress bar, notices or warnings.
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Diagnostics"
    )]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario (the default scenario when no CONFIG is given).
    #[command(after_help = RUN_EXAMPLES)]
    Run(RunArgs),
    /// Run a bubble-field scenario on its own (analytic verification cases, ensembles).
    #[command(after_help = BUBBLE_EXAMPLES)]
    Bubble(BubbleArgs),
    /// Run a parameter sweep: cases in parallel, sharded, resumable.
    Sweep(crate::commands::sweep::SweepArgs),
    /// Merge a sweep folder (`DIR -o FILE`) or run files (`OUT SHARD...`) into one file.
    Merge(MergeArgs),
    /// List the GPU adapters wgpu finds, with their features and limits.
    Info(InfoArgs),
    /// Time the bubble field on every adapter and on the CPU backend.
    Bench(BenchArgs),
    /// The capsule on its own: inject fluid (no bubbles) and report pressure and strain.
    #[command(after_help = CAPSULE_EXAMPLES)]
    Capsule(crate::commands::capsule::CapsuleArgs),
}

// Each example runs in a test (`tests/documented_examples.rs`), from a folder where
// `configs/` is the repository's.
const RUN_EXAMPLES: &str = "Examples:
  cavitas run --set fluid.liquid.viscosity_pa_s=0.02
  cavitas run configs/facet-hvla.toml --set loading.pulse.duration_s=0.05 -o facet.h5
  cavitas run configs/bubble/minnaert.toml --json";
const BUBBLE_EXAMPLES: &str = "Examples:
  cavitas bubble configs/bubble/rayleigh-collapse.toml
  cavitas bubble configs/bubble/blake.toml --set group.0.pressure.threshold_offset_pa=700
  cavitas bubble --set liquid.viscosity_pa_s=0.02 --backend cpu --cpu-precision f32";
const CAPSULE_EXAMPLES: &str = "Examples:
  cavitas capsule --inject-ml 0.5
  cavitas capsule configs/capsule/mcp.toml --set capsule.thickness_m=1.2e-3 --json";

/// Options shared by every subcommand that reads a scenario.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML). Without it, the built-in default scenario runs.
    pub config: Option<PathBuf>,
    /// Override a key of the scenario, as dotted.key=value; array elements by index
    /// (group.0.nuclei.radius_m=2e-6). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Print one machine-readable JSON object (resolved config included) instead of text.
    #[arg(long, help_heading = "Output")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub backend: BackendArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Write the sound of a coupled run at the nearest listener as a 44.1 kHz WAV file.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub wav: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BubbleArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub backend: BackendArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where a run is written, and how a killed one continues.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the run to this HDF5 file (written as FILE.partial, checkpointed to FILE.ckpt,
    /// renamed to FILE when the run finishes).
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Replace an existing output file (only once the new run has finished).
    #[arg(long, requires = "output", help_heading = "Output")]
    pub force: bool,
    /// Continue the killed run of this output file from its last checkpoint, with the
    /// configuration and backend request stored in it.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["config", "overrides", "output", "backend", "adapter", "cpu_precision"],
        help_heading = "Output"
    )]
    pub resume: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// `DIR` (a sweep folder, with -o), or `OUT SHARD...`: the merged file to write, then
    /// finished run files of the same scenario shape.
    #[arg(value_name = "DIR | OUT SHARD...", required = true, num_args = 1..)]
    pub paths: Vec<PathBuf>,
    /// With a sweep folder: the study file to write (virtual datasets and a /sweep table).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace an existing OUT.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BackendArgs {
    /// Compute backend: `auto` takes a real GPU if there is one, else the CPU.
    #[arg(long, value_enum, default_value_t = BackendChoice::Auto, help_heading = "Backend")]
    pub backend: BackendChoice,
    /// With `--backend gpu`: pick the adapter whose name contains this text.
    #[arg(long, value_name = "TEXT", help_heading = "Backend")]
    pub adapter: Option<String>,
    /// CPU backend arithmetic.
    #[arg(long, value_enum, default_value_t = PrecisionChoice::F64, help_heading = "Backend")]
    pub cpu_precision: PrecisionChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendChoice {
    Auto,
    Gpu,
    Cpu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrecisionChoice {
    F32,
    F64,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Bubble counts to time (comma separated).
    #[arg(long, value_delimiter = ',', default_values_t = [1_000usize, 100_000])]
    pub bubbles: Vec<usize>,
    /// Intervals of 1 µs to advance (at least 1: a rate over no work is not a figure).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub intervals: u32,
    /// Which backends: `all` (every adapter and the CPU), `gpu`, or `cpu`.
    #[arg(long, default_value = "all")]
    pub backends: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
