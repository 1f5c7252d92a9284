//! Embeds the source revision at build time (`VERGEN_GIT_SHA`, `VERGEN_GIT_DIRTY`), so a run
//! file records the revision of the build that wrote it, wherever it runs.

use vergen_gitcl::{Emitter, GitclBuilder};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let git = GitclBuilder::default().sha(false).dirty(true).build()?;
    // `sha(false)`: the full 40-digit revision, not the short form.
    // Outside a git checkout (a packaged crate) vergen emits placeholders and a warning;
    // the provenance then says `unknown`.
    Emitter::default().add_instructions(&git)?.emit()?;
    Ok(())
}
