//! Image archive readers (docker-archive, OCI layout), layer walker and size/waste model.
//!
//! ```no_run
//! use dlint::image::{self, AnalyzeOptions, OpenOptions};
//! let img = image::open("app.tar".as_ref(), &OpenOptions::default())?;
//! let report = image::analyze(&img, &AnalyzeOptions::default())?;
//! println!("{} wasted bytes", report.totals.wasted_bytes);
//! # Ok::<(), image::ImageError>(())
//! ```
//!
//! The waste formula: every regular file stored in a layer is one copy of data (hard links
//! share their target's copy). A copy is *visible* if some path of the final filesystem still
//! reaches it, otherwise it is *wasted* (overwritten later, deleted by a file whiteout, under a
//! deleted directory, or hidden by an opaque directory). `wasted_bytes = stored - visible` and
//! `efficiency = visible / stored`.

mod analyze;
mod assemble;
pub mod base;
pub mod cache;
mod caches;
pub mod compare;
mod error;
pub mod family;
pub mod fleet;
pub mod gates;
mod history;
mod leb128;
pub mod ledger;
mod manifest;
mod member;
mod model;
mod open;
pub mod packages;
mod paths;
mod read;
pub mod registry;
mod report_model;
mod schedule;
mod store;
#[cfg(any(test, feature = "testkit"))]
#[doc(hidden)]
pub mod testkit;
pub mod tree;
mod walk;

pub use analyze::{AnalyzeOptions, LayerSink, analyze, analyze_with_ledger};
pub use caches::CACHE_DIRS;
pub use error::ImageError;
pub use history::clean_created_by;
pub use open::{HistoryEntry, Image, LayerRef, OpenOptions, open};
pub use report_model::{
    ArchiveFormat, CacheFinding, CapturedFile, Change, Compression, DirSize, DiveCompat, FileKind,
    FsEntry, HiddenBy, ImageReport, LargeFile, LayerFile, LayerSummary, Totals, WastedPath,
    mode_octal,
};
