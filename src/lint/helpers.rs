//! AST helpers shared by rules: stage lookups, variable references, image references.

use crate::dockerfile::{Dockerfile, Instruction, InstructionKind, Span};

/// The instructions of stage `stage` (FROM excluded), in order.
pub fn stage_instructions(df: &Dockerfile, stage: usize) -> impl Iterator<Item = &Instruction> {
    df.stages
        .get(stage)
        .into_iter()
        .flat_map(|s| s.instructions.iter())
        .filter_map(|&i| df.instructions.get(i))
}

/// The FROM instruction of a stage.
pub fn stage_from(df: &Dockerfile, stage: usize) -> Option<&Instruction> {
    df.stages
        .get(stage)
        .and_then(|s| df.instructions.get(s.from))
}

pub use crate::dockerfile::expand::{VarRef, references as var_refs};

/// Every stage whose FROM has a `--platform=` flag: the stage, the flag and its value as
/// written (outer quotes trimmed).
pub fn from_platforms(
    df: &Dockerfile,
) -> impl Iterator<Item = (&crate::dockerfile::Stage, &crate::dockerfile::Flag, &str)> {
    df.stages.iter().filter_map(|s| {
        let flag = df.instructions.get(s.from)?.flag("platform")?;
        let value = flag.value.as_ref()?.value.trim_matches(['"', '\'']);
        Some((s, flag, value))
    })
}

/// Every top-level instruction, and for `ONBUILD X` also the trigger `X` (whose spans point
/// into the same source), in file order.
pub fn with_onbuild(df: &Dockerfile) -> impl Iterator<Item = &Instruction> {
    df.instructions.iter().flat_map(|i| {
        let inner = match &i.kind {
            InstructionKind::Onbuild(t) => Some(t.as_ref()),
            _ => None,
        };
        std::iter::once(i).chain(inner)
    })
}

/// BuildKit's automatic platform args, usable without declaring them.
pub const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
    "BUILDKIT_SYNTAX",
];

/// Predefined proxy build args (usable in RUN without an ARG).
pub const PROXY_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

pub use crate::dockerfile::unquote;

/// True for an absolute path: `/…`, a variable (`$X…`, resolved at build time), or a Windows
/// drive path (`C:\…`, `C:/…`).
pub fn is_absolute_path(path: &str) -> bool {
    // `"${HOME}"/x`: a leading quote does not make the path relative
    let p = unquote(path).trim_start_matches(['"', '\'']);
    let b = p.as_bytes();
    p.starts_with('/')
        || p.starts_with('$')
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && (b[2] == b'\\' || b[2] == b'/'))
}

/// The source span of the instruction's keyword plus arguments on its first line, for
/// findings that concern the instruction as a whole.
pub fn head_span(df: &Dockerfile, ins: &Instruction) -> Span {
    let text = ins.span.text(&df.source);
    let first_line = text.find(['\n', '\r']).unwrap_or(text.len());
    Span::new(ins.span.start, ins.span.start + first_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths() {
        for p in [
            "/app",
            "\"/app\"",
            "$HOME/x",
            "${X}",
            "\"${HOME}\"/x",
            "C:\\app",
            "c:/app",
        ] {
            assert!(is_absolute_path(p), "{p}");
        }
        for p in ["app", "./app", "\"app\"", "~/x", "C:app"] {
            assert!(!is_absolute_path(p), "{p}");
        }
    }
}
