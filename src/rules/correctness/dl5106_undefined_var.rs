//! DL5106 (BuildKit UndefinedVar): a variable used in an instruction is not in scope.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::{PLATFORM_ARGS, PROXY_ARGS, stage_from, stage_instructions, var_refs};
use crate::lint::{Context, Rule, RuleMeta, Severity};
use std::collections::BTreeSet;

/// A `$VAR` in ADD/COPY/ENV/EXPOSE/LABEL/STOPSIGNAL/USER/VOLUME/WORKDIR that expands to
/// nothing, reported when it is certain enough not to come from the base image:
/// a global ARG used in a stage without `ARG NAME` re-declaring it, or a near-miss of a
/// variable that is in scope (a typo).
pub struct UndefinedVar;

const EXPANDING: &[Keyword] = &[
    Keyword::Add,
    Keyword::Copy,
    Keyword::Env,
    Keyword::Expose,
    Keyword::Label,
    Keyword::Stopsignal,
    Keyword::User,
    Keyword::Volume,
    Keyword::Workdir,
];

impl Rule for UndefinedVar {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5106",
            name: "undefined-var",
            severity: Severity::Warning,
            summary: "Variable used but not defined in this stage (global ARG not re-declared, or a typo)",
            fix: None,
            aliases: &["UndefinedVar"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        for stage in 0..df.stages.len() {
            let from_text = stage_from(df, stage)
                .map(|f| f.args.text.as_str())
                .unwrap_or("");
            let mut scope: BTreeSet<String> = model.inherited_env_names(stage);
            for ins in stage_instructions(df, stage) {
                let defines: Vec<String> = match &ins.kind {
                    InstructionKind::Arg(kvs) | InstructionKind::Env(kvs) => {
                        kvs.iter().map(|kv| kv.key.value.clone()).collect()
                    }
                    _ => Vec::new(),
                };
                if EXPANDING.contains(&ins.keyword) {
                    let mut seen = BTreeSet::new();
                    for r in var_refs(&ins.args.text, df.escape) {
                        let n = r.name.as_str();
                        if r.has_default
                            || scope.contains(n)
                            || PLATFORM_ARGS.contains(&n)
                            || PROXY_ARGS.contains(&n)
                            || !seen.insert(r.name.clone())
                        {
                            continue;
                        }
                        // `ENV A=1 B=$A` is DL3044's finding
                        if matches!(ins.keyword, Keyword::Env) && defines.iter().any(|d| d == n) {
                            continue;
                        }
                        let span = ins.args.map.span_to_source(r.start, r.end);
                        if model.is_global_arg(n) {
                            // the official-image pattern `ARG X; FROM img:$X` usually has the
                            // image define X as well: stay quiet then
                            if from_text.contains(n) {
                                continue;
                            }
                            cx.report(
                                span,
                                format!(
                                    "`${n}` is a global ARG, which is not visible inside a stage: add `ARG {n}` after FROM"
                                ),
                            );
                            continue;
                        }
                        let lower = n.to_ascii_lowercase();
                        let near = scope
                            .iter()
                            .filter(|s| {
                                n.len() >= 3
                                    && strsim::levenshtein(&s.to_ascii_lowercase(), &lower)
                                        <= if n.len() >= 6 { 2 } else { 1 }
                            })
                            .min_by_key(|s| strsim::levenshtein(s, n));
                        if let Some(s) = near {
                            cx.report(
                                span,
                                format!(
                                    "`${n}` is not defined in this stage (did you mean `${s}`?)"
                                ),
                            );
                        }
                    }
                }
                scope.extend(defines);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{lines, run};

    #[test]
    fn flags_typos_and_undeclared_globals() {
        let src = "ARG VERSION=1\nFROM a\nENV APP_HOME=/app\nWORKDIR $APP_HOM\nLABEL v=$VERSION\n";
        assert_eq!(lines(&UndefinedVar, src), vec![4, 5]);
        let d = run(&UndefinedVar, src);
        assert!(
            d[0].message.contains("did you mean `$APP_HOME`"),
            "{}",
            d[0].message
        );
        assert!(d[1].message.contains("ARG VERSION"), "{}", d[1].message);
    }

    #[test]
    fn defined_inherited_and_unknown_vars_are_fine() {
        let src = "ARG VERSION=1\nFROM a AS base\nENV APP_HOME=/app\nFROM base\nARG VERSION\nWORKDIR $APP_HOME\nLABEL v=$VERSION p=$PATH\nCOPY --chown=$UID x ${DEST:-/d}\nFROM python:$VERSION\nENV X=$VERSION\n";
        assert!(
            lines(&UndefinedVar, src).is_empty(),
            "{:?}",
            run(&UndefinedVar, src)
        );
    }
}
