//! `cavitas merge DIR -o FILE`: a sweep folder merged into a study file with the `/sweep`
//! table; `cavitas merge OUT SHARD...`: one sweep file of virtual datasets over finished
//! run files of the same scenario shape.

use anyhow::Context;

use crate::cli::MergeArgs;
use crate::exit::InputError;

pub fn run(args: &MergeArgs) -> anyhow::Result<()> {
    if let Some(output) = &args.output {
        let [dir] = args.paths.as_slice() else {
            return Err(InputError("merge -o FILE takes one sweep folder (DIR)".into()).into());
        };
        let merged = cavitas_sweep::merge_study(dir, output, args.force)?;
        eprintln!("{}", merged.describe(dir));
        return Ok(());
    }
    let Some((output, shards @ [_, ..])) = args.paths.split_first() else {
        return Err(InputError("give OUT SHARD... (run files), or DIR -o FILE".into()).into());
    };
    let path = cavitas_hdf5::merge_shards(shards, output, args.force)
        .with_context(|| format!("merging into {}", output.display()))?;
    eprintln!("merged {} shard(s) into {}", shards.len(), path.display());
    Ok(())
}
