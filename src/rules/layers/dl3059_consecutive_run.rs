//! DL3059: consecutive RUN instructions that could be one layer.

use crate::dockerfile::{Dockerfile, Instruction, Keyword, Span};
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};
use crate::shell::run::Run;
use crate::shell::{Op, Script};

/// DL3059 `consecutive-run`.
pub struct ConsecutiveRun;

/// RUNs with more commands than this were most likely split on purpose. hadolint 2.15 only
/// reports pairs of single-command RUNs; dlint does the same.
const MAX_COMMANDS: usize = 1;

impl Rule for ConsecutiveRun {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3059",
            name: "consecutive-run",
            severity: Severity::Info,
            summary: "Merge consecutive RUN instructions into one layer",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let a = cx.analysis();
        let mut prev: Option<&Run> = None;
        let mut adjacent = true;
        for (i, inst) in df.instructions.iter().enumerate() {
            match inst.keyword {
                Keyword::Run => {
                    let Some(run) = a.run_at(i) else {
                        prev = None;
                        continue;
                    };
                    if let Some(p) = prev
                        && let Some(pi) = df.instructions.get(p.index)
                        && mergeable(pi, p, inst, run)
                    {
                        let line = df.lines.line_col(&df.source, pi.span.start).line;
                        let fix = if adjacent {
                            merge_fix(df, pi, p, inst, run)
                        } else {
                            None
                        };
                        let between = if adjacent {
                            String::new()
                        } else {
                            " (the instructions in between do not affect it)".to_string()
                        };
                        cx.report_with_fix(
                            inst.span,
                            format!(
                                "this RUN can be merged with the RUN on line {line}{between}: \
                                 each RUN adds a layer"
                            ),
                            fix,
                        );
                    }
                    prev = Some(run);
                    adjacent = true;
                }
                // Instructions that do not change what a later RUN sees.
                Keyword::Label
                | Keyword::Expose
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Healthcheck
                | Keyword::Stopsignal
                | Keyword::Maintainer => adjacent = false,
                _ => prev = None,
            }
        }
    }
}

fn commands(s: &Script) -> usize {
    s.commands
        .iter()
        .filter(|c| !c.nested && !c.from_sh_c)
        .count()
}

fn mergeable(pi: &Instruction, p: &Run, ci: &Instruction, c: &Run) -> bool {
    let (Some(ps), Some(cs)) = (&p.script, &c.script) else {
        return false;
    };
    let shell_form = |i: &Instruction| {
        matches!(
            i.kind,
            crate::dockerfile::InstructionKind::Run(crate::dockerfile::ShellOrExec::Shell(_))
        )
    };
    if pi.stage != ci.stage
        || !pi.heredocs.is_empty()
        || !ci.heredocs.is_empty()
        || !shell_form(pi)
        || !shell_form(ci)
    {
        return false;
    }
    // Different mounts, network or security modes: the RUNs need different sandboxes.
    let flags = |i: &Instruction| {
        let mut v: Vec<(String, Option<String>)> = i
            .flags
            .iter()
            .map(|f| (f.name.clone(), f.value.as_ref().map(|w| w.value.clone())))
            .collect();
        v.sort();
        v
    };
    if flags(pi) != flags(ci) {
        return false;
    }
    commands(ps) <= MAX_COMMANDS && commands(cs) <= MAX_COMMANDS
}

/// Merges the second RUN into the first with ` && \`, keeping comment lines in between.
fn merge_fix(df: &Dockerfile, pi: &Instruction, p: &Run, ci: &Instruction, c: &Run) -> Option<Fix> {
    let (ps, cs) = (p.script.as_ref()?, c.script.as_ref()?);
    if ps.tolerant || cs.tolerant || !ps.comments.is_empty() || !cs.comments.is_empty() {
        return None;
    }
    let first_text = pi.args.text.trim_end();
    if first_text.ends_with(';') || first_text.ends_with('&') || first_text.ends_with(df.escape) {
        return None;
    }
    // `a && b` after the first body keeps the "stop on failure" meaning only when the second
    // body is a plain `&&`/`|` chain.
    let top_ops_ok = cs
        .commands
        .iter()
        .filter(|x| !x.nested && !x.from_sh_c)
        .skip(1)
        .all(|x| matches!(x.op_before, Some(Op::And) | Some(Op::Pipe)));
    let second_text = ci.args.text.trim_end();
    if !top_ops_ok
        || ci.args.text.contains('\n')
        || second_text.ends_with('&')
        || second_text.ends_with(';')
    {
        return None;
    }
    let between = Span::new(pi.span.end, ci.args.span.start);
    // comments are in file order: start at the first one after `between.start`
    let first = df
        .comments
        .partition_point(|cm| cm.span.start < between.start);
    let comments: Vec<&str> = df
        .comments
        .get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(|cm| cm.span.start <= ci.span.start)
        .filter(|cm| cm.span.end <= ci.span.start)
        .map(|cm| cm.span.text(&df.source))
        .collect();
    let esc = df.escape;
    let nl = crate::shell::edit::line_ending_at(&df.source, pi.span.start);
    let mut replacement = format!(" {esc}{nl}");
    for cm in comments {
        replacement.push_str("    ");
        replacement.push_str(cm);
        replacement.push_str(nl);
    }
    replacement.push_str("    && ");
    let edits = vec![Edit {
        span: between,
        replacement,
    }];
    Some(match state_change(ps) {
        None => Fix::safe("merge with the previous RUN", edits),
        Some(what) => Fix::unsafe_edit(
            format!(
                "merge with the previous RUN (unsafe: its `{what}` would now apply to the merged \
                 commands)"
            ),
            edits,
        ),
    })
}

/// The first top-level command of `s` that changes the state of the shell for the commands
/// after it (working directory, variables, options, umask, aliases...): in separate RUNs each
/// starts afresh, merged they would not.
fn state_change(s: &Script) -> Option<String> {
    // A bare `NAME=value` is not a command to the analysis: a RUN without any.
    if s.commands.iter().all(|c| c.nested || c.from_sh_c) {
        return Some("variable assignment".into());
    }
    s.commands
        .iter()
        .filter(|c| !c.nested && !c.from_sh_c)
        .find_map(|c| {
            if c.words.is_empty() && !c.assignments.is_empty() {
                return Some(c.assignments.first()?.split('=').next()?.to_string());
            }
            // `exec` is a wrapper for the analysis, but here it ends the shell.
            let first = c.words.first().map(|w| w.value.as_str());
            let name = match first {
                Some("exec") => "exec",
                _ => c.argv().first().map(|w| w.value.as_str())?,
            };
            let changes = matches!(
                name,
                "cd" | "pushd"
                    | "popd"
                    | "export"
                    | "unset"
                    | "set"
                    | "shopt"
                    | "umask"
                    | "ulimit"
                    | "source"
                    | "."
                    | "alias"
                    | "unalias"
                    | "declare"
                    | "typeset"
                    | "readonly"
                    | "local"
                    | "trap"
                    | "hash"
                    | "enable"
                    | "eval"
                    | "exec"
            ) || !c.argv().first().is_some_and(|w| w.is_static);
            changes.then(|| name.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{dockerfile, lines, run as check};

    fn apply(src: &str, fix: &Fix) -> String {
        let mut out = src.to_string();
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        for e in edits {
            out.replace_range(e.span.start..e.span.end, &e.replacement);
        }
        out
    }

    #[test]
    fn flags_and_fixes_with_comments() {
        let src =
            "FROM debian\nRUN apt-get update\n# then install\n\nRUN apt-get install -y curl\n";
        let d = check(&ConsecutiveRun, src);
        assert_eq!(d.len(), 1);
        let fixed = apply(src, d[0].fix.as_ref().expect("fix"));
        assert_eq!(
            fixed,
            "FROM debian\nRUN apt-get update \\\n    # then install\n    && apt-get install -y curl\n"
        );
        // The fixed file parses to one RUN with both commands.
        let df = dockerfile(&fixed);
        assert_eq!(
            df.instructions
                .iter()
                .filter(|i| i.keyword == Keyword::Run)
                .count(),
            1
        );
        assert!(check(&ConsecutiveRun, &fixed).is_empty());
    }

    #[test]
    fn not_when_flags_differ_or_barrier_between() {
        for src in [
            "FROM debian\nRUN --mount=type=cache,target=/root/.cache a\nRUN b\n",
            "FROM debian\nRUN --network=none a\nRUN b\n",
            "FROM debian\nRUN a\nENV X=1\nRUN b\n",
            "FROM debian\nRUN a\nCOPY x /x\nRUN b\n",
            "FROM debian\nRUN a\nWORKDIR /x\nRUN b\n",
            "FROM debian\nRUN a\nUSER app\nRUN b\n",
            "FROM debian\nRUN a\nFROM debian\nRUN b\n",
            "FROM debian\nRUN a && b && c\nRUN d\n",
            "FROM debian\nRUN [\"a\"]\nRUN b\n",
            "FROM debian\nRUN a\nRUN [\"b\"]\n",
        ] {
            assert!(lines(&ConsecutiveRun, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn across_label_without_fix() {
        let src = "FROM debian\nRUN a\nLABEL x=y\nRUN b\n";
        let d = check(&ConsecutiveRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
    }

    #[test]
    fn no_fix_when_semantics_would_change() {
        // `a && b &` would put both in the background.
        let d = check(&ConsecutiveRun, "FROM debian\nRUN a\nRUN b &\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
        // Two commands in one RUN: split on purpose.
        assert!(check(&ConsecutiveRun, "FROM debian\nRUN a\nRUN b || c\n").is_empty());
        // A trailing comment would swallow the merged command.
        let d = check(&ConsecutiveRun, "FROM debian\nRUN a # note\nRUN b\n");
        assert!(d[0].fix.is_none());
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    use crate::lint::Applicability;

    fn applicability(src: &str) -> Option<Applicability> {
        run(&ConsecutiveRun, src)
            .first()
            .and_then(|d| d.fix.as_ref())
            .map(|f| f.applicability)
    }

    #[test]
    fn merge_after_a_state_change_is_unsafe() {
        assert_eq!(
            applicability("FROM a\nRUN mkdir /x\nRUN ls\n"),
            Some(Applicability::Safe)
        );
        for first in [
            "cd /tmp",
            "export A=1",
            "set -o pipefail",
            "umask 077",
            ". /etc/profile",
            "source /env",
            "alias ll='ls -l'",
            "shopt -s globstar",
            "pushd /tmp",
            "A=1",
            "exec bash",
            "$CMD",
        ] {
            let src = format!("FROM a\nRUN {first}\nRUN ls\n");
            assert_eq!(applicability(&src), Some(Applicability::Unsafe), "{first}");
        }
        // the second RUN's state does not leak anywhere
        assert_eq!(
            applicability("FROM a\nRUN ls\nRUN cd /tmp\n"),
            Some(Applicability::Safe)
        );
    }

    #[test]
    fn merge_keeps_crlf() {
        assert_eq!(
            fixed(
                &ConsecutiveRun,
                "FROM a\r\nRUN mkdir /x\r\n# why\r\nRUN ls\r\n"
            ),
            "FROM a\r\nRUN mkdir /x \\\r\n    # why\r\n    && ls\r\n"
        );
    }
}
