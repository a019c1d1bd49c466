//! Output formats for lint findings. Reports never inspect the AST or the rule registry: they
//! get diagnostics plus the source text needed to show positions and code frames
//! ([`FileReport`]), and the rule metadata they need ([`RuleDoc`]) through [`RenderOptions`].
//!
//! Every format is written by [`render`]; one call renders one run (all files).

use crate::dockerfile::{LineIndex, Span};
use crate::lint::project::Origin;
use crate::lint::{Diagnostic, Registry, RuleEntry, Severity, pages};
use std::io::{self, IsTerminal, Write};

mod checkstyle;
pub mod compare;
pub mod diff;
pub mod family;
pub mod fleet;
mod github;
mod gitlab;
pub mod image;
mod json;
mod junit;
pub mod optimize;
pub mod rules;
mod sarif;
pub mod stdout;
mod text;
mod treemap;
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
    /// The compose service or bake target whose build this is, if any.
    pub origin: Option<Origin>,
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
            origin: None,
        }
    }

    /// `d`'s message, after `[service web] ` when the file was linted for a compose service
    /// or bake target (for the one-line formats).
    pub fn message<'d>(&self, d: &'d Diagnostic) -> std::borrow::Cow<'d, str> {
        match &self.origin {
            Some(o) => format!("[{} {}] {}", o.kind, o.name, d.message).into(),
            None => d.message.as_str().into(),
        }
    }

    /// 1-based (line, column) of the start and end of a span.
    pub fn positions(&self, span: Span) -> ((usize, usize), (usize, usize)) {
        let s = self.lines.line_col(&self.source, span.start);
        let e = self.lines.line_col(&self.source, span.end);
        ((s.line, s.column), (e.line, e.column))
    }
}

/// Converts lint results to the reports' input (unreadable files included: their DL1002
/// finding must reach every format).
pub fn file_reports(files: &[crate::lint::LintedFile]) -> Vec<FileReport> {
    files
        .iter()
        .map(|f| FileReport {
            path: f.path.display().to_string(),
            lines: crate::dockerfile::LineIndex::new(&f.source),
            source: f.source.clone(),
            diagnostics: f.diagnostics.clone(),
            origin: f.origin.clone(),
        })
        .collect()
}

/// Output format of `dlint lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// rustc-style code frames for people (default).
    #[default]
    Text,
    /// One line per finding: `path:line:col: severity RULE message`.
    Compact,
    /// One JSON document per run (schema in `docs/ci-and-hooks.md`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitLab Code Quality report.
    Gitlab,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML, one testcase per rule per file.
    Junit,
    /// GitHub Actions workflow commands (inline PR annotations).
    Github,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: &[Format] = &[
        Format::Text,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Gitlab,
        Format::Checkstyle,
        Format::Junit,
        Format::Github,
    ];

    /// hadolint's names for the formats dlint has (`tty`, `gnu`, `gitlab_codeclimate`,
    /// `codeclimate`).
    pub fn aliases(&self) -> &'static [&'static str] {
        match self {
            Format::Text => &["tty"],
            Format::Compact => &["gnu"],
            Format::Gitlab => &["gitlab_codeclimate", "codeclimate"],
            _ => &[],
        }
    }

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

impl Format {
    /// The format of a run: `flag` when given, else the config's `format` (hadolint's names
    /// are aliases), else text.
    pub fn configured(flag: Option<Format>, cfg: &crate::lint::Config) -> crate::Result<Format> {
        match (flag, cfg.format.as_deref()) {
            (Some(f), _) => Ok(f),
            (None, Some(name)) => name.parse().map_err(|e| crate::Error::Config {
                path: cfg.path.clone().unwrap_or_else(|| "config".into()),
                message: format!("key `format`: {e}"),
            }),
            (None, None) => Ok(Format::Text),
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    /// A format by name or alias, ignoring case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| {
                f.as_str().eq_ignore_ascii_case(s)
                    || f.aliases().iter().any(|a| a.eq_ignore_ascii_case(s))
            })
            .ok_or_else(|| format!("unknown format `{s}`"))
    }
}

/// `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to stdout, honouring `NO_COLOR` for `auto`.
    pub fn use_color(self) -> bool {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        self.resolve(io::stdout().is_terminal(), no_color)
    }

    /// [`ColorChoice::use_color`], with a config's `no-color` turning `auto` off (an explicit
    /// `always` still wins).
    pub fn use_color_unless(self, config_no_color: bool) -> bool {
        match self {
            ColorChoice::Auto if config_no_color => false,
            choice => choice.use_color(),
        }
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
    /// The rule's page (Markdown, `rules/ID.md`), carried as SARIF `help`; may be empty.
    pub help_markdown: String,
}

impl RuleDoc {
    /// The metadata of a registered rule: the summary is its page's title (the code's summary
    /// when it has no page), the description its page's "Why", the help its whole page (the
    /// pages are compiled in, so no link is needed).
    pub fn from_info(info: &RuleEntry) -> Self {
        RuleDoc {
            id: info.id.to_string(),
            name: info.name.to_string(),
            severity: info.severity,
            summary: info
                .page
                .and_then(pages::title_text)
                .unwrap_or(info.summary)
                .to_string(),
            description: info.page.map(pages::why).unwrap_or_default().to_string(),
            help_uri: String::new(),
            help_markdown: info.page.unwrap_or_default().trim().to_string(),
        }
    }

    /// [`RuleDoc::from_info`] for every rule of `registry`.
    pub fn all(registry: &Registry) -> Vec<RuleDoc> {
        registry.infos().iter().map(RuleDoc::from_info).collect()
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
                one_line(&f.message(d))
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
        let d = Diagnostic {
            rule: "DL3009",
            name: "x",
            severity: Severity::Info,
            message: "m".into(),
            span: Span::new(0, 4),
            fix: None,
        };
        let files = [FileReport::new("Dockerfile", "FROM x\n", vec![d])];
        for format in Format::ALL {
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

    #[test]
    fn configured_format_is_the_flag_then_the_config_then_text() {
        let mut cfg = crate::lint::Config::default();
        assert_eq!(Format::configured(None, &cfg).ok(), Some(Format::Text));
        cfg.format = Some("gnu".into());
        assert_eq!(Format::configured(None, &cfg).ok(), Some(Format::Compact));
        let flag = Format::configured(Some(Format::Json), &cfg);
        assert_eq!(flag.ok(), Some(Format::Json));
        cfg.format = Some("nope".into());
        let e = Format::configured(None, &cfg).map_err(|e| e.to_string());
        assert!(
            e.as_ref()
                .is_err_and(|e| e.starts_with("config: key `format`")),
            "{e:?}"
        );
    }
}
