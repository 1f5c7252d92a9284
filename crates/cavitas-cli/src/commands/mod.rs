pub mod capsule;

pub fn dispatch(c: crate::cli::Cli) -> anyhow::Result<()> {
    match c.command {
        crate::cli::Command::Capsule(args) => capsule::run(&args),
        _ => Ok(()),
    }
}
