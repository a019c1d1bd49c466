//! DL3025: use the JSON (exec) form for CMD and ENTRYPOINT.

use crate::dockerfile::{InstructionKind, Keyword, ShellOrExec};

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `CMD python app.py`: runs under `/bin/sh -c`, so the process is not PID 1 and gets no signals.
pub struct JsonArgsRecommended;

impl Rule for JsonArgsRecommended {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3025",
            name: "json-args-recommended",
            severity: Severity::Warning,
            summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
            fix: None,
            aliases: &["JSONArgsRecommended"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            let (InstructionKind::Cmd(ShellOrExec::Shell(_))
            | InstructionKind::Entrypoint(ShellOrExec::Shell(_))
            | InstructionKind::Healthcheck(Some(ShellOrExec::Shell(_)))) = &ins.kind
            else {
                continue;
            };
            // like BuildKit: an explicit SHELL means shell form is intended
            let shell_set = ins.stage.is_some_and(|st| {
                cx.model().stage_chain(st).into_iter().any(|s| {
                    df.stages.get(s).is_some_and(|stage| {
                        stage
                            .instructions
                            .iter()
                            .filter_map(|&i| df.instructions.get(i))
                            .any(|i| {
                                i.keyword == Keyword::Shell
                                    && (s != st || i.span.start < ins.span.start)
                            })
                    })
                })
            });
            if shell_set {
                continue;
            }
            if ins.keyword == Keyword::Healthcheck {
                cx.report(
                    ins.args.span,
                    "HEALTHCHECK CMD in shell form needs `/bin/sh` in the image (images without a shell fail every check): write it as a JSON array, e.g. HEALTHCHECK CMD [\"executable\", \"arg\"]",
                );
                continue;
            }
            let kw = ins.keyword.as_str();
            cx.report(
                ins.args.span,
                format!("{kw} in shell form runs under `/bin/sh -c` and does not receive signals: write it as a JSON array, e.g. {kw} [\"executable\", \"arg\"]"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_shell_form() {
        assert_eq!(
            lines(
                &JsonArgsRecommended,
                "FROM a\nCMD python app.py\nENTRYPOINT run.sh\n"
            ),
            vec![2, 3]
        );
    }

    #[test]
    fn flags_healthcheck_in_shell_form() {
        let src = "FROM a\nHEALTHCHECK CMD curl -f http://localhost/\nFROM b\nHEALTHCHECK --interval=5s CMD [\"/bin/check\"]\nFROM c\nHEALTHCHECK NONE\n";
        assert_eq!(lines(&JsonArgsRecommended, src), vec![2]);
    }

    #[test]
    fn exec_form_and_explicit_shell_are_fine() {
        let src = "FROM a\nCMD [\"python\", \"app.py\"]\nFROM b\nSHELL [\"pwsh\", \"-c\"]\nCMD Write-Host hi\n";
        assert!(lines(&JsonArgsRecommended, src).is_empty());
    }
}
