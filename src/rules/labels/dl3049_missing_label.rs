//! DL3049: a label required by the label schema is missing from the final image.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{stage_from, stage_instructions};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A label named in `label-schema` (or `--require-label`) that the final image does not set.
pub struct MissingLabel;

impl Rule for MissingLabel {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3049",
            name: "missing-label",
            severity: Severity::Info,
            summary: "A label required by the label schema is missing",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let schema = &cx.settings.label_schema;
        let Some(last) = df.stages.len().checked_sub(1) else {
            return;
        };
        if schema.is_empty() {
            return;
        }
        let mut present = Vec::new();
        for s in cx.model().stage_chain(last) {
            for ins in stage_instructions(df, s) {
                if let InstructionKind::Label(kvs) = &ins.kind {
                    present.extend(kvs.iter().map(|kv| kv.key.value.clone()));
                }
            }
        }
        let Some(from) = stage_from(df, last) else {
            return;
        };
        let span = match &from.kind {
            InstructionKind::From { image, .. } => image.span,
            _ => from.span,
        };
        let missing: Vec<String> = schema
            .iter()
            .filter(|(k, _)| !present.contains(k))
            .map(|(k, _)| format!("`{k}`"))
            .collect();
        for m in missing {
            cx.report(
                span,
                format!("the final image lacks the label {m} required by the label schema"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::testing::lines_with;

    fn schema() -> RuleSettings {
        RuleSettings {
            label_schema: vec![
                ("author".into(), "text".into()),
                ("version".into(), "semver".into()),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn flags_missing_labels_on_final_stage() {
        let src = "FROM a AS build\nLABEL author=x version=1.0.0\nFROM b\nLABEL author=y\n";
        assert_eq!(lines_with(&MissingLabel, src, &schema()), vec![3]);
    }

    #[test]
    fn present_or_inherited_labels_are_fine() {
        let src = "FROM a AS base\nLABEL author=x\nFROM base\nLABEL version=1.0.0\n";
        assert!(lines_with(&MissingLabel, src, &schema()).is_empty());
        assert!(lines_with(&MissingLabel, "FROM a\n", &RuleSettings::default()).is_empty());
    }
}
