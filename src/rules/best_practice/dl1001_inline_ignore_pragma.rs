//! DL1001 (off by default): inline ignore comments are not allowed.

use crate::lint::ignore::parse_pragma;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// Flags every `# dlint ignore=` / `# hadolint ignore=` / `# check=skip=` comment, for teams
/// that want all exceptions in the config file.
pub struct InlineIgnorePragma;

impl Rule for InlineIgnorePragma {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL1001",
            name: "inline-ignore-pragma",
            severity: Severity::Warning,
            summary: "Inline ignore comments are not allowed (opt-in)",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for c in &df.comments {
            if let Some(p) = parse_pragma(&c.text) {
                cx.report(
                    c.span,
                    format!(
                        "inline ignore of {}: put exceptions in the config file instead",
                        p.codes.join(", ")
                    ),
                );
            }
        }
        for d in df.directives.iter().filter(|d| d.name == "check") {
            if df.comments.iter().any(|c| c.span.start == d.span.start) {
                continue;
            }
            if let Some(p) = parse_pragma(&format!("check={}", d.value)) {
                cx.report(
                    d.span,
                    format!(
                        "inline skip of {}: put exceptions in the config file instead",
                        p.codes.join(", ")
                    ),
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
    fn flags_ignore_comments() {
        let src = "# check=skip=StageNameCasing\nFROM a\n# hadolint ignore=DL3008\nRUN x\n# dlint global ignore=DL3059\n";
        assert_eq!(lines(&InlineIgnorePragma, src), vec![1, 3, 5]);
    }

    #[test]
    fn ordinary_comments_are_fine() {
        assert!(
            lines(
                &InlineIgnorePragma,
                "# build the app\nFROM a\n# hadolint is nice\n"
            )
            .is_empty()
        );
    }
}
