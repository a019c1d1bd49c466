//! `dlint merge FILE…`: combine the summary lines of `dlint image --from-file --format jsonl`
//! workers into one report.

use crate::image::fleet;
use crate::report::fleet::{MergeFormat, render};
use crate::{Error, Result};
use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Files of summary lines (`-` for stdin), e.g. one per shard.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = MergeFormat::Text)]
    pub format: MergeFormat,
    /// Rows per list.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

/// Runs `dlint merge`.
pub fn run(args: MergeArgs) -> Result<ExitCode> {
    let mut lines = Vec::new();
    for path in &args.files {
        let text = if path.as_os_str() == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
            s
        } else {
            std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?
        };
        lines.extend(fleet::parse_lines(&path.display().to_string(), &text).map_err(Error::Usage)?);
    }
    let report = fleet::merge(lines, args.top);
    let mut out = Vec::new();
    render(&report, args.format, &mut out).map_err(super::stdout_error)?;
    super::write_stdout(&out)?;
    Ok(ExitCode::from(super::EXIT_OK))
}
