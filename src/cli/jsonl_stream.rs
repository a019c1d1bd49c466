//! `dlint image --format jsonl` written while the analysis runs: the `image` line first, each
//! layer's lines as the layer is applied, the totals, wasted copies and caches at the end.

use crate::image::{Image, ImageReport, LayerSink};
use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The output and the first write error (a closed pipe is not one: the rest is dropped).
struct Out {
    w: Box<dyn Write + Send>,
    closed: bool,
    error: Option<std::io::Error>,
}

impl Out {
    fn write(&mut self, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if self.closed || self.error.is_some() {
            return;
        }
        match f(&mut self.w) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => self.closed = true,
            Err(e) => self.error = Some(e),
            Ok(()) => {}
        }
    }
}

/// A JSON-lines report written as it is made.
#[derive(Clone)]
pub struct JsonlStream {
    out: Arc<Mutex<Out>>,
    path: PathBuf,
}

impl JsonlStream {
    /// Writes to `path`, or stdout.
    pub fn open(path: Option<&Path>) -> Result<Self> {
        let (w, path): (Box<dyn Write + Send>, PathBuf) = match path {
            Some(p) => {
                let f = std::fs::File::create(p).map_err(|source| Error::Io {
                    path: p.to_path_buf(),
                    source,
                })?;
                (Box::new(std::io::BufWriter::new(f)), p.to_path_buf())
            }
            None => (
                Box::new(std::io::BufWriter::new(std::io::stdout())),
                PathBuf::from("<stdout>"),
            ),
        };
        Ok(JsonlStream {
            out: Arc::new(Mutex::new(Out {
                w,
                closed: false,
                error: None,
            })),
            path,
        })
    }

    fn with(&self, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if let Ok(mut o) = self.out.lock() {
            o.write(f);
        }
    }

    /// The `image` line.
    pub fn header(&self, img: &Image) {
        let r = ImageReport::before_analysis(img);
        self.with(|w| {
            crate::report::image::jsonl_header(&r, w)?;
            w.flush()
        });
    }

    /// The sink writing each layer's lines (and flushing them) as the layer arrives.
    pub fn sink(&self) -> LayerSink {
        let me = self.clone();
        LayerSink::new(move |l| {
            me.with(|w| {
                crate::report::image::jsonl_layer(&l, w)?;
                w.flush()
            })
        })
    }

    /// The last lines; the first write error, if any.
    pub fn finish(self, report: &ImageReport) -> Result<()> {
        self.with(|w| {
            crate::report::image::jsonl_tail(report, w)?;
            w.flush()
        });
        let err = self.out.lock().ok().and_then(|mut o| o.error.take());
        match err {
            Some(source) => Err(Error::Io {
                path: self.path,
                source,
            }),
            None => Ok(()),
        }
    }
}
