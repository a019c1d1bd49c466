//! DL3029: do not hard-code `--platform` in FROM.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `FROM --platform=linux/amd64 …`: breaks multi-platform builds; use `$BUILDPLATFORM` /
/// `$TARGETPLATFORM`.
pub struct FromPlatformConstant;

impl Rule for FromPlatformConstant {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3029",
            name: "from-platform-constant",
            severity: Severity::Warning,
            summary: "Do not use --platform with FROM with a constant value",
            fix: None,
            aliases: &["FromPlatformFlagConstDisallowed"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for (s, flag, v) in crate::lint::helpers::from_platforms(df) {
            if v.contains('$') {
                continue;
            }
            // BuildKit: a stage named after the platform (`AS build-arm64`) is deliberate
            let named = s.name.as_deref().is_some_and(|n| {
                v.split(['/', ','])
                    .filter(|p| p.len() > 2)
                    .any(|p| n.contains(&p.to_ascii_lowercase()))
            });
            if !named {
                cx.report(flag.span, format!("FROM --platform={v} pins the platform; use $BUILDPLATFORM or $TARGETPLATFORM, or drop the flag"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_constant_platform() {
        assert_eq!(
            lines(
                &FromPlatformConstant,
                "FROM --platform=linux/amd64 debian:12\n"
            ),
            vec![1]
        );
    }

    #[test]
    fn variables_and_platform_named_stages_are_fine() {
        let src = "FROM --platform=$BUILDPLATFORM golang:1 AS build\nFROM --platform=linux/arm64 debian:12 AS run-arm64\nFROM debian:12\n";
        assert!(lines(&FromPlatformConstant, src).is_empty());
    }
}
