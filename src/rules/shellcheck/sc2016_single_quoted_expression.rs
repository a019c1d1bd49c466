//! SC2016: Expressions don't expand in single quotes, use double quotes for that.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, children, command_name};
use tree_sitter::Node;

/// SC2016 `single-quoted-expression` (ShellCheck's check, built in).
pub struct SingleQuotedExpression;

impl Rule for SingleQuotedExpression {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2016",
            name: "single-quoted-expression",
            severity: Severity::Info,
            summary: "Expressions don't expand in single quotes, use double quotes for that",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["raw_string"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// Commands whose single-quoted arguments are meant for another interpreter.
const SCRIPT_TAKERS: &[&str] = &[
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "busybox",
    "perl",
    "python",
    "python2",
    "python3",
    "ruby",
    "php",
    "node",
    "sh",
    "bash",
    "dash",
    "ash",
    "ksh",
    "mksh",
    "zsh",
    "jq",
    "yq",
    "trap",
    "eval",
    "ssh",
    "alias",
    "xprop",
    "docker",
    "podman",
    "dpkg-query",
    "rename",
    "rg",
    "unset",
    "git",
    "expect",
    "tclsh",
    "lua",
    "Rscript",
    "psql",
    "mysql",
    "sqlite3",
    "envsubst",
    "run-parts",
    "dh",
];

/// A sed script that uses `$`, the last-line address, with a command (`$d`, `$p`, `$s/a/b/`,
/// `$a text`, `${...}`): `$` followed by one of `{dpsaic` and then no letter. ShellCheck makes
/// the same exception for sed's argument (the whole string, as it does).
fn has_last_line_address(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'$'
            && b.get(i + 1)
                .is_some_and(|n| matches!(n, b'{' | b'd' | b'p' | b's' | b'a' | b'i' | b'c'))
            && b.get(i + 2).is_none_or(|n| !n.is_ascii_alphabetic())
    })
}

/// True when the output of `cmd` (an echo or printf) becomes text elsewhere: redirected to a
/// file (`echo 'export PATH=$PATH:/x' >> ~/.bashrc`), alone or in a `{ ...; } > file` group, or
/// piped (`| tee file`). Such a string writes a script or configuration file whose `$` is meant
/// literally (`$PATH` for the shell that reads `.bashrc`, yum's `$basearch`).
fn writes_text(cx: &CheckCx<'_>, cmd: Node<'_>, up: &[Node<'_>]) -> bool {
    let file_redirect = |n: Node<'_>| {
        children(n).into_iter().any(|c| {
            c.kind() == "file_redirect" && {
                let t = cx.text(c);
                (t.starts_with('>') || t.starts_with("1>"))
                    && !t.contains("/dev/null")
                    && !t.contains("&2")
            }
        })
    };
    let at = up
        .iter()
        .position(|a| a.id() == cmd.id())
        .unwrap_or(up.len());
    up.iter().take(at).rev().any(|a| match a.kind() {
        "redirected_statement" => file_redirect(*a),
        "pipeline" => true,
        _ => false,
    })
}

/// `'$HOME'`: an expansion in single quotes, which does not expand (not for arguments meant
/// for another interpreter, sed's `$` address, or text written to a file).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    let text = cx.text(n);
    let bytes = text.as_bytes();
    let expands = bytes.windows(3).any(|w| {
        w[0] == b'$'
            && (w[1].is_ascii_alphabetic()
                || w[1] == b'_'
                || w[1] == b'('
                || (w[1] == b'{'
                    && (w[2].is_ascii_alphanumeric()
                        || matches!(w[2], b'_' | b'#' | b'!' | b'@' | b'*'))))
    }) || text.matches('`').count() >= 2;
    if !expands {
        return;
    }
    // The command the string is an argument of, and the words before it.
    let Some(cmd) = up.iter().rev().find(|a| a.kind() == "command") else {
        return;
    };
    if let Some(name) = command_name(cx, *cmd) {
        let base = basename(name);
        if SCRIPT_TAKERS.contains(&base) || base.starts_with("python") || base.starts_with("php") {
            return;
        }
        if base == "sed" && has_last_line_address(text) {
            return;
        }
        if matches!(base, "echo" | "printf") && writes_text(cx, *cmd, up) {
            return;
        }
    }
    // `sudo sh -c '...'`, `find -exec sh -c '...'`, `su -s /bin/sh -c`: a shell or interpreter
    // named earlier in the command takes the string.
    let mut cursor = cmd.walk();
    for c in cmd.named_children(&mut cursor) {
        if c.start_byte() >= n.start_byte() {
            break;
        }
        let word = cx.text(c);
        let base = basename(word.trim_matches(['"', '\'']));
        if SCRIPT_TAKERS.contains(&base) || base.starts_with("python") {
            return;
        }
    }
    cx.report(
        n,
        "Expressions don't expand in single quotes, use double quotes for that.",
    );
}
