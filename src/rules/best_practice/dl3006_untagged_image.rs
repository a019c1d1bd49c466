//! DL3006: always tag the FROM image explicitly.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `FROM debian` without a tag or digest: whatever `latest` is on build day.
pub struct UntaggedImage;

impl Rule for UntaggedImage {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3006",
            name: "untagged-image",
            severity: Severity::Warning,
            summary: "Always tag the version of an image explicitly",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for (i, s) in df.stages.iter().enumerate() {
            let b = &s.base;
            if b.tag.is_some()
                || b.digest.is_some()
                || b.raw.is_empty()
                || b.raw.contains('$')
                || b.raw.eq_ignore_ascii_case("scratch")
                || cx.model().is_stage_name(&b.raw, i)
            {
                continue;
            }
            if let Some(InstructionKind::From { image, .. }) = stage_from(df, i).map(|f| &f.kind) {
                cx.report(
                    image.span,
                    format!(
                        "FROM `{}` has no tag: pin a version, e.g. `{}:<version>`",
                        b.raw, b.raw
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
    fn flags_untagged_images() {
        assert_eq!(
            lines(&UntaggedImage, "FROM debian\nFROM ghcr.io/a/b AS x\n"),
            vec![1, 2]
        );
    }

    #[test]
    fn tags_digests_aliases_scratch_and_variables_are_fine() {
        let src = "FROM debian:12 AS base\nFROM base\nFROM scratch\nFROM a@sha256:abcd\nFROM $IMG\nFROM localhost:5000/x:1\n";
        assert!(lines(&UntaggedImage, src).is_empty());
    }
}
