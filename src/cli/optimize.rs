//! `dlint optimize Dockerfile --image IMAGE`: every size finding priced in bytes of the image.

use crate::image::gates::{self, Limit};
use crate::image::{self, AnalyzeOptions, OpenOptions};
use crate::lint::Config;
use crate::optimize::{self, Options};
use crate::report::optimize::{Format, render};
use crate::{Error, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output format of `dlint optimize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OptimizeFormat {
    /// Ranked table.
    Text,
    /// JSON, schema `dlint-optimize/1` (docs/optimize-schema.md).
    Json,
    /// Markdown for a merge-request comment.
    Markdown,
}

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
    #[arg(long, short = 'f', value_enum, default_value_t = OptimizeFormat::Text)]
    pub format: OptimizeFormat,
    /// Gate: exit 1 when the possible saving is larger (a size like 20MB, or a share like 5%).
    #[arg(long, value_parser = gates::parse_limit)]
    pub max_savings: Option<Limit>,
    /// Layers decoded in parallel (default: one per CPU).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Skip checking blob digests and diff_ids.
    #[arg(long)]
    pub no_verify: bool,
    /// Config file to use instead of searching for `.dlint.yaml` / `.hadolint.yaml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Do not read any config file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    #[command(flatten)]
    pub registry: super::registry::RegistryArgs,
}

/// Runs `dlint optimize`.
pub fn run(args: OptimizeArgs) -> Result<ExitCode> {
    let registry = crate::rules::registry();
    let config = if args.no_config {
        Config::default()
    } else if let Some(p) = &args.config {
        Config::load(p, registry)?
    } else {
        let cwd = std::env::current_dir().map_err(|e| Error::Io {
            path: PathBuf::from("."),
            source: e,
        })?;
        Config::discover(&cwd, registry)?
    };
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
    let big = img.as_ref().is_some_and(|i| {
        i.layers.iter().filter_map(|l| l.size).sum::<u64>() > (64 << 20)
            || i.store_size() > (64 << 20)
    });
    let opts = Options {
        target: args.target.clone(),
        context: args.context.clone(),
        config,
        analyze: AnalyzeOptions {
            jobs: args.jobs.unwrap_or(0),
            verify: !args.no_verify,
            progress: big && std::io::stderr().is_terminal(),
            ..AnalyzeOptions::default()
        },
    };
    let name = args.dockerfile.display().to_string();
    let report = optimize::run(&df, &name, img.as_ref(), &opts).map_err(|e| match e {
        optimize::OptimizeError::Image(e) => Error::from(e),
        optimize::OptimizeError::Stage(m) => Error::Usage(m),
    })?;
    let mut out = Vec::new();
    let format = match args.format {
        OptimizeFormat::Text => Format::Text,
        OptimizeFormat::Json => Format::Json,
        OptimizeFormat::Markdown => Format::Markdown,
    };
    render(&report, format, &mut out).map_err(|e| Error::Io {
        path: PathBuf::from("<stdout>"),
        source: e,
    })?;
    super::write_stdout(&out)?;
    if let Some(limit) = args.max_savings {
        let over = match (limit, report.size) {
            (Limit::Bytes(b), _) => report.total_saved > b,
            (Limit::Percent(p), Some(size)) if size > 0 => {
                report.total_saved as f64 * 100.0 / size as f64 > p
            }
            _ => false,
        };
        if over {
            eprintln!(
                "dlint: gate max-savings failed: {} bytes could be saved (limit {})",
                report.total_saved,
                match limit {
                    Limit::Bytes(b) => format!("{b} bytes"),
                    Limit::Percent(p) => format!("{p}%"),
                }
            );
            return Ok(ExitCode::from(super::EXIT_FINDINGS));
        }
    }
    Ok(ExitCode::from(super::EXIT_OK))
}
