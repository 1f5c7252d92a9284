//! One file per subcommand.

mod bench;
mod bubble;
pub(crate) mod capsule;
mod crack_output;
mod info;
mod merge;
mod provenance;
mod resume;
mod run;
mod run_output;
pub(crate) mod shared;

use crate::cli::{Cli, Command};

/// Runs the chosen subcommand.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Bubble(args) => bubble::run(&args),
        Command::Capsule(args) => capsule::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Info(args) => info::run(&args),
        Command::Bench(args) => bench::run(&args),
    }
}
