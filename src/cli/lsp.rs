//! `dlint lsp`: run the language server on stdin/stdout (see `docs/editors.md`).

use crate::{Error, Result};
use std::process::ExitCode;

/// Arguments of `dlint lsp`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LspArgs {
    /// Talk over stdin/stdout (the only transport; accepted because many clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// Runs `dlint lsp`.
pub fn run(_args: LspArgs) -> Result<ExitCode> {
    crate::lsp::serve_stdio(crate::rules::registry())
        .map_err(|e| Error::Other(format!("lsp: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
