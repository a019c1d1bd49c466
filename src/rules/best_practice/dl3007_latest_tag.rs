//! DL3007: do not use the `latest` tag.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `FROM debian:latest`: moves under you; a digest alongside pins it.
pub struct LatestTag;

impl Rule for LatestTag {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3007",
            name: "latest-tag",
            severity: Severity::Warning,
            summary: "Using latest is prone to errors if the image ever updates; pin a version",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for (i, s) in df.stages.iter().enumerate() {
            if s.base.tag.as_deref() != Some("latest") || s.base.digest.is_some() {
                continue;
            }
            if let Some(InstructionKind::From { image, .. }) = stage_from(df, i).map(|f| &f.kind) {
                cx.report(
                    image.span,
                    format!("FROM `{}` uses the `latest` tag: pin a version", s.base.raw),
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
    fn flags_latest() {
        assert_eq!(
            lines(&LatestTag, "FROM debian:latest\nFROM r.io/a:latest AS b\n"),
            vec![1, 2]
        );
    }

    #[test]
    fn versions_and_digests_are_fine() {
        assert!(
            lines(
                &LatestTag,
                "FROM debian:12\nFROM a:latest@sha256:abcd\nFROM latest\n"
            )
            .is_empty()
        );
    }
}
