//! Dockerfile parsing: directives, instructions, heredocs, variable expansion, with exact spans.
//!
//! [`parse`] follows BuildKit's dockerfile frontend (`frontend/dockerfile/parser`) line by line,
//! but never stops at the first error: each problem becomes a positioned [`ParseError`] and
//! parsing resumes at the next instruction.

pub mod ast;
pub mod dockerignore;
pub mod dump;
pub mod expand;
mod json;
mod parser;
pub mod span;

pub use ast::*;
pub use parser::{parse, parse_mount};
pub use span::{Edit, LineCol, LineIndex, SourceMap, Span};

/// Strips one level of matching surrounding quotes (and the white space around them).
pub fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}
