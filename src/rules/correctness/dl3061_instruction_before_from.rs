//! DL3061: a Dockerfile must begin with FROM or ARG.

use crate::dockerfile::Keyword;
use crate::lint::helpers::head_span;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// An instruction other than ARG before the first FROM.
pub struct InstructionBeforeFrom;

impl Rule for InstructionBeforeFrom {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3061",
            name: "instruction-before-from",
            severity: Severity::Error,
            summary: "Invalid instruction order: the Dockerfile must begin with FROM, ARG or a comment",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let first_bad = df
            .instructions
            .iter()
            .take_while(|i| i.keyword != Keyword::From)
            .find(|i| !matches!(i.keyword, Keyword::Arg | Keyword::Unknown));
        if let Some(ins) = first_bad {
            cx.report(
                head_span(df, ins),
                format!(
                    "{} before the first FROM: only ARG may come before FROM",
                    ins.keyword.as_str()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_first_instruction_before_from() {
        assert_eq!(
            lines(&InstructionBeforeFrom, "# c\nLABEL a=b\nRUN x\nFROM a\n"),
            vec![2]
        );
    }

    #[test]
    fn arg_and_comments_before_from_are_fine() {
        assert!(
            lines(
                &InstructionBeforeFrom,
                "# syntax=docker/dockerfile:1\n# c\nARG V=1\nFROM a:$V\nRUN x\n"
            )
            .is_empty()
        );
    }
}
