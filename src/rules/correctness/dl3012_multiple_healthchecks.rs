//! DL3012: only one HEALTHCHECK per stage.

use crate::dockerfile::Keyword;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// More than one HEALTHCHECK in a stage: only the last one counts.
pub struct MultipleHealthchecks;

impl Rule for MultipleHealthchecks {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3012",
            name: "multiple-healthchecks",
            severity: Severity::Error,
            summary: "More than one HEALTHCHECK in a stage",
            fix: None,
            aliases: &["MultipleInstructionsDisallowed"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_all_but_last(cx, Keyword::Healthcheck);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_earlier_healthchecks_per_stage() {
        let src = "FROM a\nHEALTHCHECK CMD a\nHEALTHCHECK NONE\nFROM b\nHEALTHCHECK CMD b\n";
        assert_eq!(lines(&MultipleHealthchecks, src), vec![2]);
    }

    #[test]
    fn one_per_stage_is_fine() {
        assert!(
            lines(
                &MultipleHealthchecks,
                "FROM a\nHEALTHCHECK CMD a\nFROM b\nHEALTHCHECK CMD b\n"
            )
            .is_empty()
        );
    }
}
