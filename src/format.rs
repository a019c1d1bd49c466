//! `dlint fmt`: an opinionated, idempotent Dockerfile formatter working from the lossless
//! parser's spans.
//!
//! The policy (docs/fmt.md has it with examples): instruction keywords upper-case with one
//! space after them; instructions grouped by keyword (no blank line inside a run of one keyword,
//! one between runs, above the comments of the next; a FROM always starts a run), runs of blank
//! lines collapsed to one, none at the start or the end; comment lines start at column 0 and stay
//! with the instruction below them; continuation lines indented by four spaces; the top-level
//! `&&` / `||` / `;` chain of a long or multi-line shell-form RUN one command per line with the
//! operator and `\` at the line end (a HEALTHCHECK CMD's too); in an instruction over 80
//! columns, a RUN's flags, a HEALTHCHECK's options and ENV/LABEL pairs one per line; contiguous
//! package words of `apt-get`/`apk`/`dnf`/`yum`/
//! `microdnf`/`zypper` installs sorted; trailing whitespace removed, a final newline.
//! Heredoc bodies, quoted text, substitutions, JSON forms, parser directives and the escape
//! character are kept; CRLF files stay CRLF.
//!
//! Guarantee: a formatted file parses to the same [`semantics::Semantics`] as the original
//! (checked on every call: when a layout would change them, the formatter falls back to a
//! plainer one, and to an error rather than a wrong file). A file with a parse error is not
//! formatted.

mod chain;
mod elements;
mod instruction;
mod layout;
pub mod packages;
pub mod semantics;
mod wrap;

use crate::dockerfile::{self, Dockerfile};

/// Why a file was not formatted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The file does not parse cleanly; it is left untouched.
    #[error("{line}:{column}: {message} (the file does not parse, so it is not formatted)")]
    Parse {
        line: usize,
        column: usize,
        message: String,
    },
    /// Every layout tried would change what the file means (a formatter bug).
    #[error(
        "formatting would change what the file means, so it is not formatted (please report it)"
    )]
    Unsafe,
}

/// How much the formatter may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Everything in the policy.
    Full,
    /// No package sorting, no chain splitting, line breaks kept byte for byte: keyword case,
    /// blank lines, comments and trailing whitespace only.
    Plain,
}

/// Formats a Dockerfile's text.
pub fn format(source: &str) -> Result<String, FormatError> {
    format_traced(source).map(|f| f.text)
}

/// A formatted file and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    /// The formatted text.
    pub text: String,
    /// True when the full policy would have changed the file's meaning and the plain layout
    /// (keyword case, blank lines, comments, trailing whitespace) was used instead.
    pub fell_back: bool,
}

/// Formats a Dockerfile's text and says whether the guard had to fall back to the plain layout.
pub fn format_traced(source: &str) -> Result<Formatted, FormatError> {
    let df = dockerfile::parse(source);
    if let Some(e) = df.errors.first() {
        let at = df.lines.line_col(source, e.span.start);
        return Err(FormatError::Parse {
            line: at.line,
            column: at.column,
            message: e.message.clone(),
        });
    }
    let want = semantics::of(&df);
    for mode in [Mode::Full, Mode::Plain] {
        let out = format_parsed(&df, mode);
        let fell_back = mode == Mode::Plain;
        if out == source {
            return Ok(Formatted {
                text: out,
                fell_back,
            });
        }
        let again = dockerfile::parse(&out);
        if again.errors.is_empty() && semantics::of(&again) == want {
            return Ok(Formatted {
                text: out,
                fell_back,
            });
        }
    }
    Err(FormatError::Unsafe)
}

/// Formats a parsed file in one mode, without the guard.
fn format_parsed(df: &Dockerfile, mode: Mode) -> String {
    if mode == Mode::Full {
        let edits = packages::edits(df, &posix_shells(df));
        if !edits.is_empty() {
            let sorted = dockerfile::parse(&packages::apply(&df.source, &edits));
            if sorted.errors.is_empty() {
                return layout::layout(&sorted, mode, &posix_shells(&sorted));
            }
        }
    }
    layout::layout(df, mode, &posix_shells(df))
}

/// Per instruction: its shell form runs in a POSIX shell (`/bin/sh` by default, or a `SHELL`
/// of sh, bash, dash, ...), not cmd or PowerShell (a `SHELL` of theirs, or a Windows base
/// image). Only those bodies are parsed as shell, re-spaced, split and sorted.
pub(crate) fn posix_shells(df: &Dockerfile) -> Vec<bool> {
    let shells = crate::semantic::shells(df);
    (0..df.instructions.len())
        .map(|i| shells.get(i).is_some_and(|s| s.dialect.is_some()))
        .collect()
}

#[cfg(test)]
mod tests;
