//! AST helpers shared by rules: stage lookups, variable references, image references.

use crate::dockerfile::{Dockerfile, Instruction, InstructionKind, Keyword, Span};

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

/// The index of the stage named `name` (case-insensitive) or numbered `name`, defined before
/// stage `before` (all stages when `None`).
pub fn find_stage(df: &Dockerfile, name: &str, before: Option<usize>) -> Option<usize> {
    let limit = before.unwrap_or(df.stages.len());
    if let Ok(n) = name.parse::<usize>() {
        return (n < limit).then_some(n);
    }
    df.stages
        .iter()
        .take(limit)
        .find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .map(|s| s.index)
}

/// True when `name` is the alias of a stage before `before`.
pub fn is_stage_alias(df: &Dockerfile, name: &str, before: usize) -> bool {
    df.stages.iter().take(before).any(|s| {
        s.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// A `$NAME` / `${NAME…}` reference in instruction text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// Byte range of the whole reference in the scanned text.
    pub start: usize,
    pub end: usize,
    /// `${NAME:-default}` and the like: a modifier that supplies a value when unset.
    pub has_default: bool,
}

/// Finds variable references in `text` as BuildKit's word lexer would: `escape` escapes a `$`,
/// single-quoted text is literal.
pub fn var_refs(text: &str, escape: char) -> Vec<VarRef> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let mut in_single = false;
    let mut in_double = false;
    while let Some(&(pos, c)) = chars.get(i) {
        if c == escape && !in_single {
            i += 2;
            continue;
        }
        if c == '\'' && !in_double {
            in_single = !in_single;
        } else if c == '"' && !in_single {
            in_double = !in_double;
        } else if c == '$' && !in_single {
            let next = chars.get(i + 1).map(|&(_, c)| c);
            if next == Some('{') {
                let mut j = i + 2;
                let name_start = chars.get(j).map(|&(p, _)| p).unwrap_or(text.len());
                while chars
                    .get(j)
                    .is_some_and(|&(_, c)| c.is_ascii_alphanumeric() || c == '_')
                {
                    j += 1;
                }
                let name_end = chars.get(j).map(|&(p, _)| p).unwrap_or(text.len());
                let mut depth = 1;
                let mut k = j;
                while let Some(&(_, c)) = chars.get(k) {
                    if c == '{' {
                        depth += 1;
                    } else if c == '}' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    k += 1;
                }
                let end = chars
                    .get(k)
                    .map(|&(p, c)| p + c.len_utf8())
                    .unwrap_or(text.len());
                let modifier = text.get(name_end..end).unwrap_or("");
                if name_end > name_start {
                    out.push(VarRef {
                        name: text[name_start..name_end].to_string(),
                        start: pos,
                        end,
                        has_default: modifier.starts_with(":-")
                            || modifier.starts_with('-')
                            || modifier.starts_with(":+")
                            || modifier.starts_with('+'),
                    });
                }
                i = k + 1;
                continue;
            } else if next.is_some_and(|c| c.is_ascii_alphabetic() || c == '_') {
                let mut j = i + 1;
                while chars
                    .get(j)
                    .is_some_and(|&(_, c)| c.is_ascii_alphanumeric() || c == '_')
                {
                    j += 1;
                }
                let end = chars.get(j).map(|&(p, _)| p).unwrap_or(text.len());
                out.push(VarRef {
                    name: text[pos + 1..end].to_string(),
                    start: pos,
                    end,
                    has_default: false,
                });
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
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

/// ARG names declared before the first FROM, with their default values.
pub fn global_args(df: &Dockerfile) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for ins in df
        .instructions
        .iter()
        .take_while(|i| i.keyword != Keyword::From)
    {
        if let InstructionKind::Arg(kvs) = &ins.kind {
            for kv in kvs {
                out.push((
                    kv.key.value.clone(),
                    kv.value.as_ref().map(|v| v.value.clone()),
                ));
            }
        }
    }
    out
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

/// Strips one level of matching surrounding quotes.
pub fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

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
    fn finds_variable_references() {
        let refs = var_refs("a $FOO ${BAR:-x} '$NOPE' \\$ESC \"$Q\" $1 ${}", '\\');
        let names: Vec<_> = refs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["FOO", "BAR", "Q"]);
        assert!(refs[1].has_default && !refs[0].has_default);
        assert_eq!(&"a $FOO"[refs[0].start..refs[0].end], "$FOO");
        assert_eq!(var_refs("x`$Y", '`').len(), 0);
    }

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
