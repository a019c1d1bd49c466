//! `--format checkstyle`: Checkstyle XML (Jenkins warnings-ng, reviewdog, GitLab via converters).

use super::FileReport;
use super::xml::escape;
use crate::lint::Severity;
use std::io::{self, Write};

/// Checkstyle knows error, warning and info; style findings are written as info.
fn severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "info",
    }
}

pub(super) fn write(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for f in files {
        if f.diagnostics.is_empty() {
            writeln!(out, r#"  <file name="{}"/>"#, escape(&f.path))?;
            continue;
        }
        writeln!(out, r#"  <file name="{}">"#, escape(&f.path))?;
        for d in &f.diagnostics {
            let ((line, col), _) = f.positions(d.span);
            writeln!(
                out,
                r#"    <error line="{line}" column="{col}" severity="{}" message="{}" source="{}"/>"#,
                severity(d.severity),
                escape(&format!("{} ({})", f.message(d), d.name)),
                escape(d.rule),
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
