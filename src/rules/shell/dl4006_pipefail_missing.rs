//! DL4006: a RUN with a pipe while the shell lacks `-o pipefail`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::semantic::ShellInEffect;

/// DL4006 `pipefail-missing`.
pub struct PipefailMissing;

impl Rule for PipefailMissing {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL4006",
            name: "pipefail-missing",
            severity: Severity::Warning,
            summary: "Set `-o pipefail` (SHELL or `set -o pipefail`) before a RUN with a pipe",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model) = (cx.dockerfile, cx.model());
        for run in &model.analysis().runs {
            let Some(script) = &run.script else { continue };
            let in_assignment = assigned_pipe(script);
            if (!script.has_pipes && in_assignment.is_none()) || script.pipefail {
                continue;
            }
            match shell_state(model.shell(run.index)) {
                ShellState::Pipefail | ShellState::NonPosix => continue,
                ShellState::Default => {}
            }
            let top = script
                .commands
                .iter()
                .find(|c| c.op_before == Some(crate::shell::Op::Pipe) && !c.nested)
                .map(|c| c.span);
            let (span, what) = match (top, in_assignment) {
                (Some(span), _) => (span, "this pipe hides"),
                (None, Some(span)) => (
                    span,
                    "this pipe in a `$(...)` whose status the assignment passes on hides",
                ),
                (None, None) => (
                    df.instructions
                        .get(run.index)
                        .map(|i| i.span)
                        .unwrap_or_default(),
                    "this pipe hides",
                ),
            };
            cx.report(
                span,
                format!(
                    "{what} the failure of every command but the last; set \
                     `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` (or `set -o pipefail &&` \
                     in this RUN)"
                ),
            );
        }
    }
}

/// The first pipe inside a command substitution whose exit status reaches the script: the
/// value of a bare assignment (`deps="$(scanelf ... | sort -u)"`, whose status is that of its
/// last substitution) under `set -e`, or joined to the next command by `&&`/`||`. A pipe in
/// `echo "$(a | b)"` or `export x="$(a | b)"` does not count: the status is `echo`'s or
/// `export`'s.
fn assigned_pipe(script: &crate::shell::Script) -> Option<crate::dockerfile::Span> {
    use crate::shell::Op;
    for (idx, raw) in &script.assignments {
        if !raw.contains("$(") && !raw.contains('`') {
            continue;
        }
        let inner = script.commands.get(*idx..).unwrap_or(&[]);
        let nested_len = inner.iter().take_while(|c| c.nested).count();
        let Some(pipe) = inner
            .iter()
            .take(nested_len)
            .find(|c| c.op_before == Some(Op::Pipe))
        else {
            continue;
        };
        let chained = inner
            .get(nested_len)
            .is_some_and(|next| matches!(next.op_before, Some(Op::And | Op::Or)));
        if script.errexit || chained {
            return Some(pipe.span);
        }
    }
    None
}

enum ShellState {
    Default,
    Pipefail,
    NonPosix,
}

/// What the shell in effect does with a pipe: the `SHELL`'s words, or without one the shell
/// pragma's program (`None`: the default `/bin/sh -c`).
fn shell_state(shell: ShellInEffect<'_>) -> ShellState {
    let first = shell.program().unwrap_or_default().to_ascii_lowercase();
    if ["pwsh", "powershell", "cmd"]
        .iter()
        .any(|n| first.contains(n))
    {
        return ShellState::NonPosix;
    }
    // the SHELL instruction's words, else the base image's SHELL (from its config)
    let words: Vec<&str> = match (shell.words, shell.image) {
        (Some(w), _) => w.iter().map(|w| w.value.as_str()).collect(),
        (None, Some(w)) if shell.pragma.is_none() => w.iter().map(String::as_str).collect(),
        _ => return ShellState::Default,
    };
    let pipefail = words.iter().enumerate().any(|(i, w)| {
        w.starts_with('-')
            && !w.starts_with("--")
            && w.contains('o')
            && words.get(i + 1).is_some_and(|n| *n == "pipefail")
    });
    if pipefail {
        ShellState::Pipefail
    } else {
        ShellState::Default
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn pipes() {
        assert_eq!(
            lines(&PipefailMissing, "FROM debian\nRUN curl -fsSL x | bash\n"),
            [2]
        );
        for src in [
            "FROM debian\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | bash\n",
            "FROM debian\nSHELL [\"/bin/bash\", \"-euxo\", \"pipefail\", \"-c\"]\nRUN curl x | bash\n",
            "FROM debian\nRUN set -o pipefail && curl x | bash\n",
            "FROM debian\nRUN echo $(a | b)\n",
            "FROM debian\nRUN set -e; export x=\"$(a | b)\"; echo $x\n",
            "FROM debian\nRUN x=\"$(a | b)\"; echo $x\n",
            "FROM debian\nRUN set -eo pipefail; x=\"$(a | b)\"\n",
            "FROM mcr.microsoft.com/windows\nSHELL [\"powershell\", \"-Command\"]\nRUN a | b\n",
            "FROM debian AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN a | b\n",
            // the shell pragma names the image's default shell, as hadolint's does
            "# hadolint shell=powershell\nFROM mcr.microsoft.com/windows/servercore\nRUN a | b\n",
        ] {
            assert!(lines(&PipefailMissing, src).is_empty(), "{src}");
        }
        // a pipe in a substitution whose status reaches the script, as hadolint reports it
        assert_eq!(
            lines(
                &PipefailMissing,
                "FROM alpine\nRUN set -eux; \\\n  deps=\"$(scanelf -R /usr/local | tr , '\\\\n' | sort -u)\"; \\\n  apk add $deps\n"
            ),
            [3]
        );
        assert_eq!(
            lines(
                &PipefailMissing,
                "FROM debian\nRUN v=$(curl -s x | jq -r .v) && echo $v\n"
            ),
            [2]
        );
        let src = "FROM debian AS a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM debian\nRUN a | b\n";
        assert_eq!(lines(&PipefailMissing, src), [4]);
    }

    #[test]
    fn base_image_shell() {
        use crate::lint::testing::{base_facts, run_with_base};
        let src = "FROM img\nRUN curl -fsSL x | bash\n";
        let bash = base_facts(
            "img",
            &[],
            None,
            Some(&["/bin/bash", "-o", "pipefail", "-c"]),
        );
        assert!(run_with_base(&PipefailMissing, src, &bash).is_empty());
        let pwsh = base_facts("img", &[], None, Some(&["powershell", "-Command"]));
        assert!(run_with_base(&PipefailMissing, src, &pwsh).is_empty());
        let plain = base_facts("img", &[], None, None);
        assert_eq!(run_with_base(&PipefailMissing, src, &plain).len(), 1);
        // the file's SHELL wins over the base's
        let src = "FROM img\nSHELL [\"/bin/sh\", \"-c\"]\nRUN a | b\n";
        assert_eq!(run_with_base(&PipefailMissing, src, &bash).len(), 1);
    }
}
