//! `dlint merge`: the fleet report of a registry-wide scan as text or JSON.

use crate::image::fleet::Fleet;
use crate::units::human;
use std::io::{self, Write};

/// Output format of `dlint merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MergeFormat {
    /// Tables.
    Text,
    /// The report as JSON.
    Json,
}

/// Writes `f` in `format`.
pub fn render(f: &Fleet, format: MergeFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        MergeFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, f)?;
            writeln!(out)
        }
        MergeFormat::Text => text(f, out),
    }
}

fn text(f: &Fleet, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} images ({} failed): {} compressed, {} uncompressed, {} wasted",
        f.images,
        f.failed.len(),
        human(f.compressed_size),
        human(f.uncompressed_size),
        human(f.wasted_bytes)
    )?;
    let section = |out: &mut dyn Write, title: &str, empty: bool| -> io::Result<bool> {
        writeln!(out)?;
        writeln!(out, "{title}")?;
        if empty {
            writeln!(out, "  (none)")?;
        }
        Ok(!empty)
    };
    if section(out, "Largest images", f.largest.is_empty())? {
        for i in &f.largest {
            writeln!(
                out,
                "  {:>10}  {:>10} wasted  {}",
                human(i.uncompressed_size),
                human(i.wasted_bytes),
                i.reference
            )?;
        }
    }
    if section(out, "Most wasted bytes", f.most_wasted.is_empty())? {
        for i in &f.most_wasted {
            writeln!(
                out,
                "  {:>10}  {:>5.1}% efficient  {}",
                human(i.wasted_bytes),
                i.efficiency * 100.0,
                i.reference
            )?;
        }
    }
    if section(out, "Caches left in images", f.caches.is_empty())? {
        for c in &f.caches {
            writeln!(
                out,
                "  {:>10}  {:>4} images  /{} ({})",
                human(c.bytes),
                c.images,
                c.path,
                c.tool
            )?;
        }
    }
    if section(out, "Shared base layers", f.shared_layers.is_empty())? {
        for l in &f.shared_layers {
            let short = l.diff_id.get(..19).unwrap_or(&l.diff_id);
            writeln!(
                out,
                "  {:>10} saved  {:>4} images x {:>10}  {short}  (e.g. {})",
                human(l.saved_bytes),
                l.images,
                human(l.uncompressed_size),
                l.example
            )?;
        }
    }
    if !f.failed.is_empty() {
        writeln!(out)?;
        writeln!(out, "Failed")?;
        for (r, e) in &f.failed {
            writeln!(out, "  {r}: {e}")?;
        }
    }
    Ok(())
}
