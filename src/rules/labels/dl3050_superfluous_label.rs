//! DL3050: with strict labels, every label must be in the label schema.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A label not in `label-schema` while `strict-labels` is on.
pub struct SuperfluousLabel;

impl Rule for SuperfluousLabel {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3050",
            name: "superfluous-label",
            severity: Severity::Info,
            summary: "Label not in the label schema (strict labels)",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        if !cx.settings.strict_labels {
            return;
        }
        let df = cx.dockerfile;
        let schema: Vec<String> = cx
            .settings
            .label_schema
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        for kv in super::all_labels(df) {
            if !schema.contains(&kv.key.value) {
                cx.report(
                    kv.key.span,
                    format!(
                        "label `{}` is not in the label schema (strict labels are on)",
                        kv.key.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::testing::lines_with;

    #[test]
    fn flags_labels_outside_schema_when_strict() {
        let s = RuleSettings {
            strict_labels: true,
            label_schema: vec![("a".into(), "text".into())],
            ..Default::default()
        };
        assert_eq!(
            lines_with(&SuperfluousLabel, "FROM x\nLABEL a=1\nLABEL b=2\n", &s),
            vec![3]
        );
    }

    #[test]
    fn not_strict_is_fine() {
        assert!(
            lines_with(
                &SuperfluousLabel,
                "FROM x\nLABEL b=2\n",
                &RuleSettings::default()
            )
            .is_empty()
        );
    }
}
