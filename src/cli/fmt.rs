//! `dlint fmt`: format Dockerfiles in place (atomically), check them, diff them, or format
//! stdin to stdout for editors.

use crate::cli::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::lint::discover::{self, STDIN};
use crate::report::diff::unified_diff;
use crate::{Error, Result};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Dockerfiles, directories (walked as `dlint lint` walks them) or globs; none: every
    /// Dockerfile under the current directory; `-` formats stdin to stdout.
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 when there are any.
    #[arg(long)]
    pub check: bool,
    /// Print a unified diff instead of writing the files (exit 1 when there are changes).
    #[arg(long)]
    pub diff: bool,
    /// Format stdin to stdout, naming it PATH in messages and diffs (for editors).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

/// Runs `dlint fmt`.
pub fn run(args: FmtArgs) -> Result<ExitCode> {
    let paths = if args.stdin_filename.is_some() && args.paths.is_empty() {
        vec![PathBuf::from(STDIN)]
    } else {
        args.paths.clone()
    };
    let found = discover::expand(&paths);
    let mut failed = !found.errors.is_empty();
    for e in &found.errors {
        eprintln!("dlint: error: {e}");
    }
    if found.files.is_empty() && found.errors.is_empty() {
        return Err(Error::Usage(
            "no Dockerfile found (looked for Dockerfile, Dockerfile.*, *.Dockerfile, \
             Containerfile, Containerfile.*)"
                .into(),
        ));
    }
    let dry = args.check || args.diff;
    let mut out = super::Stdout::new();
    let (mut changed, mut unchanged) = (0usize, 0usize);
    // read and format in parallel; report and write in order
    let results: Vec<_> = {
        use rayon::prelude::*;
        found
            .files
            .par_iter()
            .map(|path| {
                crate::lint::read::read_utf8(path).map(|source| {
                    let formatted = crate::format::format(&source);
                    (source, formatted)
                })
            })
            .collect()
    };
    for (path, result) in found.files.iter().zip(results) {
        let is_stdin = path.as_os_str() == STDIN;
        let shown = match (&args.stdin_filename, is_stdin) {
            (Some(name), true) => name.display().to_string(),
            _ => path.display().to_string(),
        };
        let io_err = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let (source, formatted) = match result {
            Ok(pair) => pair,
            Err(e) => {
                eprintln!("dlint: error: {e}");
                failed = true;
                continue;
            }
        };
        let formatted = match formatted {
            Ok(f) => f,
            Err(e) => {
                eprintln!("dlint: error: {shown}:{e}");
                failed = true;
                continue;
            }
        };
        if formatted == source {
            unchanged += 1;
            if is_stdin && !dry {
                out.write_all(source.as_bytes()).map_err(io_err)?;
            }
            continue;
        }
        changed += 1;
        if args.diff {
            out.write_all(unified_diff(&shown, &source, &formatted).as_bytes())
                .map_err(io_err)?;
        } else if args.check {
            eprintln!("dlint: {shown} would be reformatted");
        } else if is_stdin {
            out.write_all(formatted.as_bytes()).map_err(io_err)?;
        } else if let Err(e) = crate::lint::fix::write_atomic(path, &formatted) {
            eprintln!("dlint: error: {}", io_err(e));
            failed = true;
            changed -= 1;
        }
    }
    out.finish()?;
    let verb = if dry {
        "would be reformatted"
    } else {
        "reformatted"
    };
    eprintln!("dlint: {changed} file(s) {verb}, {unchanged} unchanged");
    Ok(ExitCode::from(if failed {
        EXIT_ERROR
    } else if dry && changed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }))
}
