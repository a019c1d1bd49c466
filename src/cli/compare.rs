//! `dlint compare A B`: analyse two images in parallel and report their differences.

use crate::image::compare::{self, CompareOptions, Growth, GrowthCheck, Side};
use crate::image::packages::CAPTURE_GLOBS;
use crate::image::{self, AnalyzeOptions, OpenOptions};
use crate::report::compare::{CompareFormat, render};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `dlint compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Baseline image (docker-archive tar, OCI layout directory or OCI archive tar).
    pub a: PathBuf,
    /// Candidate image, compared against the baseline.
    pub b: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Directory depth of the size-by-directory table (1 = top level).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Rows in the largest-files lists.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Fail (exit 1) when B's uncompressed size exceeds A's by more than this: `5%` or `20MB`.
    #[arg(long, value_name = "LIMIT")]
    pub max_growth: Option<Growth>,
    /// Platform for both inputs when they hold several (`linux/arm64`).
    #[arg(long)]
    pub platform: Option<String>,
    /// Platform of A only (overrides --platform).
    #[arg(long, value_name = "PLATFORM")]
    pub platform_a: Option<String>,
    /// Platform of B only (overrides --platform).
    #[arg(long, value_name = "PLATFORM")]
    pub platform_b: Option<String>,
    /// Image name of A when its archive holds several.
    #[arg(long, value_name = "NAME")]
    pub image_a: Option<String>,
    /// Image name of B when its archive holds several.
    #[arg(long, value_name = "NAME")]
    pub image_b: Option<String>,
    /// Skip the sha256 checks of blobs and layers.
    #[arg(long)]
    pub no_verify: bool,
    /// Layers decoded in parallel per image (default: one per CPU).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// How to open one side.
#[derive(Debug, Clone, Default)]
pub struct SideOptions {
    /// Platform selection.
    pub platform: Option<String>,
    /// Image selection.
    pub image: Option<String>,
    /// Skip digest checks.
    pub no_verify: bool,
    /// Layers decoded in parallel per image (0 = one per CPU).
    pub jobs: usize,
}

/// Analyses the image at `path` and summarises it for the comparison.
pub fn load_side(path: &Path, opts: &SideOptions) -> crate::Result<Side> {
    let img = image::open(
        path,
        &OpenOptions {
            platform: opts.platform.clone(),
            image: opts.image.clone(),
        },
    )?;
    let report = image::analyze(
        &img,
        &AnalyzeOptions {
            jobs: opts.jobs,
            verify: !opts.no_verify,
            top: 0,
            capture: CAPTURE_GLOBS.iter().map(|g| g.to_string()).collect(),
            ..AnalyzeOptions::default()
        },
    )?;
    Ok(Side::from_report(path.display().to_string(), &report))
}

/// Runs `dlint compare`.
pub fn run(args: CompareArgs) -> crate::Result<ExitCode> {
    let side_opts = |platform: &Option<String>, image: &Option<String>| SideOptions {
        platform: platform.clone().or_else(|| args.platform.clone()),
        image: image.clone(),
        no_verify: args.no_verify,
        jobs: args.jobs.unwrap_or(0),
    };
    let (oa, ob) = (
        side_opts(&args.platform_a, &args.image_a),
        side_opts(&args.platform_b, &args.image_b),
    );
    let (a, b) = rayon::join(|| load_side(&args.a, &oa), || load_side(&args.b, &ob));
    let (a, b) = (a?, b?);
    let cmp = compare::compare(
        &a,
        &b,
        &CompareOptions {
            depth: args.depth,
            top: args.top,
        },
    );
    let gate = args.max_growth.map(|g| GrowthCheck::check(&cmp, g));
    let io_err = |path: PathBuf| move |source| crate::Error::Io { path, source };
    match &args.output {
        Some(path) => {
            let mut buf = Vec::new();
            render(args.format, &cmp, gate.as_ref(), &mut buf).map_err(io_err(path.clone()))?;
            std::fs::write(path, buf).map_err(io_err(path.clone()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match render(args.format, &cmp, gate.as_ref(), &mut lock).and_then(|()| lock.flush()) {
                // `dlint compare … | head`: the reader left; not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                r => r.map_err(io_err(PathBuf::from("<stdout>")))?,
            }
        }
    }
    match gate {
        Some(g) if g.exceeded => {
            eprintln!("dlint: {}", crate::report::compare::gate_line(&g));
            Ok(ExitCode::from(super::EXIT_FINDINGS))
        }
        _ => Ok(ExitCode::from(super::EXIT_OK)),
    }
}
