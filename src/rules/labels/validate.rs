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

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// RFC 3339 date-time: `2024-05-01T12:30:00Z`, fractions and `±hh:mm` offsets allowed.
pub fn is_rfc3339(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't', ' ']) else {
        return false;
    };
    let d: Vec<&str> = date.split('-').collect();
    let ok_date = d.len() == 3
        && digits(d[0], 4).is_some()
        && digits(d[1], 2).is_some_and(|m| (1..=12).contains(&m))
        && digits(d[2], 2).is_some_and(|x| (1..=31).contains(&x));
    let (clock, zone) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, None)
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], Some(&time[i + 1..]))
    } else {
        return false;
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((h, f)) => (h, Some(f)),
        None => (clock, None),
    };
    let t: Vec<&str> = hms.split(':').collect();
    let ok_time = t.len() == 3
        && digits(t[0], 2).is_some_and(|h| h < 24)
        && digits(t[1], 2).is_some_and(|m| m < 60)
        && digits(t[2], 2).is_some_and(|x| x <= 60)
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    let ok_zone = zone.is_none_or(|z| {
        let p: Vec<&str> = z.split(':').collect();
        p.len() == 2
            && digits(p[0], 2).is_some_and(|h| h < 24)
            && digits(p[1], 2).is_some_and(|m| m < 60)
    });
    ok_date && ok_time && ok_zone
}

/// SPDX license ids dlint knows (the commonly used part of the SPDX list).
pub const SPDX_IDS: &[&str] = &[
    "0BSD",
    "AFL-3.0",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "APSL-2.0",
    "Artistic-1.0",
    "Artistic-2.0",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "BUSL-1.1",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CECILL-2.1",
    "CPL-1.0",
    "ECL-2.0",
    "EFL-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "FTL",
    "GFDL-1.3",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-2.0+",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "GPL-3.0+",
    "HPND",
    "ICU",
    "IJG",
    "ISC",
    "LGPL-2.0",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-2.1+",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "LGPL-3.0+",
    "LPPL-1.3c",
    "MIT",
    "MIT-0",
    "MIT-CMU",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "MS-RL",
    "MulanPSL-2.0",
    "NCSA",
    "ODbL-1.0",
    "OFL-1.1",
    "OpenSSL",
    "OSL-3.0",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "SSPL-1.0",
    "Unicode-DFS-2016",
    "Unicode-3.0",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1",
];

/// SPDX exception ids for `WITH`.
const SPDX_EXCEPTIONS: &[&str] = &[
    "Classpath-exception-2.0",
    "GCC-exception-3.1",
    "LLVM-exception",
    "OpenJDK-assembly-exception-1.0",
    "Autoconf-exception-3.0",
    "Bison-exception-2.2",
    "Font-exception-2.0",
    "Qt-GPL-exception-1.0",
];

/// An SPDX license expression over known ids (`MIT`, `Apache-2.0 OR MIT`, `(A AND B) WITH X`,
/// `LicenseRef-…`). Ids compare case-insensitively, as SPDX specifies.
pub fn is_spdx(s: &str) -> bool {
    let spaced = s.replace('(', " ( ").replace(')', " ) ");
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    expr(&toks, &mut pos) && pos == toks.len()
}

fn license(t: &str) -> bool {
    let t = t.strip_suffix('+').unwrap_or(t);
    SPDX_IDS.iter().any(|i| i.eq_ignore_ascii_case(t))
        || t.starts_with("LicenseRef-") && t.len() > 11
        || t.starts_with("DocumentRef-") && t.contains(":LicenseRef-")
}

fn expr(t: &[&str], p: &mut usize) -> bool {
    if !term(t, p) {
        return false;
    }
    while t
        .get(*p)
        .is_some_and(|x| x.eq_ignore_ascii_case("AND") || x.eq_ignore_ascii_case("OR"))
    {
        *p += 1;
        if !term(t, p) {
            return false;
        }
    }
    true
}

fn term(t: &[&str], p: &mut usize) -> bool {
    match t.get(*p) {
        Some(&"(") => {
            *p += 1;
            if !expr(t, p) || t.get(*p) != Some(&")") {
                return false;
            }
            *p += 1;
        }
        Some(x) if license(x) => *p += 1,
        _ => return false,
    }
    if t.get(*p).is_some_and(|x| x.eq_ignore_ascii_case("WITH")) {
        *p += 1;
        match t.get(*p) {
            Some(x) if SPDX_EXCEPTIONS.iter().any(|e| e.eq_ignore_ascii_case(x)) => *p += 1,
            _ => return false,
        }
    }
    true
}

/// A git commit hash: 7 to 40 hex digits (SHA-1, abbreviated or full) or 64 (SHA-256).
pub fn is_git_hash(s: &str) -> bool {
    ((7..=40).contains(&s.len()) || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn numeric_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

fn ident(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Semantic Versioning 2.0.0 (`1.2.3`, `1.0.0-rc.1+build.5`); no leading `v`.
pub fn is_semver(s: &str) -> bool {
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let nums: Vec<&str> = core.split('.').collect();
    nums.len() == 3
        && nums.iter().all(|n| numeric_id(n))
        && pre.is_none_or(|p| {
            p.split('.')
                .all(|i| ident(i) && (!i.bytes().all(|b| b.is_ascii_digit()) || numeric_id(i)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
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
        assert!(!is_rfc3339("2024-13-01T00:00:00Z"));
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
