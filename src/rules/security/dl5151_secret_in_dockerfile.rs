//! DL5151: a secret written in the Dockerfile itself: a private key block or a token with a
//! provider's known prefix (GitHub, GitLab, AWS, Slack, Stripe, Google, npm).

use crate::dockerfile::Span;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use regex::Regex;
use std::sync::LazyLock;

/// DL5151 `secret-in-dockerfile`.
pub struct SecretInDockerfile;

/// What each pattern finds, and the pattern.
const PATTERNS: &[(&str, &str)] = &[
    (
        "a private key",
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
    ),
    ("a GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    ("a GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{22,}"),
    ("a GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
    ("an AWS access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("a Slack token", r"\bxox[abposr]-[0-9A-Za-z-]{10,}"),
    ("a Stripe live key", r"\b[rs]k_live_[0-9A-Za-z]{24,}"),
    ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("an npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
];

/// Documentation placeholders that match a pattern but are no secret.
const EXAMPLES: &[&str] = &["AKIAIOSFODNN7EXAMPLE"];

static COMPILED: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    PATTERNS
        .iter()
        .filter_map(|(what, p)| Regex::new(p).ok().map(|r| (*what, r)))
        .collect()
});

impl Rule for SecretInDockerfile {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5151",
            name: "secret-in-dockerfile",
            severity: Severity::Error,
            summary: "A private key or access token is written in the Dockerfile",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let src = &cx.dockerfile.source;
        let mut found: Vec<(Span, &str, String)> = Vec::new();
        for (what, re) in COMPILED.iter() {
            for m in re.find_iter(src) {
                let text = m.as_str();
                if EXAMPLES.contains(&text) {
                    continue;
                }
                let shown: String = text.chars().take(8).collect();
                found.push((Span::new(m.start(), m.end()), what, shown));
            }
        }
        found.sort_by_key(|(s, _, _)| (s.start, s.end));
        for (span, what, shown) in found {
            cx.report(
                span,
                format!(
                    "{what} (`{shown}…`) is written in the Dockerfile, so it is in the repository \
                     and often in the image history: revoke it, and pass secrets with \
                     `RUN --mount=type=secret`"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_keys_and_tokens() {
        let src = "FROM debian\nRUN echo '-----BEGIN OPENSSH PRIVATE KEY-----' > /k\n\
                   ENV GH=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n\
                   ARG AWS=AKIAABCDEFGHIJKLMNOP\n";
        assert_eq!(lines(&SecretInDockerfile, src), [2, 3, 4]);
    }

    #[test]
    fn placeholders_and_public_keys_pass() {
        for src in [
            "FROM debian\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
            "FROM debian\nRUN echo '-----BEGIN PUBLIC KEY-----'\n",
            "FROM debian\nARG GITHUB_TOKEN\nRUN --mount=type=secret,id=gh x\n",
            "FROM debian\nRUN curl -H \"Authorization: token $GH_TOKEN\" https://x\n",
        ] {
            assert!(lines(&SecretInDockerfile, src).is_empty(), "{src}");
        }
    }
}
