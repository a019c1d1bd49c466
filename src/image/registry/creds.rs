//! Where registry credentials come from, in order: `--creds USER:PASS`, the
//! `DLINT_REGISTRY_USER` / `DLINT_REGISTRY_PASSWORD` variables, then the first auth file that
//! exists of `$REGISTRY_AUTH_FILE`, `${XDG_RUNTIME_DIR}/containers/auth.json` and
//! `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`). In an auth file,
//! `credHelpers[host]` wins, then an `auths` entry, then `credsStore`; helpers run as
//! `docker-credential-NAME get`. Nothing here is ever formatted into a message.

use base64::Engine as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A user name and a secret. `Debug` never shows either.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub user: String,
    pub secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

impl Credentials {
    /// `Basic base64(user:secret)`.
    pub(crate) fn basic(&self) -> String {
        let raw = format!("{}:{}", self.user, self.secret);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    /// `USER:PASS` (the password may contain `:`).
    pub(crate) fn from_pair(s: &str) -> Result<Credentials, String> {
        match s.split_once(':') {
            Some((u, p)) if !u.is_empty() => Ok(Credentials {
                user: u.to_string(),
                secret: p.to_string(),
            }),
            _ => Err("--creds must be USER:PASSWORD".to_string()),
        }
    }
}

/// Longest a credential helper may run.
const HELPER_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest auth file or helper answer read.
const MAX_AUTH_FILE: u64 = 4 << 20;

/// Credentials for `registry` (`docker.io`, `host:port`) and `repository`. `Ok(None)`: go
/// anonymous. Errors name the file or helper, never a credential.
pub(crate) fn lookup(
    registry: &str,
    repository: &str,
    cli: Option<&str>,
) -> Result<Option<Credentials>, String> {
    if let Some(pair) = cli {
        return Credentials::from_pair(pair).map(Some);
    }
    if let (Some(user), Some(secret)) = (
        std::env::var_os("DLINT_REGISTRY_USER"),
        std::env::var_os("DLINT_REGISTRY_PASSWORD"),
    ) {
        return Ok(Some(Credentials {
            user: user.to_string_lossy().into_owned(),
            secret: secret.to_string_lossy().into_owned(),
        }));
    }
    for file in auth_files() {
        if file.is_file() {
            return from_file(&file, registry, repository);
        }
    }
    Ok(None)
}

fn auth_files() -> Vec<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let mut out = Vec::new();
    if let Some(f) = env("REGISTRY_AUTH_FILE") {
        out.push(PathBuf::from(f));
    }
    if let Some(d) = env("XDG_RUNTIME_DIR") {
        out.push(Path::new(&d).join("containers/auth.json"));
    }
    if let Some(d) = env("DOCKER_CONFIG") {
        out.push(Path::new(&d).join("config.json"));
    } else if let Some(h) = env("HOME") {
        out.push(Path::new(&h).join(".docker/config.json"));
    }
    out
}

/// Keys an auth file may use for `registry`, most specific first.
fn keys(registry: &str, repository: &str) -> Vec<String> {
    let mut k = Vec::new();
    // containers-auth.json allows `host/namespace/repo` keys: longest prefix first
    let parts: Vec<&str> = repository.split('/').collect();
    for n in (1..=parts.len()).rev() {
        k.push(format!("{registry}/{}", parts[..n].join("/")));
    }
    if registry == super::reference::DEFAULT_REGISTRY {
        for h in [
            "https://index.docker.io/v1/",
            "index.docker.io",
            "docker.io",
            "registry-1.docker.io",
        ] {
            k.push(h.to_string());
        }
    } else {
        k.push(registry.to_string());
        k.push(format!("https://{registry}"));
        k.push(format!("http://{registry}"));
        k.push(format!("https://{registry}/v1/"));
    }
    k
}

/// The server name a helper is asked about (what `docker login` stored).
fn helper_server(registry: &str) -> String {
    if registry == super::reference::DEFAULT_REGISTRY {
        "https://index.docker.io/v1/".to_string()
    } else {
        registry.to_string()
    }
}

fn from_file(file: &Path, registry: &str, repository: &str) -> Result<Option<Credentials>, String> {
    let name = file.display();
    let mut text = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_AUTH_FILE).read_to_end(&mut text))
        .map_err(|e| format!("auth file {name}: {e}"))?;
    let v: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| format!("auth file {name} is not valid JSON (line {})", e.line()))?;
    let keys = keys(registry, repository);
    if let Some(helpers) = v.get("credHelpers").and_then(|h| h.as_object())
        && let Some(helper) = keys
            .iter()
            .find_map(|k| helpers.get(k).and_then(|h| h.as_str()))
    {
        return run_helper(helper, &helper_server(registry));
    }
    if let Some(auths) = v.get("auths").and_then(|a| a.as_object()) {
        for k in &keys {
            let Some(entry) = auths.get(k) else { continue };
            if let Some(c) = decode_entry(entry).map_err(|m| format!("auth file {name}: {m}"))? {
                return Ok(Some(c));
            }
        }
    }
    if let Some(store) = v.get("credsStore").and_then(|s| s.as_str())
        && !store.is_empty()
    {
        return run_helper(store, &helper_server(registry));
    }
    Ok(None)
}

/// An `auths` entry: `auth` (base64 `user:pass`) or `username` + `password`.
fn decode_entry(entry: &serde_json::Value) -> Result<Option<Credentials>, String> {
    if let Some(a) = entry.get("auth").and_then(|a| a.as_str())
        && !a.is_empty()
    {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(a.trim())
            .map_err(|_| "an `auth` value is not valid base64".to_string())?;
        let raw = String::from_utf8(raw).map_err(|_| "an `auth` value is not UTF-8".to_string())?;
        return Credentials::from_pair(&raw)
            .map(Some)
            .map_err(|_| "an `auth` value is not base64 of USER:PASSWORD".to_string());
    }
    let get = |k: &str| {
        entry
            .get(k)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    };
    Ok(match (get("username"), get("password")) {
        (Some(u), Some(p)) => Some(Credentials {
            user: u.to_string(),
            secret: p.to_string(),
        }),
        _ => None,
    })
}

/// Runs `docker-credential-NAME get` with `server` on stdin. A helper that knows nothing of
/// the server (non-zero exit) means anonymous access.
fn run_helper(name: &str, server: &str) -> Result<Option<Credentials>, String> {
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(format!("invalid credential helper name {name:?}"));
    }
    let prog = format!("docker-credential-{name}");
    let mut child = Command::new(&prog)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("credential helper {prog}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // a helper that exits without reading is judged by its exit status below
        let _ = stdin.write_all(server.as_bytes());
    }
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(MAX_AUTH_FILE).read_to_end(&mut out);
        }
        out
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() < HELPER_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "credential helper {prog} did not answer within {}s",
                    HELPER_TIMEOUT.as_secs()
                ));
            }
            Err(e) => return Err(format!("credential helper {prog}: {e}")),
        }
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_slice(&out)
        .map_err(|_| format!("credential helper {prog} did not print JSON"))?;
    let get = |k: &str| v.get(k).and_then(|s| s.as_str()).unwrap_or_default();
    let (user, secret) = (get("Username"), get("Secret"));
    if secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(Credentials {
        user: user.to_string(),
        secret: secret.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_and_parsed() {
        let c = Credentials::from_pair("bob:pa:ss").unwrap();
        assert_eq!((c.user.as_str(), c.secret.as_str()), ("bob", "pa:ss"));
        assert!(!format!("{c:?}").contains("pa:ss"));
        assert_eq!(c.basic(), "Basic Ym9iOnBhOnNz");
        let e = Credentials::from_pair("nocolon").unwrap_err();
        assert!(!e.contains("nocolon"));
    }

    #[test]
    fn auth_file_entries() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("auth.json");
        std::fs::write(
            &f,
            r#"{"auths":{"h.io:5000":{"auth":"Ym9iOnNlY3JldA=="},
                "ghcr.io/team":{"username":"t","password":"p"},
                "https://index.docker.io/v1/":{"auth":"aHViOnB3"}}}"#,
        )
        .unwrap();
        let get = |r: &str, repo: &str| from_file(&f, r, repo).unwrap().map(|c| c.user);
        assert_eq!(get("h.io:5000", "x/y").as_deref(), Some("bob"));
        assert_eq!(get("ghcr.io", "team/app").as_deref(), Some("t"));
        assert_eq!(get("ghcr.io", "other/app"), None);
        assert_eq!(get("docker.io", "library/alpine").as_deref(), Some("hub"));
        std::fs::write(&f, r#"{"auths":{"h.io":{"auth":"!!"}}}"#).unwrap();
        let e = from_file(&f, "h.io", "x").unwrap_err();
        assert!(e.contains("base64") && !e.contains("!!"), "{e}");
    }
}
