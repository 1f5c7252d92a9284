//! `cavitas sweep SWEEP.toml`: one shard of a parameter sweep, cases in parallel on the CPU
//! (the work is `cavitas_sweep::run_sweep`; here are the arguments and the printing).

use std::path::PathBuf;

use cavitas_sweep::{Shard, SweepOptions, SweepPlan, SweepProgress, run_sweep};

use crate::cli::BackendArgs;

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The sweep file (TOML; the format is in configs/sweeps/README.md).
    pub sweep: PathBuf,
    /// Output folder: a run file per case, status logs [default: ./<SWEEP name>-sweep].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Run shard i of n (0-based) [default: the Slurm array task, else 0/1].
    #[arg(long, value_name = "i/n")]
    pub shard: Option<String>,
    /// Cases run at once (on the CPU: `--backend auto` means the CPU here); 0: one per core.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// The backend of every case (GPU batching of cases is not built yet).
    #[command(flatten)]
    pub backend: BackendArgs,
}

pub fn run(args: &SweepArgs, quiet: bool) -> anyhow::Result<()> {
    let plan = SweepPlan::load(&args.sweep)?;
    let shard = Shard::from_arg_or_env(args.shard.as_deref())?;
    let stem = args.sweep.file_stem().unwrap_or_default().to_string_lossy();
    let dir = (args.output.clone()).unwrap_or_else(|| PathBuf::from(format!("{stem}-sweep")));
    let request = super::run::backend_request(Some(&args.backend));
    let options = SweepOptions {
        shard,
        jobs: args.jobs,
        request,
    };
    let mut bar = SweepProgress::new(quiet);
    let report = run_sweep(&plan, &dir, &options, &mut bar);
    bar.finish();
    println!("{}", report?.describe(&args.sweep, &dir));
    Ok(())
}
