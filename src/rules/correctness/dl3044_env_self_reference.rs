//! DL3044: an ENV value must not reference a variable defined in the same ENV instruction.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{stage_instructions, var_refs};
use crate::lint::{Context, Rule, RuleMeta, Severity};
use std::collections::HashSet;

/// `ENV A=1 B=$A`: `$A` is expanded before `A` is set, so `B` gets the old (usually empty) value.
pub struct EnvSelfReference;

impl Rule for EnvSelfReference {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3044",
            name: "env-self-reference",
            severity: Severity::Error,
            summary: "ENV references a variable defined in the same ENV instruction",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        for stage in 0..df.stages.len() {
            // names defined before the current instruction (ancestor stages' ENV included)
            let mut defined: HashSet<String> =
                model.inherited_env_names(stage).into_iter().collect();
            for ins in stage_instructions(df, stage) {
                match &ins.kind {
                    InstructionKind::Arg(kvs) => {
                        defined.extend(kvs.iter().map(|kv| kv.key.value.clone()));
                    }
                    InstructionKind::Env(kvs) => {
                        let mut same: Vec<&str> = Vec::new();
                        for kv in kvs {
                            if let Some(v) = &kv.value {
                                // the raw text keeps quotes: `'$A'` is literal
                                let raw = kv.raw_value.as_deref().unwrap_or(&v.value);
                                for r in var_refs(raw, df.escape) {
                                    if same.contains(&r.name.as_str())
                                        && !defined.contains(&r.name)
                                        && !model.is_global_arg(&r.name)
                                    {
                                        cx.report(
                                            kv.span,
                                            format!(
                                                "`{}` uses `${}`, which this same ENV defines: it expands to the value from before this ENV",
                                                kv.key.value, r.name
                                            ),
                                        );
                                    }
                                }
                            }
                            same.push(&kv.key.value);
                        }
                        defined.extend(kvs.iter().map(|kv| kv.key.value.clone()));
                    }
                    _ => {}
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
    fn flags_reference_to_same_instruction() {
        assert_eq!(lines(&EnvSelfReference, "FROM a\nENV A=1 B=$A\n"), vec![2]);
        assert_eq!(
            lines(&EnvSelfReference, "FROM a\nENV A=1 \\\n    B=${A}/x\n"),
            vec![3]
        );
    }

    #[test]
    fn previously_defined_and_self_updates_are_fine() {
        let src = "FROM a\nENV A=1\nENV A=2 B=$A\nENV PATH=$PATH:/x\nARG V\nENV V=1 W=$V\n";
        assert!(lines(&EnvSelfReference, src).is_empty());
        assert!(lines(&EnvSelfReference, "FROM a\nENV A=1 B='$A'\n").is_empty());
    }
}
