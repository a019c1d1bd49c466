//! Output formats of `dlint compare`: text table, JSON, Markdown (merge-request comment) and a
//! self-contained HTML page with SVG charts.

use crate::image::compare::{ChangedPackage, Comparison, Delta, Growth, GrowthCheck, PackageRow};
use serde::Serialize;
use std::io::{self, Write};

mod base;
pub(crate) mod html;
mod markdown;
mod text;

/// Output format of `dlint compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareFormat {
    /// Aligned text tables.
    Text,
    /// One JSON document.
    Json,
    /// Compact Markdown for a merge-request comment.
    Markdown,
    /// One self-contained HTML file (inline CSS and SVG, no scripts).
    Html,
}

impl CompareFormat {
    /// Every format.
    pub const ALL: &[CompareFormat] = &[
        CompareFormat::Text,
        CompareFormat::Json,
        CompareFormat::Markdown,
        CompareFormat::Html,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareFormat::Text => "text",
            CompareFormat::Json => "json",
            CompareFormat::Markdown => "markdown",
            CompareFormat::Html => "html",
        }
    }
}

/// JSON document schema version.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonDoc<'a> {
    version: u32,
    #[serde(flatten)]
    comparison: &'a Comparison,
    max_growth: Option<&'a GrowthCheck>,
}

/// Renders `cmp` (and the `--max-growth` result, if a limit was given) in `format`.
pub fn render(
    format: CompareFormat,
    cmp: &Comparison,
    gate: Option<&GrowthCheck>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        CompareFormat::Text => text::render(cmp, gate, out),
        CompareFormat::Json => {
            let doc = JsonDoc {
                version: JSON_VERSION,
                comparison: cmp,
                max_growth: gate,
            };
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)
        }
        CompareFormat::Markdown => markdown::render(cmp, gate, out),
        CompareFormat::Html => html::render(cmp, gate, out),
    }
}

pub use crate::units::{human, human_signed};

/// Signed count: `+3`, `-1`, `0`.
pub fn signed(diff: i64) -> String {
    if diff > 0 {
        format!("+{diff}")
    } else {
        diff.to_string()
    }
}

/// Ratio `b/a` as `1.27x`, or `-` when the baseline is 0.
pub fn ratio(d: &Delta) -> String {
    d.ratio
        .map_or_else(|| "-".to_string(), |r| format!("{r:.2}x"))
}

/// Percentage with one decimal.
pub fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// Difference of two fractions in percentage points.
pub fn points(diff: f64) -> String {
    let p = diff * 100.0;
    if p.abs() < 0.05 {
        "0.0 pp".to_string()
    } else {
        format!("{p:+.1} pp")
    }
}

/// Optional size.
pub fn opt_size(s: Option<u64>) -> String {
    s.map_or_else(|| "-".to_string(), human)
}

/// Short layer id: the first 12 hex digits of a digest.
pub fn short_id(id: &str) -> &str {
    let hex = id.split_once(':').map_or(id, |(_, h)| h);
    hex.get(..12).unwrap_or(hex)
}

/// One-line, length-limited `created_by`.
pub fn short_cmd(cmd: &str, max: usize) -> String {
    let one: String = cmd.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        one
    } else {
        let mut s: String = one.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Text of the gate outcome: `max-growth 5%: exceeded: B is +1.20 MB (+7.5%) larger than A`.
pub fn gate_line(g: &GrowthCheck) -> String {
    let limit = match g.limit {
        Growth::Percent(p) => format!("{p}%"),
        Growth::Bytes(b) => human(b),
    };
    let pct = g
        .percent
        .map_or_else(String::new, |p| format!(" ({p:+.1}%)"));
    let verdict = if g.exceeded { "FAILED" } else { "ok" };
    format!(
        "max-growth {limit}: {verdict}: uncompressed size {} -> {}, {}{pct}",
        human(g.size.a),
        human(g.size.b),
        human_signed(g.size.diff)
    )
}

/// Rows of a package table: name, A version, B version, A size, B size.
pub(crate) fn package_rows(
    only_a: &[PackageRow],
    only_b: &[PackageRow],
    changed: &[ChangedPackage],
) -> Vec<[String; 6]> {
    let mut rows = Vec::new();
    for p in only_a {
        rows.push([
            "only A".into(),
            p.name.clone(),
            p.version.clone(),
            String::new(),
            opt_size(p.size),
            String::new(),
        ]);
    }
    for p in only_b {
        rows.push([
            "only B".into(),
            p.name.clone(),
            String::new(),
            p.version.clone(),
            String::new(),
            opt_size(p.size),
        ]);
    }
    for p in changed {
        rows.push([
            "changed".into(),
            p.name.clone(),
            p.a_version.clone(),
            p.b_version.clone(),
            opt_size(p.a_size),
            opt_size(p.b_size),
        ]);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human(1000), "1.0 kB");
        assert_eq!(human(310_111_232), "310.1 MB");
        assert_eq!(human_signed(-1500), "-1.5 kB");
        assert_eq!(human_signed(12), "+12 B");
        assert_eq!(short_id("sha256:0123456789abcdef"), "0123456789ab");
        assert_eq!(short_cmd("RUN  a\n  b", 5), "RUN …");
        assert_eq!(points(-0.025), "-2.5 pp");
    }
}
