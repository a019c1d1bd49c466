//! DL4000: MAINTAINER is deprecated.

use crate::dockerfile::InstructionKind;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// `MAINTAINER name`: use `LABEL maintainer="name"` (or org.opencontainers.image.authors).
pub struct MaintainerDeprecated;

impl Rule for MaintainerDeprecated {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL4000",
            name: "maintainer-deprecated",
            severity: Severity::Error,
            summary: "MAINTAINER is deprecated",
            fix: Some(Applicability::Safe),
            aliases: &["MaintainerDeprecated"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            let InstructionKind::Maintainer(who) = &ins.kind else {
                continue;
            };
            let value = who.value.trim();
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            let kw = ins.keyword_span.text(&df.source);
            let label = super::same_case("LABEL", kw);
            // only a single-line MAINTAINER is rewritten
            let single = !ins.span.text(&df.source).contains('\n');
            let fix = single.then(|| Fix {
                description: "replace MAINTAINER with a maintainer LABEL".into(),
                edits: vec![Edit {
                    span: ins.span,
                    replacement: format!("{label} maintainer=\"{escaped}\""),
                }],
                applicability: crate::lint::Applicability::Safe,
            });
            cx.report_with_fix(
                ins.keyword_span,
                format!("MAINTAINER is deprecated: use `LABEL maintainer=\"{escaped}\"`"),
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_and_rewrites_maintainer() {
        let src = "FROM a\nMAINTAINER Jane \"JD\" Doe <jane@example.com>\n";
        assert_eq!(lines(&MaintainerDeprecated, src), vec![2]);
        assert_eq!(
            fixed(&MaintainerDeprecated, src),
            "FROM a\nLABEL maintainer=\"Jane \\\"JD\\\" Doe <jane@example.com>\"\n"
        );
    }

    #[test]
    fn label_is_fine() {
        assert!(lines(&MaintainerDeprecated, "FROM a\nLABEL maintainer=\"x\"\n").is_empty());
    }
}
