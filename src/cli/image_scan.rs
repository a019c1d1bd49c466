//! `dlint image --from-file LIST [--shard I/N] --format jsonl`: many images, one summary line
//! each, written as each analysis ends (a killed worker keeps the lines it wrote).

use super::image::{ImageArgs, ImageFormat};
use crate::image::fleet::{Summary, read_refs};
use crate::image::{self, AnalyzeOptions, OpenOptions};
use crate::{Error, Result};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs the scan of the references listed in `list`.
pub fn run(args: &ImageArgs, list: &Path, config: &crate::lint::Config) -> Result<ExitCode> {
    if args.format != ImageFormat::Jsonl {
        return Err(Error::Usage(
            "--from-file writes one summary line per image: use --format jsonl".into(),
        ));
    }
    let io_err = |source| Error::Io {
        path: list.to_path_buf(),
        source,
    };
    let text = if list.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(io_err)?;
        s
    } else {
        std::fs::read_to_string(list).map_err(io_err)?
    };
    let opts = AnalyzeOptions {
        jobs: args.jobs.unwrap_or(0),
        verify: !args.no_verify,
        top: args.top,
        max_entries: args.max_entries,
        files: false,
        cache: args.cache.cache(config)?,
        ..AnalyzeOptions::default()
    };
    let open = OpenOptions {
        platform: args.platform.clone(),
        image: args.image.clone(),
        registry: args.registry.options(),
    };
    let mut failed = 0usize;
    let stdout = std::io::stdout();
    for r in read_refs(&text) {
        if args.shard.is_some_and(|s| !s.takes(&r)) {
            continue;
        }
        let line = match image::open(&PathBuf::from(&r), &open)
            .and_then(|img| image::analyze(&img, &opts))
        {
            Ok(report) => Summary::of(&r, &report),
            Err(e) => {
                failed += 1;
                eprintln!("dlint: {r}: {e}");
                Summary::failed(&r, e.to_string())
            }
        };
        let mut s =
            serde_json::to_string(&line).map_err(|e| Error::Other(format!("writing JSON: {e}")))?;
        s.push('\n');
        let mut out = stdout.lock();
        out.write_all(s.as_bytes())
            .and_then(|()| out.flush())
            .map_err(super::stdout_error)?;
    }
    super::layer_cache::report(opts.cache.as_ref(), args.cache.verbose || config.verbose);
    if failed > 0 {
        eprintln!("dlint: {failed} image(s) could not be analysed (their lines carry the error)");
    }
    Ok(ExitCode::from(super::EXIT_OK))
}
