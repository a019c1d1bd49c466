//! DL5101 (BuildKit StageNameCasing): stage names should be lowercase.

use crate::dockerfile::InstructionKind;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// `FROM x AS Build`: BuildKit lower-cases stage names anyway; write them lowercase.
pub struct StageNameCasing;

impl Rule for StageNameCasing {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5101",
            name: "stage-name-casing",
            severity: Severity::Style,
            summary: "Stage names should be lowercase",
            fix: Some(Applicability::Safe),
            aliases: &["StageNameCasing"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            let InstructionKind::From { alias: Some(a), .. } = &ins.kind else {
                continue;
            };
            let lower = a.value.to_ascii_lowercase();
            if lower == a.value || a.span.text(&df.source) != a.value {
                continue;
            }
            let fix = Fix {
                description: format!("rename the stage to `{lower}`"),
                edits: vec![Edit {
                    span: a.span,
                    replacement: lower.clone(),
                }],
                applicability: crate::lint::Applicability::Safe,
            };
            cx.report_with_fix(
                a.span,
                format!("stage name `{}` should be lowercase: `{lower}`", a.value),
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
    fn flags_and_lowercases_stage_names() {
        let src = "FROM a AS Build\nFROM b AS ok\n";
        assert_eq!(lines(&StageNameCasing, src), vec![1]);
        assert_eq!(
            fixed(&StageNameCasing, src),
            "FROM a AS build\nFROM b AS ok\n"
        );
    }

    #[test]
    fn lowercase_names_are_fine() {
        assert!(lines(&StageNameCasing, "FROM a AS build-1\nFROM b\n").is_empty());
    }
}
