//! Checks on commands, pipelines and statement lists: SC2155, SC2251, SC2288, SC2164, SC2038,
//! SC2011, SC2002, SC2005, SC2116, SC2196, SC2197, SC2059, SC2143, SC2129, SC2226, SC2283,
//! SC2308, SC1091, SC2034, SC2028, SC2166.

use super::{Cx, children, command_args, command_name, first_child_of_kind};
use tree_sitter::Node;

pub(super) fn visit(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    match n.kind() {
        "command" => command(cx, n, up),
        "declaration_command" => declaration(cx, n),
        "negated_command" => negation(cx, n, up),
        "pipeline" => pipeline(cx, n),
        "program" | "compound_statement" | "do_group" | "subshell" | "list" => {
            repeated_appends(cx, n);
        }
        "variable_assignment" => unused_assignment(cx, n, up),
        "binary_expression" => test_connectives(cx, n, up),
        "test_command" => grep_output_test(cx, n),
        "command_substitution" => useless_echo_substitution(cx, n),
        _ => {}
    }
}

fn command(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    let Some(name) = command_name(cx, n) else {
        return;
    };
    let args = command_args(n);
    let arg0 = args.first().map(|a| cx.text(*a));
    // SC2288: `echo foo;` typed as `foo%`, Windows `%VAR%`, a stray `,`.
    if name.len() > 1
        && name.ends_with([
            '%', ',', '.', '(', ')', '{', '}', '[', ']', '<', '>', '#', '&', '|',
        ])
        && !name.starts_with('.')
        && let Some(last) = name.chars().next_back()
    {
        cx.report(
            "SC2288",
            n,
            format!(
                "This is interpreted as a command name ending with '{last}'. Double check syntax."
            ),
        );
    }
    match super::super::basename(name) {
        "cd" => cd_unchecked(cx, n, up),
        "egrep" => cx.report(
            "SC2196",
            n,
            "egrep is non-standard and deprecated. Use grep -E instead.",
        ),
        "fgrep" => cx.report(
            "SC2197",
            n,
            "fgrep is non-standard and deprecated. Use grep -F instead.",
        ),
        "echo" => echo(cx, &args),
        "printf" => {
            let format = args.iter().find(|a| !cx.text(**a).starts_with('-'));
            if let Some(f) = format
                && has_expansion(*f)
            {
                cx.report(
                    "SC2059",
                    *f,
                    "Don't use variables in the printf format string. Use printf '..%s..' \"$foo\".",
                );
            }
        }
        "ln" => {
            let has_target_dir = args.iter().any(|a| {
                let t = cx.text(*a);
                t == "-t"
                    || t.starts_with("--target-directory")
                    || (t.starts_with('-') && !t.starts_with("--") && t.contains('t'))
            });
            let operands = args
                .iter()
                .filter(|a| !cx.text(**a).starts_with('-'))
                .count();
            if operands == 1 && !has_target_dir {
                cx.report(
                    "SC2226",
                    n,
                    "This ln has no destination. Check the arguments, or specify '.' explicitly.",
                );
            }
        }
        "expr" => {
            if let Some(op) = arg0
                && matches!(op, "length" | "substr" | "index" | "match")
                && let Some(a) = args.first()
            {
                let prefer = match op {
                    "length" => "Prefer ${#var}.",
                    "substr" => "Prefer parameter expansion or cut.",
                    "index" => "Prefer parameter expansion or case.",
                    _ => "Prefer case or grep.",
                };
                cx.report(
                    "SC2308",
                    *a,
                    format!("'expr {op}' has unspecified results. {prefer}"),
                );
            }
        }
        "." | "source" => {
            if let Some(a) = args.first()
                && !has_expansion(*a)
            {
                let path = cx.text(*a).trim_matches(['"', '\'']);
                cx.report(
                    "SC1091",
                    *a,
                    format!(
                        "Not following: {path} was not specified as input (see shellcheck -x)."
                    ),
                );
            }
        }
        _ => {}
    }
    // SC2283: `FOO = bar` runs `FOO` with two arguments.
    if arg0 == Some("=")
        && is_name(name)
        && let Some(eq) = args.first()
    {
        cx.report(
            "SC2283",
            *eq,
            "Remove spaces around = to assign (or use [ ] to compare, or quote '=' if literal).",
        );
    }
}

fn is_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

fn has_expansion(n: Node<'_>) -> bool {
    if matches!(
        n.kind(),
        "simple_expansion" | "expansion" | "command_substitution" | "arithmetic_expansion"
    ) {
        return true;
    }
    let mut cursor = n.walk();
    n.named_children(&mut cursor).any(has_expansion)
}

/// SC2164: a `cd` whose failure nobody checks (no `set -e`, not the left side of `&&`/`||`, not
/// a condition).
fn cd_unchecked(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if cx.errexit {
        return;
    }
    let Some(parent) = up.last() else { return };
    // `cd x && make`, `a && cd x || exit`: checked when cd (or the list it ends, as lists nest
    // to the left) is followed by `&&` or `||`.
    let mut current = n;
    for a in up.iter().rev() {
        match a.kind() {
            "list" => {
                let kids = children(*a);
                let pos = kids.iter().position(|k| k.id() == current.id());
                let next = pos.and_then(|p| kids.get(p + 1)).map(|k| k.kind());
                if matches!(next, Some("&&" | "||")) {
                    return;
                }
                current = *a;
            }
            "redirected_statement" => current = *a,
            "if_statement"
            | "while_statement"
            | "elif_clause"
            | "negated_command"
            | "pipeline"
            | "command_substitution" => return,
            _ => break,
        }
    }
    let target = n;
    // The last statement of the script: its status is the RUN's status.
    if n.end_byte() == cx.last_statement_end && parent.kind() == "program" {
        return;
    }
    cx.report(
        "SC2164",
        target,
        "Use 'cd ... || exit' or 'cd ... || return' in case cd fails.",
    );
}

/// SC2028 (`echo "a\nb"`), SC2005 (`echo $(cmd)`).
fn echo(cx: &mut Cx<'_>, args: &[Node<'_>]) {
    let has_e = args
        .iter()
        .take_while(|a| cx.text(**a).starts_with('-'))
        .any(|a| cx.text(*a).contains('e'));
    // dash's echo expands `\n` (Debian, Ubuntu): the author saw it work
    if !has_e
        && !cx.dash
        && let Some(a) = args
            .iter()
            .find(|a| matches!(a.kind(), "string" | "raw_string") && has_escape(cx.text(**a)))
    {
        cx.report(
            "SC2028",
            *a,
            "echo may not expand escape sequences. Use printf.",
        );
    }
    if let [only] = args {
        let sub = match only.kind() {
            "command_substitution" => true,
            "string" => {
                let inner: Vec<Node<'_>> = children(*only)
                    .into_iter()
                    .filter(|c| c.is_named())
                    .collect();
                matches!(inner.as_slice(), [c] if c.kind() == "command_substitution")
                    && cx.text(*only).len()
                        == inner.first().map_or(0, |c| c.end_byte() - c.start_byte()) + 2
            }
            _ => false,
        };
        if sub {
            cx.report(
                "SC2005",
                *only,
                "Useless echo? Instead of 'echo $(cmd)', just use 'cmd'.",
            );
        }
    }
}

fn has_escape(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2).any(|w| {
        w[0] == b'\\'
            && matches!(
                w[1],
                b'n' | b't' | b'r' | b'a' | b'b' | b'f' | b'v' | b'e' | b'0' | b'c'
            )
    })
}

/// SC2155: `export X=$(cmd)` hides `cmd`'s exit status behind `export`'s.
fn declaration(cx: &mut Cx<'_>, n: Node<'_>) {
    let keyword = n.child(0).map(|k| cx.text(k)).unwrap_or("");
    if !matches!(
        keyword,
        "export" | "local" | "declare" | "typeset" | "readonly"
    ) {
        return;
    }
    let mut cursor = n.walk();
    let assignments: Vec<Node<'_>> = n
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "variable_assignment")
        .collect();
    for a in assignments {
        let Some(value) = a.named_child(1) else {
            continue;
        };
        let substitutes = value.kind() == "command_substitution" || {
            let mut c = value.walk();
            matches!(value.kind(), "string" | "concatenation")
                && value
                    .named_children(&mut c)
                    .any(|k| k.kind() == "command_substitution")
        };
        if substitutes {
            cx.report(
                "SC2155",
                a,
                "Declare and assign separately to avoid masking return values.",
            );
        }
    }
}

/// SC2251: under `set -e`, `! cmd` as a statement never fails the script.
fn negation(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if !cx.errexit {
        return;
    }
    // tree-sitter-bash binds `!` tighter than `|`: `! a | b` is pipeline(negated(a), b), while
    // the shell negates the whole pipeline. The statement is then the pipeline.
    let (mut n, mut up) = (n, up);
    if let Some((parent, rest)) = up.split_last()
        && parent.kind() == "pipeline"
        && parent.named_child(0).is_some_and(|c| c.id() == n.id())
    {
        n = *parent;
        up = rest;
    }
    let Some(parent) = up.last() else { return };
    match parent.kind() {
        "program" | "compound_statement" | "do_group" | "subshell" | "else_clause" => {}
        "if_statement" | "elif_clause" => {
            // The body (after `then`), not the condition.
            let kids = children(*parent);
            let then = kids.iter().position(|k| k.kind() == "then");
            let pos = kids.iter().position(|k| k.id() == n.id());
            if !matches!((then, pos), (Some(t), Some(p)) if p > t) {
                return;
            }
        }
        _ => return,
    }
    if parent.kind() == "program" && n.end_byte() == cx.last_statement_end {
        return;
    }
    cx.report(
        "SC2251",
        n,
        "This ! is not on a condition and skips errexit. Use `&& exit 1` instead, or make sure $? is checked.",
    );
}

/// SC2038 (`find | xargs`), SC2011 (`ls | xargs`), SC2002 (`cat file | cmd`).
fn pipeline(cx: &mut Cx<'_>, n: Node<'_>) {
    let stages: Vec<Node<'_>> = children(n).into_iter().filter(|c| c.is_named()).collect();
    for pair in stages.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (Some(left), Some(right)) = (command_name(cx, a), command_name(cx, b)) else {
            continue;
        };
        if right == "xargs" {
            let nul = command_args(b).iter().any(|w| {
                let t = cx.text(*w);
                t == "-0"
                    || t == "--null"
                    || t.starts_with("-d")
                    || t.starts_with("--delimiter")
                    || (t.starts_with('-') && !t.starts_with("--") && t.contains('0'))
            });
            if left == "find" && !nul {
                let print0 = command_args(a)
                    .iter()
                    .any(|w| matches!(cx.text(*w), "-print0" | "-printf" | "-fprint0"));
                if !print0 {
                    cx.report(
                        "SC2038",
                        a,
                        "Use -print0/-0 or -exec + to allow for non-alphanumeric filenames.",
                    );
                }
            }
            if left == "ls" && !nul {
                cx.report(
                    "SC2011",
                    a,
                    "Use 'find .. -print0 | xargs -0 ..' or 'find .. -exec .. +' to allow non-alphanumeric filenames.",
                );
            }
        }
    }
    if let Some(first) = stages.first()
        && stages.len() > 1
        && command_name(cx, *first) == Some("cat")
        && first_child_of_kind(*first, "file_redirect").is_none()
    {
        let args = command_args(*first);
        if let [file] = args.as_slice()
            && !cx.text(*file).starts_with('-')
        {
            cx.report(
                "SC2002",
                *file,
                "Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead.",
            );
        }
    }
}

/// SC2129: three or more statements in a row appending to the same file.
fn repeated_appends(cx: &mut Cx<'_>, n: Node<'_>) {
    let kids: Vec<Node<'_>> = children(n)
        .into_iter()
        .filter(|c| c.is_named() && c.kind() != "comment")
        .collect();
    let mut run: Option<(&str, Node<'_>, usize)> = None;
    for k in kids {
        let target = append_target(cx, k);
        match (target, run) {
            (Some(t), Some((cur, first, count))) if t == cur => run = Some((cur, first, count + 1)),
            (Some(t), _) => {
                flush_appends(cx, run);
                run = Some((t, k, 1));
            }
            (None, _) => {
                flush_appends(cx, run);
                run = None;
            }
        }
    }
    flush_appends(cx, run);
}

fn flush_appends(cx: &mut Cx<'_>, run: Option<(&str, Node<'_>, usize)>) {
    if let Some((_, first, count)) = run
        && count >= 3
    {
        cx.report(
            "SC2129",
            first,
            "Consider using { cmd1; cmd2; } >> file instead of individual redirects.",
        );
    }
}

/// The file a `cmd >> file` statement appends to (static targets only).
fn append_target<'t>(cx: &Cx<'t>, n: Node<'_>) -> Option<&'t str> {
    if n.kind() != "redirected_statement" {
        return None;
    }
    let mut cursor = n.walk();
    let redirects: Vec<Node<'_>> = n
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "file_redirect")
        .collect();
    let [r] = redirects.as_slice() else {
        return None;
    };
    let op = r.child(0).map(|o| cx.text(o))?;
    if op != ">>" {
        return None;
    }
    let target = r.named_child(0)?;
    (target.kind() == "word").then(|| cx.text(target))
}

/// Variables ShellCheck never reports unused: the shell reads them itself.
const SHELL_VARIABLES: &[&str] = &[
    "IFS",
    "PS1",
    "PS2",
    "PS4",
    "PATH",
    "HOME",
    "CDPATH",
    "OPTIND",
    "OPTERR",
    "LANG",
    "LC_ALL",
    "TMOUT",
    "ENV",
    "PWD",
    "OLDPWD",
    "SHELLOPTS",
    "TMPDIR",
];

/// SC2034: `x=1` never read.
fn unused_assignment(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if cx.has_eval {
        return;
    }
    // Only statements: not `X=1 cmd` (the command's environment), not `export X=1`.
    let parent = up.last().map(|p| p.kind());
    let statement = match parent {
        Some(
            "program" | "list" | "compound_statement" | "do_group" | "subshell" | "else_clause",
        ) => true,
        Some("variable_assignments") => up.iter().rev().nth(1).is_some_and(|g| {
            matches!(
                g.kind(),
                "program" | "list" | "compound_statement" | "do_group" | "subshell"
            )
        }),
        _ => false,
    };
    if !statement {
        return;
    }
    let Some(var) = n.named_child(0).filter(|v| v.kind() == "variable_name") else {
        return;
    };
    let name = cx.text(var);
    if cx.used_vars.contains(name) || SHELL_VARIABLES.contains(&name) || name.starts_with("LC_") {
        return;
    }
    cx.report(
        "SC2034",
        var,
        format!("{name} appears unused. Verify use (or export if used externally)."),
    );
}

/// SC2166: `[ p -o q ]` / `[ p -a q ]`.
fn test_connectives(cx: &mut Cx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    let in_single_bracket = up
        .iter()
        .rev()
        .find(|a| a.kind() == "test_command")
        .is_some_and(|t| cx.text(*t).starts_with('[') && !cx.text(*t).starts_with("[["));
    if !in_single_bracket {
        return;
    }
    let Some(op) = first_child_of_kind(n, "test_operator") else {
        return;
    };
    let message = match cx.text(op) {
        "-o" => "Prefer [ p ] || [ q ] as [ p -o q ] is not well defined.",
        "-a" => "Prefer [ p ] && [ q ] as [ p -a q ] is not well defined.",
        _ => return,
    };
    cx.report("SC2166", op, message);
}

/// SC2143: `[ -n "$(grep ...)" ]` instead of `grep -q`.
fn grep_output_test(cx: &mut Cx<'_>, n: Node<'_>) {
    if !cx.text(n).starts_with('[') {
        return;
    }
    let Some(expr) = children(n).into_iter().find(|c| c.is_named()) else {
        return;
    };
    let (op, operand) = match expr.kind() {
        "unary_expression" => {
            let op = expr.child(0).map(|o| cx.text(o)).unwrap_or("");
            (
                op,
                expr.named_child(expr.named_child_count().saturating_sub(1) as u32),
            )
        }
        "string" | "command_substitution" => ("-n", Some(expr)),
        _ => return,
    };
    if !matches!(op, "-n" | "-z") {
        return;
    }
    let Some(operand) = operand else { return };
    let sub = if operand.kind() == "command_substitution" {
        Some(operand)
    } else {
        first_child_of_kind(operand, "command_substitution")
    };
    let Some(sub) = sub else { return };
    // The substitution's output comes from grep (alone or last in a pipeline).
    let Some(body) = children(sub).into_iter().find(|c| c.is_named()) else {
        return;
    };
    let last = if body.kind() == "pipeline" {
        children(body).into_iter().rfind(|c| c.is_named())
    } else {
        Some(body)
    };
    let greps = last
        .and_then(|c| command_name(cx, c))
        .is_some_and(|name| matches!(name, "grep" | "egrep" | "fgrep"));
    if greps {
        let message = if op == "-z" {
            "Use ! grep -q instead of comparing output with [ -z .. ]."
        } else {
            "Use grep -q instead of comparing output with [ -n .. ]."
        };
        cx.report("SC2143", expr, message);
    }
}

/// SC2116: `$(echo foo)` is `foo`.
fn useless_echo_substitution(cx: &mut Cx<'_>, n: Node<'_>) {
    let inner: Vec<Node<'_>> = children(n).into_iter().filter(|c| c.is_named()).collect();
    let [only] = inner.as_slice() else { return };
    if only.kind() != "command" || command_name(cx, *only) != Some("echo") {
        return;
    }
    let args = command_args(*only);
    if args.iter().any(|a| cx.text(*a).starts_with('-')) || args.is_empty() {
        return;
    }
    cx.report(
        "SC2116",
        n,
        "Useless echo? Instead of 'cmd $(echo foo)', just use 'cmd foo'.",
    );
}
