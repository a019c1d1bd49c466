//! DL4003: only one CMD per stage.

use crate::dockerfile::Keyword;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// More than one CMD in a stage: only the last one counts.
pub struct MultipleCmd;

impl Rule for MultipleCmd {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL4003",
            name: "multiple-cmd",
            severity: Severity::Warning,
            summary: "More than one CMD in a stage",
            fix: None,
            aliases: &["MultipleInstructionsDisallowed"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_all_but_last(cx, Keyword::Cmd);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_all_but_the_last_cmd() {
        let src = "FROM a\nCMD a\nCMD [\"b\"]\nCMD c\nFROM b\nCMD d\n";
        assert_eq!(lines(&MultipleCmd, src), vec![2, 3]);
    }

    #[test]
    fn one_cmd_per_stage_is_fine() {
        assert!(lines(&MultipleCmd, "FROM a\nCMD a\nFROM b\nCMD b\n").is_empty());
    }
}
