//! Image references as Docker reads them: `[HOST[:PORT]/]NAME[:TAG][@DIGEST]`, with the default
//! registry `docker.io` and the `library/` prefix for its single-component names.

use std::fmt;

/// The registry short names resolve to.
pub const DEFAULT_REGISTRY: &str = "docker.io";
/// Host that serves the Distribution API of `docker.io`.
const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// A parsed, normalised image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Registry as named in the reference (`docker.io`, `ghcr.io`, `127.0.0.1:5000`).
    pub registry: String,
    /// Repository path (`library/alpine`, `team/app`).
    pub repository: String,
    /// Tag (`latest` when neither a tag nor a digest is given).
    pub tag: Option<String>,
    /// Digest (`sha256:…`), which wins over the tag when both are given.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses a reference without scheme (`alpine:3.20`, `ghcr.io/o/app@sha256:…`).
    pub fn parse(s: &str) -> Result<Reference, String> {
        if s.is_empty() {
            return Err("empty image reference".into());
        }
        if s.split('/').next().is_some_and(|first| first.contains('@')) && s.contains('/') {
            return Err(USERINFO.into());
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                check_digest(d)?;
                (r, Some(d.to_string()))
            }
            None => (s, None),
        };
        // the tag is after the last ':' that follows the last '/'
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                (&rest[..at], Some(rest[at + 1..].to_string()))
            }
            None => (rest, None),
        };
        if let Some(t) = &tag {
            check_tag(t)?;
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                check_host(first)?;
                (first.to_string(), path.to_string())
            }
            _ => (DEFAULT_REGISTRY.to_string(), name.to_string()),
        };
        let registry = if registry == "index.docker.io" {
            DEFAULT_REGISTRY.to_string()
        } else {
            registry
        };
        check_path(&path)?;
        let repository = if registry == DEFAULT_REGISTRY && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        let tag = if tag.is_none() && digest.is_none() {
            Some("latest".to_string())
        } else {
            tag
        };
        Ok(Reference {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// Host (and port) of the Distribution API.
    pub fn api_host(&self) -> &str {
        if self.registry == DEFAULT_REGISTRY {
            DOCKER_HUB_API
        } else {
            &self.registry
        }
    }

    /// What `GET /v2/NAME/manifests/REF` asks for: the digest if given, else the tag.
    pub fn manifest_ref(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }

    /// Host part without the port, lower-cased (for the insecure-registry defaults).
    pub fn hostname(&self) -> String {
        host_without_port(&self.registry).to_ascii_lowercase()
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// `host:port` -> `host`, `[::1]:5000` -> `::1`.
pub(crate) fn host_without_port(h: &str) -> &str {
    if let Some(rest) = h.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    h.rsplit_once(':').map_or(h, |(host, _)| host)
}

fn check_digest(d: &str) -> Result<(), String> {
    let ok = d.split_once(':').is_some_and(|(alg, hex)| {
        !alg.is_empty()
            && alg
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b))
            && hex.len() >= 32
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
    });
    if ok && (!d.starts_with("sha256:") || d.len() == 71) {
        Ok(())
    } else {
        Err(format!(
            "invalid digest {d:?} (expected sha256:<64 hex digits>)"
        ))
    }
}

fn check_tag(t: &str) -> Result<(), String> {
    let ok = t.len() <= 128
        && t.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!("invalid tag {t:?}"))
    }
}

fn check_host(h: &str) -> Result<(), String> {
    let ok = !h.is_empty()
        && !h.contains('@')
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if ok {
        Ok(())
    } else if h.contains('@') {
        // never echo what looks like `user:password@host`
        Err(
            "credentials in the image reference are not supported: use --creds or an auth file"
                .into(),
        )
    } else {
        Err(format!("invalid registry host {h:?}"))
    }
}

fn check_path(p: &str) -> Result<(), String> {
    if p.is_empty() {
        return Err("missing repository name".into());
    }
    for c in p.split('/') {
        let ok = !c.is_empty()
            && c.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && c.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !ok {
            return Err(if c.bytes().any(|b| b.is_ascii_uppercase()) {
                format!("repository name {p:?} must be lowercase")
            } else {
                format!("invalid repository name {p:?}")
            });
        }
    }
    Ok(())
}

const USERINFO: &str =
    "credentials in the image reference are not supported: use --creds or an auth file";

/// `input` with anything that looks like `user:password@` before the host replaced, for
/// messages about a reference that could not be parsed.
pub fn redacted(input: &str) -> String {
    let (scheme, rest) = match input.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), input),
    };
    let Some(host_end) = rest.find('/') else {
        return input.to_string();
    };
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{scheme}<redacted>@{}", &rest[at + 1..]),
        None => input.to_string(),
    }
}

/// Scheme prefixes that always mean a registry.
const SCHEMES: &[&str] = &["docker://", "oci://"];

/// Is `input` a registry reference rather than a path? `docker://` and `oci://` always are
/// (a malformed one is an error); a bare `NAME:TAG` or `NAME@DIGEST` is one when no such file
/// exists and it does not look like a path.
pub fn classify(input: &str, exists: bool) -> Option<Result<Reference, String>> {
    for s in SCHEMES {
        if let Some(rest) = input.strip_prefix(s) {
            return Some(Reference::parse(rest));
        }
    }
    if exists
        || input.starts_with(['.', '/', '~'])
        || !(input.contains(':') || input.contains('@'))
        || [".tar", ".tgz", ".gz", ".zst", ".json"]
            .iter()
            .any(|e| input.ends_with(e))
    {
        return None;
    }
    Reference::parse(input).ok().map(Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        Reference::parse(s).map_or_else(|e| format!("ERR {e}"), |r| r.to_string())
    }

    #[test]
    fn docker_normalisation() {
        assert_eq!(p("alpine"), "docker.io/library/alpine:latest");
        assert_eq!(p("alpine:3.20"), "docker.io/library/alpine:3.20");
        assert_eq!(p("team/app:1"), "docker.io/team/app:1");
        assert_eq!(p("index.docker.io/x:1"), "docker.io/library/x:1");
        assert_eq!(p("ghcr.io/o/app:v1.2"), "ghcr.io/o/app:v1.2");
        assert_eq!(p("localhost/app"), "localhost/app:latest");
        assert_eq!(p("127.0.0.1:5000/a/b:t"), "127.0.0.1:5000/a/b:t");
        assert_eq!(p("[::1]:5000/a"), "[::1]:5000/a:latest");
        let d = format!("sha256:{}", "a".repeat(64));
        assert_eq!(p(&format!("app@{d}")), format!("docker.io/library/app@{d}"));
        assert_eq!(p(&format!("h:1/app:t@{d}")), format!("h:1/app:t@{d}"));
        let r = Reference::parse(&format!("h.io/app:t@{d}")).unwrap();
        assert_eq!(r.manifest_ref(), d);
        assert_eq!(Reference::parse("x").unwrap().api_host(), DOCKER_HUB_API);
        assert_eq!(Reference::parse("h.io:443/x").unwrap().hostname(), "h.io");
        assert_eq!(Reference::parse("[::1]:5/x").unwrap().hostname(), "::1");
    }

    #[test]
    fn rejects() {
        assert!(p("Alpine").contains("lowercase"));
        assert!(p("app:").starts_with("ERR"));
        assert!(p("app@sha256:12").starts_with("ERR"));
        assert!(p("h.io/").starts_with("ERR"));
        assert!(p("a//b").starts_with("ERR"));
        let e = p("bob:s3cret@h.io/app");
        assert!(e.contains("credentials") && !e.contains("s3cret"), "{e}");
        assert_eq!(
            redacted("docker://bob:s3cret@h.io/app:1"),
            "docker://<redacted>@h.io/app:1"
        );
        assert_eq!(redacted("app@sha256:1"), "app@sha256:1");
    }

    #[test]
    fn classify_inputs() {
        let c = |s: &str, exists: bool| classify(s, exists).map(|r| r.map(|r| r.to_string()));
        assert_eq!(
            c("docker://h:5/app:1", true),
            Some(Ok("h:5/app:1".to_string()))
        );
        assert_eq!(
            c("oci://ghcr.io/o/a", false),
            Some(Ok("ghcr.io/o/a:latest".to_string()))
        );
        assert!(matches!(c("docker://Bad", false), Some(Err(_))));
        assert_eq!(
            c("alpine:3.20", false),
            Some(Ok("docker.io/library/alpine:3.20".to_string()))
        );
        assert_eq!(c("alpine:3.20", true), None);
        assert_eq!(c("alpine", false), None);
        assert_eq!(c("./x:1", false), None);
        assert_eq!(c("app:1.tar", false), None);
        assert_eq!(c("C:\\x\\y.tar", false), None);
    }
}
