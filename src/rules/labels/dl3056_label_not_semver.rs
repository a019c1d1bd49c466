//! DL3056: schema labels of type `semver` must hold a semantic version.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A label the label schema types as `semver` whose value is not a semantic version.
pub struct LabelNotSemver;

impl Rule for LabelNotSemver {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3056",
            name: "label-not-semver",
            severity: Severity::Warning,
            summary: "Label of schema type semver is not a semantic version",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::check_typed(
            cx,
            "semver",
            "a semantic version",
            super::validate::is_semver,
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
            label_schema: vec![("l".into(), "semver".into())],
            ..Default::default()
        }
    }

    #[test]
    fn flags_non_semver() {
        assert_eq!(
            lines_with(&LabelNotSemver, "FROM a\nLABEL l=v1.2\n", &schema()),
            vec![2]
        );
    }

    #[test]
    fn semver_is_fine() {
        assert!(lines_with(&LabelNotSemver, "FROM a\nLABEL l=1.2.3-rc.1\n", &schema()).is_empty());
    }
}
