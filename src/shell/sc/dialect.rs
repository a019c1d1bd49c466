//! Bash-isms in a POSIX `sh` script (ShellCheck's SC3xxx codes, and SC2113).

use super::{Cx, children, command_args, command_name};
use tree_sitter::Node;

pub(super) fn visit(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    let quoted = || {
        up.iter()
            .any(|a| matches!(a.kind(), "string" | "raw_string" | "heredoc_body"))
    };
    match n.kind() {
        "test_command" if cx.text(n).starts_with("[[") => {
            cx.report("SC3010", n, "In POSIX sh, [[ ]] is undefined.");
        }
        "test_operator" | "==" if cx.text(n) == "==" => {
            let single = up
                .iter()
                .rev()
                .find(|a| a.kind() == "test_command")
                .is_some_and(|t| !cx.text(*t).starts_with("[["));
            if single {
                cx.report("SC3014", n, "In POSIX sh, == in place of = is undefined.");
            }
        }
        "translated_string" => cx.report("SC3004", n, "In POSIX sh, $\"..\" is undefined."),
        // tree-sitter-bash parses `$"..."` as a `$` token and a string.
        "string" if !quoted() && n.start_byte() > 0 => {
            let before = cx.src.as_bytes().get(..n.start_byte()).unwrap_or(&[]);
            if before.ends_with(b"$") && !before.ends_with(b"\\$") && !before.ends_with(b"$$") {
                let start = n.start_byte() - 1;
                cx.report_at(
                    "SC3004",
                    start,
                    n.end_byte(),
                    "In POSIX sh, $\"..\" is undefined.",
                );
            }
        }
        "ansi_c_string" => cx.report("SC3003", n, "In POSIX sh, $'..' is undefined."),
        "herestring_redirect" => cx.report("SC3011", n, "In POSIX sh, here-strings are undefined."),
        "process_substitution" => {
            cx.report(
                "SC3001",
                n,
                "In POSIX sh, process substitution is undefined.",
            );
        }
        "file_redirect" => {
            if let Some(op) = n.child(0)
                && matches!(cx.text(op), "&>" | "&>>")
            {
                cx.report("SC3020", op, "In POSIX sh, &> is undefined.");
            }
        }
        "brace_expression" if !quoted() => {
            cx.report("SC3009", n, "In POSIX sh, brace expansion is undefined.");
        }
        "concatenation" if !quoted() => brace_expansion(cx, n),
        "variable_assignment" if n.named_child(1).is_some_and(|v| v.kind() == "array") => {
            cx.report("SC3030", n, "In POSIX sh, arrays are undefined.");
        }
        "function_definition" if n.child(0).is_some_and(|k| cx.text(k) == "function") => {
            cx.report(
                "SC2113",
                n,
                "'function' keyword is non-standard. Use 'foo()' instead of 'function foo'.",
            );
        }
        "declaration_command" => {
            let keyword = n.child(0).map(|k| cx.text(k)).unwrap_or("");
            match keyword {
                "local" => cx.report("SC3043", n, "In POSIX sh, 'local' is undefined."),
                "declare" | "typeset" => {
                    cx.report(
                        "SC3044",
                        n,
                        format!("In POSIX sh, '{keyword}' is undefined."),
                    );
                }
                _ => {}
            }
        }
        "compound_statement" if cx.text(n).starts_with("((") => {
            cx.report("SC3006", n, "In POSIX sh, standalone ((..)) is undefined.");
        }
        "command" => command(cx, n),
        _ => {}
    }
}

fn command(cx: &mut Cx<'_>, n: Node<'_>) {
    let Some(name) = command_name(cx, n) else {
        return;
    };
    let args = command_args(n);
    match super::super::basename(name) {
        "source" => cx.report(
            "SC3046",
            n,
            "In POSIX sh, 'source' in place of '.' is undefined.",
        ),
        "echo" => {
            if let Some(flag) = args.first()
                && is_echo_flag(cx.text(*flag))
            {
                cx.report("SC3037", *flag, "In POSIX sh, echo flags are undefined.");
            }
        }
        "set" => {
            for (i, a) in args.iter().enumerate() {
                let t = cx.text(*a);
                let short_o = t.starts_with('-') && !t.starts_with("--") && t.ends_with('o');
                if short_o
                    && let Some(opt) = args.get(i + 1)
                    && cx.text(*opt) == "pipefail"
                {
                    cx.report(
                        "SC3040",
                        *opt,
                        "In POSIX sh, set option pipefail is undefined.",
                    );
                }
            }
        }
        "let" => cx.report("SC3039", n, "In POSIX sh, 'let' is undefined."),
        _ => {}
    }
}

/// `-n`, `-e`, `-ne`, `-E`: the flags bash's echo takes.
fn is_echo_flag(t: &str) -> bool {
    t.strip_prefix('-')
        .is_some_and(|f| !f.is_empty() && f.bytes().all(|b| matches!(b, b'n' | b'e' | b'E')))
}

/// `{a,b}` / `{1..3}` parsed as a concatenation of `{`, `a,b`, `}`.
fn brace_expansion(cx: &mut Cx<'_>, n: Node<'_>) {
    let kids = children(n);
    for (i, k) in kids.iter().enumerate() {
        if cx.text(*k) != "{" {
            continue;
        }
        let Some(close) = kids[i + 1..].iter().position(|c| cx.text(*c) == "}") else {
            continue;
        };
        let inner = &kids[i + 1..i + 1 + close];
        let list = inner.iter().any(|c| {
            c.kind() == "word" && (cx.text(*c).contains(',') || cx.text(*c).contains(".."))
        });
        if list {
            cx.report("SC3009", *k, "In POSIX sh, brace expansion is undefined.");
            return;
        }
    }
}
