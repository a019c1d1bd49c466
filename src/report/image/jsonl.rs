//! `dlint image --format jsonl`: one JSON object per line, for images too big to load as one
//! document. Each line has a `record` field: one `image` (what it is), then each `layer`
//! followed by its `file` records (with `--files`), then `totals`, the `wasted` and `cache`
//! records. The CLI writes each layer's lines as soon as the layer is walked.

use crate::image::{ImageReport, LayerSummary};
use serde_json::{Value, json};
use std::io::{self, Write};

fn line(out: &mut dyn Write, v: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    out.write_all(b"\n")
}

fn tagged<T: serde::Serialize>(record: &str, v: &T) -> Value {
    let mut v = serde_json::to_value(v).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("record".into(), Value::String(record.into()));
    }
    v
}

/// The layer's summary without its file list (not copied).
fn without_files(l: &LayerSummary) -> LayerSummary {
    LayerSummary {
        index: l.index,
        digest: l.digest.clone(),
        diff_id: l.diff_id.clone(),
        media_type: l.media_type.clone(),
        compression: l.compression,
        compressed_size: l.compressed_size,
        uncompressed_size: l.uncompressed_size,
        file_count: l.file_count,
        whiteouts: l.whiteouts,
        created_by: l.created_by.clone(),
        bytes_added: l.bytes_added,
        bytes_overwritten: l.bytes_overwritten,
        bytes_removed: l.bytes_removed,
        line: l.line,
        first_line: l.first_line,
        files: Vec::new(),
    }
}

/// The first line: what the image is (known before any layer is read).
pub fn jsonl_header(r: &ImageReport, out: &mut dyn Write) -> io::Result<()> {
    line(
        out,
        &json!({
            "record": "image",
            "schema_version": r.schema_version,
            "archive": r.archive,
            "format": r.format,
            "reference": r.reference,
            "platform": r.platform,
            "config_digest": r.config_digest,
        }),
    )
}

/// One layer's lines: its `layer` record, then a `file` record per listed path.
pub fn jsonl_layer(l: &LayerSummary, out: &mut dyn Write) -> io::Result<()> {
    let head = without_files(l);
    line(out, &tagged("layer", &head))?;
    for f in &l.files {
        let mut v = tagged("file", f);
        if let Value::Object(m) = &mut v {
            m.insert("layer".into(), Value::from(l.index));
        }
        line(out, &v)?;
    }
    Ok(())
}

/// The lines after the layers: `totals` (with dive's figures), then `wasted` and `cache`.
pub fn jsonl_tail(r: &ImageReport, out: &mut dyn Write) -> io::Result<()> {
    line(
        out,
        &json!({ "record": "totals", "totals": r.totals, "dive": r.dive }),
    )?;
    for w in &r.wasted {
        line(out, &tagged("wasted", w))?;
    }
    for c in &r.caches {
        line(out, &tagged("cache", c))?;
    }
    Ok(())
}

/// Writes the report as JSON lines: [`jsonl_header`], [`jsonl_layer`] for each layer,
/// [`jsonl_tail`] (the order `dlint image --format jsonl` streams them in).
pub fn to_jsonl(r: &ImageReport, out: &mut dyn Write) -> io::Result<()> {
    jsonl_header(r, out)?;
    for l in &r.layers {
        jsonl_layer(l, out)?;
    }
    jsonl_tail(r, out)
}
