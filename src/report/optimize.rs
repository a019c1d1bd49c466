//! Output of `dlint optimize`: text table, JSON (schema `dlint-optimize/1`, documented in
//! `docs/optimize-schema.md`) and Markdown for a merge-request comment.

use crate::optimize::{Finding, OptimizeReport, Status, Suggestion};
use crate::units::human;
use std::io::{self, Write};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned table.
    Text,
    /// The report as JSON.
    Json,
    /// GitHub/GitLab-flavoured Markdown.
    Markdown,
}

/// Writes the report in `format`.
pub fn render(r: &OptimizeReport, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, r).map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Text => text(r, out),
        Format::Markdown => markdown(r, out),
    }
}

fn bytes_cell(f: &Finding) -> String {
    match (f.status, f.bytes) {
        (Status::Measured, Some(b)) => human(b),
        (Status::NotInImage, _) => "not in this image".into(),
        _ => "not measured".into(),
    }
}

fn share_cell(f: &Finding) -> String {
    f.share.map_or_else(|| "-".into(), |s| format!("{s:.1}%"))
}

fn line_cell(f: &Finding) -> String {
    f.line.map_or_else(|| "-".into(), |l| l.to_string())
}

fn header(r: &OptimizeReport) -> String {
    let stage = match &r.stage_name {
        Some(n) => format!("stage {} ({n})", r.stage),
        None => format!("stage {}", r.stage),
    };
    match &r.image {
        Some(i) => format!(
            "{} {stage} vs {}: history {} ({} of {} instructions matched)",
            r.dockerfile,
            i.archive,
            i.attribution.status,
            i.attribution.matched,
            i.attribution.instructions
        ),
        None => format!("{} {stage}: no image given, nothing measured", r.dockerfile),
    }
}

fn summary(r: &OptimizeReport) -> Option<String> {
    let (size, after) = (r.size?, r.size_after?);
    let pct = if size == 0 {
        0.0
    } else {
        r.total_saved as f64 * 100.0 / size as f64
    };
    let mut s = format!(
        "{} could be saved ({pct:.1}%): image {} -> {} after all fixes",
        human(r.total_saved),
        human(size),
        human(after)
    );
    if let (Some(f), Some(a), Some(u)) = (r.fixable, r.size_after_fix, r.size_after_unsafe_fixes) {
        s.push_str(&format!(
            "\nby the fixes: {} with `dlint fix` (image -> {}), {} more with --unsafe-fixes \
             (-> {}), {} manual",
            human(f.safe),
            human(a),
            human(f.unsafe_),
            human(u),
            human(f.manual)
        ));
    }
    Some(s)
}

/// The headline of a suggestion: kind, fix, what it saves.
fn suggestion_head(s: &Suggestion) -> String {
    let saved = match s.bytes {
        Some(b) => format!(
            "the image would be {} smaller (the build toolchain is {} of it)",
            human(b),
            human(s.toolchain_bytes)
        ),
        None => format!(
            "the build toolchain is {}; the saving cannot be priced without the outputs",
            human(s.toolchain_bytes)
        ),
    };
    format!(
        "suggestion ({}): a {} build: {saved}",
        s.fix.as_str(),
        s.kind
    )
}

/// The outputs and runtime packages of a suggestion, one line.
fn suggestion_parts(s: &Suggestion) -> String {
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    format!(
        "copied from the build stage: {} ({}); installed again: {}",
        list(&s.outputs),
        human(s.output_bytes),
        list(&s.runtime_packages)
    )
}

fn text(r: &OptimizeReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", header(r))?;
    if let Some(i) = &r.image
        && i.attribution.status != "matched"
    {
        writeln!(out, "\n  layer  line        bytes  created by")?;
        for l in &i.attribution.layers {
            writeln!(
                out,
                "  {:>5}  {:>4}  {:>11}  {}",
                l.index,
                l.line.map_or("-".into(), |x| x.to_string()),
                human(l.bytes),
                l.created_by.as_deref().unwrap_or("")
            )?;
        }
    }
    writeln!(out)?;
    if r.findings.is_empty() {
        writeln!(out, "no size findings")?;
    } else {
        let w = r
            .findings
            .iter()
            .map(|f| f.rule.len())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(
            out,
            "{:>4}  {:<w$}  {:>17}  {:>6}  {:<6}  what",
            "line", "rule", "saved", "share", "fix"
        )?;
        for f in &r.findings {
            writeln!(
                out,
                "{:>4}  {:<w$}  {:>17}  {:>6}  {:<6}  {}",
                line_cell(f),
                f.rule,
                bytes_cell(f),
                share_cell(f),
                f.fix.as_str(),
                f.what
            )?;
            for (p, s) in &f.examples {
                writeln!(
                    out,
                    "{:>4}  {:<w$}  {:>17}  {:>6}  {:<6}    {p}",
                    "",
                    "",
                    human(*s),
                    "",
                    ""
                )?;
            }
            if let Some(n) = &f.note {
                writeln!(
                    out,
                    "{:>4}  {:<w$}  {:>17}  {:>6}  {:<6}    ({n})",
                    "", "", "", "", ""
                )?;
            }
        }
    }
    writeln!(out)?;
    if let Some(s) = summary(r) {
        writeln!(out, "{s}")?;
    }
    for n in &r.notes {
        writeln!(out, "note: {n}")?;
    }
    for sg in &r.suggestions {
        writeln!(out, "\n{}", suggestion_head(sg))?;
        writeln!(out, "  {}", suggestion_parts(sg))?;
        for n in &sg.notes {
            writeln!(out, "  note: {n}")?;
        }
        if let Some(d) = &sg.diff {
            writeln!(out)?;
            write!(out, "{d}")?;
        }
    }
    Ok(())
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(r: &OptimizeReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### dlint optimize\n")?;
    writeln!(out, "{}\n", md_escape(&header(r)))?;
    if let Some(s) = summary(r) {
        for l in s.lines() {
            writeln!(out, "**{l}**\n")?;
        }
    }
    if r.findings.is_empty() {
        writeln!(out, "No size findings.")?;
    } else {
        writeln!(out, "| line | rule | saved | share | fix | what |")?;
        writeln!(out, "|---:|---|---:|---:|---|---|")?;
        for f in &r.findings {
            let mut what = md_escape(&f.what);
            if let Some(n) = &f.note {
                what.push_str(&format!(" _({})_", md_escape(n)));
            }
            writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {} |",
                line_cell(f),
                f.rule,
                bytes_cell(f),
                share_cell(f),
                f.fix.as_str(),
                what
            )?;
        }
    }
    for n in &r.notes {
        writeln!(out, "\n> {}", md_escape(n))?;
    }
    for sg in &r.suggestions {
        writeln!(out, "\n#### {}\n", md_escape(&suggestion_head(sg)))?;
        writeln!(out, "{}\n", md_escape(&suggestion_parts(sg)))?;
        for n in &sg.notes {
            writeln!(out, "- {}", md_escape(n))?;
        }
        if let Some(d) = &sg.diff {
            writeln!(out, "\n```diff\n{}```", d)?;
        }
    }
    Ok(())
}
