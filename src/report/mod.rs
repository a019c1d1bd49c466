//! Output formats for lint findings and image reports. Reports never inspect the AST: they get
//! diagnostics plus the source text needed to show positions and code frames.

use crate::dockerfile::{LineIndex, Span};
use crate::lint::Diagnostic;
use std::io::{self, Write};

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
    /// 1-based (line, column) of the start and end of a span.
    pub fn positions(&self, span: Span) -> ((usize, usize), (usize, usize)) {
        let s = self.lines.line_col(&self.source, span.start);
        let e = self.lines.line_col(&self.source, span.end);
        ((s.line, s.column), (e.line, e.column))
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
                f.path, line, col, d.severity, d.rule, d.message
            )?;
        }
    }
    Ok(())
}
