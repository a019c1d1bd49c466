//! DL3023: `COPY --from` cannot reference its own stage.

use crate::dockerfile::Keyword;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `COPY --from=x` inside stage `x`.
pub struct CopyFromOwnStage;

impl Rule for CopyFromOwnStage {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3023",
            name: "copy-from-own-stage",
            severity: Severity::Error,
            summary: "COPY --from cannot reference its own FROM alias",
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
            let (Some(v), Some(stage)) = (ins.flag_value("from"), ins.stage) else {
                continue;
            };
            let Some(s) = df.stages.get(stage) else {
                continue;
            };
            let own = s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(v))
                || v.parse::<usize>() == Ok(stage);
            if own && let Some(flag) = ins.flag("from") {
                cx.report(
                    flag.span,
                    format!("COPY --from={v} copies from the stage it is in"),
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
    fn flags_copy_from_own_stage() {
        let src = "FROM a AS build\nCOPY --from=build /x /y\nFROM b\nCOPY --from=1 /x /y\n";
        assert_eq!(lines(&CopyFromOwnStage, src), vec![2, 4]);
    }

    #[test]
    fn other_stages_are_fine() {
        assert!(
            lines(
                &CopyFromOwnStage,
                "FROM a AS build\nFROM b AS run\nCOPY --from=build /x /y\nCOPY --from=0 /x /y\n"
            )
            .is_empty()
        );
    }
}
