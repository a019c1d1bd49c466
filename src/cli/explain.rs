//! `dlint explain ID|name`: print a rule's page.

use crate::Result;
use crate::report::rules::explain;
use std::process::ExitCode;

/// Arguments of `dlint explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Rule id (DL3009) or name (apt-lists-not-removed).
    pub rule: String,
}

/// Runs `dlint explain`.
pub fn run(args: ExplainArgs) -> Result<ExitCode> {
    super::write_stdout(explain(crate::rules::registry(), &args.rule)?.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
