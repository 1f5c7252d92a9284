//! One file per subcommand; `run`, `bubble` and `capsule` share one loop ([`run`]).

mod bench;
pub(crate) mod capsule;
mod info;
mod merge;
mod progress;
mod report;
mod run;
mod shared;
pub(crate) mod sweep;

use cavitas_solver::driver::{DefaultScenario, ScenarioKind};

use crate::cli::{Cli, Command, ScenarioArgs};
use run::RunCommand;

/// Runs the chosen subcommand.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Run(args) => run::execute(
            &RunCommand {
                name: "run",
                default: DefaultScenario::RUN,
                only: None,
                scenario: &args.scenario,
                backend: Some(&args.backend),
                output: Some(&args.output),
                wav: args.wav.as_deref(),
                inject_ml: None,
            },
            quiet,
        ),
        Command::Bubble(args) => run::execute(
            &RunCommand {
                name: "bubble",
                default: DefaultScenario::BUBBLE,
                only: Some(ScenarioKind::BubbleField),
                scenario: &args.scenario,
                backend: Some(&args.backend),
                output: Some(&args.output),
                wav: None,
                inject_ml: None,
            },
            quiet,
        ),
        Command::Capsule(args) => {
            if let Some(v) = args.inject_ml
                && !(v.is_finite() && v > -1e3 && v <= 1e3)
            {
                return Err(cavitas_output::InputError(format!(
                    "--inject-ml {v} is out of range; allowed: a number in (-1000, 1000] mL"
                ))
                .into());
            }
            let scenario = ScenarioArgs {
                config: args.config,
                overrides: args.overrides,
                json: args.json,
            };
            run::execute(
                &RunCommand {
                    name: "capsule",
                    default: DefaultScenario::CAPSULE,
                    only: Some(ScenarioKind::Capsule),
                    scenario: &scenario,
                    backend: None,
                    output: None,
                    wav: None,
                    inject_ml: args.inject_ml,
                },
                quiet,
            )
        }
        Command::Sweep(args) => sweep::run(&args, quiet),
        Command::Merge(args) => merge::run(&args),
        Command::Info(args) => info::run(&args),
        Command::Bench(args) => bench::run(&args),
    }
}
