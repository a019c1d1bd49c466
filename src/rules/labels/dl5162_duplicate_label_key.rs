//! DL5162: a LABEL key set twice in one stage (in one LABEL or in two): the later value
//! silently replaces the earlier one, so one of the two lines is dead.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::stage_instructions;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use std::collections::HashMap;

/// DL5162 `duplicate-label-key`.
pub struct DuplicateLabelKey;

impl Rule for DuplicateLabelKey {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5162",
            name: "duplicate-label-key",
            severity: Severity::Warning,
            summary: "A LABEL key set twice in a stage: the later value silently wins",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for stage in &df.stages {
            // key -> (line of its first setting, its value as written)
            let mut seen: HashMap<String, (usize, Option<String>)> = HashMap::new();
            for ins in stage_instructions(df, stage.index) {
                let InstructionKind::Label(kvs) = &ins.kind else {
                    continue;
                };
                for kv in kvs {
                    let key = kv.key.value.trim_matches(['"', '\'']);
                    // a key built from a variable may differ per build
                    if key.is_empty() || key.contains('$') {
                        continue;
                    }
                    let line = df.lines.line_col(&df.source, kv.key.span.start).line;
                    match seen.get(key) {
                        None => {
                            seen.insert(key.to_string(), (line, kv.raw_value.clone()));
                        }
                        Some((first, value)) => {
                            let how = if *value == kv.raw_value {
                                "to the same value: the second is redundant"
                            } else {
                                "the later value silently replaces the earlier one"
                            };
                            cx.report(
                                kv.key.span,
                                format!("label `{key}` is set again (line {first} set it): {how}"),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_a_key_set_twice_in_a_stage() {
        let src = "FROM debian:12\nLABEL version=1 maintainer=a\nRUN true\nLABEL version=2\n";
        assert_eq!(lines(&DuplicateLabelKey, src), [4]);
        let one = "FROM debian:12\nLABEL \"a.b\"=1 \\\n      a.b=1\n";
        assert_eq!(lines(&DuplicateLabelKey, one), [3]);
    }

    #[test]
    fn other_stages_variables_and_distinct_keys_pass() {
        for src in [
            "FROM debian:12 AS a\nLABEL version=1\nFROM a\nLABEL version=2\n",
            "FROM debian:12\nLABEL version=1 Version=2\n",
            "FROM debian:12\nARG K\nLABEL $K=1\nLABEL $K=2\n",
        ] {
            assert!(lines(&DuplicateLabelKey, src).is_empty(), "{src}");
        }
    }
}
