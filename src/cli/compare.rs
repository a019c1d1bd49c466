//! `dlint compare A B`: analyse two images in parallel and report their differences.

use crate::image::compare::{self, CompareOptions, DockerfileHint, Growth, GrowthCheck};
use crate::image::packages::CAPTURE_GLOBS;
use crate::image::{AnalyzeOptions, OpenOptions};
use crate::report::compare::{CompareFormat, render};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Baseline image (docker-archive tar, OCI layout directory, OCI archive tar, or a registry
    /// image `docker://HOST/NAME:TAG`).
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
    /// The Dockerfile both images were built from: its FROM names their base, and their
    /// history matched to it says which layers are the base's (docs/base-images.md).
    #[arg(long, value_name = "FILE")]
    pub dockerfile: Option<PathBuf>,
    /// The Dockerfile of A only (overrides --dockerfile).
    #[arg(long, value_name = "FILE")]
    pub dockerfile_a: Option<PathBuf>,
    /// The Dockerfile of B only (overrides --dockerfile).
    #[arg(long, value_name = "FILE")]
    pub dockerfile_b: Option<PathBuf>,
    /// Stage that was built, in the Dockerfiles (default the last).
    #[arg(long)]
    pub target: Option<String>,
    #[command(flatten)]
    pub config: super::shared::ConfigArgs,
    #[command(flatten)]
    pub registry: super::registry::RegistryArgs,
    #[command(flatten)]
    pub base: super::shared::BaseArgs,
    #[command(flatten)]
    pub cache: super::layer_cache::CacheArgs,
}

/// Runs `dlint compare`.
pub fn run(args: CompareArgs) -> crate::Result<ExitCode> {
    // of the config file, `image: cache-max` and `base-facts`/`base-images` apply to a
    // comparison; a file named but broken or missing is still an error, as for every command
    let mut overrides = crate::lint::config::Overrides {
        registry: args.registry.options(),
        ..Default::default()
    };
    args.base
        .apply_to(&mut overrides, crate::image::base::FactsMode::Registry);
    let config = args.config.resolve_with(&overrides)?;
    let open = |platform: &Option<String>, image: &Option<String>| OpenOptions {
        platform: platform.clone().or_else(|| args.platform.clone()),
        image: image.clone(),
        registry: args.registry.options(),
    };
    let opts = AnalyzeOptions {
        jobs: args.jobs.unwrap_or(0),
        verify: !args.no_verify,
        top: 0,
        capture: CAPTURE_GLOBS.iter().map(|g| g.to_string()).collect(),
        cache: args.cache.cache(&config)?,
        ..AnalyzeOptions::default()
    };
    let resolver = config.base_resolver.as_deref();
    if let (Some(r), Some(c)) = (resolver, &opts.cache) {
        r.use_layer_cache(c.clone());
    }
    let dockerfiles = [
        args.dockerfile_a.as_ref().or(args.dockerfile.as_ref()),
        args.dockerfile_b.as_ref().or(args.dockerfile.as_ref()),
    ];
    let mut parsed = Vec::new();
    for d in dockerfiles {
        parsed.push(match d {
            Some(p) => Some(crate::dockerfile::parse(&crate::lint::read::read_utf8(p)?)),
            None => None,
        });
    }
    let target = args.target.as_deref();
    for df in parsed.iter().flatten() {
        crate::optimize::attribute::built_stage(df, target).map_err(crate::Error::Usage)?;
    }
    let hint = |side: usize, img: &crate::image::Image| -> Option<DockerfileHint> {
        let df = parsed.get(side)?.as_ref()?;
        crate::optimize::base_hint(df, target, img).ok()
    };
    let (a, b) = compare::load_sides_with_bases(
        [&args.a, &args.b],
        [
            &open(&args.platform_a, &args.image_a),
            &open(&args.platform_b, &args.image_b),
        ],
        &opts,
        resolver,
        &hint,
    )?;
    super::shared::print_base_notes(&config);
    super::layer_cache::report(opts.cache.as_ref(), args.cache.verbose || config.verbose);
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
            let mut out = super::Stdout::new();
            render(args.format, &cmp, gate.as_ref(), &mut out).map_err(super::stdout_error)?;
            out.finish()?;
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
