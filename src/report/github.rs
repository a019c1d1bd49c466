//! `--format github`: GitHub Actions workflow commands, shown inline on pull requests.

use super::FileReport;
use crate::lint::Severity;
use std::io::{self, Write};

fn command(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "notice",
    }
}

/// Escapes a command's message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (additionally `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn write(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for f in files {
        let file = escape_property(f.path.strip_prefix("./").unwrap_or(&f.path));
        for d in &f.diagnostics {
            let ((line, col), (end_line, end_col)) = f.positions(d.span);
            let cols = if line == end_line {
                format!(",col={col},endColumn={end_col}")
            } else {
                format!(",col={col}")
            };
            writeln!(
                out,
                "::{} file={file},line={line},endLine={end_line}{cols},title={}::{}",
                command(d.severity),
                escape_property(&format!("{} {}", d.rule, d.name)),
                escape_data(&f.message(d)),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_spec() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
