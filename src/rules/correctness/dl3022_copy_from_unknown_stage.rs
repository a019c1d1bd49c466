//! DL3022: `COPY --from` must name an earlier stage (or an image).

use crate::dockerfile::Keyword;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `COPY --from=name` where `name` is neither an earlier stage nor an image reference.
pub struct CopyFromUnknownStage;

impl Rule for CopyFromUnknownStage {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3022",
            name: "copy-from-unknown-stage",
            severity: Severity::Warning,
            summary: "COPY --from should reference a previously defined FROM alias",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            if ins.keyword != Keyword::Copy {
                continue;
            }
            let Some(flag) = ins.flag("from") else {
                continue;
            };
            // a COPY before the first FROM (DL3061) has no earlier stage at all
            let stage = ins.stage.unwrap_or(0);
            let Some(value) = &flag.value else {
                continue;
            };
            let v = value.value.as_str();
            // images (`nginx:1.27`, `ghcr.io/x/y`, `img@sha256:…`) and variables are fine
            if v.is_empty() || v.contains(['$', ':', '/', '@']) {
                continue;
            }
            if cx.model().stage_named(v, Some(stage)).is_some() {
                continue;
            }
            let named = cx.model().stage_named(v, None);
            if ins.stage.is_some() && named == Some(stage) {
                // A stage copying from itself: DL3023's finding, not this rule's.
                continue;
            }
            let later = named.is_some_and(|s| s > stage);
            let msg = if !later && v.chars().all(|c| c.is_ascii_digit()) {
                format!(
                    "COPY --from={v}: there is no stage {v} before this one (stages count from 0)"
                )
            } else if later {
                format!(
                    "COPY --from={v}: stage `{v}` is defined later; stages can only copy from earlier ones"
                )
            } else {
                format!(
                    "COPY --from={v}: no earlier stage is named `{v}` (BuildKit will pull an image named `{v}`)"
                )
            };
            cx.report(flag.span, msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_unknown_and_later_stages() {
        let src = "FROM a AS build\nFROM b\nCOPY --from=bild /x /x\nCOPY --from=later /x /x\nCOPY --from=5 /x /x\nFROM c AS later\n";
        assert_eq!(lines(&CopyFromUnknownStage, src), vec![3, 4, 5]);
    }

    #[test]
    fn flags_stage_references_before_any_from() {
        assert_eq!(
            lines(&CopyFromUnknownStage, "COPY --from=foo a .\n"),
            vec![1]
        );
        assert_eq!(lines(&CopyFromUnknownStage, "COPY --from=0 a .\n"), vec![1]);
        assert_eq!(
            lines(&CopyFromUnknownStage, "COPY --from=0 a .\nFROM b\n"),
            vec![1]
        );
    }

    #[test]
    fn accepts_earlier_stages_indices_and_images() {
        let src = "FROM a AS Build\nFROM b\nCOPY --from=build /x /x\nCOPY --from=0 /x /x\nCOPY --from=nginx:1.27 /x /x\nCOPY --from=$S /x /x\nCOPY --from=ghcr.io/a/b /x /x\n";
        assert!(lines(&CopyFromUnknownStage, src).is_empty());
    }
}
