//! DL3024: stage names must be unique.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// Two FROMs with the same `AS name`.
pub struct DuplicateStageName;

impl Rule for DuplicateStageName {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3024",
            name: "duplicate-stage-name",
            severity: Severity::Error,
            summary: "FROM aliases (stage names) must be unique",
            fix: None,
            aliases: &["DuplicateStageName"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model) = (cx.dockerfile, cx.model());
        for (i, s) in df.stages.iter().enumerate() {
            let Some(name) = &s.name else { continue };
            // the model's map of stage names (a scan of the earlier stages per stage was
            // quadratic in the stages)
            let Some(first) = model
                .stage_named(name, Some(i))
                .and_then(|f| df.stages.get(f))
                .filter(|p| {
                    p.name
                        .as_ref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                })
            else {
                continue;
            };
            let Some(from) = stage_from(df, i) else {
                continue;
            };
            let span = match &from.kind {
                InstructionKind::From { alias: Some(a), .. } => a.span,
                _ => from.span,
            };
            let line = stage_from(df, first.index)
                .map(|f| df.lines.line_col(&df.source, f.span.start).line)
                .unwrap_or(0);
            cx.report(
                span,
                format!("stage name `{name}` is already used by the stage on line {line}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_duplicate_names_case_insensitively() {
        let src = "FROM a AS build\nFROM b AS BUILD\nFROM c AS build\n";
        assert_eq!(lines(&DuplicateStageName, src), vec![2, 3]);
    }

    #[test]
    fn distinct_names_are_fine() {
        assert!(
            lines(
                &DuplicateStageName,
                "FROM a AS one\nFROM b AS two\nFROM c\nFROM d\n"
            )
            .is_empty()
        );
    }
}
