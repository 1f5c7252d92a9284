//! `cavitas run`: the main job. Until the coupled joint solver lands, it runs the default
//! bubble-field scenario (a synovial nuclei ensemble under oscillating pressure and tension).

use crate::cli::RunArgs;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    eprintln!(
        "note: the coupled joint solver is not built yet; `cavitas run` runs a bubble-field \
         scenario (default: configs/bubble/ensemble.toml)"
    );
    super::bubble::run_with_default(args, super::bubble::DEFAULT_SCENARIO, "run")
}
