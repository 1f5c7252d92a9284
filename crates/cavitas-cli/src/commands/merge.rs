//! `cavitas merge OUT SHARD...`: one sweep file of virtual datasets over finished run files
//! of the same scenario shape.

use anyhow::Context;

use crate::cli::MergeArgs;

pub fn run(args: &MergeArgs) -> anyhow::Result<()> {
    let path = cavitas_hdf5::merge_shards(&args.shards, &args.output, args.force)
        .with_context(|| format!("merging into {}", args.output.display()))?;
    eprintln!(
        "merged {} shard(s) into {}",
        args.shards.len(),
        path.display()
    );
    Ok(())
}
