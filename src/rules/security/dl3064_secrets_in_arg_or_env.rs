//! DL3064 (hadolint DL3064, BuildKit SecretsUsedInArgOrEnv; formerly dlint's DL5108): secrets
//! passed through ARG or ENV.

use crate::dockerfile::InstructionKind;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `ARG GITHUB_TOKEN` / `ENV DB_PASSWORD=…`: values end up in the image history or config.
pub struct SecretsInArgOrEnv;

const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
/// BuildKit's exemptions, plus `gpg`/`pgp`: `GPG_KEY` holds a public key fingerprint
/// (the official python images set it).
const ALLOWED_WORDS: &[&str] = &["public", "file", "version", "gpg", "pgp"];

/// BuildKit's test: a `_`-delimited word of the name is a secret word, and none is an
/// allowed word (`PUBLIC_KEY`, `KEY_FILE`, `TOKEN_VERSION`, `GPG_KEY` pass).
pub fn looks_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').collect();
    words.iter().any(|w| SECRET_WORDS.contains(w))
        && !words.iter().any(|w| ALLOWED_WORDS.contains(w))
}

impl Rule for SecretsInArgOrEnv {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3064",
            name: "secrets-in-arg-or-env",
            severity: Severity::Warning,
            summary: "Sensitive data should not be passed in ARG or ENV",
            fix: None,
            aliases: &["DL5108", "SecretsUsedInArgOrEnv"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            let (kvs, kw) = match &ins.kind {
                InstructionKind::Arg(kvs) => (kvs, "ARG"),
                InstructionKind::Env(kvs) => (kvs, "ENV"),
                _ => continue,
            };
            for kv in kvs.iter().filter(|kv| looks_secret(&kv.key.value)) {
                cx.report(
                    kv.key.span,
                    format!(
                        "{kw} `{}` looks like a secret: {kw} values stay in the image; use `RUN --mount=type=secret,id=…` instead",
                        kv.key.value
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
    fn flags_secret_names() {
        let src =
            "FROM a\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x AWS_SECRET_ACCESS_KEY=y\nARG apikey\n";
        assert_eq!(lines(&SecretsInArgOrEnv, src), vec![2, 3, 3, 4]);
    }

    #[test]
    fn innocent_names_are_fine() {
        let src = "FROM a\nARG PUBLIC_KEY\nENV GPG_KEY=ABCD KEY_FILE=/k TOKEN_VERSION=2 KEYBOARD=us MONKEY=1 AUTHOR=me\n";
        assert!(lines(&SecretsInArgOrEnv, src).is_empty());
    }
}
