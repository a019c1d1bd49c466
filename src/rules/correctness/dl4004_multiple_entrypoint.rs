//! DL4004: only one ENTRYPOINT per stage.

use crate::dockerfile::Keyword;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// More than one ENTRYPOINT in a stage: only the last one counts.
pub struct MultipleEntrypoint;

impl Rule for MultipleEntrypoint {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL4004",
            name: "multiple-entrypoint",
            severity: Severity::Error,
            summary: "More than one ENTRYPOINT in a stage",
            fix: None,
            aliases: &["MultipleInstructionsDisallowed"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_all_but_last(cx, Keyword::Entrypoint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_earlier_entrypoints() {
        let src = "FROM a\nENTRYPOINT a\nENTRYPOINT [\"b\"]\nFROM b\nENTRYPOINT c\n";
        assert_eq!(lines(&MultipleEntrypoint, src), vec![2]);
    }

    #[test]
    fn one_per_stage_is_fine() {
        assert!(lines(&MultipleEntrypoint, "FROM a\nENTRYPOINT [\"a\"]\nCMD b\n").is_empty());
    }
}
