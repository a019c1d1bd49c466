//! DL3065 (BuildKit RedundantTargetPlatform): `FROM --platform=$TARGETPLATFORM` is the default.

use crate::dockerfile::Span;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// `--platform=$TARGETPLATFORM` on FROM does nothing.
pub struct RedundantTargetPlatform;

impl Rule for RedundantTargetPlatform {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3065",
            name: "redundant-target-platform",
            severity: Severity::Warning,
            summary: "FROM --platform=$TARGETPLATFORM is redundant",
            fix: Some(Applicability::Safe),
            aliases: &["RedundantTargetPlatform"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for (_, flag, v) in crate::lint::helpers::from_platforms(df) {
            if v != "$TARGETPLATFORM" && v != "${TARGETPLATFORM}" {
                continue;
            }
            // remove the flag and the blanks after it
            let rest = df.source.get(flag.span.end..).unwrap_or("");
            let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let fix = Fix {
                description: "remove `--platform=$TARGETPLATFORM`".into(),
                edits: vec![Edit {
                    span: Span::new(flag.span.start, flag.span.end + ws),
                    replacement: String::new(),
                }],
                applicability: crate::lint::Applicability::Safe,
            };
            cx.report_with_fix(
                flag.span,
                "`--platform=$TARGETPLATFORM` is what FROM does anyway: remove it",
                Some(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_and_removes_redundant_platform() {
        let src = "FROM --platform=$TARGETPLATFORM debian:12\nFROM --platform=${TARGETPLATFORM} alpine:3 AS a\n";
        assert_eq!(lines(&RedundantTargetPlatform, src), vec![1, 2]);
        assert_eq!(
            fixed(&RedundantTargetPlatform, src),
            "FROM debian:12\nFROM alpine:3 AS a\n"
        );
    }

    #[test]
    fn build_platform_is_fine() {
        assert!(
            lines(
                &RedundantTargetPlatform,
                "FROM --platform=$BUILDPLATFORM golang:1\nFROM debian:12\n"
            )
            .is_empty()
        );
    }
}
