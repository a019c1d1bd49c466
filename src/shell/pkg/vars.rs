//! Package operands given through a variable: `PKGS="tzdata sudo" && apt-get install -y
//! ${PKGS}`. A variable assigned a literal earlier in the same script (or, through the lookup
//! the caller passes, an ENV/ARG value in scope) is expanded and split into words as the shell
//! does, so the package rules see the packages.

use super::{Invocation, Package, package};
use crate::shell::{Script, Word};

/// The name in an operand that is exactly one variable reference: `$PKGS`, `${PKGS}`.
pub(super) fn sole_reference(value: &str) -> Option<&str> {
    let name = match value.strip_prefix("${") {
        Some(rest) => rest.strip_suffix('}')?,
        None => value.strip_prefix('$')?,
    };
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(name)
}

/// The literal a raw assignment value stands for: `word`, `"some words"`, `'some words'`;
/// `None` when it expands anything (`$`, backticks, escapes) or mixes quoting.
fn literal(raw: &str) -> Option<String> {
    let inner = if let Some(s) = raw.strip_prefix('\'') {
        s.strip_suffix('\'').filter(|s| !s.contains('\''))?
    } else if let Some(s) = raw.strip_prefix('"') {
        s.strip_suffix('"')
            .filter(|s| !s.contains(['"', '$', '`', '\\']))?
    } else {
        Some(raw).filter(|s| !s.contains(['"', '\'', '$', '`', '\\', '(', ')']))?
    };
    Some(inner.to_string())
}

/// The literal value of `name` as last assigned before command `before` of `script` by a
/// plain assignment (`NAME=...` as a statement, or `export NAME=...`); `None` when it is not
/// assigned there or not to a literal.
pub fn assigned_before(script: &Script, before: usize, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    // (commands before it, raw value): a statement at k comes before command k
    let statement = script
        .assignments
        .iter()
        .rev()
        .filter(|(k, _)| *k <= before)
        .find_map(|(k, a)| a.strip_prefix(&prefix).map(|v| (*k, v)));
    let export = script
        .commands
        .get(..before)?
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, c)| c.name() == Some("export") && !c.nested)
        .find_map(|(i, c)| {
            // declaration words keep their raw text
            let w = c
                .args()
                .iter()
                .rev()
                .find(|w| w.value.starts_with(&prefix))?;
            Some((i + 1, w.value.strip_prefix(&prefix)?))
        });
    let raw = match (statement, export) {
        (Some(s), Some(e)) => {
            if e.0 > s.0 {
                e.1
            } else {
                s.1
            }
        }
        (Some(s), None) => s.1,
        (None, Some(e)) => e.1,
        (None, None) => return None,
    };
    literal(raw)
}

impl Invocation<'_> {
    /// [`Invocation::packages`], with each operand that is exactly one variable reference
    /// replaced by the packages its value holds (`lookup` gives the value, `None` when it is
    /// not known); the resulting packages span the reference.
    pub fn packages_resolved(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<Package> {
        let mut out = Vec::new();
        for p in self.packages() {
            let value = (!p.is_static)
                .then(|| sole_reference(&p.raw))
                .flatten()
                .and_then(lookup);
            match value {
                Some(v) => out.extend(v.split_whitespace().map(|piece| {
                    let w = Word {
                        value: piece.to_string(),
                        is_static: !piece.contains(['$', '`']),
                        span: p.span,
                    };
                    package(self.manager, &w)
                })),
                None => out.push(p),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::pkg::invocations;

    fn parse(src: &str) -> Script {
        let map = crate::dockerfile::SourceMap::identity(0, src.len());
        crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 })
    }

    fn resolved(src: &str) -> Vec<(String, Option<String>)> {
        let s = parse(src);
        let inv = invocations(&s);
        let inv = inv.last().expect("an invocation");
        inv.packages_resolved(&|n| assigned_before(&s, inv.index, n))
            .into_iter()
            .map(|p| (p.name, p.version))
            .collect()
    }

    #[test]
    fn literal_assignments_are_expanded() {
        let want = vec![("tzdata".to_string(), None), ("sudo".to_string(), None)];
        for src in [
            "INSTALL_PKGS=\"tzdata sudo\" && apt-get install -y ${INSTALL_PKGS}",
            "INSTALL_PKGS='tzdata sudo'; apt-get install -y $INSTALL_PKGS",
            "export INSTALL_PKGS=\"tzdata sudo\" && apt-get install -y $INSTALL_PKGS",
        ] {
            assert_eq!(resolved(src), want, "{src}");
        }
        assert_eq!(
            resolved("P=curl=7.88.1-10 && apt-get install -y $P"),
            [("curl".to_string(), Some("7.88.1-10".to_string()))]
        );
        // the last assignment wins
        assert_eq!(resolved("P=a; P=b; apk add $P"), [("b".to_string(), None)]);
    }

    #[test]
    fn what_cannot_be_known_stays_a_variable() {
        for src in [
            "P=\"$(cat list)\" && apt-get install -y $P",
            "P=\"a $X\" && apt-get install -y $P",
            "apt-get install -y $P",
            "P=a apt-get install -y $P",
            "P=a && apt-get install -y ${P}-dev",
        ] {
            let r = resolved(src);
            assert_eq!(r.len(), 1, "{src}");
            assert!(r[0].0.contains('$'), "{src}: {r:?}");
        }
    }
}
