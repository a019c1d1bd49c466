//! `dlint image A B C`: every image analysed (the layer cache makes a shared layer cost one
//! read), then the layers they share and the bytes that saves.

use super::image::{ImageArgs, ImageFormat};
use crate::image::{self, AnalyzeOptions, OpenOptions, family, gates};
use crate::{Error, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `dlint image` on several inputs.
pub fn run(args: &ImageArgs, inputs: &[PathBuf], config: &crate::lint::Config) -> Result<ExitCode> {
    if args.dockerfile.is_some() || args.files {
        return Err(Error::Usage(
            "--dockerfile and --files take one image; several images give their shared layers"
                .into(),
        ));
    }
    if !matches!(
        args.format,
        ImageFormat::Text | ImageFormat::Json | ImageFormat::Markdown
    ) {
        return Err(Error::Usage(
            "several images: --format text, json or markdown".into(),
        ));
    }
    let gates = args.gates(config)?;
    let cache = args.cache.cache(config)?;
    let mut reports = Vec::with_capacity(inputs.len());
    for input in inputs {
        let img = image::open(
            input,
            &OpenOptions {
                platform: args.platform.clone(),
                image: args.image.clone(),
                registry: args.registry.options(),
            },
        )?;
        let opts = AnalyzeOptions {
            jobs: args.jobs.unwrap_or(0),
            verify: !args.no_verify,
            top: args.top,
            max_entries: args.max_entries,
            progress: img.is_large() && std::io::stderr().is_terminal(),
            files: false,
            cache: cache.clone(),
            ..AnalyzeOptions::default()
        };
        reports.push((input.display().to_string(), image::analyze(&img, &opts)?));
    }
    super::layer_cache::report(cache.as_ref(), args.cache.verbose || config.verbose);
    let fam = family::family(&reports);
    let mut out = Vec::new();
    match args.format {
        ImageFormat::Json => {
            out = serde_json::to_vec_pretty(&fam)
                .map_err(|e| Error::Other(format!("writing JSON: {e}")))?;
            out.push(b'\n');
        }
        ImageFormat::Markdown => {
            crate::report::family::render_markdown(&fam, &mut out).map_err(super::stdout_error)?
        }
        _ => crate::report::family::render_text(&fam, &mut out).map_err(super::stdout_error)?,
    }
    match &args.output {
        Some(path) => std::fs::write(path, &out).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?,
        None => super::write_stdout(&out)?,
    }
    // the gates hold for every image
    let mut code = ExitCode::from(super::EXIT_OK);
    for (name, r) in &reports {
        for f in gates::check(r, &gates) {
            eprintln!("dlint: {name}: gate {} failed: {}", f.gate, f.message);
            code = ExitCode::from(super::EXIT_FINDINGS);
        }
    }
    Ok(code)
}
