//! DL3051: labels in the label schema must not be empty.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `LABEL author=""` when `author` is in the label schema.
pub struct EmptyLabel;

impl Rule for EmptyLabel {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3051",
            name: "empty-label",
            severity: Severity::Warning,
            summary: "Label in the label schema is empty",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let schema: Vec<String> = cx
            .settings
            .label_schema
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        for kv in super::all_labels(df) {
            if schema.contains(&kv.key.value)
                && kv.value.as_ref().is_none_or(|v| v.value.trim().is_empty())
            {
                cx.report(kv.span, format!("label `{}` is empty", kv.key.value));
            }
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
            label_schema: vec![("a".into(), "text".into())],
            ..Default::default()
        }
    }

    #[test]
    fn flags_empty_schema_labels() {
        assert_eq!(
            lines_with(
                &EmptyLabel,
                "FROM x\nLABEL a=\"\"\nLABEL b=\"\"\n",
                &schema()
            ),
            vec![2]
        );
    }

    #[test]
    fn non_empty_is_fine() {
        assert!(lines_with(&EmptyLabel, "FROM x\nLABEL a=1\n", &schema()).is_empty());
    }
}
