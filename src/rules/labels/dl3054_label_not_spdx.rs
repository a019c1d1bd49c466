//! DL3054: schema labels of type `spdx` must hold an SPDX license expression.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A label the label schema types as `spdx` whose value is not an SPDX license expression.
pub struct LabelNotSpdx;

impl Rule for LabelNotSpdx {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3054",
            name: "label-not-spdx",
            severity: Severity::Warning,
            summary: "Label of schema type spdx is not an SPDX license expression",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::check_typed(
            cx,
            "spdx",
            "an SPDX license expression",
            super::validate::is_spdx,
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
            label_schema: vec![("l".into(), "spdx".into())],
            ..Default::default()
        }
    }

    #[test]
    fn flags_non_spdx() {
        assert_eq!(
            lines_with(&LabelNotSpdx, "FROM a\nLABEL l=\"Apache 2\"\n", &schema()),
            vec![2]
        );
    }

    #[test]
    fn spdx_is_fine() {
        assert!(
            lines_with(
                &LabelNotSpdx,
                "FROM a\nLABEL l=\"MIT OR Apache-2.0\"\n",
                &schema()
            )
            .is_empty()
        );
    }
}
