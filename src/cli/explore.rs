//! `dlint explore IMAGE`: the interactive explorer (dive's layout and keys) in the terminal.

use crate::explore::{Explorer, Flow, draw, handle};
use crate::image::{self, AnalyzeOptions, OpenOptions};
use crate::{Error, Result};
use crossterm::event::{self, Event, KeyEventKind};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint explore`.
#[derive(Debug, clap::Args)]
pub struct ExploreArgs {
    /// Any image `dlint image` reads: docker-archive tar, OCI layout or archive, registry image.
    pub input: PathBuf,
    /// Platform to explore in a multi-platform image, `os/arch[/variant]`.
    #[arg(long)]
    pub platform: Option<String>,
    /// Image to explore when the archive holds several (`name:tag`, or a digest prefix).
    #[arg(long)]
    pub image: Option<String>,
    /// Layers decoded in parallel (default: one per CPU).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// The Dockerfile the image was built from: each layer shows its line and priced findings.
    #[arg(long)]
    pub dockerfile: Option<PathBuf>,
    /// Stage that was built (with --dockerfile; default the last).
    #[arg(long, requires = "dockerfile")]
    pub target: Option<String>,
    #[command(flatten)]
    pub config: super::shared::ConfigArgs,
    #[command(flatten)]
    pub registry: super::registry::RegistryArgs,
}

/// Runs `dlint explore`.
pub fn run(args: ExploreArgs) -> Result<ExitCode> {
    if !std::io::stdout().is_terminal() {
        return Err(Error::Usage(
            "dlint explore needs a terminal (use `dlint image --format html` for a file)".into(),
        ));
    }
    let config = args.config.resolve()?;
    let img = image::open(
        &args.input,
        &OpenOptions {
            platform: args.platform.clone(),
            image: args.image.clone(),
            registry: args.registry.options(),
        },
    )?;
    let opts = AnalyzeOptions {
        jobs: args.jobs.unwrap_or(0),
        progress: img.is_large() && std::io::stderr().is_terminal(),
        files: false,
        layer_files: true,
        ..AnalyzeOptions::default()
    };
    let (mut report, findings) = match &args.dockerfile {
        Some(path) => {
            let df = crate::dockerfile::parse(&crate::lint::read::read_utf8(path)?);
            let o = crate::optimize::Options {
                target: args.target.clone(),
                context: None,
                config,
                analyze: opts,
                suggest: false,
            };
            let name = path.display().to_string();
            let (f, r) = crate::optimize::run_with_image(&df, &name, Some(&img), &o)?;
            let mut r = r.ok_or_else(|| Error::Other("the image was not analysed".into()))?;
            let _ = crate::optimize::annotate_layers(&mut r, &df, &img, args.target.as_deref());
            (r, Some(f))
        }
        None => (image::analyze(&img, &opts)?, None),
    };
    report.files.clear();
    let mut e = Explorer::new(report, findings);
    let io = |source| Error::Io {
        path: PathBuf::from("<terminal>"),
        source,
    };
    let mut term = ratatui::try_init().map_err(io)?;
    let result = (|| -> std::io::Result<()> {
        loop {
            let mut page = 10;
            term.draw(|f| {
                page = f.area().height.saturating_sub(3) as usize;
                draw(f, &e);
            })?;
            if let Event::Key(k) = event::read()?
                && k.kind != KeyEventKind::Release
                && handle(&mut e, k, page) == Flow::Quit
            {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result.map_err(io)?;
    Ok(ExitCode::from(super::EXIT_OK))
}
