//! One registry repository over HTTP(S): requests with authentication (anonymous, Bearer
//! token flow, Basic), redirects followed by hand (the `Authorization` header only ever goes to
//! the registry's own origin), bounded retries with backoff on 429, 5xx and connection
//! failures, and errors that name the registry, the repository, the object, the HTTP status and
//! the registry's error code. Credentials never enter a message.

use super::auth::{Challenge, parse_challenge, token_of};
use super::creds::{self, Credentials};
use super::reference::{Reference, host_without_port};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use ureq::http::Response;

/// Attempts per request (the first one included) on transient failures.
pub(crate) const ATTEMPTS: u32 = 4;
/// Redirects followed per request.
const MAX_REDIRECTS: u32 = 5;
/// Longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);
/// Error bodies read for the registry's error code.
const MAX_ERROR_BODY: u64 = 64 << 10;
/// Largest token endpoint answer.
const MAX_TOKEN_BODY: u64 = 1 << 20;

/// Connect (and name lookup) timeout of [`FailFast`] requests.
pub const FAST_CONNECT: Duration = Duration::from_secs(3);

/// Lookups that must not keep a run waiting (base-image facts): one attempt per request when
/// the registry cannot be reached, a [`FAST_CONNECT`] timeout, and a host that could not be
/// reached once is not tried again for the rest of the run (shared by every clone of the
/// options). Statuses such as 429 and 503 are still retried: the registry answered.
#[derive(Debug, Default)]
pub struct FailFast {
    /// Origin -> why it could not be reached.
    unreachable: Mutex<HashMap<String, String>>,
}

impl FailFast {
    fn known(&self, origin: &str) -> Option<String> {
        self.unreachable.lock().ok()?.get(origin).cloned()
    }

    fn remember(&self, origin: &str, why: &str) {
        if let Ok(mut m) = self.unreachable.lock() {
            m.entry(origin.to_string())
                .or_insert_with(|| why.to_string());
        }
    }
}

/// The response body type.
pub(crate) type Body = ureq::Body;

/// A failed request, as a message naming the registry, repository and object.
#[derive(Debug)]
pub(crate) struct Failure {
    pub message: String,
}

/// Access to one repository of one registry.
pub(crate) struct Client {
    agent: ureq::Agent,
    /// `https://host[:port]` or `http://…` of the API.
    origin: String,
    /// Registry and repository as named by the reference (for messages and auth files).
    registry: String,
    repository: String,
    /// Hosts plain HTTP is allowed to (token realms included).
    insecure: Vec<String>,
    cli_creds: Option<String>,
    creds: OnceLock<Result<Option<Credentials>, String>>,
    /// `Authorization` header value earned by the last challenge.
    auth: Mutex<Option<String>>,
    /// Set for lookups that must fail fast.
    fast: Option<Arc<FailFast>>,
}

/// Is `host` (`host[:port]`) reached over plain HTTP? Loopback always (as Docker does), else
/// when listed by host or host:port.
pub(crate) fn is_insecure(registry: &str, insecure: &[String]) -> bool {
    let h = host_without_port(registry).to_ascii_lowercase();
    h == "localhost"
        || h == "::1"
        || h.starts_with("127.")
        || insecure
            .iter()
            .any(|i| i.eq_ignore_ascii_case(registry) || i.eq_ignore_ascii_case(&h))
}

fn agent(fast: bool) -> ureq::Agent {
    use ureq::tls::{RootCerts, TlsConfig};
    let (connect, response) = if fast {
        (FAST_CONNECT, Duration::from_secs(15))
    } else {
        (Duration::from_secs(15), Duration::from_secs(60))
    };
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_resolve(Some(connect))
        .timeout_connect(Some(connect))
        .timeout_recv_response(Some(response))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("dlint/", env!("CARGO_PKG_VERSION")))
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build(),
        )
        .build();
    config.into()
}

/// Does `origin` answer `GET /v2/` over HTTPS (any status, or a certificate that does not
/// verify: that error is then reported by the real request)? One attempt, 5 s at most.
fn speaks_https(agent: &ureq::Agent, origin: &str) -> bool {
    match agent
        .get(format!("{origin}/v2/"))
        .config()
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .call()
    {
        Ok(_) => true,
        // rustls' InvalidCertificate ("invalid peer certificate: …"): a TLS server
        Err(e) => e.to_string().contains("certificate"),
    }
}

/// Origin (`scheme://authority`) of an absolute URL.
fn origin_of(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    &url[..end]
}

/// Resolves a `Location` header against the URL that answered.
fn resolve_location(base: &str, loc: &str) -> String {
    if loc.contains("://") {
        loc.to_string()
    } else if loc.starts_with("//") {
        let scheme = base.split("://").next().unwrap_or("https");
        format!("{scheme}:{loc}")
    } else if loc.starts_with('/') {
        format!("{}{loc}", origin_of(base))
    } else {
        let path_end = base.find('?').unwrap_or(base.len());
        let dir = base[..path_end].rfind('/').map_or(base.len(), |i| i + 1);
        format!("{}{loc}", &base[..dir])
    }
}

fn header<'a>(r: &'a Response<Body>, name: &str) -> Option<&'a str> {
    r.headers().get(name).and_then(|v| v.to_str().ok())
}

/// `CODE: message` of the first entry of a Distribution error body, if there is one.
fn registry_error(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let e = v.get("errors")?.get(0)?;
    let code = e.get("code").and_then(|c| c.as_str()).unwrap_or("");
    let msg = e.get("message").and_then(|c| c.as_str()).unwrap_or("");
    let mut s = format!("{code}: {msg}");
    if s.len() > 200 {
        let cut = (0..=200)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        s.truncate(cut);
        s.push('…');
    }
    Some(s)
}

fn transient_status(s: u16) -> bool {
    s == 429 || s == 408 || (500..=599).contains(&s) && s != 501 && s != 505
}

/// Connection failures and timeouts; not TLS failures (a certificate does not get better).
fn transient_error(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::Io(io) => io.kind() != std::io::ErrorKind::InvalidData,
        ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed => true,
        _ => false,
    }
}

/// Pause before attempt `n` (1-based retries): 250 ms, 500 ms, 1 s… or the server's
/// `Retry-After` (seconds), at most [`MAX_RETRY_AFTER`].
pub(crate) fn backoff(n: u32, retry_after: Option<&str>) -> Duration {
    if let Some(s) = retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
        return Duration::from_secs(s).min(MAX_RETRY_AFTER);
    }
    Duration::from_millis(250u64 << n.saturating_sub(1).min(6))
}

impl Client {
    /// A client for `r`'s repository. A registry allowed plain HTTP (loopback, or
    /// `--insecure-registry`) is still reached over HTTPS when it answers HTTPS, as Docker does;
    /// its certificate is verified all the same.
    /// With `fast`, see [`FailFast`].
    pub(crate) fn new(
        r: &Reference,
        insecure: &[String],
        cli_creds: Option<String>,
        fast: Option<Arc<FailFast>>,
    ) -> Client {
        let agent = agent(fast.is_some());
        let https = format!("https://{}", r.api_host());
        let origin = if is_insecure(&r.registry, insecure)
            && fast.as_ref().is_none_or(|f| f.known(&https).is_none())
            && !speaks_https(&agent, &https)
        {
            format!("http://{}", r.api_host())
        } else {
            https
        };
        Client {
            agent,
            origin,
            registry: r.registry.clone(),
            repository: r.repository.clone(),
            insecure: insecure.to_vec(),
            cli_creds,
            creds: OnceLock::new(),
            auth: Mutex::new(None),
            fast,
        }
    }

    /// With [`FailFast`]: the failure of an earlier request to `url`'s origin, if any.
    fn known_unreachable(&self, url: &str) -> Option<String> {
        self.fast.as_ref()?.known(origin_of(url))
    }

    /// Whether to retry a connection failure: not with [`FailFast`], which remembers the origin.
    fn retry_connection(&self, url: &str, e: &ureq::Error, attempt: u32) -> bool {
        if !transient_error(e) {
            return false;
        }
        match &self.fast {
            Some(f) => {
                f.remember(origin_of(url), &e.to_string());
                false
            }
            None => attempt < ATTEMPTS,
        }
    }

    /// `registry R, repository P` for messages.
    pub(crate) fn describe(&self) -> String {
        format!("registry {}, repository {}", self.registry, self.repository)
    }

    /// Registry as named by the reference.
    pub(crate) fn registry(&self) -> &str {
        &self.registry
    }

    fn credentials(&self) -> Result<Option<Credentials>, String> {
        self.creds
            .get_or_init(|| {
                creds::lookup(&self.registry, &self.repository, self.cli_creds.as_deref())
            })
            .clone()
    }

    fn fail(&self, what: &str, message: impl std::fmt::Display) -> Failure {
        Failure {
            message: format!("{}: {what}: {message}", self.describe()),
        }
    }

    /// `GET /v2/REPO/{path}` (`manifests/REF`, `blobs/DIGEST`); `what` names the object in
    /// messages. With `range_from > 0` a `Range: bytes=N-` header asks for the rest of a blob.
    /// Returns a 2xx response; anything else is an error.
    pub(crate) fn get(
        &self,
        path: &str,
        what: &str,
        accept: Option<&str>,
        range_from: u64,
    ) -> Result<Response<Body>, Failure> {
        let mut url = format!("{}/v2/{}/{path}", self.origin, self.repository);
        let mut redirects = 0;
        let mut attempt = 1;
        let mut challenged = false;
        loop {
            if let Some(why) = self.known_unreachable(&url) {
                let host = origin_of(&url).to_string();
                return Err(self.fail(what, format!("{host}: {why} (not tried again)")));
            }
            let own_origin = origin_of(&url).eq_ignore_ascii_case(&self.origin);
            let mut req = self.agent.get(&url);
            if let Some(a) = accept {
                req = req.header("Accept", a);
            }
            if range_from > 0 {
                req = req.header("Range", format!("bytes={range_from}-"));
            }
            if own_origin && let Some(a) = self.auth.lock().ok().and_then(|g| g.clone()) {
                req = req.header("Authorization", a);
            }
            let resp = match req.call() {
                Ok(r) => r,
                Err(e) if self.retry_connection(&url, &e, attempt) => {
                    std::thread::sleep(backoff(attempt, None));
                    attempt += 1;
                    continue;
                }
                Err(e) => {
                    let tries = if attempt > 1 {
                        format!(" (after {attempt} attempts)")
                    } else {
                        String::new()
                    };
                    let host = origin_of(&url).to_string();
                    return Err(self.fail(what, format!("{host}: {e}{tries}")));
                }
            };
            let status = resp.status().as_u16();
            if (200..300).contains(&status) {
                return Ok(resp);
            }
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let Some(loc) = header(&resp, "location") else {
                    return Err(self.fail(what, format!("HTTP {status} without a Location")));
                };
                redirects += 1;
                if redirects > MAX_REDIRECTS {
                    return Err(self.fail(what, "too many redirects"));
                }
                url = resolve_location(&url, loc);
                if url.starts_with("http://")
                    && !is_insecure(
                        origin_of(&url).trim_start_matches("http://"),
                        &self.insecure,
                    )
                {
                    return Err(self.fail(
                        what,
                        "redirected to plain HTTP on a host not allowed by --insecure-registry",
                    ));
                }
                continue;
            }
            if status == 401 && own_origin && !challenged {
                challenged = true;
                let ch = header(&resp, "www-authenticate").and_then(parse_challenge);
                self.authenticate(ch.as_ref(), what)?;
                continue;
            }
            if transient_status(status) && attempt < ATTEMPTS {
                std::thread::sleep(backoff(attempt, header(&resp, "retry-after")));
                attempt += 1;
                continue;
            }
            return Err(self.status_failure(what, resp, challenged));
        }
    }

    fn status_failure(&self, what: &str, mut resp: Response<Body>, challenged: bool) -> Failure {
        let status = resp.status();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_ERROR_BODY)
            .read_to_vec()
            .unwrap_or_default();
        let mut msg = format!(
            "HTTP {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string();
        if let Some(e) = registry_error(&body) {
            msg.push_str(&format!(" ({e})"));
        }
        match status.as_u16() {
            401 if challenged => msg.push_str(
                if self.credentials().ok().flatten().is_some() {
                    ": the credentials were refused"
                } else {
                    ": authentication required (--creds, DLINT_REGISTRY_USER/DLINT_REGISTRY_PASSWORD or an auth file)"
                },
            ),
            403 => msg.push_str(": access denied"),
            _ => {}
        }
        self.fail(what, msg)
    }

    /// Answers a 401 challenge: stores the `Authorization` value to send from now on.
    fn authenticate(&self, ch: Option<&Challenge>, what: &str) -> Result<(), Failure> {
        let creds = self
            .credentials()
            .map_err(|m| self.fail(what, format!("credentials: {m}")))?;
        let value = match ch {
            Some(c) if c.scheme == "bearer" => Some(self.token(c, creds.as_ref(), what)?),
            Some(c) if c.scheme == "basic" => creds.as_ref().map(Credentials::basic),
            Some(c) => {
                return Err(self.fail(
                    what,
                    format!("unsupported authentication scheme {:?}", c.scheme),
                ));
            }
            None => creds.as_ref().map(Credentials::basic),
        };
        if let Ok(mut g) = self.auth.lock() {
            *g = value;
        }
        Ok(())
    }

    /// The Docker token flow: `GET realm?service=…&scope=…`, with Basic credentials if any.
    fn token(
        &self,
        ch: &Challenge,
        creds: Option<&Credentials>,
        what: &str,
    ) -> Result<String, Failure> {
        let Some(realm) = ch.param("realm") else {
            return Err(self.fail(what, "Bearer challenge without a realm"));
        };
        let realm_host = origin_of(realm).split("://").nth(1).unwrap_or("");
        if realm.starts_with("http://") && !is_insecure(realm_host, &self.insecure) {
            return Err(self.fail(
                what,
                format!("the token service {realm_host} is plain HTTP and not allowed by --insecure-registry")));
        }
        if !(realm.starts_with("https://") || realm.starts_with("http://")) {
            return Err(self.fail(what, "Bearer challenge with an invalid realm"));
        }
        let scope = ch
            .param("scope")
            .map(str::to_string)
            .unwrap_or_else(|| format!("repository:{}:pull", self.repository));
        let mut attempt = 1;
        loop {
            if let Some(why) = self.known_unreachable(realm) {
                return Err(self.fail(what, format!("token from {realm_host}: {why}")));
            }
            let mut req = self.agent.get(realm).query("scope", &scope);
            if let Some(s) = ch.param("service") {
                req = req.query("service", s);
            }
            if let Some(c) = creds {
                req = req.header("Authorization", c.basic());
            }
            let ctx = format!("token from {realm_host}");
            match req.call() {
                Err(e) if self.retry_connection(realm, &e, attempt) => {}
                Err(e) => {
                    return Err(self.fail(what, format!("{ctx}: {e}")));
                }
                Ok(mut r) => {
                    let status = r.status().as_u16();
                    if transient_status(status) && attempt < ATTEMPTS {
                        std::thread::sleep(backoff(attempt, header(&r, "retry-after")));
                        attempt += 1;
                        continue;
                    }
                    let body = r
                        .body_mut()
                        .with_config()
                        .limit(MAX_TOKEN_BODY)
                        .read_to_vec()
                        .map_err(|e| self.fail(what, format!("{ctx}: {e}")))?;
                    if status == 401 || status == 403 {
                        let why = if creds.is_some() {
                            "the credentials were refused"
                        } else {
                            "authentication required (--creds, DLINT_REGISTRY_USER/DLINT_REGISTRY_PASSWORD or an auth file)"
                        };
                        return Err(self.fail(what, format!("{ctx}: HTTP {status}: {why}")));
                    }
                    if !(200..300).contains(&status) {
                        let code = registry_error(&body)
                            .map(|e| format!(" ({e})"))
                            .unwrap_or_default();
                        return Err(self.fail(what, format!("{ctx}: HTTP {status}{code}")));
                    }
                    return token_of(&body)
                        .map(|t| format!("Bearer {t}"))
                        .ok_or_else(|| {
                            self.fail(what, format!("{ctx}: the answer holds no token"))
                        });
                }
            }
            std::thread::sleep(backoff(attempt, None));
            attempt += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(origin_of("https://h.io:5/v2/x?y"), "https://h.io:5");
        assert_eq!(origin_of("http://h"), "http://h");
        let b = "https://r.io/v2/a/blobs/sha256:1";
        assert_eq!(
            resolve_location(b, "https://s3/x?sig=1"),
            "https://s3/x?sig=1"
        );
        assert_eq!(resolve_location(b, "/other"), "https://r.io/other");
        assert_eq!(resolve_location(b, "//cdn/x"), "https://cdn/x");
        assert_eq!(resolve_location(b, "c"), "https://r.io/v2/a/blobs/c");
    }

    #[test]
    fn insecure_hosts() {
        assert!(is_insecure("127.0.0.1:5000", &[]));
        assert!(is_insecure("localhost", &[]));
        assert!(is_insecure("[::1]:5000", &[]));
        assert!(!is_insecure("r.io", &[]));
        assert!(is_insecure("r.io:5000", &["r.io".into()]));
        assert!(is_insecure("r.io:5000", &["R.io:5000".into()]));
        assert!(!is_insecure("r.io:5000", &["r.io:6000".into()]));
    }

    #[test]
    fn retry_policy() {
        assert!(transient_status(503) && transient_status(429) && !transient_status(404));
        assert!(!transient_status(501));
        assert_eq!(backoff(1, None), Duration::from_millis(250));
        assert_eq!(backoff(3, None), Duration::from_secs(1));
        assert_eq!(backoff(1, Some("2")), Duration::from_secs(2));
        assert_eq!(backoff(1, Some("3600")), MAX_RETRY_AFTER);
        assert_eq!(
            registry_error(
                br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#
            )
            .as_deref(),
            Some("MANIFEST_UNKNOWN: manifest unknown")
        );
    }
}
