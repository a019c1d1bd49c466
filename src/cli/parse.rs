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
    let source = read_source(&args.path)?;
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

/// Reads a file (or stdin for `-`) as UTF-8 text, replacing invalid sequences.
pub fn read_source(path: &std::path::Path) -> crate::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let res = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    res.map_err(|source| crate::Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
