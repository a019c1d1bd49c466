//! DL3043: ONBUILD cannot wrap ONBUILD, FROM or MAINTAINER.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `ONBUILD ONBUILD …`, `ONBUILD FROM …`, `ONBUILD MAINTAINER …`: rejected by Docker.
pub struct OnbuildForbiddenTrigger;

impl Rule for OnbuildForbiddenTrigger {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3043",
            name: "onbuild-forbidden-trigger",
            severity: Severity::Error,
            summary: "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            let InstructionKind::Onbuild(inner) = &ins.kind else {
                continue;
            };
            if matches!(
                inner.keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            ) {
                cx.report(
                    inner.keyword_span,
                    format!(
                        "{} is not allowed as an ONBUILD trigger",
                        inner.keyword.as_str()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_forbidden_triggers() {
        let src = "FROM a\nONBUILD ONBUILD RUN x\nONBUILD FROM b\nONBUILD MAINTAINER me\n";
        assert_eq!(lines(&OnbuildForbiddenTrigger, src), vec![2, 3, 4]);
    }

    #[test]
    fn ordinary_triggers_are_fine() {
        assert!(
            lines(
                &OnbuildForbiddenTrigger,
                "FROM a\nONBUILD RUN x\nONBUILD COPY . /app\n"
            )
            .is_empty()
        );
    }
}
