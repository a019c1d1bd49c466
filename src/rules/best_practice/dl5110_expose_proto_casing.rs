//! DL5110 (BuildKit ExposeProtoCasing): EXPOSE protocols should be lowercase.

use crate::dockerfile::{InstructionKind, Span};
use crate::lint::helpers::with_onbuild;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// `EXPOSE 80/TCP`.
pub struct ExposeProtoCasing;

impl Rule for ExposeProtoCasing {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5110",
            name: "expose-proto-casing",
            severity: Severity::Style,
            summary: "EXPOSE protocol should be lowercase",
            fix: Some(Applicability::Safe),
            aliases: &["ExposeProtoCasing"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in with_onbuild(df) {
            let InstructionKind::Expose(words) = &ins.kind else {
                continue;
            };
            for w in words {
                let Some((_, proto)) = w.value.split_once('/') else {
                    continue;
                };
                let lower = proto.to_ascii_lowercase();
                if lower == proto || proto.contains('$') {
                    continue;
                }
                let raw = w.span.text(&df.source);
                let fix = raw.rfind(proto).map(|i| Fix {
                    description: format!("write `{lower}`"),
                    edits: vec![Edit {
                        span: Span::new(w.span.start + i, w.span.start + i + proto.len()),
                        replacement: lower.clone(),
                    }],
                    applicability: crate::lint::Applicability::Safe,
                });
                cx.report_with_fix(
                    w.span,
                    format!(
                        "protocol `{proto}` in EXPOSE `{}` should be lowercase: `{lower}`",
                        w.value
                    ),
                    fix,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_and_lowercases_protocols() {
        let src = "FROM a\nEXPOSE 80/TCP 53/Udp 443\n";
        assert_eq!(lines(&ExposeProtoCasing, src), vec![2, 2]);
        assert_eq!(
            fixed(&ExposeProtoCasing, src),
            "FROM a\nEXPOSE 80/tcp 53/udp 443\n"
        );
    }

    #[test]
    fn lowercase_is_fine() {
        assert!(lines(&ExposeProtoCasing, "FROM a\nEXPOSE 80/tcp 53/udp 8080\n").is_empty());
    }
}
