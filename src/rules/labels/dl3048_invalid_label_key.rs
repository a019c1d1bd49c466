//! DL3048: label keys should be valid (lowercase, reverse-DNS style, not reserved).

use crate::dockerfile::{Dockerfile, InstructionKind};
use crate::lint::{Context, Rule, RuleMeta, Severity};
use std::collections::HashSet;

/// `LABEL Version=1` / `LABEL com.docker.x=1` / `LABEL a..b=1`.
pub struct InvalidLabelKey;

/// Why a label key breaks Docker's key format recommendations, if it does.
pub fn key_problem(key: &str) -> Option<&'static str> {
    let k = key.trim_matches(['"', '\'']);
    if k.contains('$') {
        return None;
    }
    let lk = k.to_ascii_lowercase();
    if ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| lk.starts_with(p))
    {
        return Some(
            "the com.docker.*, io.docker.* and org.dockerproject.* namespaces are reserved",
        );
    }
    if k.is_empty() {
        return Some("it is empty");
    }
    if !k
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Some("keys should use only lowercase letters, digits, `.`, `-` (and `_`)");
    }
    if !k.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("keys should begin with a letter");
    }
    if !k.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("keys should end with a letter or digit");
    }
    if k.contains("..") || k.contains("--") || k.contains(".-") || k.contains("-.") {
        return Some("keys should not contain consecutive separators");
    }
    None
}

/// Every name some ARG or ENV of the file declares (a build argument may then set it).
fn declared_names(df: &Dockerfile) -> HashSet<&str> {
    df.instructions
        .iter()
        .filter_map(|i| match &i.kind {
            InstructionKind::Arg(kvs) | InstructionKind::Env(kvs) => Some(kvs),
            _ => None,
        })
        .flatten()
        .map(|kv| kv.key.value.as_str())
        .collect()
}

impl Rule for InvalidLabelKey {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3048",
            name: "invalid-label-key",
            severity: Severity::Style,
            summary: "Invalid label key",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        // built once, when a key first names a variable that has no value
        let mut declared: Option<HashSet<&str>> = None;
        for (index, ins) in df.instructions.iter().enumerate() {
            let InstructionKind::Label(kvs) = &ins.kind else {
                continue;
            };
            for kv in kvs {
                let key = kv.key.value.as_str();
                if !key.contains('$') {
                    if let Some(why) = key_problem(key) {
                        cx.report(kv.key.span, format!("label key `{key}`: {why}"));
                    }
                    continue;
                }
                // BuildKit expands variables in label keys: check the key the image gets
                let Some(Ok(expanded)) = cx.model().with_scope(index, |e| e.expand(key, df.escape))
                else {
                    continue;
                };
                let declared = declared.get_or_insert_with(|| declared_names(df));
                if let Some(name) = expanded
                    .unset
                    .iter()
                    .find(|n| !declared.contains(n.as_str()))
                {
                    cx.report(
                        kv.key.span,
                        format!(
                            "label key `{key}`: `${name}` is not defined anywhere in the file, so the key becomes `{}`",
                            expanded.value
                        ),
                    );
                } else if expanded.unset.is_empty()
                    && let Some(why) = key_problem(&expanded.value)
                {
                    cx.report(
                        kv.key.span,
                        format!("label key `{key}` (`{}`): {why}", expanded.value),
                    );
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
    fn flags_bad_keys() {
        let src = "FROM a\nLABEL Version=1\nLABEL com.docker.x=1\nLABEL a..b=1 -x=2\n";
        assert_eq!(lines(&InvalidLabelKey, src), vec![2, 3, 4, 4]);
    }

    /// Keys are expanded as BuildKit does: an undefined variable silently drops out of the key.
    #[test]
    fn keys_with_variables_are_checked_expanded() {
        let src = "FROM a\nLABEL invalid$character=\"foo\"\nARG NS=org.example\nLABEL ${NS}.name=x\nARG BAD=Upper\nLABEL ${BAD}=x\nARG FREE\nLABEL ${FREE}.x=1\n";
        assert_eq!(lines(&InvalidLabelKey, src), vec![2, 6]);
    }

    #[test]
    fn good_keys_are_fine() {
        let src = "FROM a\nLABEL org.opencontainers.image.title=x maintainer=\"me\" version=1 \"quoted-key\"=y registry_image=r\n";
        assert!(lines(&InvalidLabelKey, src).is_empty());
    }
}
