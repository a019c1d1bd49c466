//! `dlint optimize Dockerfile --image IMAGE`: every size finding priced in bytes of the image.

use crate::Result;
use crate::image::gates::{self, Limit};
use crate::image::{self, AnalyzeOptions, OpenOptions};
use crate::optimize::{self, Options};
use crate::report::optimize::{Format, render};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint optimize`.
#[derive(Debug, clap::Args)]
pub struct OptimizeArgs {
    /// The Dockerfile the image was built from.
    pub dockerfile: PathBuf,
    /// The image built from it: docker-archive tar, OCI layout directory or OCI archive tar.
    /// Without it, the size findings are listed unmeasured.
    #[arg(long)]
    pub image: Option<PathBuf>,
    /// Stage that was built (`docker build --target`); default the last.
    #[arg(long)]
    pub target: Option<String>,
    /// Build context directory, checked for directories `.dockerignore` could exclude.
    #[arg(long)]
    pub context: Option<PathBuf>,
    /// Platform to analyse in a multi-platform image, `os/arch[/variant]`.
    #[arg(long)]
    pub platform: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Gate: exit 1 when the possible saving is larger (a size like 20MB, or a share like 5%).
    #[arg(long, value_parser = gates::parse_limit)]
    pub max_savings: Option<Limit>,
    /// For a single-stage build whose image keeps a build toolchain: propose a multi-stage
    /// Dockerfile (a unified diff, marked manual, with the bytes it saves).
    #[arg(long)]
    pub suggest: bool,
    /// Layers decoded in parallel (default: one per CPU).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Skip checking blob digests and diff_ids.
    #[arg(long)]
    pub no_verify: bool,
    /// Price the fixes `dlint fix --fix-style STYLE` would apply (`clean` or `mount`; default:
    /// the config's `fix-style`, else clean).
    #[arg(long, value_enum, value_name = "STYLE")]
    pub fix_style: Option<crate::lint::fix::FixStyle>,
    #[command(flatten)]
    pub config: super::shared::ConfigArgs,
    #[command(flatten)]
    pub registry: super::registry::RegistryArgs,
    #[command(flatten)]
    pub base: super::shared::BaseArgs,
    #[command(flatten)]
    pub cache: super::layer_cache::CacheArgs,
}

/// Runs `dlint optimize`.
pub fn run(args: OptimizeArgs) -> Result<ExitCode> {
    let mut overrides = crate::lint::config::Overrides {
        registry: args.registry.options(),
        fix_style: args.fix_style,
        ..Default::default()
    };
    args.base
        .apply_to(&mut overrides, crate::image::base::FactsMode::Registry);
    let config = args.config.resolve_with(&overrides)?;
    let cache = args.cache.cache(&config)?;
    if let (Some(r), Some(c)) = (&config.base_resolver, &cache) {
        r.use_layer_cache(c.clone());
    }
    let source = crate::lint::read::read_utf8(&args.dockerfile)?;
    let df = crate::dockerfile::parse(&source);
    let img = match &args.image {
        Some(p) => Some(image::open(
            p,
            &OpenOptions {
                platform: args.platform.clone(),
                image: None,
                registry: args.registry.options(),
            },
        )?),
        None => None,
    };
    let big = img.as_ref().is_some_and(image::Image::is_large);
    let opts = Options {
        target: args.target.clone(),
        context: args.context.clone(),
        config,
        analyze: AnalyzeOptions {
            jobs: args.jobs.unwrap_or(0),
            verify: !args.no_verify,
            progress: big && std::io::stderr().is_terminal(),
            cache,
            ..AnalyzeOptions::default()
        },
        suggest: args.suggest,
    };
    let name = args.dockerfile.display().to_string();
    let report = optimize::run(&df, &name, img.as_ref(), &opts)?;
    super::shared::print_base_notes(&opts.config);
    super::layer_cache::report(
        opts.analyze.cache.as_ref(),
        args.cache.verbose || opts.config.verbose,
    );
    let mut out = Vec::new();
    render(&report, args.format, &mut out).map_err(super::stdout_error)?;
    super::write_stdout(&out)?;
    if let Some(why) = args.max_savings.and_then(|l| report.over_savings(l)) {
        eprintln!("dlint: gate max-savings failed: {why}");
        return Ok(ExitCode::from(super::EXIT_FINDINGS));
    }
    Ok(ExitCode::from(super::EXIT_OK))
}
