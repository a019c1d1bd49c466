//! DL3055: schema labels of type `hash` must hold a git commit hash.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A label the label schema types as `hash` whose value is not a git commit hash.
pub struct LabelNotGitHash;

impl Rule for LabelNotGitHash {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3055",
            name: "label-not-git-hash",
            severity: Severity::Warning,
            summary: "Label of schema type hash is not a git commit hash",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::check_typed(
            cx,
            "hash",
            "a git commit hash",
            super::validate::is_git_hash,
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
            label_schema: vec![("l".into(), "hash".into())],
            ..Default::default()
        }
    }

    #[test]
    fn flags_non_hashes() {
        assert_eq!(
            lines_with(&LabelNotGitHash, "FROM a\nLABEL l=main\n", &schema()),
            vec![2]
        );
    }

    #[test]
    fn hashes_are_fine() {
        assert!(
            lines_with(
                &LabelNotGitHash,
                "FROM a\nLABEL l=3f786850e387550fdab836ed7e6dc881de23001b\n",
                &schema()
            )
            .is_empty()
        );
    }
}
