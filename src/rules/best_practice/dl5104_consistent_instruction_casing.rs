//! DL5104 (BuildKit ConsistentInstructionCasing): instruction keywords in one consistent case.

use crate::dockerfile::Keyword;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// `Run` or a lowercase `run` in a file of uppercase instructions.
pub struct ConsistentInstructionCasing;

impl Rule for ConsistentInstructionCasing {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5104",
            name: "consistent-instruction-casing",
            severity: Severity::Style,
            summary: "Instruction keywords should all be uppercase or all lowercase",
            fix: Some(Applicability::Safe),
            aliases: &["ConsistentInstructionCasing"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let kws: Vec<_> = df
            .instructions
            .iter()
            .filter(|i| i.keyword != Keyword::Unknown)
            .map(|i| (i.keyword_span, i.keyword_span.text(&df.source)))
            .collect();
        let upper = kws
            .iter()
            .filter(|(_, t)| *t == t.to_ascii_uppercase())
            .count();
        let lower = kws
            .iter()
            .filter(|(_, t)| *t == t.to_ascii_lowercase())
            .count();
        let majority_lower = lower > upper;
        for (span, text) in kws {
            let want = if majority_lower {
                text.to_ascii_lowercase()
            } else {
                text.to_ascii_uppercase()
            };
            if text == want {
                continue;
            }
            let fix = Fix {
                description: format!("write `{want}`"),
                edits: vec![Edit {
                    span,
                    replacement: want.clone(),
                }],
                applicability: crate::lint::Applicability::Safe,
            };
            cx.report_with_fix(
                span,
                format!(
                    "`{text}` should match the case of the other instructions ({}): write `{want}`",
                    if majority_lower {
                        "lowercase"
                    } else {
                        "uppercase"
                    }
                ),
                Some(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_minority_and_mixed_case() {
        let src = "FROM a\nRun x\nrun y\nCOPY . /\n";
        assert_eq!(lines(&ConsistentInstructionCasing, src), vec![2, 3]);
        assert_eq!(
            fixed(&ConsistentInstructionCasing, src),
            "FROM a\nRUN x\nRUN y\nCOPY . /\n"
        );
        assert_eq!(
            lines(&ConsistentInstructionCasing, "from a\nrun x\nRUN y\n"),
            vec![3]
        );
    }

    #[test]
    fn consistent_files_are_fine() {
        assert!(lines(&ConsistentInstructionCasing, "from a\nrun x\n").is_empty());
        assert!(lines(&ConsistentInstructionCasing, "FROM a\nRUN x\n").is_empty());
    }
}
