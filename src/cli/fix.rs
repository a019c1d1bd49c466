//! `dlint fix`: apply the fixes rules attach (safe ones; unsafe ones too with `--unsafe-fixes`),
//! re-linting until stable, and write the files atomically.

use crate::cli::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::lint::{self, config::Overrides};
use crate::report::diff::unified_diff;
use crate::{Error, Result};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint fix`.
#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Dockerfiles to fix (only these files are written); `-` reads stdin and prints the result.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print a unified diff instead of writing the files (exit 1 when there are changes).
    #[arg(long)]
    pub diff: bool,
    /// Write nothing; exit 1 when any file would change (for CI and pre-commit hooks).
    #[arg(long)]
    pub check: bool,
    /// Also apply unsafe fixes (they may change what the image does or contains).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// How cache fixes keep a cache out of the layer: `clean` (append the cleanup) or `mount`
    /// (BuildKit cache mounts, unsafe). Default: the config's `fix-style`, else clean.
    #[arg(long, value_enum, value_name = "STYLE")]
    pub fix_style: Option<lint::fix::FixStyle>,
    #[command(flatten)]
    pub config: super::shared::ConfigArgs,
    /// Do not apply this rule's fixes (id or name); repeatable.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
}

/// Runs `dlint fix`.
pub fn run(args: FixArgs) -> Result<ExitCode> {
    let registry = crate::rules::registry();
    let overrides = Overrides {
        ignore: args.ignore.clone(),
        fix_style: args.fix_style,
        ..Overrides::default()
    };
    let cfg = args.config.resolve_with(&overrides)?;
    let mut out = super::Stdout::new();
    let io_err = |path: &PathBuf| {
        let path = path.clone();
        move |source| Error::Io { path, source }
    };
    let mode = lint::fix::FixMode {
        unsafe_fixes: args.unsafe_fixes,
    };
    let dry = args.diff || args.check;
    let (mut failed, mut totals) = (false, lint::fix::Totals::default());
    for path in &args.paths {
        if path.is_dir() {
            eprintln!(
                "dlint: error: {}: is a directory; `dlint fix` only writes the files it is given",
                path.display()
            );
            failed = true;
            continue;
        }
        if crate::lint::project::is_build_file_path(path) {
            eprintln!(
                "dlint: error: {}: a compose/bake file; `dlint fix` edits Dockerfiles, so name \
                 the Dockerfiles its builds use",
                path.display()
            );
            failed = true;
            continue;
        }
        let source = match crate::lint::read::read_utf8(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("dlint: error: {e}");
                failed = true;
                continue;
            }
        };
        let fixed = lint::fix::fix_with(registry, &source, &cfg, mode);
        totals.add(&fixed);
        if !fixed.converged {
            eprintln!(
                "dlint: warning: {}: fixes still changed the file after {} rounds (please report it)",
                path.display(),
                lint::fix::MAX_ROUNDS
            );
        }
        let is_stdin = path.as_os_str() == "-";
        if fixed.source == source {
            if is_stdin && !dry {
                out.write_all(source.as_bytes()).map_err(io_err(path))?;
            }
            continue;
        }
        totals.changed += 1;
        if args.diff {
            let shown = path.display().to_string();
            out.write_all(unified_diff(&shown, &source, &fixed.source).as_bytes())
                .map_err(io_err(path))?;
        } else if args.check {
            eprintln!("dlint: {} would be changed", path.display());
        } else if is_stdin {
            out.write_all(fixed.source.as_bytes())
                .map_err(io_err(path))?;
        } else if let Err(e) = lint::fix::write_atomic(path, &fixed.source) {
            // The file is left as it was; the other files are still fixed.
            eprintln!("dlint: error: {}", io_err(path)(e));
            failed = true;
            totals.changed -= 1;
            totals.fixes -= fixed.applied;
        }
    }
    out.finish()?;
    for line in totals.summary(dry) {
        eprintln!("dlint: {line}");
    }
    Ok(ExitCode::from(if failed {
        EXIT_ERROR
    } else if dry && totals.changed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }))
}
