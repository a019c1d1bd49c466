//! DL3063: `scratch` and `context` are reserved and cannot name a stage.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `FROM x AS scratch` / `AS context`.
pub struct ReservedStageName;

impl Rule for ReservedStageName {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3063",
            name: "reserved-stage-name",
            severity: Severity::Warning,
            summary: "Stage name is a reserved word (scratch, context)",
            fix: None,
            aliases: &["ReservedStageName"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for (i, s) in df.stages.iter().enumerate() {
            let Some(name) = s.name.as_deref() else {
                continue;
            };
            if !matches!(name, "scratch" | "context") {
                continue;
            }
            if let Some(InstructionKind::From { alias: Some(a), .. }) =
                stage_from(df, i).map(|f| &f.kind)
            {
                cx.report(
                    a.span,
                    format!("`{name}` is reserved and cannot be used as a stage name"),
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
    fn flags_reserved_names() {
        assert_eq!(
            lines(&ReservedStageName, "FROM a AS scratch\nFROM b AS Context\n"),
            vec![1, 2]
        );
    }

    #[test]
    fn other_names_are_fine() {
        assert!(lines(&ReservedStageName, "FROM scratch AS base\nFROM a AS ctx\n").is_empty());
    }
}
