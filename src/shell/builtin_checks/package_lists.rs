//! SC2086's exception for package lists: `apt-get install -y $fetchDeps`, where `fetchDeps`
//! holds a list of words (`fetchDeps='ca-certificates wget'`, an `ARG`/`ENV` of such words, a
//! command's output such as `$(apt-mark showmanual)`, or an ENV of the base image such as
//! `$PHPIZE_DEPS`). Those words are meant to be split into package names: quoting the variable
//! would pass them as one name and break the install.

use super::{CheckCx, children, command_args, command_name};
use crate::dockerfile::Span;
use crate::shell::{Command, Word, pkg};
use tree_sitter::Node;

/// `apt-mark` sub-commands that take package names.
const APT_MARK_SUBS: &[&str] = &[
    "auto",
    "manual",
    "hold",
    "unhold",
    "markauto",
    "unmarkauto",
    "minimize-manual",
];

/// Package-manager sub-commands, besides installs, whose operands are package names.
const PACKAGE_SUBS: &[&str] = &[
    "remove",
    "purge",
    "autoremove",
    "del",
    "erase",
    "uninstall",
    "reinstall",
    "upgrade",
    "build-dep",
    "download",
    "source",
    "mark",
];

/// True for an assigned value that is a list of words: a quoted string without glob characters
/// whose words are literal or hold plain `$NAME`/`${NAME}` expansions
/// (`"nginx=${NGINX_VERSION}-r1 nginx-module-njs"`, blanks and newlines between them), or the
/// output of a command (`$(apt-mark showmanual)`, `$(scanelf ... | sort -u)`), split by design.
pub(super) fn is_word_list(cx: &CheckCx<'_>, v: Node<'_>) -> bool {
    match v.kind() {
        "raw_string" | "string" => {
            let kids: Vec<Node<'_>> = children(v).into_iter().filter(|k| k.is_named()).collect();
            let t = cx.text(v);
            let inner = t.get(1..t.len().saturating_sub(1)).unwrap_or("");
            match kids.as_slice() {
                // a command's output (`$(scanelf ... | sort -u)`, `$(apt-mark showmanual)`)
                [only] if only.kind() == "command_substitution" => true,
                // words with plain expansions in them (`nginx=${NGINX_VERSION}-r1 njs=...`)
                _ if kids.iter().any(|k| k.kind() != "string_content") => {
                    v.kind() == "string"
                        && kids.iter().all(|k| match k.kind() {
                            "string_content" | "simple_expansion" => true,
                            "expansion" => plain_expansion(cx.text(*k)),
                            _ => false,
                        })
                        && inner.contains([' ', '\t', '\n'])
                        && !inner.contains(['*', '?', '[', '`'])
                }
                _ => !inner.contains(['*', '?', '[', '$', '`']),
            }
        }
        "command_substitution" => true,
        _ => false,
    }
}

/// `${NAME}`: a variable's value, without operators.
fn plain_expansion(text: &str) -> bool {
    text.strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// True when the expansion `n` of variable `name` is a whole package-name operand of a package
/// manager (`apt-get install -y $deps`, `apk del $deps`, `apt-mark manual $saved`) and the
/// variable holds a plain word list: assigned such a list in the script (and nothing else), or
/// declared so by an ARG/ENV.
pub fn is_package_list(cx: &CheckCx<'_>, name: &str, n: Node<'_>, up: &[Node<'_>]) -> bool {
    // set by the base image (`$PHPIZE_DEPS` of the php images): neither assigned in the
    // script nor declared by the Dockerfile
    let from_base_image = (cx.declared)(name).is_none()
        && !cx.literal_vars.contains(name)
        && !cx.unsafe_vars.contains(name);
    let list =
        !cx.other_vars.contains(name) && (cx.list_vars.contains(name) || (cx.word_list)(name));
    if !(list || from_base_image) {
        return false;
    }
    let Some(&cmd) = up.last().filter(|p| p.kind() == "command") else {
        return false;
    };
    let Some(program) = command_name(cx, cmd) else {
        return false;
    };
    let args = command_args(cmd);
    let word = |node: Node<'_>| Word {
        value: cx.text(node).trim_matches(['"', '\'']).to_string(),
        is_static: matches!(node.kind(), "word" | "raw_string" | "number"),
        span: Span::new(node.start_byte(), node.end_byte()),
    };
    let mut words = vec![Word {
        value: program.to_string(),
        is_static: true,
        span: Span::new(cmd.start_byte(), cmd.start_byte()),
    }];
    words.extend(args.iter().map(|a| word(*a)));
    let command = Command {
        start: crate::shell::wrapper_len(&words),
        words,
        assignments: Vec::new(),
        span: Span::new(cmd.start_byte(), cmd.end_byte()),
        op_before: None,
        nested: false,
        from_sh_c: false,
        writes: Vec::new(),
    };
    let at = n.start_byte();
    let argv = command.argv();
    if argv
        .first()
        .is_some_and(|w| crate::shell::basename(&w.value) == "apt-mark")
    {
        let mut operands = argv.iter().skip(1).filter(|w| !w.value.starts_with('-'));
        return operands
            .next()
            .is_some_and(|sub| APT_MARK_SUBS.contains(&sub.value.as_str()))
            && operands.any(|w| w.span.start == at);
    }
    let Some(inv) = pkg::invocation(0, &command) else {
        return false;
    };
    (inv.is_install() || PACKAGE_SUBS.contains(&inv.sub()))
        && inv.operands.iter().any(|w| w.span.start == at)
}
