//! `dlint explain ID|name`: print a rule's page.

use crate::lint::{Registry, pages};
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
    let header = format!(
        "{} ({}) · severity {}{} · category {} · {}\n\n",
        info.id,
        info.name,
        info.severity,
        if info.default_enabled {
            ""
        } else {
            ", off by default"
        },
        info.category,
        if info.fixable {
            "fixable"
        } else {
            "no automatic fix"
        },
    );
    let body = match info.page.map(pages::split) {
        Some(Ok((_, body))) => body.trim_start().to_string(),
        _ => format!("# {}: {}\n", info.id, info.summary),
    };
    Ok(header + &body)
}

/// Runs `dlint explain`.
pub fn run(args: ExplainArgs) -> Result<ExitCode> {
    let text = explain(Registry::global(), &args.rule)?;
    super::output::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
