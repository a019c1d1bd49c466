//! Smaller variants of a base image's tag: the same version as `-slim`, `-slim-<suite>`,
//! `-alpine` or `-alpine<version>`.

/// The flavour of a variant tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// `-slim`, `-slim-<suite>`: the same distribution with fewer packages (glibc, apt).
    Slim,
    /// `-alpine`, `-alpine<version>`: Alpine Linux (musl, apk).
    Alpine,
}

/// The tags of `all` that are smaller variants of `tag`'s version: for `3.12` (or
/// `3.12-bookworm`) `3.12-slim`, `3.12-slim-bookworm`, `3.12-alpine`, `3.12-alpine3.20`. A
/// tag that already is a variant of that flavour is not offered it again; at most 4 are
/// returned, slim ones first (those of `tag`'s suite before the others).
pub fn variant_tags(tag: &str, all: &[String]) -> Vec<(String, Flavour)> {
    let mut parts = tag.splitn(2, '-');
    let version = parts.next().unwrap_or("");
    let rest = parts.next().unwrap_or("");
    if version.is_empty() {
        return Vec::new();
    }
    let is_slim = rest.split('-').any(|p| p == "slim");
    let is_alpine = rest.starts_with("alpine");
    let suite = rest.split('-').find(|p| !p.is_empty() && *p != "slim");
    let mut found: Vec<(String, Flavour, u8)> = all
        .iter()
        .filter(|t| t.as_str() != tag)
        .filter_map(|t| {
            let flavour = t.strip_prefix(version)?.strip_prefix('-')?;
            let (f, rank) = if flavour == "slim" {
                (Flavour::Slim, if suite.is_none() { 0 } else { 1 })
            } else if let Some(s) = flavour.strip_prefix("slim-") {
                let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
                if !ok {
                    return None;
                }
                (Flavour::Slim, if Some(s) == suite { 0 } else { 2 })
            } else if let Some(v) = flavour.strip_prefix("alpine") {
                if !v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                    return None;
                }
                (Flavour::Alpine, if v.is_empty() { 3 } else { 4 })
            } else {
                return None;
            };
            let wanted = match f {
                Flavour::Slim => !is_slim && !is_alpine,
                Flavour::Alpine => !is_alpine,
            };
            wanted.then(|| (t.clone(), f, rank))
        })
        .collect();
    found.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
    // one slim (the best-matching suite) and up to two alpine tags
    let mut out = Vec::new();
    let mut alpine = 0;
    for (t, f, _) in found {
        match f {
            Flavour::Slim if out.iter().any(|(_, g)| *g == Flavour::Slim) => continue,
            Flavour::Alpine if alpine == 2 => continue,
            Flavour::Alpine => alpine += 1,
            Flavour::Slim => {}
        }
        out.push((t, f));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn picks_same_version_variants() {
        let all = tags(&[
            "3.12",
            "3.12-slim",
            "3.12-slim-bookworm",
            "3.12-slim-bullseye",
            "3.12-alpine",
            "3.12-alpine3.20",
            "3.12-alpine3.19",
            "3.11-slim",
            "3.12-windowsservercore",
            "3.12.1-slim",
            "3.12-bookworm",
        ]);
        let got = variant_tags("3.12", &all);
        let names: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(names, ["3.12-slim", "3.12-alpine", "3.12-alpine3.19"]);
        let got = variant_tags("3.12-bookworm", &all);
        assert_eq!(got[0], ("3.12-slim-bookworm".to_string(), Flavour::Slim));
        // a slim tag is offered alpine only; an alpine tag nothing
        let got = variant_tags("3.12-slim", &all);
        assert!(got.iter().all(|(_, f)| *f == Flavour::Alpine), "{got:?}");
        assert!(variant_tags("3.12-alpine", &all).is_empty());
        assert!(variant_tags("", &all).is_empty());
    }
}
