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
    if bundler_credential(name) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').collect();
    words.iter().any(|w| SECRET_WORDS.contains(w))
        && !words.iter().any(|w| ALLOWED_WORDS.contains(w))
}

/// Bundler's credentials for a gem host: `BUNDLE_<HOST>__<TLD>` (`BUNDLE_GITHUB__COM`,
/// `BUNDLE_GEMS__ACME__CO__UK`: the host's dots written `__`) holds `user:token`. Bundler's
/// other `__` settings name a gem, a path kind or a mirror, not a host with credentials.
fn bundler_credential(name: &str) -> bool {
    const NOT_HOSTS: &[&str] = &["PATH", "LOCAL", "BUILD", "MIRROR", "GEM", "CACHE"];
    let Some(rest) = name.strip_prefix("BUNDLE_") else {
        return false;
    };
    let parts: Vec<&str> = rest.split("__").collect();
    parts.len() >= 2
        && !NOT_HOSTS.contains(&parts[0])
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// A value that cannot be a secret: a boolean switch (`true`, `false`, `0`, `1`, `yes`, `no`,
/// `on`, `off`, any case), the path of a key or certificate file, or an empty ENV value. An empty ARG default is no such sign: the
/// secret comes with `--build-arg`, as for an ARG without a default.
fn is_switch(value: &str, keyword: &str) -> bool {
    let v = value.trim_matches(['"', '\'']).trim();
    (v.is_empty() && keyword == "ENV")
        || is_key_file_path(v)
        || ["true", "false", "0", "1", "yes", "no", "on", "off"]
            .iter()
            .any(|s| v.eq_ignore_ascii_case(s))
}

/// The path of a file (`/run/secrets/token`, `assets/server/tls/snakeoil.key`): where a secret
/// is, not the secret. An absolute path, or a relative one ending in a key, certificate or
/// data file extension.
fn is_key_file_path(v: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".key", ".pem", ".crt", ".cert", ".csr", ".p12", ".pfx", ".jks", ".json", ".txt", ".asc",
        ".gpg", ".pub",
    ];
    !v.contains([' ', ':', '$'])
        && (v.starts_with('/') || (v.contains('/') && EXTENSIONS.iter().any(|e| v.ends_with(e))))
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
            for kv in kvs
                .iter()
                .filter(|kv| looks_secret(&kv.key.value))
                .filter(|kv| !kv.value.as_ref().is_some_and(|v| is_switch(&v.value, kw)))
            {
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
    fn bundler_host_credentials() {
        for name in [
            "BUNDLE_GITHUB__COM",
            "BUNDLE_GEMS__ACME__CO__UK",
            "BUNDLE_RUBYGEMS__PKG__GITHUB__COM",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in [
            "BUNDLE_PATH__SYSTEM",
            "BUNDLE_LOCAL__RACK",
            "BUNDLE_BUILD__NOKOGIRI",
            "BUNDLE_MIRROR__RUBYGEMS__ORG",
            "BUNDLE_WITHOUT",
            "BUNDLE_GEMFILE",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn flags_secret_names() {
        let src =
            "FROM a\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x AWS_SECRET_ACCESS_KEY=y\nARG apikey\n";
        assert_eq!(lines(&SecretsInArgOrEnv, src), vec![2, 3, 3, 4]);
    }

    #[test]
    fn switches_are_no_secret_values() {
        let src = "FROM a\nARG COMPOSER_AUTH_JSON=false\nENV USE_TOKEN=1 AUTH_ENABLED=Yes API_TOKEN=\n\
                   ARG NPM_TOKEN=\"\"\nARG GITHUB_TOKEN=False\n";
        // the empty ARG default is still a build argument meant for a secret
        assert_eq!(lines(&SecretsInArgOrEnv, src), vec![4]);
        let src = "FROM a\nENV NGROK_SERVER_KEY assets/server/tls/snakeoil.key\n\
                   ENV TOKEN_PATH=/run/secrets/token API_TOKEN=ab/cd+ef\n";
        assert_eq!(lines(&SecretsInArgOrEnv, src), vec![3]);
    }

    #[test]
    fn innocent_names_are_fine() {
        let src = "FROM a\nARG PUBLIC_KEY\nENV GPG_KEY=ABCD KEY_FILE=/k TOKEN_VERSION=2 KEYBOARD=us MONKEY=1 AUTHOR=me\n";
        assert!(lines(&SecretsInArgOrEnv, src).is_empty());
    }
}
