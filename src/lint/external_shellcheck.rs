//! `--shellcheck PATH` (config `shellcheck:`): a real ShellCheck run on the shell-form RUN
//! bodies of one Dockerfile, all in one process, for the codes dlint does not build in. Each
//! body is written to a script of its own (with a `#!` line for the stage's shell) in a
//! temporary directory, ShellCheck's `json1` findings are mapped back to Dockerfile spans, and
//! those a built-in rule already reports (same code, same place) are dropped. Heredoc scripts,
//! exec-form RUNs and PowerShell/cmd stages are not passed to it.

use super::{Diagnostic, SemanticModel, Severity};
use crate::dockerfile::{InstructionKind, Keyword, ShellOrExec, Span};
use crate::shell::Mapping;
use crate::shell::builtin_checks::Dialect;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The rule name external findings carry.
pub const NAME: &str = "shellcheck";

/// ShellCheck's `SC2154` (a variable referenced but not assigned) is left out: the image's
/// environment, not the script, sets most variables a RUN reads.
const EXCLUDED: &str = "SC2154";

#[derive(Deserialize)]
struct Output {
    comments: Vec<Comment>,
}

#[derive(Deserialize)]
struct Comment {
    file: String,
    line: usize,
    column: usize,
    #[serde(rename = "endLine")]
    end_line: usize,
    #[serde(rename = "endColumn")]
    end_column: usize,
    level: String,
    code: u32,
    message: String,
}

/// One script handed to ShellCheck: its text and how its bytes map into the Dockerfile.
struct Body<'a> {
    text: &'a str,
    mapping: Mapping<'a>,
}

/// Runs `program` on the RUN bodies of the model's Dockerfile; `built_in` are the findings of
/// dlint's own rules (not reported twice). An error says why ShellCheck could not run.
pub fn check(
    program: &Path,
    model: &SemanticModel<'_>,
    built_in: &[Diagnostic],
) -> Result<Vec<Diagnostic>, String> {
    let df = model.dockerfile();
    let mut bodies = Vec::new();
    let dir =
        tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let mut files = Vec::new();
    for run in &model.analysis().runs {
        let Some(dialect) = model.shell(run.index).dialect else {
            continue;
        };
        let Some(inst) = df.instructions.get(run.index) else {
            continue;
        };
        let inst = match &inst.kind {
            InstructionKind::Onbuild(inner) if inner.keyword == Keyword::Run => &**inner,
            _ => inst,
        };
        let InstructionKind::Run(ShellOrExec::Shell(text)) = &inst.kind else {
            continue;
        };
        if !inst.heredocs.is_empty() {
            continue;
        }
        let shell = match dialect {
            Dialect::Sh => "sh",
            Dialect::Bash => "bash",
            Dialect::Ksh => "ksh",
        };
        let path = dir.path().join(format!("{}.sh", bodies.len()));
        std::fs::write(&path, format!("#!/bin/{shell}\n{}\n", text.text))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        files.push(path);
        bodies.push(Body {
            text: &text.text,
            mapping: Mapping::Map {
                map: &text.map,
                base: 0,
            },
        });
    }
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let out = Command::new(program)
        .args(["--format=json1", "--severity=style"])
        .arg(format!("--exclude={EXCLUDED}"))
        .args(&files)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    // exit 1 means "found something"; anything else is a failure
    if !matches!(out.status.code(), Some(0 | 1)) {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "{} failed ({}): {}",
            program.display(),
            out.status,
            err.lines().next().unwrap_or("")
        ));
    }
    let parsed: Output = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{} printed no JSON findings: {e}", program.display()))?;
    let seen: HashSet<(&str, usize)> = built_in
        .iter()
        .map(|d| (d.rule, df.lines.line_col(&df.source, d.span.start).line))
        .collect();
    let mut found = Vec::new();
    for c in parsed.comments {
        let Some(k) = Path::new(&c.file)
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse::<usize>().ok())
        else {
            continue;
        };
        let Some(body) = bodies.get(k) else { continue };
        if c.line < 2 {
            continue; // about the `#!` line dlint wrote, not the RUN
        }
        // line 1 is the `#!` line written above
        let (Some(start), Some(end)) = (
            offset(body.text, c.line.saturating_sub(1), c.column),
            offset(body.text, c.end_line.saturating_sub(1), c.end_column),
        ) else {
            continue;
        };
        let span: Span = body.mapping.span(start, end.max(start));
        let code = intern(&format!("SC{}", c.code));
        if seen.contains(&(code, df.lines.line_col(&df.source, span.start).line)) {
            continue;
        }
        found.push(Diagnostic {
            rule: code,
            name: NAME,
            severity: match c.level.as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                _ => Severity::Style,
            },
            message: c.message,
            span,
            fix: None,
        });
    }
    Ok(found)
}

/// The byte offset in `text` of 1-based `line` and ShellCheck's 1-based `column`, which counts
/// a tab as reaching the next multiple of 8.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        let mut seen = 1;
        let mut at = None;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                seen += 1;
                if seen == line {
                    at = Some(i + 1);
                    break;
                }
            }
        }
        at?
    };
    let rest = text.get(line_start..)?;
    let mut col = 1usize;
    for (i, ch) in rest.char_indices() {
        if col >= column || ch == '\n' {
            return Some(line_start + i);
        }
        col = if ch == '\t' {
            (col - 1) / 8 * 8 + 9
        } else {
            col + 1
        };
    }
    Some(text.len())
}

/// A `&'static str` for a ShellCheck code: each distinct code is leaked once (ShellCheck has
/// a few hundred), so diagnostics can carry it like a built-in rule id.
fn intern(code: &str) -> &'static str {
    static CODES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let set = CODES.get_or_init(|| Mutex::new(HashSet::new()));
    let Ok(mut set) = set.lock() else {
        return "SC????";
    };
    if let Some(c) = set.get(code) {
        return c;
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_tabs_to_the_next_multiple_of_eight() {
        let text = "a\n\tb $x\nc";
        assert_eq!(offset(text, 1, 1), Some(0));
        assert_eq!(offset(text, 2, 9), Some(3)); // `b` after a tab
        assert_eq!(offset(text, 2, 11), Some(5)); // `$x`
        assert_eq!(offset(text, 3, 1), Some(8));
        assert_eq!(offset(text, 4, 1), None);
    }

    #[test]
    fn codes_are_interned_once() {
        let a = intern("SC2185");
        let b = intern(&String::from("SC2185"));
        assert!(std::ptr::eq(a, b));
    }
}
