//! `dlint explore IMAGE`: the interactive explorer (dive's layout and keys) in the terminal.

use crate::explore::{Explorer, Flow, draw, handle};
use crate::image::{
    self, AnalyzeOptions, Image, ImageReport, LayerSink, LayerSummary, OpenOptions,
};
use crate::optimize::OptimizeReport;
use crate::{Error, Result};
use crossterm::event::{self, Event, KeyEventKind};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

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
    #[command(flatten)]
    pub cache: super::layer_cache::CacheArgs,
}

/// What the analysing thread sends the UI.
enum Msg {
    /// The next layer, applied to the overlay model.
    Layer(Box<LayerSummary>),
    /// The whole analysis (and the priced findings with `--dockerfile`).
    Done(Box<Result<(ImageReport, Option<OptimizeReport>)>>),
}

/// Runs `dlint explore`: the analysis runs on a thread of its own and sends each layer as it is
/// applied, so the UI opens on the first layer while later ones are read and never waits on I/O.
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
    let dockerfile = match &args.dockerfile {
        Some(path) => Some((
            crate::dockerfile::parse(&crate::lint::read::read_utf8(path)?),
            path.display().to_string(),
        )),
        None => None,
    };
    let (tx, rx) = mpsc::channel();
    let layer_tx = tx.clone();
    let opts = AnalyzeOptions {
        jobs: args.jobs.unwrap_or(0),
        // the UI shows the progress: no bar on stderr under it
        progress: false,
        files: false,
        layer_files: true,
        cache: args.cache.cache(&config)?,
        on_layer: Some(LayerSink::new(move |l| {
            let _ = layer_tx.send(Msg::Layer(Box::new(l)));
        })),
        ..AnalyzeOptions::default()
    };
    let mut e = Explorer::reading(&img);
    let target = args.target.clone();
    // detached: quitting before the analysis ends does not wait for it
    std::thread::spawn(move || {
        let done = analyse(&img, opts, config, dockerfile, target);
        let _ = tx.send(Msg::Done(Box::new(done)));
    });
    let io = |source| Error::Io {
        path: PathBuf::from("<terminal>"),
        source,
    };
    let mut term = ratatui::try_init().map_err(io)?;
    let mut failed = None;
    let result = (|| -> std::io::Result<()> {
        loop {
            loop {
                match rx.try_recv() {
                    Ok(Msg::Layer(l)) => e.push_layer(*l),
                    Ok(Msg::Done(done)) => match *done {
                        Ok((report, findings)) => e.finish(report, findings),
                        Err(err) => {
                            failed = Some(err);
                            return Ok(());
                        }
                    },
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        if e.reading.is_some() {
                            failed = Some(Error::Other("the analysis stopped".into()));
                            return Ok(());
                        }
                        break;
                    }
                }
            }
            let mut page = 10;
            term.draw(|f| {
                page = f.area().height.saturating_sub(3) as usize;
                draw(f, &e);
            })?;
            // while reading, wake up for the next layer; after, only for keys
            let wait = if e.reading.is_some() { 30 } else { 500 };
            if !event::poll(Duration::from_millis(wait))? {
                continue;
            }
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
    if let Some(err) = failed {
        return Err(err);
    }
    Ok(ExitCode::from(super::EXIT_OK))
}

/// The analysis of the explorer's thread: `dlint image`'s, or `dlint optimize`'s with a
/// Dockerfile (each layer then carries its line, and the findings are priced).
fn analyse(
    img: &Image,
    opts: AnalyzeOptions,
    config: crate::lint::Config,
    dockerfile: Option<(crate::dockerfile::Dockerfile, String)>,
    target: Option<String>,
) -> Result<(ImageReport, Option<OptimizeReport>)> {
    let Some((df, name)) = dockerfile else {
        return Ok((image::analyze(img, &opts)?, None));
    };
    let o = crate::optimize::Options {
        target: target.clone(),
        context: None,
        config,
        analyze: opts,
        suggest: false,
    };
    let (f, r) = crate::optimize::run_with_image(&df, &name, Some(img), &o)?;
    let mut r = r.ok_or_else(|| Error::Other("the image was not analysed".into()))?;
    let _ = crate::optimize::annotate_layers(&mut r, &df, img, target.as_deref());
    Ok((r, Some(f)))
}
