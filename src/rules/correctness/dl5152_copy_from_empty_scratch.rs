//! DL5152: `COPY --from=<stage>` where the stage is `FROM scratch` and nothing (COPY, ADD, RUN)
//! puts a file in it: the copy can only fail.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::{stage_from, stage_instructions, unquote};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5152 `copy-from-empty-scratch`.
pub struct CopyFromEmptyScratch;

impl Rule for CopyFromEmptyScratch {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5152",
            name: "copy-from-empty-scratch",
            severity: Severity::Error,
            summary: "COPY --from a FROM scratch stage that holds no files",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let empty = |s: usize| {
            let scratch = stage_from(df, s).is_some_and(|f| {
                matches!(&f.kind, InstructionKind::From { image, .. }
                    if image.value.eq_ignore_ascii_case("scratch"))
            });
            scratch
                && !stage_instructions(df, s)
                    .any(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add | Keyword::Run))
        };
        let mut found = Vec::new();
        for i in &df.instructions {
            if i.keyword != Keyword::Copy {
                continue;
            }
            let (Some(from), Some(stage)) = (i.flag("from"), i.stage) else {
                continue;
            };
            let Some(value) = from.value.as_ref() else {
                continue;
            };
            let name = unquote(&value.value);
            if let Some(src) = model.stage_named(name, Some(stage))
                && empty(src)
            {
                found.push((from.span, name.to_string()));
            }
        }
        for (span, name) in found {
            cx.report(
                span,
                format!(
                    "stage `{name}` is `FROM scratch` and nothing puts a file in it, so this COPY \
                     finds nothing and fails the build: copy from the stage that builds the files"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_copies_from_an_empty_scratch_stage() {
        let src = "FROM scratch AS out\nENV A=1\nFROM alpine\nCOPY --from=out /app /app\n";
        assert_eq!(lines(&CopyFromEmptyScratch, src), [4]);
    }

    #[test]
    fn filled_or_other_stages_pass() {
        for src in [
            "FROM golang AS b\nRUN go build -o /app\nFROM scratch AS out\nCOPY --from=b /app /app\nFROM alpine\nCOPY --from=out /app /app\n",
            "FROM alpine AS a\nFROM alpine\nCOPY --from=a /etc/os-release /x\n",
            "FROM alpine\nCOPY --from=nginx:latest /etc/nginx /etc/nginx\n",
        ] {
            assert!(lines(&CopyFromEmptyScratch, src).is_empty(), "{src}");
        }
    }
}
