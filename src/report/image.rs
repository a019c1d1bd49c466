//! The text output of `dlint image`: aligned tables of an [`ImageReport`].

use crate::image::{HiddenBy, ImageReport};
use std::io::{self, Write};

mod csv;
mod html;
mod jsonl;
mod totals;

pub use csv::{files_csv, layers_csv};
pub use html::{HtmlLimits, render_html};
pub use jsonl::{jsonl_header, jsonl_layer, jsonl_tail, to_jsonl};

pub use crate::units::human;

fn short(d: &str) -> &str {
    let h = d.strip_prefix("sha256:").unwrap_or(d);
    h.get(..12).unwrap_or(h)
}

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let t: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{t}…")
    }
}

struct Style {
    on: bool,
}

impl Style {
    fn bold(&self, s: &str) -> String {
        if self.on {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn warn(&self, s: &str) -> String {
        if self.on {
            format!("\x1b[33m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The report as pretty-printed JSON with a final newline (`--format json`).
pub fn to_json(r: &ImageReport) -> serde_json::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(r)?;
    out.push(b'\n');
    Ok(out)
}

/// Writes the report as aligned tables. `color` adds ANSI styles (use only on a terminal);
/// `dive` adds dive's figures.
pub fn render(r: &ImageReport, out: &mut dyn Write, color: bool, dive: bool) -> io::Result<()> {
    let st = Style { on: color };
    let t = &r.totals;
    writeln!(
        out,
        "{}  {}{}{}",
        st.bold(&r.archive),
        r.reference.as_deref().unwrap_or("(untagged)"),
        r.platform
            .as_deref()
            .map(|p| format!("  {p}"))
            .unwrap_or_default(),
        format_args!("  {}", serde_plain(&r.format)),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        st.bold(&format!(
            "{:>3}  {:<12}  {:>10}  {:>10}  {:>7}  {:>10}  {:>10}  {:>10}  {}",
            "#",
            "digest",
            "compressed",
            "size",
            "files",
            "added",
            "overwrote",
            "removed",
            "created by"
        ))
    )?;
    for l in &r.layers {
        writeln!(
            out,
            "{:>3}  {:<12}  {:>10}  {:>10}  {:>7}  {:>10}  {:>10}  {:>10}  {}",
            l.index,
            short(&l.digest),
            human(l.compressed_size),
            human(l.uncompressed_size),
            l.file_count,
            human(l.bytes_added),
            human(l.bytes_overwritten),
            human(l.bytes_removed),
            match (l.first_line, l.line) {
                (Some(first), Some(n)) => format!(
                    "lines {first}-{n} (one layer): {}",
                    trunc(l.created_by.as_deref().unwrap_or("-"), 40)
                ),
                (None, Some(n)) => format!(
                    "line {n}: {}",
                    trunc(l.created_by.as_deref().unwrap_or("-"), 52)
                ),
                (_, None) => trunc(l.created_by.as_deref().unwrap_or("-"), 60),
            }
        )?;
    }
    writeln!(out)?;
    for row in totals::total_rows(t) {
        let v = if row.warn {
            st.warn(&row.value)
        } else {
            row.value
        };
        writeln!(out, "{:<20} {v}", row.label)?;
    }
    if dive {
        writeln!(
            out,
            "{:<20} efficiency {:.2}%, wasted {}, user wasted {:.2}% (dive counts surviving copies and skips deleted directories; see docs/image.md)",
            "dive would say",
            r.dive.score * 100.0,
            human(r.dive.wasted_bytes),
            r.dive.user_wasted_percent
        )?;
    }
    if !r.wasted.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            st.bold(&format!(
                "{:>10}  {:>5}  {:>6}  {:<18}  {}",
                "wasted", "added", "hidden", "how", "path"
            ))
        )?;
        for w in &r.wasted {
            let how = match w.reason {
                HiddenBy::Overwritten => "overwritten",
                HiddenBy::Whiteout => "deleted",
                HiddenBy::DirectoryWhiteout => "dir deleted",
                HiddenBy::Opaque => "opaque dir",
            };
            writeln!(
                out,
                "{:>10}  {:>5}  {:>6}  {:<18}  /{}",
                human(w.size),
                w.added_layer,
                w.hidden_layer,
                how,
                w.path
            )?;
        }
    }
    if !r.caches.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            st.bold(&format!(
                "{:>10}  {:>6}  {:<8}  {:<8}  {}",
                "cache", "files", "tool", "layers", "path"
            ))
        )?;
        for c in &r.caches {
            let layers: Vec<String> = c.layers.iter().map(|l| l.to_string()).collect();
            writeln!(
                out,
                "{:>10}  {:>6}  {:<8}  {:<8}  {}",
                st.warn(&human(c.bytes)),
                c.files,
                c.tool,
                layers.join(","),
                format_args!("/{}", c.path)
            )?;
        }
    }
    if !r.largest.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            st.bold(&format!("{:>10}  {:>5}  {}", "largest", "layer", "path"))
        )?;
        for f in &r.largest {
            writeln!(out, "{:>10}  {:>5}  /{}", human(f.size), f.layer, f.path)?;
        }
    }
    if !r.directories.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            st.bold(&format!("{:>10}  {:>7}  {}", "by dir", "files", "path"))
        )?;
        for d in r.directories.iter().take(10) {
            writeln!(out, "{:>10}  {:>7}  /{}", human(d.bytes), d.files, d.path)?;
        }
    }
    Ok(())
}

fn serde_plain(f: &crate::image::ArchiveFormat) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates() {
        assert_eq!(trunc("abcdef", 4), "abc…");
    }
}
