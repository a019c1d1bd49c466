//! Validators for the label-schema types.

/// `scheme://rest` with no whitespace.
pub fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    let mut cs = scheme.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !rest.is_empty()
        && !rest.starts_with('/')
        && !s.chars().any(char::is_whitespace)
}

/// RFC 3339 date-time (`2024-05-01T12:30:00Z`, fractions and `±hh:mm` offsets allowed; a space
/// may separate date and time, as RFC 3339 section 5.6 permits), a real calendar date (the
/// `time` crate: `2024-02-31` fails).
pub fn is_rfc3339(s: &str) -> bool {
    let s = match s.split_once(' ') {
        Some((date, time)) if date.len() == 10 => format!("{date}T{time}"),
        _ => s.to_string(),
    };
    time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339).is_ok()
}

/// An SPDX license expression (`MIT`, `Apache-2.0 OR MIT`, `(A AND B) WITH X`,
/// `LicenseRef-…`) over the SPDX license list, by the `spdx` crate. Ids compare
/// case-insensitively, as the SPDX specification says (the crate compares them exactly, so they
/// are written in their canonical case first); deprecated ids (`GPL-2.0`) and `GPL-2.0+` are
/// accepted.
pub fn is_spdx(s: &str) -> bool {
    let mode = spdx::ParseMode {
        allow_postfix_plus_on_gpl: true,
        allow_deprecated: true,
        ..spdx::ParseMode::STRICT
    };
    spdx::Expression::parse_mode(&canonical_case(s), mode).is_ok()
}

/// `s` with every word that names an SPDX license or exception case-insensitively written in
/// the list's case (`apache-2.0` -> `Apache-2.0`).
fn canonical_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let (id, plus) = match word.strip_suffix('+') {
            Some(id) => (id, "+"),
            None => (word.as_str(), ""),
        };
        let known = spdx::identifiers::LICENSES
            .iter()
            .map(|l| l.name)
            .chain(spdx::identifiers::EXCEPTIONS.iter().map(|e| e.name))
            .find(|n| n.eq_ignore_ascii_case(id));
        match known {
            Some(name) => {
                out.push_str(name);
                out.push_str(plus);
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in s.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A git commit hash: 7 to 40 hex digits (SHA-1, abbreviated or full) or 64 (SHA-256).
pub fn is_git_hash(s: &str) -> bool {
    ((7..=40).contains(&s.len()) || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Semantic Versioning 2.0.0 (`1.2.3`, `1.0.0-rc.1+build.5`; no leading `v`), by the `semver`
/// crate.
pub fn is_semver(s: &str) -> bool {
    semver::Version::parse(s).is_ok()
}

/// An e-mail address `local@domain` (RFC 5322 addr-spec, dot-atom form).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let atom = |a: &str| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
    };
    let label = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    local.split('.').all(atom) && domain.split('.').all(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_url("https://github.com/a/b"));
        assert!(is_url("git+ssh://host/x"));
        assert!(!is_url("github.com/a"));
        assert!(!is_url("https://"));
        assert!(!is_url("https://a b"));
    }

    #[test]
    fn rfc3339() {
        assert!(is_rfc3339("2024-05-01T12:30:00Z"));
        assert!(is_rfc3339("2024-05-01T12:30:00.123+02:00"));
        assert!(!is_rfc3339("2024-05-01"));
        assert!(is_rfc3339("2024-05-01 12:30:00z"));
        assert!(is_rfc3339("2024-02-29T00:00:00Z"));
        assert!(!is_rfc3339("2024-13-01T00:00:00Z"));
        assert!(!is_rfc3339("2024-02-31T00:00:00Z"));
        assert!(!is_rfc3339("2023-02-29T00:00:00Z"));
        assert!(!is_rfc3339("yesterday"));
    }

    #[test]
    fn spdx() {
        for ok in [
            "MIT",
            "apache-2.0",
            "MIT OR Apache-2.0",
            "(MIT AND BSD-3-Clause) OR GPL-2.0-only WITH Classpath-exception-2.0",
            "LicenseRef-Proprietary",
            "GPL-2.0+",
        ] {
            assert!(is_spdx(ok), "{ok}");
        }
        for bad in [
            "",
            "MIT OR",
            "Apache 2",
            "(MIT",
            "Proprietary",
            "MIT WITH Nope",
        ] {
            assert!(!is_spdx(bad), "{bad}");
        }
    }

    #[test]
    fn hashes_semver_email() {
        assert!(is_git_hash("0123456789abcdef0123456789abcdef01234567"));
        assert!(is_git_hash("abc1234"));
        assert!(!is_git_hash("xyz1234") && !is_git_hash("abc"));
        assert!(is_semver("1.2.3") && is_semver("1.0.0-rc.1+build.5") && is_semver("0.0.0-0.a"));
        assert!(
            !is_semver("v1.2.3")
                && !is_semver("1.2")
                && !is_semver("01.2.3")
                && !is_semver("1.2.3-01")
        );
        assert!(is_email("jane.doe+x@example.com") && is_email("a@localhost"));
        assert!(
            !is_email("Jane <jane@example.com>") && !is_email("jane@") && !is_email("a@-x.com")
        );
    }
}
