//! DL3052: schema labels of type `url` must hold a valid URL.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A label the label schema types as `url` whose value is not a valid URL.
pub struct LabelNotUrl;

impl Rule for LabelNotUrl {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3052",
            name: "label-not-url",
            severity: Severity::Warning,
            summary: "Label of schema type url is not a valid URL",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::check_typed(cx, "url", "a valid URL", super::validate::is_url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::testing::lines_with;

    fn schema() -> RuleSettings {
        RuleSettings {
            label_schema: vec![("l".into(), "url".into())],
            ..Default::default()
        }
    }

    #[test]
    fn flags_non_urls() {
        assert_eq!(
            lines_with(
                &LabelNotUrl,
                "FROM a\nLABEL l=github.com/a\nLABEL other=x\n",
                &schema()
            ),
            vec![2]
        );
    }

    #[test]
    fn urls_empty_and_variables_are_fine() {
        let src = "FROM a\nLABEL l=https://github.com/a/b\nLABEL l=\"\" \nLABEL l=$URL\n";
        assert!(lines_with(&LabelNotUrl, src, &schema()).is_empty());
        assert!(
            lines_with(
                &LabelNotUrl,
                "FROM a\nLABEL l=nope\n",
                &RuleSettings::default()
            )
            .is_empty()
        );
    }
}
