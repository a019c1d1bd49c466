//! `dlint rules`: list every rule.

use crate::Result;
use crate::report::rules::{RulesFormat, list};
use std::process::ExitCode;

/// Arguments of `dlint rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: RulesFormat,
}

/// Runs `dlint rules`.
pub fn run(args: RulesArgs) -> Result<ExitCode> {
    super::write_stdout(list(crate::rules::registry(), args.format).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
