//! DL5153: a shell-form RUN in a stage built `FROM scratch` (directly or through its bases) with
//! no SHELL set: scratch has no `/bin/sh`, so the RUN fails.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::{stage_from, stage_instructions};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5153 `shell-run-in-scratch`.
pub struct ShellRunInScratch;

impl Rule for ShellRunInScratch {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5153",
            name: "shell-run-in-scratch",
            severity: Severity::Error,
            summary: "Shell-form RUN in a stage built FROM scratch, which has no shell",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let mut found = Vec::new();
        for (s, _) in df.stages.iter().enumerate() {
            let chain = model.stage_chain(s);
            let root_is_scratch = chain
                .last()
                .and_then(|&r| stage_from(df, r))
                .is_some_and(|f| {
                    matches!(&f.kind, InstructionKind::From { image, .. }
                        if image.value.eq_ignore_ascii_case("scratch"))
                });
            if !root_is_scratch {
                continue;
            }
            // a SHELL anywhere in the chain says a shell was put there on purpose
            let has_shell = chain
                .iter()
                .any(|&c| stage_instructions(df, c).any(|i| i.keyword == Keyword::Shell));
            if has_shell {
                continue;
            }
            for i in stage_instructions(df, s) {
                if matches!(&i.kind, InstructionKind::Run(_)) && !i.json {
                    found.push(i.span);
                }
            }
        }
        for span in found {
            cx.report(
                span,
                "shell-form RUN in a stage built `FROM scratch`, which has no `/bin/sh`: the RUN \
                 fails; use the exec form (`RUN [\"/app\", \"--init\"]`) or a base with a shell",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_shell_runs_on_scratch() {
        assert_eq!(
            lines(&ShellRunInScratch, "FROM scratch\nRUN echo hi\n"),
            [2]
        );
        let src = "FROM scratch AS base\nCOPY app /app\nFROM base\nRUN /app --init\n";
        assert_eq!(lines(&ShellRunInScratch, src), [4]);
    }

    #[test]
    fn exec_form_shell_or_other_bases_pass() {
        for src in [
            "FROM scratch\nCOPY app /app\nRUN [\"/app\", \"--init\"]\n",
            "FROM scratch\nCOPY --from=busybox:1 /bin/busybox /bin/sh\nSHELL [\"/bin/sh\", \"-c\"]\nRUN echo hi\n",
            "FROM alpine\nRUN echo hi\n",
        ] {
            assert!(lines(&ShellRunInScratch, src).is_empty(), "{src}");
        }
    }
}
