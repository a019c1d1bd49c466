//! `dlint explain ID|name`: print a rule's page.

use crate::lint::Registry;
use crate::{Error, Result};
use std::process::ExitCode;

/// Arguments of `dlint explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Rule id (DL3009) or name (apt-lists-not-removed).
    pub rule: String,
}

/// The text `dlint explain` prints for `key`.
pub fn explain(registry: &Registry, key: &str) -> Result<String> {
    let info = registry.lookup(key).ok_or_else(|| {
        let hint = registry
            .suggest(key)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        Error::Usage(format!(
            "unknown rule `{key}`{hint}; `dlint rules` lists them"
        ))
    })?;
    Ok(info.explain())
}

/// Runs `dlint explain`.
pub fn run(args: ExplainArgs) -> Result<ExitCode> {
    let text = explain(crate::rules::registry(), &args.rule)?;
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
