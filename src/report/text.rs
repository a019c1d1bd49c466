//! Human output: rustc-style code frames rendered by `annotate-snippets`.

use super::{Counts, FileReport, RenderOptions};
use crate::lint::{Applicability, Diagnostic, Severity};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::io::{self, Write};

/// Writes every finding as a code frame, then a one-line summary (nothing when clean).
pub(super) fn write(
    files: &[FileReport],
    opts: &RenderOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    for f in files {
        for d in &f.diagnostics {
            let frame = frame(f, d, &renderer);
            writeln!(out, "{frame}\n")?;
        }
    }
    let counts = Counts::of(files);
    if counts.total() > 0 {
        let with_findings = files.iter().filter(|f| !f.diagnostics.is_empty()).count();
        writeln!(
            out,
            "{} {} ({} error{}, {} warning{}, {} info, {} style) in {} of {} file{}",
            counts.total(),
            plural(counts.total(), "problem", "problems"),
            counts.error,
            plural(counts.error, "", "s"),
            counts.warning,
            plural(counts.warning, "", "s"),
            counts.info,
            counts.style,
            with_findings,
            files.len(),
            plural(files.len(), "", "s"),
        )?;
        let fixes = |a: Applicability| {
            files
                .iter()
                .flat_map(|f| &f.diagnostics)
                .filter(|d| d.fix.as_ref().is_some_and(|x| x.applicability == a))
                .count()
        };
        let (safe, unsafe_) = (fixes(Applicability::Safe), fixes(Applicability::Unsafe));
        if safe + unsafe_ > 0 {
            let mut line = format!("{safe} fixable with `dlint fix`");
            if unsafe_ > 0 {
                line.push_str(&format!(
                    " ({unsafe_} more with `dlint fix --unsafe-fixes`)"
                ));
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn level(sev: Severity) -> Level<'static> {
    match sev {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Style => Level::NOTE.with_name("style"),
    }
}

/// Largest char boundary `<= i` (clamped to the text).
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders one finding. The excerpt is only the lines the span covers, so cost does not grow
/// with file size.
fn frame(f: &FileReport, d: &Diagnostic, renderer: &Renderer) -> String {
    let src = f.source.as_str();
    let start = floor_boundary(src, d.span.start);
    let end = floor_boundary(src, d.span.end.max(start));
    let first = f.lines.line_col(src, start).line;
    // A span ending right after a newline ends on the previous line.
    let last_offset = if end > start && src.as_bytes().get(end - 1) == Some(&b'\n') {
        end - 1
    } else {
        end
    };
    let last = f.lines.line_col(src, last_offset).line.max(first);
    let base = f.lines.line_start(first).unwrap_or(0).min(start);
    let stop = f
        .lines
        .line_start(last + 1)
        .map(|s| s.saturating_sub(1))
        .unwrap_or(src.len())
        .max(end);
    let stop = floor_boundary(src, stop);
    let excerpt = src.get(base..stop).unwrap_or("");
    let excerpt = excerpt.strip_suffix('\r').unwrap_or(excerpt);
    let rel_start = start - base;
    let rel_end = (end - base).min(excerpt.len()).max(rel_start);
    let snippet = Snippet::source(excerpt)
        .line_start(first)
        .path(f.path.as_str())
        .annotation(
            AnnotationKind::Primary
                .span(rel_start..rel_end)
                .label(d.name),
        );
    let mut group: Group<'_> = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.rule)
        .element(snippet);
    let help;
    let origin;
    if let Some(o) = &f.origin {
        origin = format!("linted as the build of {o}");
        group = group.element(Level::NOTE.message(origin.as_str()));
    }
    if let Some(fix) = &d.fix {
        help = format!("[{} fix] {}", fix.applicability.as_str(), fix.description);
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
}
