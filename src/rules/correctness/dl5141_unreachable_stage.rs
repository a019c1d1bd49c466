//! DL5141 (opt-in): a stage the build target does not use, through `FROM`, `COPY --from` or
//! `RUN --mount=from=`, directly or through other stages.

use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5141 `unreachable-stage`.
pub struct UnreachableStage;

impl Rule for UnreachableStage {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5141",
            name: "unreachable-stage",
            severity: Severity::Info,
            summary: "Stage that the build target (the last stage, or `--target`) never uses",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let Some(last) = df.stages.len().checked_sub(1) else {
            return;
        };
        let explicit = model.build_target();
        let target = explicit.unwrap_or(last);
        // Dependants always come later in the file, so one backward pass from the target
        // marks every stage it needs.
        let mut needed = vec![false; df.stages.len()];
        if let Some(t) = needed.get_mut(target) {
            *t = true;
        }
        for i in (0..target).rev() {
            let used = model.stage(i).is_some_and(|f| {
                f.dependants
                    .iter()
                    .any(|&d| needed.get(d).copied().unwrap_or(false))
            });
            if let Some(n) = needed.get_mut(i) {
                *n = used;
            }
        }
        let target_name = df
            .stages
            .get(target)
            .and_then(|s| s.name.clone())
            .unwrap_or_else(|| format!("stage {target}"));
        for (i, st) in df.stages.iter().enumerate() {
            if needed.get(i).copied().unwrap_or(true) {
                continue;
            }
            let Some(from) = stage_from(df, i) else {
                continue;
            };
            let name = st.name.clone().unwrap_or_else(|| format!("stage {i}"));
            let what = if explicit.is_some() {
                "the build target"
            } else {
                "the last stage, which a build without `--target` produces"
            };
            cx.report(
                from.span,
                format!(
                    "`{name}` is not used by {what} (`{target_name}`): BuildKit skips it; delete \
                     it if it is a leftover, or build it with `--target {name}`"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::testing::{dockerfile, lines};
    use crate::semantic::SemanticModel;

    #[test]
    fn flags_stages_the_last_stage_does_not_use() {
        let src = "FROM golang AS old\nRUN go build\nFROM golang AS build\nRUN go build\n\
                   FROM alpine\nCOPY --from=build /app /app\n";
        assert_eq!(lines(&UnreachableStage, src), [1]);
    }

    #[test]
    fn stages_used_indirectly_pass() {
        for src in [
            "FROM a AS base\nFROM base AS build\nRUN x\nFROM alpine\nCOPY --from=build /x /x\n",
            "FROM a AS deps\nFROM b\nRUN --mount=from=deps,target=/d ls /d\n",
            "FROM a\nRUN x\nFROM b\nCOPY --from=0 /x /x\n",
            "FROM alpine\nRUN x\n",
        ] {
            assert!(lines(&UnreachableStage, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn an_explicit_target_decides() {
        let src = "FROM a AS dev\nRUN x\nFROM b AS test\nRUN y\nFROM c AS prod\nRUN z\n";
        let df = dockerfile(src);
        let model = SemanticModel::with_target(&df, Some("test"));
        let settings = RuleSettings::default();
        let mut cx = Context::new(&model, &settings, UnreachableStage.meta());
        UnreachableStage.check(&mut cx);
        let idx = crate::dockerfile::LineIndex::new(src);
        let mut got: Vec<usize> = cx
            .into_diagnostics()
            .iter()
            .map(|d| idx.line_col(src, d.span.start).line)
            .collect();
        got.sort_unstable();
        assert_eq!(got, [1, 5]);
    }
}
