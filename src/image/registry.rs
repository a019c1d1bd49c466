//! Images read straight from an OCI Distribution registry (`docker://HOST/NAME:TAG`,
//! `oci://…`, or a short name such as `alpine:3.20`), with no daemon and nothing written to
//! disk.
//!
//! A registry is one more blob store behind [`super::store::Store`]: it answers the same
//! questions as an OCI layout (`index.json`, `blobs/sha256/…`), so image indexes, platforms
//! and attestation manifests are resolved by the very code that reads layouts. The
//! `index.json` is made up from the manifest the reference names; a blob that some index
//! lists as a manifest is fetched from `/v2/NAME/manifests/DIGEST`, any other from
//! `/v2/NAME/blobs/DIGEST`. Manifests and configs are checked against their digests here;
//! layers stream from the socket into the walker, which checks them as it does archive
//! members.

mod auth;
mod blob;
mod client;
mod creds;
mod reference;
mod tags;

pub use client::{FAST_CONNECT, FailFast};
pub use reference::{Reference, classify, redacted};
pub use tags::list_tags;

/// Runs every parser of registry responses and user input on `data` (for the `registry` fuzz
/// target; it must never panic or hang): `WWW-Authenticate` challenges, token bodies,
/// `Retry-After`, `Content-Type` sniffing, image references and their classification.
#[doc(hidden)]
pub fn fuzz_responses(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(c) = auth::parse_challenge(&text) {
        let _ = (c.param("realm"), c.param("scope"));
    }
    let _ = auth::token_of(data);
    let _ = client::backoff(3, Some(&text));
    let _ = media_type(Some(&text), data);
    let _ = digest_of(&text);
    if let Ok(r) = Reference::parse(&text) {
        let _ = (r.api_host(), r.manifest_ref(), r.hostname());
    }
    let _ = classify(&text, false);
    let _ = redacted(&text);
}

use super::error::ImageError;
use super::member::MAX_JSON;
use sha2::{Digest as _, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A string that `Debug` never shows (credentials).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `s`.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret::new(s))
    }
}

/// How to reach registries.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    /// `USER:PASSWORD` (`--creds`); else the environment and auth files are consulted.
    pub creds: Option<Secret>,
    /// Hosts (`host` or `host:port`) reached over plain HTTP; loopback always is.
    pub insecure: Vec<String>,
    /// Set for lookups that must fail fast (base-image facts): see [`FailFast`].
    pub fail_fast: Option<std::sync::Arc<FailFast>>,
}

/// Manifest media types asked for, most wanted first.
const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.v2+json";

/// An image source in a registry.
pub(crate) struct Source {
    /// The input as the user gave it (named in every error and in the report's `archive`).
    given: PathBuf,
    reference: Reference,
    client: Arc<client::Client>,
    /// The made-up `index.json`.
    index: Vec<u8>,
    /// Manifests fetched so far, by digest.
    manifests: Mutex<HashMap<String, Vec<u8>>>,
    /// Digests known to be manifests (the top one and those listed by an index).
    manifest_digests: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("reference", &self.reference.to_string())
            .finish()
    }
}

fn sha256_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::from("sha256:"), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `blobs/sha256/<hex>` -> `sha256:<hex>`.
fn digest_of(member: &str) -> Option<String> {
    let rest = super::member::norm_member(member);
    let rest = rest.strip_prefix("blobs/")?;
    let (alg, hex) = rest.split_once('/')?;
    (!hex.contains('/') && !alg.is_empty() && !hex.is_empty()).then(|| format!("{alg}:{hex}"))
}

/// Media type of a manifest answer: the `Content-Type` (without parameters), else the
/// document's own `mediaType`.
fn media_type(content_type: Option<&str>, body: &[u8]) -> String {
    let ct = content_type
        .and_then(|c| c.split(';').next())
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "application/json" && *c != "text/plain");
    match ct {
        Some(c) => c.to_string(),
        None => serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get("mediaType")?.as_str().map(str::to_string))
            .unwrap_or_else(|| "application/vnd.oci.image.manifest.v1+json".to_string()),
    }
}

impl Source {
    /// Fetches the manifest `r` names and prepares the source. `given` is the input as typed.
    pub(crate) fn connect(
        given: &Path,
        r: Reference,
        opts: &RegistryOptions,
    ) -> Result<Source, ImageError> {
        let creds = opts.creds.as_ref().map(|c| c.expose().to_string());
        let client = Arc::new(client::Client::new(
            &r,
            &opts.insecure,
            creds,
            opts.fail_fast.clone(),
        ));
        let mut src = Source {
            given: given.to_path_buf(),
            reference: r,
            client,
            index: Vec::new(),
            manifests: Mutex::new(HashMap::new()),
            manifest_digests: Mutex::new(HashSet::new()),
        };
        let want = src.reference.manifest_ref().to_string();
        let (digest, mt, body) = src.fetch_manifest(&want)?;
        let index = serde_json::json!({
            "schemaVersion": 2,
            "manifests": [{
                "mediaType": mt,
                "digest": digest,
                "size": body.len(),
                "annotations": {"org.opencontainers.image.ref.name": src.reference.to_string()},
            }],
        });
        src.index = serde_json::to_vec(&index)
            .map_err(|e| ImageError::format(&src.given, format!("index: {e}")))?;
        Ok(src)
    }

    fn err(&self, message: impl Into<String>) -> ImageError {
        ImageError::format(&self.given, message)
    }

    /// `GET manifests/REF`: checks size, digest (against a digest reference and the
    /// `Docker-Content-Digest` header), refuses schema 1, and remembers the children of an
    /// index as manifests. Returns (digest, media type, body).
    fn fetch_manifest(&self, want: &str) -> Result<(String, String, Vec<u8>), ImageError> {
        let what = format!("manifest {want}");
        let mut resp = self
            .client
            .get(&format!("manifests/{want}"), &what, Some(ACCEPT), 0)
            .map_err(|f| self.err(f.message))?;
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let header_digest = resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_JSON)
            .read_to_vec()
            .map_err(|e| self.err(format!("{}: {what}: {e}", self.client.describe())))?;
        let digest = sha256_digest(&body);
        let bad = |claimed: &str| {
            self.err(format!(
                "{}: {what}: content is {digest} but the registry says {claimed}",
                self.client.describe()
            ))
        };
        if want.starts_with("sha256:") && want != digest {
            return Err(bad(want));
        }
        if let Some(h) = header_digest.as_deref()
            && h.starts_with("sha256:")
            && h != digest
        {
            return Err(bad(h));
        }
        let mt = media_type(ct.as_deref(), &body);
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            self.err(format!(
                "{}: {what} is not JSON: {e}",
                self.client.describe()
            ))
        })?;
        if mt.starts_with("application/vnd.docker.distribution.manifest.v1")
            || v.get("schemaVersion").and_then(|s| s.as_u64()) == Some(1)
        {
            return Err(self.err(format!(
                "{}: {what} is a Docker schema 1 manifest ({mt}), which dlint does not read; push the image again with a current client",
                self.client.describe()
            )));
        }
        if let Some(children) = v.get("manifests").and_then(|m| m.as_array())
            && let Ok(mut set) = self.manifest_digests.lock()
        {
            for c in children {
                if let Some(d) = c.get("digest").and_then(|d| d.as_str()) {
                    set.insert(d.to_string());
                }
            }
        }
        if let Ok(mut set) = self.manifest_digests.lock() {
            set.insert(digest.clone());
        }
        if let Ok(mut m) = self.manifests.lock() {
            m.insert(digest.clone(), body.clone());
        }
        Ok((digest, mt, body))
    }

    /// The input as given.
    pub(crate) fn archive(&self) -> &Path {
        &self.given
    }

    /// Whether the layout-style member exists: `index.json` and every `blobs/…` name are
    /// answered (the registry says whether a blob exists when it is fetched).
    pub(crate) fn exists(&self, member: &str) -> bool {
        member == "index.json" || digest_of(member).is_some()
    }

    /// A small document: the made-up `index.json`, a manifest or a config, checked against
    /// its digest.
    pub(crate) fn read_small(&self, member: &str) -> Result<Vec<u8>, ImageError> {
        if member == "index.json" {
            return Ok(self.index.clone());
        }
        let Some(digest) = digest_of(member) else {
            return Err(self.err(format!("{member} is not a blob name")));
        };
        if let Some(b) = self
            .manifests
            .lock()
            .ok()
            .and_then(|m| m.get(&digest).cloned())
        {
            return Ok(b);
        }
        let is_manifest = self
            .manifest_digests
            .lock()
            .is_ok_and(|s| s.contains(&digest));
        if is_manifest {
            return self.fetch_manifest(&digest).map(|(_, _, b)| b);
        }
        let (r, _) = self.open_blob(member).map_err(|m| self.err(m))?;
        let mut buf = Vec::new();
        r.take(MAX_JSON + 1)
            .read_to_end(&mut buf)
            .map_err(|e| self.err(format!("{}: blob {digest}: {e}", self.client.describe())))?;
        if buf.len() as u64 > MAX_JSON {
            return Err(self.err(format!(
                "{}: blob {digest} is too large for a JSON document",
                self.client.describe()
            )));
        }
        let got = sha256_digest(&buf);
        if digest.starts_with("sha256:") && got != digest {
            return Err(self.err(format!(
                "{}: blob {digest}: content is {got}",
                self.client.describe()
            )));
        }
        Ok(buf)
    }

    /// Streams a blob from the registry; the size is the `Content-Length` (0 if unknown).
    pub(crate) fn open_blob(&self, member: &str) -> Result<(Box<dyn Read + Send>, u64), String> {
        let digest = digest_of(member).ok_or_else(|| format!("{member} is not a blob name"))?;
        let (r, size) = blob::BlobReader::open(Arc::clone(&self.client), &digest)?;
        Ok((Box::new(r), size))
    }

    /// True when `other` reads from the same registry: a blob of the same digest is then the
    /// same bytes, and fetching it once is enough.
    pub(crate) fn same_registry(&self, other: &Source) -> bool {
        self.client.registry() == other.client.registry()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types() {
        assert_eq!(digest_of("blobs/sha256/ab").as_deref(), Some("sha256:ab"));
        assert_eq!(digest_of("index.json"), None);
        assert_eq!(digest_of("blobs/sha256/a/b"), None);
        assert_eq!(
            media_type(
                Some("application/vnd.oci.image.index.v1+json; charset=x"),
                b"{}"
            ),
            "application/vnd.oci.image.index.v1+json"
        );
        assert_eq!(
            media_type(
                Some("application/json"),
                br#"{"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}"#
            ),
            "application/vnd.docker.distribution.manifest.v2+json"
        );
        let o = RegistryOptions {
            creds: Some(Secret::new("u:hunter2")),
            insecure: vec![],
            fail_fast: None,
        };
        assert!(!format!("{o:?}").contains("hunter2"));
    }
}
