//! DL3058: schema labels of type `email` must hold an e-mail address.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A label the label schema types as `email` whose value is not an e-mail address.
pub struct LabelNotEmail;

impl Rule for LabelNotEmail {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3058",
            name: "label-not-email",
            severity: Severity::Warning,
            summary: "Label of schema type email is not an e-mail address",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::check_typed(cx, "email", "an e-mail address", super::validate::is_email);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::testing::lines_with;

    fn schema() -> RuleSettings {
        RuleSettings {
            label_schema: vec![("l".into(), "email".into())],
            ..Default::default()
        }
    }

    #[test]
    fn flags_non_emails() {
        assert_eq!(
            lines_with(&LabelNotEmail, "FROM a\nLABEL l=\"Jane Doe\"\n", &schema()),
            vec![2]
        );
    }

    #[test]
    fn emails_are_fine() {
        assert!(
            lines_with(
                &LabelNotEmail,
                "FROM a\nLABEL l=jane@example.com\n",
                &schema()
            )
            .is_empty()
        );
    }
}
