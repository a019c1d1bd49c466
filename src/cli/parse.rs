//! `dlint parse`: print the AST as JSON.

use crate::dockerfile;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The Dockerfile to parse (`-` for stdin).
    pub path: PathBuf,
    /// Output format.
    #[arg(long, default_value = "json", value_parser = ["json"])]
    pub format: String,
}

/// Runs `dlint parse`.
pub fn run(args: ParseArgs) -> crate::Result<ExitCode> {
    let source = crate::lint::read::read_utf8(&args.path)?;
    let df = dockerfile::parse(&source);
    let json = serde_json::to_string_pretty(&df).map_err(|e| crate::Error::Other(e.to_string()))?;
    super::write_stdout(format!("{json}\n").as_bytes())?;
    for err in &df.errors {
        let pos = df.lines.line_col(&df.source, err.span.start);
        eprintln!(
            "{}:{}:{}: error: {}",
            args.path.display(),
            pos.line,
            pos.column,
            err.message
        );
    }
    Ok(ExitCode::from(if df.errors.is_empty() { 0 } else { 1 }))
}
