//! Quoting checks: SC2086, SC2046, SC2016, SC2035, SC2102, SC1012, SC2006.

use super::{Cx, Dialect, command_name};
use tree_sitter::Node;

/// Where an expansion sits, as far as word splitting is concerned.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    /// Split and globbed: quoting matters.
    Split,
    /// Not split (double quotes, assignments, `[[ ]]`, `case`, arithmetic, a nested expansion).
    Safe,
    /// The command's name (`$CMD args`): ShellCheck does not ask for quotes there.
    CommandName,
    /// The word list of a `for` loop.
    ForList,
    /// The operand of `[ -n ... ]` / `[ -z ... ]` (ShellCheck's SC2070 territory).
    TestOperand,
}

/// Classifies the place of `n` from its ancestors (nearest last), up to the command that
/// contains it.
fn place(cx: &Cx<'_>, n: Node<'_>, up: &[Node<'_>]) -> Place {
    let mut child = n;
    for a in up.iter().rev() {
        match a.kind() {
            "string"
            | "heredoc_body"
            | "raw_string"
            | "arithmetic_expansion"
            | "subscript"
            | "expansion"
            | "case_statement"
            | "case_item"
            | "heredoc_redirect" => return Place::Safe,
            "test_command" => {
                if cx.text(*a).starts_with("[[") {
                    return Place::Safe;
                }
                return Place::Split;
            }
            "unary_expression" => {
                let op = a.child(0).map(|o| cx.text(o)).unwrap_or("");
                if matches!(op, "-n" | "-z") {
                    return Place::TestOperand;
                }
            }
            "variable_assignment" => {
                // `export x=$y` splits in sh (not in bash); a plain assignment never does.
                let in_declaration = up
                    .iter()
                    .rev()
                    .skip_while(|u| u.id() != a.id())
                    .nth(1)
                    .is_some_and(|p| p.kind() == "declaration_command");
                if in_declaration && cx.dialect == Dialect::Sh {
                    return Place::Split;
                }
                return Place::Safe;
            }
            "for_statement" => return Place::ForList,
            "command_name" => return Place::CommandName,
            "command"
            | "declaration_command"
            | "unset_command"
            | "file_redirect"
            | "herestring_redirect"
            | "command_substitution"
            | "process_substitution" => {
                return Place::Split;
            }
            _ => {}
        }
        child = *a;
    }
    let _ = child;
    Place::Split
}

pub(super) fn visit(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    match n.kind() {
        "simple_expansion" | "expansion" => unquoted_variable(cx, n, up),
        "command_substitution" => {
            if cx.text(n).starts_with('`') {
                cx.report(
                    "SC2006",
                    n,
                    "Use $(...) notation instead of legacy backticks `...`.",
                );
            }
            if place(cx, n, up) == Place::Split {
                cx.report("SC2046", n, "Quote this to prevent word splitting.");
            }
        }
        "raw_string" => single_quoted_expression(cx, n, up),
        "word" => unquoted_word(cx, n, up),
        // `pkg[full]` parses as the words `pkg`, `[`, `full`, `]`.
        "concatenation" => {
            let quoted = up.iter().any(|a| {
                matches!(
                    a.kind(),
                    "string" | "heredoc_body" | "test_command" | "case_item"
                )
            });
            if !quoted && up.last().is_some_and(|p| p.kind() == "command") {
                let text = cx.text(n);
                bracket_duplicates(cx, n, text);
            }
        }
        _ => {}
    }
}

/// SC2086: an unquoted `$var` / `${var}` in a place where it is split and globbed.
fn unquoted_variable(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if place(cx, n, up) != Place::Split {
        return;
    }
    let text = cx.text(n);
    if text.starts_with("${#") || text.starts_with("${!") {
        return;
    }
    let mut cursor = n.walk();
    let name = n
        .named_children(&mut cursor)
        .find(|c| matches!(c.kind(), "variable_name" | "special_variable_name"))
        .map(|c| cx.text(c));
    let Some(name) = name else { return };
    // `$#`, `$?`, `$$`, `$!`, `$-` hold no blanks; `$@` is SC2068's.
    if matches!(name, "#" | "?" | "$" | "!" | "-" | "@") {
        return;
    }
    if cx.is_literal_var(name) || super::package_lists::is_package_list(cx, name, n, up) {
        return;
    }
    cx.report(
        "SC2086",
        n,
        "Double quote to prevent globbing and word splitting.",
    );
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
fn writes_text(cx: &Cx<'_>, cmd: Node<'_>, up: &[Node<'_>]) -> bool {
    let file_redirect = |n: Node<'_>| {
        super::children(n).into_iter().any(|c| {
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

/// SC2016: `'$HOME'` does not expand.
fn single_quoted_expression(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
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
        let base = super::super::basename(name);
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
        let base = super::super::basename(word.trim_matches(['"', '\'']));
        if SCRIPT_TAKERS.contains(&base) || base.starts_with("python") {
            return;
        }
    }
    cx.report(
        "SC2016",
        n,
        "Expressions don't expand in single quotes, use double quotes for that.",
    );
}

/// SC2035, SC2102, SC1012 on unquoted words.
fn unquoted_word(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if up.iter().any(|a| {
        matches!(
            a.kind(),
            "string" | "heredoc_body" | "raw_string" | "test_command" | "case_item"
        )
    }) {
        return;
    }
    let text = cx.text(n);
    let Some(parent) = up.last() else { return };
    let is_arg = parent.kind() == "command";
    if is_arg && text.starts_with('*') {
        glob_as_option(cx, n, *parent);
    }
    if matches!(
        parent.kind(),
        "command_name" | "variable_assignment" | "concatenation"
    ) {
        if parent.kind() == "concatenation" {
            literal_escapes(cx, n, text);
        }
        return;
    }
    bracket_duplicates(cx, n, text);
    literal_escapes(cx, n, text);
}

/// SC2035: `rm *.txt` passes `-rf.txt` as an option when such a file exists.
fn glob_as_option(cx: &mut Cx<'_>, n: Node<'_>, cmd: Node<'_>) {
    let name = command_name(cx, cmd).unwrap_or("");
    if matches!(
        name,
        "echo" | "printf" | "find" | "[" | "test" | "for" | "case"
    ) {
        return;
    }
    let mut cursor = cmd.walk();
    let after_dashdash = cmd
        .named_children(&mut cursor)
        .take_while(|c| c.start_byte() < n.start_byte())
        .any(|c| cx.text(c) == "--");
    if !after_dashdash {
        cx.report(
            "SC2035",
            n,
            "Use ./*glob* or -- *glob* so names with dashes won't become options.",
        );
    }
}

/// SC2102: `pip install pkg[full]`: `[full]` is a glob bracket matching one of f, u, l.
fn bracket_duplicates(cx: &mut Cx<'_>, n: Node<'_>, text: &str) {
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find('[')) {
        let open = from + open;
        let Some(close) = text.get(open + 1..).and_then(|t| t.find(']')) else {
            return;
        };
        let inner = &text[open + 1..open + 1 + close];
        from = open + 1 + close + 1;
        if inner.len() < 2 || inner.contains([':', '[', '\\', '$']) || inner.starts_with(['!', '^'])
        {
            continue;
        }
        let chars: Vec<char> = inner.chars().filter(|&c| c != '-').collect();
        let dup = chars
            .iter()
            .enumerate()
            .any(|(i, c)| chars[i + 1..].contains(c));
        if dup {
            let at = n.start_byte() + open;
            cx.report_at(
                "SC2102",
                at,
                at + close + 2,
                "Ranges can only match single chars (mentioned due to duplicates).",
            );
            return;
        }
    }
}

/// SC1012: `\t` outside quotes is a plain `t`.
fn literal_escapes(cx: &mut Cx<'_>, n: Node<'_>, text: &str) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            let what = match bytes[i + 1] {
                b't' => Some(("t", "tab", "\\t")),
                b'n' => Some(("n", "line feed", "\\n")),
                b'r' => Some(("r", "carriage return", "\\r")),
                _ => None,
            };
            if let Some((letter, name, esc)) = what {
                let at = n.start_byte() + i;
                cx.report_at(
                    "SC1012",
                    at,
                    at + 2,
                    format!("{esc} is just literal '{letter}' here. For {name}, use \"$(printf '{esc}')\" instead."),
                );
                return;
            }
            i += 2;
            continue;
        }
        i += 1;
    }
}
