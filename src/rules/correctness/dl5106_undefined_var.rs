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
            // with the base image's facts, its ENV is known: every other name is undefined
            let facts = model.base_facts(stage);
            if let Some(f) = facts {
                scope.extend(f.env.iter().map(|(k, _)| k.clone()));
            }
            for ins in stage_instructions(df, stage) {
                let defines: Vec<String> = match &ins.kind {
                    InstructionKind::Arg(kvs) | InstructionKind::Env(kvs) => {
                        kvs.iter().map(|kv| kv.key.value.clone()).collect()
                    }
                    _ => Vec::new(),
                };
                // BuildKit also expands ARG defaults; reported only when the base's ENV is known
                let checks = EXPANDING.contains(&ins.keyword)
                    || (facts.is_some() && ins.keyword == Keyword::Arg);
                if checks {
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
                        if matches!(ins.keyword, Keyword::Env | Keyword::Arg)
                            && defines.iter().any(|d| d == n)
                        {
                            continue;
                        }
                        let span = ins.args.map.span_to_source(r.start, r.end);
                        if model.is_global_arg(n) {
                            // the official-image pattern `ARG X; FROM img:$X` usually has the
                            // image define X as well: stay quiet then
                            if from_text.contains(n) && facts.is_none() {
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
                        // with facts a swap of two letters (`$PAHT`) is one edit, as BuildKit
                        // counts; without, the distance stays plain Levenshtein (unchanged)
                        let dist = |a: &str, b: &str| {
                            if facts.is_some() {
                                strsim::osa_distance(a, b)
                            } else {
                                strsim::levenshtein(a, b)
                            }
                        };
                        let near = scope
                            .iter()
                            .filter(|s| {
                                n.len() >= 3
                                    && dist(&s.to_ascii_lowercase(), &lower)
                                        <= if n.len() >= 6 { 2 } else { 1 }
                            })
                            .min_by_key(|s| dist(s, n));
                        if let Some(s) = near {
                            cx.report(
                                span,
                                format!(
                                    "`${n}` is not defined in this stage (did you mean `${s}`?)"
                                ),
                            );
                        } else if let Some(f) = facts {
                            cx.report(
                                span,
                                format!(
                                    "`${n}` is defined neither in this stage nor by the base image `{}` (its ENV): declare it with `ARG {n}` or `ENV {n}=…`",
                                    f.reference
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

#[cfg(test)]
mod base_facts_tests {
    use super::*;
    use crate::lint::testing::{base_facts, run_with_base};

    const ALPINE_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// The 4 examples of BuildKit's UndefinedVar page, and its typo example, with the base
    /// image's ENV known (alpine sets PATH, python also PYTHON_VERSION…).
    #[test]
    fn buildkit_examples_with_base_facts() {
        let alpine = base_facts("alpine", &[("PATH", ALPINE_PATH)], None, None);
        let python = base_facts(
            "python",
            &[
                ("PATH", ALPINE_PATH),
                ("LANG", "C.UTF-8"),
                ("PYTHON_VERSION", "3.13.1"),
            ],
            None,
            None,
        );
        let count = |src: &str, f| run_with_base(&UndefinedVar, src, f).len();
        assert_eq!(count("FROM alpine AS base\nCOPY $foo .\n", &alpine), 1);
        assert_eq!(
            count("FROM alpine AS base\nARG foo\nCOPY $foo .\n", &alpine),
            0
        );
        assert_eq!(count("FROM alpine AS base\nARG VERSION=$foo\n", &alpine), 1);
        assert_eq!(
            count(
                "FROM python AS base\nARG VERSION=$PYTHON_VERSION\n",
                &python
            ),
            0
        );
        let typo = run_with_base(
            &UndefinedVar,
            "FROM alpine\nENV PATH=$PAHT:/app/bin\n",
            &alpine,
        );
        assert_eq!(typo.len(), 1);
        assert!(
            typo[0].message.contains("did you mean `$PATH`"),
            "{}",
            typo[0].message
        );
        let d = run_with_base(&UndefinedVar, "FROM alpine AS base\nCOPY $foo .\n", &alpine);
        assert!(
            d[0].message.contains("base image `alpine`"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn without_facts_the_examples_stay_quiet() {
        // any variable might come from the base image's ENV
        assert!(
            crate::lint::testing::run(&UndefinedVar, "FROM alpine AS base\nCOPY $foo .\n")
                .is_empty()
        );
        assert!(
            crate::lint::testing::run(&UndefinedVar, "FROM alpine AS base\nARG VERSION=$foo\n")
                .is_empty()
        );
    }

    #[test]
    fn inherited_stage_env_and_defaults_are_defined() {
        let alpine = base_facts("alpine", &[("PATH", ALPINE_PATH)], None, None);
        let src = "FROM alpine AS a\nENV HOME_DIR=/h\nFROM a\nCOPY x $HOME_DIR/${DEST:-d} $PATH\nARG A=1 B=$A\nCOPY --from=a $TARGETOS /x\n";
        assert!(run_with_base(&UndefinedVar, src, &alpine).is_empty());
        // a global ARG used inside the stage is undefined even when FROM names it
        let src = "ARG V=1\nFROM alpine:$V\nLABEL v=$V\n";
        assert_eq!(run_with_base(&UndefinedVar, src, &alpine).len(), 1);
    }
}
