//! DL5116: `CMD ['a', 'b']` is not JSON (single quotes), so it silently runs in shell form.

use crate::dockerfile::{InstructionKind, ShellOrExec};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `CMD ['nginx', '-g', 'daemon off;']`: BuildKit only takes the exec form when the text parses
/// as a JSON array of strings; otherwise it runs `/bin/sh -c "['nginx', ...]"`, which fails at
/// run time with "[nginx,: not found".
pub struct InvalidJsonForm;

/// True when `text` looks like an intended exec-form array that is not valid JSON.
pub fn looks_like_broken_array(text: &str) -> bool {
    let t = text.trim();
    if !(t.starts_with('[') && t.ends_with(']')) {
        return false;
    }
    // `RUN [ -f x ] && y` and `[[ ... ]]` are shell tests, not arrays
    let inner = t[1..t.len() - 1].trim();
    if t.starts_with("[[")
        || inner.is_empty()
        || !(inner.starts_with('\'') || inner.starts_with('"'))
    {
        return false;
    }
    only_quoted_items(inner) && serde_json::from_str::<Vec<String>>(t).is_err()
}

/// True when `inner` is quoted strings separated by commas and spaces only (`'a', 'b'`,
/// `"a" "b"`), not a shell test such as `"$A" = 1`.
fn only_quoted_items(inner: &str) -> bool {
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                let mut closed = false;
                let mut escaped = false;
                for d in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return false;
                }
            }
            ',' => {}
            c if c.is_whitespace() => {}
            _ => return false,
        }
    }
    true
}

impl Rule for InvalidJsonForm {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5116",
            name: "invalid-json-form",
            severity: Severity::Error,
            summary: "An exec-form array that is not valid JSON runs as a shell command",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            let text = match &ins.kind {
                InstructionKind::Run(ShellOrExec::Shell(t))
                | InstructionKind::Cmd(ShellOrExec::Shell(t))
                | InstructionKind::Entrypoint(ShellOrExec::Shell(t)) => t,
                _ => continue,
            };
            if !looks_like_broken_array(&text.text) {
                continue;
            }
            let kw = ins.keyword.as_str();
            let hint = if text.text.contains('\'') {
                "JSON strings take double quotes"
            } else {
                "check the quoting and commas"
            };
            cx.report(
                text.span,
                format!(
                    "{kw} looks like an exec-form array but is not valid JSON ({hint}): the shell \
                     runs `{}` as a command line (`/bin/sh -c`) instead",
                    text.text.trim()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_single_quoted_arrays() {
        let src = "FROM a\nCMD ['nginx', '-g', 'daemon off;']\nENTRYPOINT [\"a\", 'b']\nRUN ['echo', 'hi']\nCMD [\"a\" \"b\"]\n";
        assert_eq!(lines(&InvalidJsonForm, src), [2, 3, 4, 5]);
    }

    #[test]
    fn json_and_shell_tests_pass() {
        let src = "FROM a\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nRUN [ -f /x ] && echo y\nRUN [[ -n \"$X\" ]]\nCMD []\nRUN [ \"$A\" = 1 ]\n";
        assert!(lines(&InvalidJsonForm, src).is_empty());
    }
}
