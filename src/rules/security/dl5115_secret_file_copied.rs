//! DL5115: COPY/ADD of a file that looks like a secret (`.env`, `id_rsa`, `*.key`, key `*.pem`,
//! `.npmrc`, `.netrc`, `.pypirc`, `credentials`).

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::unquote;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// A secret copied into a layer stays in the image (and its history) even if a later RUN
/// deletes it.
pub struct SecretFileCopied;

/// Words in a `.key` name (or its destination) that mark a public package-signing key.
const SIGNING: &[&str] = &[
    "gpg", "pgp", "signing", "release", "archive", "repo", "apt", "rpm", "yum", "keyring",
];

/// Why a source basename looks like a secret, if it does.
pub fn secret_kind(path: &str) -> Option<&'static str> {
    let p = unquote(path).trim_end_matches('/');
    let base = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
    let examples = [
        "example", "sample", "template", "dist", "defaults", "pub", "public",
    ];
    if examples.iter().any(|e| base.contains(e)) {
        return None;
    }
    match base.as_str() {
        ".env" => Some("an environment file"),
        b if b.starts_with(".env.") => Some("an environment file"),
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => Some("an SSH private key"),
        ".npmrc" | ".yarnrc.yml" => Some("a registry config that usually holds a token"),
        ".netrc" | "_netrc" => Some("a .netrc with passwords"),
        ".pypirc" => Some("a PyPI config that usually holds a token"),
        ".git-credentials" | "credentials" | "credentials.json" => Some("a credentials file"),
        // `nodesource.gpg.key`, `repo-signing.key`: package signing keys are public
        b if b.ends_with(".key") && !SIGNING.iter().any(|w| b.contains(w)) => Some("a private key"),
        // most `.pem` files are certificates (public): only key-named ones count
        b if b.ends_with(".pem") && (b.contains("key") || b.contains("priv")) => {
            Some("a private key")
        }
        _ => None,
    }
}

impl Rule for SecretFileCopied {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5115",
            name: "secret-file-copied",
            severity: Severity::Warning,
            summary: "Do not COPY or ADD secret files into the image",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
                continue;
            }
            let InstructionKind::Copy { sources, dest, .. } = &ins.kind else {
                continue;
            };
            // `COPY jenkins.key /war/jenkins-key.pub`: the destination says it is public
            if dest
                .as_ref()
                .is_some_and(|d| secret_kind(&d.value).is_none() && d.value.contains("pub"))
            {
                continue;
            }
            // `COPY vendor.key /etc/apt/keyrings/`: a key copied where signing keys go
            let signing_dest = dest.as_ref().is_some_and(|d| {
                SIGNING
                    .iter()
                    .any(|w| d.value.to_ascii_lowercase().contains(w))
            });
            for s in sources {
                if signing_dest && s.value.to_ascii_lowercase().ends_with(".key") {
                    continue;
                }
                if let Some(kind) = secret_kind(&s.value) {
                    let (name, kw) = (&s.value, ins.keyword.as_str());
                    cx.report(
                        s.span,
                        format!(
                            "{kw} `{name}` looks like {kind}: it stays in the image layer even if a \
                             later RUN deletes it; mount it for the RUN that needs it (`RUN \
                             --mount=type=secret`) and list it in .dockerignore"
                        ),
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
    fn flags_secret_looking_sources() {
        let src = "FROM node:22
COPY .npmrc package.json ./
COPY .env /app/.env
ADD id_rsa /root/.ssh/id_rsa
COPY certs/server.key certs/privkey.pem /etc/ssl/
COPY ~/.aws/credentials /root/.aws/credentials
COPY .env.production /app/
COPY .env /opt/repo/
";
        assert_eq!(lines(&SecretFileCopied, src), [2, 3, 4, 5, 5, 6, 7, 8]);
    }

    #[test]
    fn examples_public_keys_and_stage_copies_pass() {
        let src = "FROM node:22
COPY .env.example /app/.env
COPY jenkins.io-2026.key /war/jenkins-key.pub
COPY id_rsa.pub /root/.ssh/authorized_keys
COPY --from=build /app/server.key /etc/ssl/
COPY corp-ca.pem cert.pem /usr/local/share/ca-certificates/
COPY package.json .envrc.dist ./
COPY nodesource.gpg.key /tmp/
COPY vendor.key /etc/apt/keyrings/vendor.asc
";
        assert!(lines(&SecretFileCopied, src).is_empty());
    }
}
