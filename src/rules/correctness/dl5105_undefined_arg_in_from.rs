//! DL5105 (BuildKit UndefinedArgInFrom): FROM uses a variable that is not a global ARG.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{PLATFORM_ARGS, var_refs};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `FROM alpine:$VERSION` where no `ARG VERSION` precedes the first FROM.
pub struct UndefinedArgInFrom;

impl Rule for UndefinedArgInFrom {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5105",
            name: "undefined-arg-in-from",
            severity: Severity::Warning,
            summary: "FROM references an ARG not declared before the first FROM",
            fix: None,
            aliases: &["UndefinedArgInFrom"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        for ins in &df.instructions {
            let InstructionKind::From { image, .. } = &ins.kind else {
                continue;
            };
            let mut words = vec![image];
            if let Some(p) = ins.flag("platform").and_then(|f| f.value.as_ref()) {
                words.push(p);
            }
            for w in words {
                for r in var_refs(&w.value, df.escape) {
                    if r.has_default
                        || model.is_global_arg(&r.name)
                        || PLATFORM_ARGS.contains(&r.name.as_str())
                    {
                        continue;
                    }
                    let hint = model
                        .global_args()
                        .iter()
                        .map(|(k, _)| k.as_str())
                        .chain(PLATFORM_ARGS.iter().copied())
                        .filter(|g| {
                            strsim::levenshtein(
                                &g.to_ascii_lowercase(),
                                &r.name.to_ascii_lowercase(),
                            ) <= 2
                        })
                        .min_by_key(|g| strsim::levenshtein(g, &r.name))
                        .map(|g| format!(" (did you mean `{g}`?)"))
                        .unwrap_or_default();
                    cx.report(
                        w.span,
                        format!(
                            "FROM uses `${}`, which is not declared by an ARG before the first FROM{hint}",
                            r.name
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{lines, run};

    #[test]
    fn flags_undeclared_args() {
        let src = "ARG VERSION=3\nFROM alpine:$VERSON\nFROM --platform=$PLATFORM debian\n";
        assert_eq!(lines(&UndefinedArgInFrom, src), vec![2, 3]);
        assert!(
            run(&UndefinedArgInFrom, src)[0]
                .message
                .contains("did you mean `VERSION`")
        );
    }

    #[test]
    fn declared_platform_and_defaulted_args_are_fine() {
        let src = "ARG BASE=alpine\nARG TAG\nFROM ${BASE}:${TAG}\nFROM --platform=$BUILDPLATFORM ${IMG:-debian}\n";
        assert!(lines(&UndefinedArgInFrom, src).is_empty());
    }
}
