//! DL5107 (BuildKit LegacyKeyValueFormat): `ENV key value` / `LABEL key value` without `=`.

use crate::dockerfile::InstructionKind;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// The legacy whitespace-separated form sets one variable to the whole rest of the line,
/// which reads like several; BuildKit deprecates it.
pub struct LegacyKeyValueFormat;

impl Rule for LegacyKeyValueFormat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5107",
            name: "legacy-key-value-format",
            severity: Severity::Style,
            summary: "Legacy `ENV key value` / `LABEL key value` format; use key=value",
            fix: Some(Applicability::Safe),
            aliases: &["LegacyKeyValueFormat"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            let (kvs, kw) = match &ins.kind {
                InstructionKind::Env(kvs) => (kvs, "ENV"),
                InstructionKind::Label(kvs) => (kvs, "LABEL"),
                _ => continue,
            };
            for kv in kvs.iter().filter(|kv| kv.legacy) {
                let key = kv.key.span.text(&df.source);
                let raw = kv.raw_value.as_deref().unwrap_or("").trim();
                let single_line = !kv.span.text(&df.source).contains('\n');
                let replacement = if !single_line || raw.is_empty() {
                    None
                } else if !raw.contains(char::is_whitespace) {
                    Some(format!("{key}={raw}"))
                } else if !raw.contains(['"', '\'', '\\', '`']) {
                    Some(format!("{key}=\"{raw}\""))
                } else {
                    None
                };
                let fix = replacement.map(|r| Fix {
                    description: format!("write `{r}`"),
                    edits: vec![Edit {
                        span: kv.span,
                        replacement: r,
                    }],
                    applicability: crate::lint::Applicability::Safe,
                });
                cx.report_with_fix(
                    kv.span,
                    format!("legacy `{kw} {key} value` format: write `{kw} {key}=value` (the whole rest of the line is the value)"),
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
    fn flags_and_fixes_legacy_form() {
        let src =
            "FROM a\nENV PATH /x:$PATH\nLABEL description a small image\nENV Q \"quoted value\"\n";
        assert_eq!(lines(&LegacyKeyValueFormat, src), vec![2, 3, 4]);
        assert_eq!(
            fixed(&LegacyKeyValueFormat, src),
            "FROM a\nENV PATH=/x:$PATH\nLABEL description=\"a small image\"\nENV Q \"quoted value\"\n"
        );
    }

    #[test]
    fn key_value_form_is_fine() {
        assert!(
            lines(
                &LegacyKeyValueFormat,
                "FROM a\nENV A=1 B=\"2 3\"\nLABEL a=b\n"
            )
            .is_empty()
        );
    }
}
