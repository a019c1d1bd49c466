//! DL5109 (BuildKit InvalidDefaultArgInFrom): the ARG defaults make an invalid FROM image.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{PLATFORM_ARGS, var_refs};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `ARG TAG` (no default) then `FROM alpine:$TAG`: without `--build-arg TAG=…` the build fails.
pub struct InvalidDefaultArgInFrom;

/// Why an image reference is invalid, if it is.
pub fn invalid_reference(r: &str) -> Option<&'static str> {
    if r.is_empty() {
        return Some("it is empty");
    }
    if r.chars().any(char::is_whitespace) {
        return Some("it contains whitespace");
    }
    let (name_tag, digest) = match r.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (r, None),
    };
    if digest.is_some_and(|d| !d.contains(':') || d.ends_with(':')) {
        return Some("the digest is malformed");
    }
    let slash = name_tag.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (name, tag) = match name_tag[slash..].rfind(':') {
        Some(i) => (&name_tag[..slash + i], Some(&name_tag[slash + i + 1..])),
        None => (name_tag, None),
    };
    if let Some(t) = tag {
        if t.is_empty() {
            return Some("the tag is empty");
        }
        if t.len() > 128
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            || t.starts_with(['.', '-'])
        {
            return Some("the tag is not a valid tag");
        }
    }
    if name.is_empty() {
        return Some("the image name is empty");
    }
    let comps: Vec<&str> = name.split('/').collect();
    if comps.iter().any(|c| c.is_empty()) {
        return Some("a path component is empty");
    }
    let has_registry = comps.len() > 1
        && comps
            .first()
            .is_some_and(|c| c.contains(['.', ':']) || *c == "localhost");
    let path = if has_registry {
        &comps[1..]
    } else {
        &comps[..]
    };
    for c in path {
        if !c.chars().all(|ch| {
            ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-')
        }) || c.starts_with(['.', '_', '-'])
            || c.ends_with(['.', '_', '-'])
        {
            return Some("the repository name must be lowercase letters, digits and separators");
        }
    }
    None
}

impl Rule for InvalidDefaultArgInFrom {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5109",
            name: "invalid-default-arg-in-from",
            severity: Severity::Warning,
            summary: "Default values of global ARGs make the FROM image reference invalid",
            fix: None,
            aliases: &["InvalidDefaultArgInFrom"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model) = (cx.dockerfile, cx.model());
        let globals = model.global_args();
        for (index, ins) in df.instructions.iter().enumerate() {
            let InstructionKind::From { image, .. } = &ins.kind else {
                continue;
            };
            let refs = var_refs(&image.value, df.escape);
            // only when every variable is a global ARG (others are DL5105's business)
            if refs.is_empty()
                || refs.iter().any(|r| {
                    PLATFORM_ARGS.contains(&r.name.as_str())
                        || (!r.has_default && !globals.iter().any(|(k, _)| *k == r.name))
                })
            {
                continue;
            }
            // The FROM line's scope: the global ARG defaults, expanded in order as BuildKit
            // does (the lexer drops quotes: `alpine:"${TAG}"` is `alpine:3.20`).
            let Some(Ok(expanded)) =
                model.with_scope(index, |env| env.expand(&image.value, df.escape))
            else {
                continue;
            };
            let expanded = expanded.value;
            if let Some(why) = invalid_reference(&expanded) {
                cx.report(
                    image.span,
                    format!(
                        "with the ARG defaults, FROM `{}` becomes `{expanded}`, which is invalid: {why}; give the ARG a default",
                        image.value
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
    fn flags_empty_defaults() {
        let src = "ARG TAG\nARG BASE\nFROM alpine:$TAG\nFROM ${BASE}\nFROM ${BASE}:1\n";
        assert_eq!(lines(&InvalidDefaultArgInFrom, src), vec![3, 4, 5]);
    }

    #[test]
    fn valid_defaults_are_fine() {
        let src = "ARG TAG=3.20\nARG REG=ghcr.io/\nFROM alpine:$TAG\nFROM ${REG}x/y:${TAG}\nFROM ${NOPE:-debian}\nARG D=\nFROM debian${D}\nFROM alpine:\"${TAG}\"\nARG OWNER=me\nARG IMG=ghcr.io/$OWNER/app\nFROM $IMG\n";
        assert!(lines(&InvalidDefaultArgInFrom, src).is_empty());
    }

    #[test]
    fn reference_validation() {
        assert_eq!(invalid_reference("alpine:3.20"), None);
        assert_eq!(invalid_reference("localhost:5000/a/b:1@sha256:abc"), None);
        assert!(invalid_reference("alpine:").is_some());
        assert!(invalid_reference("Alpine").is_some());
        assert!(invalid_reference("/alpine").is_some());
    }
}
