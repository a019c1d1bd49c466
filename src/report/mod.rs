//! Output formats for lint findings. Reports never inspect the AST or the rule registry: they
//! get diagnostics plus the source text needed to show positions and code frames
//! ([`FileReport`]), and the rule metadata they need ([`RuleDoc`]) through [`RenderOptions`].
//!
//! Every format is written by [`render`]; one call renders one run (all files).

use crate::dockerfile::{LineIndex, Span};
use crate::lint::{Diagnostic, RuleMeta, Severity};
use std::io::{self, IsTerminal, Write};

mod checkstyle;
pub mod compare;
mod github;
mod gitlab;
mod json;
mod junit;
pub mod optimize;
mod sarif;
mod text;
mod xml;

pub use gitlab::fingerprint;
pub use json::JSON_SCHEMA_VERSION;

/// Findings for one linted file, ready to render.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Path as shown to the user.
    pub path: String,
    /// The file's text (for line/column and code frames).
    pub source: String,
    pub lines: LineIndex,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// Builds a report, indexing the source's lines and sorting the findings by position
    /// (then rule id).
    pub fn new(
        path: impl Into<String>,
        source: impl Into<String>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        let source = source.into();
        let lines = LineIndex::new(&source);
        let mut diagnostics = diagnostics;
        diagnostics.sort_by(|a, b| {
            (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
        });
        FileReport {
            path: path.into(),
            source,
            lines,
            diagnostics,
        }
    }

    /// 1-based (line, column) of the start and end of a span.
    pub fn positions(&self, span: Span) -> ((usize, usize), (usize, usize)) {
        let s = self.lines.line_col(&self.source, span.start);
        let e = self.lines.line_col(&self.source, span.end);
        ((s.line, s.column), (e.line, e.column))
    }
}

/// Output format of `dlint lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// rustc-style code frames for people (default).
    #[default]
    #[value(alias = "tty")]
    Text,
    /// One line per finding: `path:line:col: severity RULE message`.
    #[value(alias = "gnu")]
    Compact,
    /// One JSON document per run (schema in the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitLab Code Quality report.
    #[value(alias = "gitlab_codeclimate", alias = "codeclimate")]
    Gitlab,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML, one testcase per rule per file.
    Junit,
    /// GitHub Actions workflow commands (inline PR annotations).
    Github,
}

impl Format {
    /// The name used on the command line.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Compact => "compact",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Gitlab => "gitlab",
            Format::Checkstyle => "checkstyle",
            Format::Junit => "junit",
            Format::Github => "github",
        }
    }
}

/// `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to stdout, honouring `NO_COLOR` for `auto`.
    pub fn use_color(self) -> bool {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        self.resolve(io::stdout().is_terminal(), no_color)
    }

    /// Pure decision: `always`/`never` win; `auto` colours a terminal unless `NO_COLOR` is set.
    pub fn resolve(self, is_terminal: bool, no_color: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        }
    }
}

/// Rule metadata used by the rich formats (SARIF `tool.driver.rules`, JUnit test cases, help links).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    /// `DL3009`.
    pub id: String,
    /// `apt-lists-not-removed`.
    pub name: String,
    /// Default severity.
    pub severity: Severity,
    /// One-line summary (the rule page's title).
    pub summary: String,
    /// Full description (the rule page's "Why" prose); may be empty.
    pub description: String,
    /// Link to the rule's documentation; may be empty.
    pub help_uri: String,
}

/// Base URL of the rule pages in the repository.
pub const RULE_DOCS_BASE: &str = "https://github.com/dlint/dlint/blob/main/rules/";

impl RuleDoc {
    /// Metadata from a rule's static description (no full description; help link to its page).
    pub fn from_meta(meta: &RuleMeta) -> Self {
        RuleDoc {
            id: meta.id.to_string(),
            name: meta.name.to_string(),
            severity: meta.severity,
            summary: meta.summary.to_string(),
            description: String::new(),
            help_uri: format!("{RULE_DOCS_BASE}{}.md", meta.id),
        }
    }
}

/// Settings shared by all formats.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Emit ANSI colours (text format only). Resolve with [`ColorChoice::use_color`].
    pub color: bool,
    /// Metadata of every rule that was run (ids not listed here still render, with less detail).
    pub rules: &'a [RuleDoc],
    /// Tool version written into SARIF/JSON/JUnit documents.
    pub version: &'a str,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            color: false,
            rules: &[],
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

impl<'a> RenderOptions<'a> {
    /// Metadata of a rule id, if known.
    pub fn rule(&self, id: &str) -> Option<&'a RuleDoc> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Renders all files' findings in `format` to `out`.
pub fn render(
    format: Format,
    files: &[FileReport],
    opts: &RenderOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(files, opts, out),
        Format::Compact => write_compact(files, out),
        Format::Json => json::write(files, opts, out),
        Format::Sarif => sarif::write(files, opts, out),
        Format::Gitlab => gitlab::write(files, out),
        Format::Checkstyle => checkstyle::write(files, out),
        Format::Junit => junit::write(files, opts, out),
        Format::Github => github::write(files, out),
    }
}

/// Writes one line per finding: `path:line:col: severity RULE message`.
pub fn write_compact(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for f in files {
        for d in &f.diagnostics {
            let ((line, col), _) = f.positions(d.span);
            writeln!(
                out,
                "{}:{}:{}: {} {} {}",
                f.path,
                line,
                col,
                d.severity,
                d.rule,
                one_line(&d.message)
            )?;
        }
    }
    Ok(())
}

/// Counts of findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub style: usize,
}

impl Counts {
    /// Counts the findings of all files.
    pub fn of(files: &[FileReport]) -> Self {
        let mut c = Counts::default();
        for d in files.iter().flat_map(|f| &f.diagnostics) {
            match d.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Info => c.info += 1,
                Severity::Style => c.style += 1,
            }
        }
        c
    }

    /// Total findings.
    pub fn total(&self) -> usize {
        self.error + self.warning + self.info + self.style
    }
}

/// Keeps the I/O error kind of a serde_json failure (so a closed pipe stays `BrokenPipe`).
pub(crate) fn json_io_error(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    }
}

/// Collapses line breaks so a message fits on one line.
pub(crate) fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r'])
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_choice_resolution() {
        assert!(ColorChoice::Auto.resolve(true, false));
        assert!(!ColorChoice::Auto.resolve(true, true));
        assert!(!ColorChoice::Auto.resolve(false, false));
        assert!(ColorChoice::Always.resolve(false, true));
        assert!(!ColorChoice::Never.resolve(true, false));
    }

    #[test]
    fn new_sorts_by_position() {
        let d = |rule: &'static str, start| Diagnostic {
            rule,
            name: "x",
            severity: Severity::Info,
            message: "m".into(),
            span: Span::new(start, start + 1),
            fix: None,
        };
        let r = FileReport::new("a", "abc\ndef\n", vec![d("B", 4), d("A", 0), d("C", 0)]);
        let order: Vec<_> = r.diagnostics.iter().map(|d| d.rule).collect();
        assert_eq!(order, ["A", "C", "B"]);
        assert_eq!(r.positions(Span::new(4, 6)), ((2, 1), (2, 3)));
    }

    struct ClosedPipe;
    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn closed_pipe_keeps_its_kind_in_every_format() {
        use clap::ValueEnum;
        let d = Diagnostic {
            rule: "DL3009",
            name: "x",
            severity: Severity::Info,
            message: "m".into(),
            span: Span::new(0, 4),
            fix: None,
        };
        let files = [FileReport::new("Dockerfile", "FROM x\n", vec![d])];
        for format in Format::value_variants() {
            let err = render(*format, &files, &RenderOptions::default(), &mut ClosedPipe)
                .expect_err("write fails");
            assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{format:?}");
        }
    }

    #[test]
    fn one_line_joins() {
        assert_eq!(one_line("a\nb\r\nc"), "a b c");
        assert_eq!(one_line("abc"), "abc");
    }
}
