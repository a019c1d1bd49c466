//! DL3057 (off by default): the final image has no HEALTHCHECK.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::{stage_from, stage_instructions};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// No HEALTHCHECK in the final stage (nor in the earlier stages it is built from).
pub struct HealthcheckMissing;

impl Rule for HealthcheckMissing {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3057",
            name: "healthcheck-missing",
            severity: Severity::Info,
            summary: "HEALTHCHECK instruction missing (opt-in)",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let Some(last) = df.stages.len().checked_sub(1) else {
            return;
        };
        let has = cx
            .model()
            .stage_chain(last)
            .into_iter()
            .any(|s| stage_instructions(df, s).any(|i| i.keyword == Keyword::Healthcheck));
        if has {
            return;
        }
        if let Some(from) = stage_from(df, last) {
            let span = match &from.kind {
                InstructionKind::From { image, .. } => image.span,
                _ => from.span,
            };
            cx.report(span, "the final image has no HEALTHCHECK: add one so orchestrators can tell when it is unhealthy");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_final_stage_without_healthcheck() {
        assert_eq!(
            lines(
                &HealthcheckMissing,
                "FROM a AS b\nHEALTHCHECK CMD x\nFROM c\nRUN x\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn own_or_inherited_healthcheck_is_fine() {
        assert!(
            lines(
                &HealthcheckMissing,
                "FROM a AS b\nHEALTHCHECK CMD x\nFROM b\nRUN y\n"
            )
            .is_empty()
        );
        assert!(lines(&HealthcheckMissing, "FROM a\nHEALTHCHECK NONE\n").is_empty());
    }
}
