//! DL5102 (BuildKit FromAsCasing): the `AS` keyword should match the casing of `FROM`.

use crate::dockerfile::{InstructionKind, Span};
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// `FROM debian:12 as build`: mixed keyword casing.
pub struct FromAsCasing;

impl Rule for FromAsCasing {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5102",
            name: "from-as-casing",
            severity: Severity::Style,
            summary: "The AS keyword should match the casing of FROM",
            fix: Some(Applicability::Safe),
            aliases: &["FromAsCasing"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            let InstructionKind::From {
                image,
                alias: Some(alias),
            } = &ins.kind
            else {
                continue;
            };
            let between = Span::new(image.span.end, alias.span.start);
            let text = between.text(&df.source);
            let Some(pos) = text.to_ascii_lowercase().find("as") else {
                continue;
            };
            let as_span = Span::new(between.start + pos, between.start + pos + 2);
            let as_text = as_span.text(&df.source);
            let from = ins.keyword_span.text(&df.source);
            let want = if from == from.to_ascii_uppercase() {
                "AS"
            } else if from == from.to_ascii_lowercase() {
                "as"
            } else {
                continue; // mixed-case FROM is DL5104's finding
            };
            if as_text != want {
                let fix = Fix {
                    description: format!("write `{want}`"),
                    edits: vec![Edit {
                        span: as_span,
                        replacement: want.into(),
                    }],
                    applicability: crate::lint::Applicability::Safe,
                };
                cx.report_with_fix(
                    as_span,
                    format!("`{as_text}` does not match the casing of `{from}`: write `{want}`"),
                    Some(fix),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_mismatched_as() {
        let src = "FROM a as build\nfrom b AS run\n";
        assert_eq!(lines(&FromAsCasing, src), vec![1, 2]);
        assert_eq!(
            fixed(&FromAsCasing, src),
            "FROM a AS build\nfrom b as run\n"
        );
    }

    #[test]
    fn matching_case_is_fine() {
        assert!(lines(&FromAsCasing, "FROM a AS build\nfrom b as run\nFROM c\n").is_empty());
    }
}
