//! `dlint image --format csv`: one row per layer, or with `--files` one row per path each
//! layer added, modified or removed (the `csv` crate does the quoting).

use crate::image::{ImageReport, mode_octal};
use std::io::{self, Write};

fn plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn opt(v: Option<usize>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// Writes the layers as CSV with a header row.
pub fn layers_csv(r: &ImageReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "index",
        "digest",
        "diff_id",
        "compression",
        "compressed_size",
        "uncompressed_size",
        "file_count",
        "whiteouts",
        "bytes_added",
        "bytes_overwritten",
        "bytes_removed",
        "line",
        "created_by",
    ])?;
    for l in &r.layers {
        w.write_record([
            l.index.to_string(),
            l.digest.clone(),
            l.diff_id.clone(),
            plain(&l.compression),
            l.compressed_size.to_string(),
            l.uncompressed_size.to_string(),
            l.file_count.to_string(),
            l.whiteouts.to_string(),
            l.bytes_added.to_string(),
            l.bytes_overwritten.to_string(),
            l.bytes_removed.to_string(),
            opt(l.line),
            l.created_by.clone().unwrap_or_default(),
        ])?;
    }
    w.flush()
}

/// Writes every layer's file list as CSV with a header row: `layer,change,kind,mode,size,path`
/// (mode: four octal digits).
pub fn files_csv(r: &ImageReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["layer", "change", "kind", "mode", "size", "path"])?;
    for l in &r.layers {
        let layer = l.index.to_string();
        for f in &l.files {
            w.write_record([
                layer.as_str(),
                &plain(&f.change),
                &plain(&f.kind),
                &mode_octal(f.mode),
                &f.size.to_string(),
                &f.path,
            ])?;
        }
    }
    w.flush()
}
