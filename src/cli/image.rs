//! `dlint image ARCHIVE`: per-layer size, waste, leftover caches and CI gates.

use crate::image::{self, AnalyzeOptions, OpenOptions, gates};
use crate::{Error, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output format of `dlint image`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImageFormat {
    /// Aligned tables.
    Text,
    /// The full report as JSON (schema in docs/image.md).
    Json,
    /// One JSON object per line: the image, each layer then its files (with --files); with
    /// --from-file, one summary line per image (docs/registry-scans.md).
    Jsonl,
    /// Layers as CSV; with --files, every layer's added/modified/removed paths instead.
    Csv,
    /// One self-contained HTML page: layer chart, per-layer file trees, treemap (use -o).
    Html,
    /// With several images: the shared layers as Markdown tables.
    Markdown,
}

/// Arguments of `dlint image`.
#[derive(Debug, clap::Args)]
pub struct ImageArgs {
    /// docker-archive tar (`docker save`), OCI layout directory, OCI archive tar, or a registry
    /// image: `docker://HOST[:PORT]/NAME[:TAG|@DIGEST]`, `oci://…`, or `NAME:TAG` (Docker Hub).
    /// Several images: the layers they share (same diff_id) and the bytes that saves.
    #[arg(required_unless_present = "from_file")]
    pub input: Vec<PathBuf>,
    /// Analyse every image listed in FILE (one reference or path per line; `-`: stdin),
    /// writing one summary line per image (--format jsonl).
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    pub from_file: Option<PathBuf>,
    /// With --from-file: analyse only this worker's part of the list, `I/N` (0 <= I < N),
    /// assigned by a stable hash of each reference.
    #[arg(long, value_name = "I/N", requires = "from_file", value_parser = image::fleet::Shard::parse)]
    pub shard: Option<image::fleet::Shard>,
    /// Platform to analyse in a multi-platform image, `os/arch[/variant]` (default: the only one,
    /// else linux/amd64).
    #[arg(long)]
    pub platform: Option<String>,
    /// Image to analyse when the archive holds several (`name:tag`, or a digest prefix).
    #[arg(long)]
    pub image: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ImageFormat::Text)]
    pub format: ImageFormat,
    /// Layers decoded in parallel (default: one per CPU).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Skip checking blob digests and diff_ids.
    #[arg(long)]
    pub no_verify: bool,
    /// Length of the wasted-paths and largest-files lists.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Also print dive's score and wasted bytes in the text output.
    #[arg(long)]
    pub dive_compat: bool,
    /// Include the whole final filesystem and each layer's added/modified/removed paths in the
    /// JSON output (per-layer paths in jsonl; the file list instead of layers in csv).
    #[arg(long)]
    pub files: bool,
    /// Write the report to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Reject archives with more tar entries than this (tar bombs).
    #[arg(long, default_value_t = 2_000_000)]
    pub max_entries: usize,
    /// Gate: fail (exit 1) if the uncompressed image is larger (e.g. 500MB, 1.5GiB; see "Sizes and units" in docs/image.md).
    #[arg(long, value_parser = crate::units::parse_size)]
    pub max_size: Option<u64>,
    /// Gate: fail if any uncompressed layer is larger.
    #[arg(long, value_parser = crate::units::parse_size)]
    pub max_layer_size: Option<u64>,
    /// Gate: fail if more bytes are wasted (a size, or a percentage like 10%).
    #[arg(long, value_parser = gates::parse_limit)]
    pub max_wasted: Option<gates::Limit>,
    /// Gate: fail if efficiency is lower (0.9 or 90%).
    #[arg(long, value_parser = gates::parse_efficiency)]
    pub min_efficiency: Option<f64>,
    #[command(flatten)]
    pub config: super::shared::ConfigArgs,
    #[command(flatten)]
    pub registry: super::registry::RegistryArgs,
    #[command(flatten)]
    pub cache: super::layer_cache::CacheArgs,
    #[command(flatten)]
    pub base: super::shared::BaseArgs,
    /// The Dockerfile the image was built from: each layer row gets its instruction's line
    /// (with --format html, the findings of `dlint optimize`, base-image facts included).
    #[arg(long)]
    pub dockerfile: Option<PathBuf>,
    /// Stage that was built (with --dockerfile; default the last).
    #[arg(long, requires = "dockerfile")]
    pub target: Option<String>,
}

impl ImageArgs {
    /// The gates of the command line over those of the config file's `image:` section.
    pub(super) fn gates(&self, config: &crate::lint::Config) -> Result<gates::Gates> {
        gates::Gates {
            max_size: self.max_size,
            max_layer_size: self.max_layer_size,
            max_wasted: self.max_wasted,
            min_efficiency: self.min_efficiency,
        }
        .with_section(&config.image, config.path.as_deref())
    }
}

/// Runs `dlint image`.
pub fn run(args: ImageArgs) -> Result<ExitCode> {
    if let Some(list) = &args.from_file {
        return super::image_scan::run(&args, list, &args.config.resolve()?);
    }
    // with a Dockerfile, base-image facts as for `dlint optimize` (default: the registry)
    let mut overrides = crate::lint::config::Overrides {
        registry: args.registry.options(),
        ..Default::default()
    };
    let default = match args.dockerfile {
        Some(_) => image::base::FactsMode::Registry,
        None => image::base::FactsMode::Off,
    };
    args.base.apply_to(&mut overrides, default);
    let config = args.config.resolve_with(&overrides)?;
    let input = match args.input.as_slice() {
        [] => return Err(Error::Usage("an image or --from-file is required".into())),
        [one] => one,
        several => return super::image_family::run(&args, several, &config),
    };
    if args.format == ImageFormat::Markdown {
        return Err(Error::Usage(
            "--format markdown is the shared-layer report of several images; for one image use text, json or html".into(),
        ));
    }
    let gates = args.gates(&config)?;
    let img = image::open(
        input,
        &OpenOptions {
            platform: args.platform.clone(),
            image: args.image.clone(),
            registry: args.registry.options(),
        },
    )?;
    let big = img.is_large();
    let html = args.format == ImageFormat::Html;
    let opts = AnalyzeOptions {
        jobs: args.jobs.unwrap_or(0),
        verify: !args.no_verify,
        top: args.top,
        max_entries: args.max_entries,
        progress: big && std::io::stderr().is_terminal(),
        // the per-path map is built only when printed (the HTML treemap draws it)
        files: (args.files && args.format == ImageFormat::Json) || html,
        layer_files: args.files || html,
        cache: args.cache.cache(&config)?,
        ..AnalyzeOptions::default()
    };
    if let (Some(r), Some(c)) = (&config.base_resolver, &opts.cache) {
        r.use_layer_cache(c.clone());
    }
    // jsonl without --dockerfile (whose lines are known only after the analysis): each
    // layer's lines are written as soon as the layer is walked, then dropped
    let stream = (args.format == ImageFormat::Jsonl && args.dockerfile.is_none())
        .then(|| super::jsonl_stream::JsonlStream::open(args.output.as_deref()))
        .transpose()?;
    let mut opts = opts;
    if let Some(st) = &stream {
        st.header(&img);
        opts.on_layer = Some(st.sink());
    }
    let (mut report, findings) = match (&args.dockerfile, html) {
        (Some(path), true) => {
            let df = crate::dockerfile::parse(&crate::lint::read::read_utf8(path)?);
            let o = crate::optimize::Options {
                target: args.target.clone(),
                context: None,
                config: config.clone(),
                analyze: opts.clone(),
                suggest: false,
            };
            let name = path.display().to_string();
            let (f, r) = crate::optimize::run_with_image(&df, &name, Some(&img), &o)?;
            let r = r.ok_or_else(|| Error::Other("the image was not analysed".into()))?;
            (r, Some(f))
        }
        _ => (image::analyze(&img, &opts)?, None),
    };
    super::shared::print_base_notes(&config);
    super::layer_cache::report(opts.cache.as_ref(), args.cache.verbose || config.verbose);
    if let Some(st) = stream {
        st.finish(&report)?;
        return gate_exit(&report, &gates);
    }
    if let Some(path) = &args.dockerfile {
        let df = crate::dockerfile::parse(&crate::lint::read::read_utf8(path)?);
        let target = args.target.as_deref();
        if let Some(why) = crate::optimize::annotate_layers(&mut report, &df, &img, target)
            .map_err(Error::Usage)?
        {
            let shown = path.display();
            eprintln!("dlint: warning: the image's history does not match {shown}: {why}");
        }
    }
    // rendered first, then written: `dlint image … | head` closing the pipe is not an error
    let mut out = Vec::new();
    let rendered = match args.format {
        ImageFormat::Json => {
            out = crate::report::image::to_json(&report)
                .map_err(|e| Error::Other(format!("writing JSON: {e}")))?;
            Ok(())
        }
        ImageFormat::Jsonl => crate::report::image::to_jsonl(&report, &mut out),
        ImageFormat::Csv if args.files => crate::report::image::files_csv(&report, &mut out),
        ImageFormat::Csv => crate::report::image::layers_csv(&report, &mut out),
        ImageFormat::Markdown => Ok(()), // refused above for one image
        ImageFormat::Html => {
            let limits = crate::report::image::HtmlLimits::default();
            crate::report::image::render_html(&report, findings.as_ref(), &limits, &mut out)
        }
        ImageFormat::Text => {
            let color = args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            crate::report::image::render(&report, &mut out, color, args.dive_compat)
        }
    };
    rendered.map_err(super::stdout_error)?;
    match &args.output {
        Some(path) => std::fs::write(path, &out).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?,
        None => super::write_stdout(&out)?,
    }
    gate_exit(&report, &gates)
}

/// Checks the gates: exit 0, or each failure on stderr and exit 1.
pub(super) fn gate_exit(report: &image::ImageReport, gates: &gates::Gates) -> Result<ExitCode> {
    let failures = gates::check(report, gates);
    if failures.is_empty() {
        return Ok(ExitCode::from(super::EXIT_OK));
    }
    for f in &failures {
        eprintln!("dlint: gate {} failed: {}", f.gate, f.message);
    }
    Ok(ExitCode::from(super::EXIT_FINDINGS))
}
