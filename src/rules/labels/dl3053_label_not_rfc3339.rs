//! DL3053: schema labels of type `rfc3339` must hold an RFC 3339 date-time.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A label the label schema types as `rfc3339` whose value is not an RFC 3339 date-time.
pub struct LabelNotRfc3339;

impl Rule for LabelNotRfc3339 {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3053",
            name: "label-not-rfc3339",
            severity: Severity::Warning,
            summary: "Label of schema type rfc3339 is not an RFC 3339 date-time",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::check_typed(
            cx,
            "rfc3339",
            "an RFC 3339 date-time",
            super::validate::is_rfc3339,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::testing::lines_with;

    fn schema() -> RuleSettings {
        RuleSettings {
            label_schema: vec![("l".into(), "rfc3339".into())],
            ..Default::default()
        }
    }

    #[test]
    fn flags_bad_dates() {
        assert_eq!(
            lines_with(&LabelNotRfc3339, "FROM a\nLABEL l=2024-05-01\n", &schema()),
            vec![2]
        );
    }

    #[test]
    fn rfc3339_is_fine() {
        assert!(
            lines_with(
                &LabelNotRfc3339,
                "FROM a\nLABEL l=2024-05-01T10:00:00Z\nLABEL l=${DATE}\n",
                &schema()
            )
            .is_empty()
        );
    }
}
