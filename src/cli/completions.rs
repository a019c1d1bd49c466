//! `dlint completions SHELL`: shell completion scripts (clap_complete).

use crate::Result;
use clap::CommandFactory;
use std::process::ExitCode;

/// Arguments of `dlint completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script for `args.shell` to stdout.
pub fn run(args: CompletionsArgs) -> Result<ExitCode> {
    let mut cmd = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "dlint", &mut out);
    super::write_stdout(&out)?;
    Ok(ExitCode::from(super::EXIT_OK))
}
