//! The shared-layer report of several images (`dlint image A B C`): text and Markdown (JSON is
//! [`crate::image::family::Family`] serialised).

use crate::image::family::Family;
use crate::units::human;
use std::io::{self, Write};

fn short(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    hex.get(..12).unwrap_or(hex)
}

fn cmd(c: &Option<String>, n: usize) -> String {
    let c = c.as_deref().unwrap_or("");
    match c.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &c[..i]),
        None => c.to_string(),
    }
}

fn name(m: &crate::image::family::Member) -> String {
    match &m.reference {
        Some(r) => format!("{} ({r})", m.input),
        None => m.input.clone(),
    }
}

fn images_of(at: &[[usize; 2]]) -> String {
    at.iter()
        .map(|p| format!("#{}:{}", p[0] + 1, p[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One row per image, as both formats print it: number (from 1), name, size, own bytes,
/// layer count.
fn image_rows(f: &Family) -> Vec<[String; 5]> {
    f.images
        .iter()
        .enumerate()
        .map(|(i, m)| {
            [
                (i + 1).to_string(),
                name(m),
                human(m.uncompressed_size),
                human(m.own_bytes),
                m.layers.to_string(),
            ]
        })
        .collect()
}

/// One row per shared layer: short diff_id, size, bytes saved, `#image:layer` list, and the
/// command cut to `cmd_len` characters.
fn shared_rows(f: &Family, cmd_len: usize) -> Vec<[String; 5]> {
    f.shared
        .iter()
        .map(|s| {
            [
                short(&s.diff_id).to_string(),
                human(s.uncompressed_size),
                human(s.bytes_saved),
                images_of(&s.in_images),
                cmd(&s.created_by, cmd_len),
            ]
        })
        .collect()
}

/// Aligned text: the images, then the shared layers, then the totals.
pub fn render_text(f: &Family, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} images", f.images.len())?;
    writeln!(
        out,
        "  {:>3}  {:>10}  {:>10}  {:>6}  image",
        "#", "size", "own", "layers"
    )?;
    for [n, name, size, own, layers] in image_rows(f) {
        writeln!(out, "  {n:>3}  {size:>10}  {own:>10}  {layers:>6}  {name}")?;
    }
    writeln!(out)?;
    if f.shared.is_empty() {
        writeln!(out, "No layer is shared.")?;
    } else {
        let n = f.shared.len();
        writeln!(out, "{n} shared layer{}", if n == 1 { "" } else { "s" })?;
        writeln!(
            out,
            "  {:<12}  {:>10}  {:>10}  {:<16}  created by",
            "diff_id", "size", "saved", "images#:layer"
        )?;
        for [id, size, saved, images, by] in shared_rows(f, 50) {
            writeln!(
                out,
                "  {id:<12}  {size:>10}  {saved:>10}  {images:<16}  {by}"
            )?;
        }
    }
    let t = &f.totals;
    writeln!(out)?;
    writeln!(
        out,
        "Total {} in {} images; {} distinct layers hold {}; shared layers save {}",
        human(t.uncompressed_size),
        f.images.len(),
        t.distinct_layers,
        human(t.unique_bytes),
        human(t.shared_bytes)
    )
}

/// Markdown tables, for a merge-request comment or a wiki page.
pub fn render_markdown(f: &Family, out: &mut dyn Write) -> io::Result<()> {
    let t = &f.totals;
    writeln!(out, "### Shared layers of {} images", f.images.len())?;
    writeln!(out)?;
    writeln!(
        out,
        "{} in all; {} distinct layers hold {}; **{} saved** by {} shared layers.",
        human(t.uncompressed_size),
        t.distinct_layers,
        human(t.unique_bytes),
        human(t.shared_bytes),
        t.shared_layers
    )?;
    writeln!(out)?;
    writeln!(out, "| # | image | size | own | layers |")?;
    writeln!(out, "|---:|---|---:|---:|---:|")?;
    for [n, name, size, own, layers] in image_rows(f) {
        let name = name.replace('`', "'");
        writeln!(out, "| {n} | `{name}` | {size} | {own} | {layers} |")?;
    }
    if !f.shared.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "| diff_id | size | saved | images #:layer | created by |"
        )?;
        writeln!(out, "|---|---:|---:|---|---|")?;
        for [id, size, saved, images, by] in shared_rows(f, 60) {
            let by = by.replace('|', "\\|").replace('`', "'");
            writeln!(out, "| `{id}` | {size} | {saved} | {images} | {by} |")?;
        }
    }
    Ok(())
}
