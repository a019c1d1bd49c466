//! `dlint image` / `dlint compare` on images in a real registry: Debian's `docker-registry`
//! (the CNCF Distribution registry) started on 127.0.0.1 with a free port and a temporary
//! storage directory, images built in code by the test kit and pushed with `skopeo copy`.
//! A proxy served by the test sits in front of the registry where a test needs to break,
//! count or authenticate requests; it also serves the Bearer token endpoint.
//!
//! `.ci/run` installs `docker-registry`, `skopeo`, `apache2-utils` (htpasswd) and `openssl`. Without
//! them a test says so and passes, unless `CI` is set, where it fails.
#![cfg(unix)]

use assert_cmd::Command;
use dlint::image::Compression;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Proc, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REGISTRY: &str = "/usr/bin/docker-registry";

pub(crate) fn tools_present() -> bool {
    // on PATH (htpasswd has no --version)
    let have = |t: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(t).is_file()))
    };
    if Path::new(REGISTRY).exists() && have("skopeo") && have("htpasswd") && have("openssl") {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "docker-registry, skopeo, htpasswd and openssl are needed in CI (.ci/run installs them)"
    );
    eprintln!(
        "skipped: docker-registry, skopeo, htpasswd or openssl missing (apt-get install docker-registry skopeo apache2-utils openssl)"
    );
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A `docker-registry` process, killed on drop.
pub(crate) struct Registry {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Registry {
    /// Starts a registry; with `htpasswd` = (user, password) it asks for Basic auth.
    pub(crate) fn start(htpasswd: Option<(&str, &str)>) -> Registry {
        Registry::start_with(htpasswd, None)
    }

    /// With `tls` = (certificate, key) files the registry serves HTTPS only.
    fn start_with(htpasswd: Option<(&str, &str)>, tls: Option<(&Path, &Path)>) -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut auth = String::new();
        if let Some((u, p)) = htpasswd {
            let file = dir.path().join("htpasswd");
            let out = Proc::new("htpasswd")
                .args(["-Bbc"])
                .arg(&file)
                .args([u, p])
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            auth = format!(
                "auth:\n  htpasswd:\n    realm: test\n    path: {}\n",
                file.display()
            );
        }
        let tls = tls.map_or(String::new(), |(c, k)| {
            format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                c.display(),
                k.display()
            )
        });
        let config = dir.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n{tls}{auth}",
                dir.path().join("data").display()
            ),
        )
        .unwrap();
        let child = Proc::new(REGISTRY)
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let reg = Registry {
            child,
            port,
            _dir: dir,
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "registry did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        reg
    }

    pub(crate) fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `skopeo copy` of an OCI archive into `repo:tag`, with extra skopeo flags.
    pub(crate) fn push(&self, archive: &Path, repo_tag: &str, extra: &[&str]) {
        let out = Proc::new("skopeo")
            .args(["copy", "--quiet", "--dest-tls-verify=false"])
            .args(extra)
            .arg(format!("oci-archive:{}:t", archive.display()))
            .arg(format!("docker://{}/{repo_tag}", self.host()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "skopeo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A small two-layer image (second layer overwrites and deletes files of the first).
fn spec(c: Compression, seed: usize, platform: &str) -> ImageSpec {
    let base = LayerBuilder::new()
        .compress(c)
        .dir("etc")
        .file("etc/os-release", b"ID=test\n")
        .file_size("usr/lib/libbig.so", 200_000)
        .file_size("var/cache/apk/index.tar.gz", 30_000)
        .build();
    let app = LayerBuilder::new()
        .compress(c)
        .file_size("usr/lib/libbig.so", 150_000 + seed)
        .whiteout("var/cache/apk/index.tar.gz")
        .file_size("app/bin", 80_000 + seed * 3)
        .build();
    ImageSpec::new()
        .layer(base, "/bin/sh -c #(nop) ADD file:base in /")
        .layer(app, "RUN make install # buildkit")
        .empty("CMD [\"/app/bin\"]")
        .platform(platform)
        .tag("t")
}

pub(crate) fn write_archive(dir: &Path, name: &str, images: &[ImageSpec], nested: bool) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, testkit::to_tar(&testkit::oci(images, nested))).unwrap();
    p
}

fn dlint(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("dlint")
        .unwrap()
        .env_remove("DLINT_REGISTRY_USER")
        .env_remove("DLINT_REGISTRY_PASSWORD")
        .env("REGISTRY_AUTH_FILE", "/nonexistent/auth.json")
        .env("XDG_RUNTIME_DIR", "/nonexistent")
        .env("DOCKER_CONFIG", "/nonexistent")
        .env("NO_PROXY", "*")
        .args(args)
        .output()
        .unwrap()
}

fn image_json(input: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["image", "--no-config", "-f", "json", "--top", "20", input];
    args.extend_from_slice(extra);
    let out = dlint(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{input}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `dlint compare A B --format json`, which must succeed.
fn compare_json(a: &str, b: &str) -> serde_json::Value {
    let out = dlint(&["compare", a, b, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The report without the fields that name the source (and, for a converted manifest, the
/// layer media types), as the bytes serde_json writes.
fn body(mut v: serde_json::Value, drop_media_types: bool) -> String {
    let o = v.as_object_mut().unwrap();
    for k in ["archive", "format", "reference"] {
        o.remove(k);
    }
    if drop_media_types {
        for l in o["layers"].as_array_mut().unwrap() {
            l.as_object_mut().unwrap().remove("media_type");
        }
    }
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn every_format_reads_like_the_archive() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    let host = reg.host();
    // OCI manifest, gzip layers
    let gz = write_archive(
        tmp.path(),
        "gz.tar",
        &[spec(Compression::Gzip, 1, "linux/amd64")],
        false,
    );
    reg.push(&gz, "app:gz", &[]);
    let from_disk = image_json(gz.to_str().unwrap(), &[]);
    let url = format!("docker://{host}/app:gz");
    let from_reg = image_json(&url, &[]);
    assert_eq!(
        body(from_reg.clone(), false),
        body(from_disk.clone(), false)
    );
    assert_eq!(from_reg["archive"], url.as_str());
    assert_eq!(from_reg["format"], "registry");
    assert_eq!(from_reg["reference"], format!("{host}/app:gz").as_str());
    assert!(from_reg["totals"]["wasted_bytes"].as_u64().unwrap() > 200_000);
    // the same image by digest, and with oci://
    let digest = from_disk["config_digest"].as_str().unwrap().to_string();
    assert_eq!(from_reg["config_digest"], digest.as_str());
    let by_oci = image_json(&format!("oci://{host}/app:gz"), &[]);
    assert_eq!(body(by_oci, false), body(from_disk.clone(), false));

    // Docker v2 schema 2 manifest (skopeo converts): same figures, Docker media types
    reg.push(&gz, "app:v2s2", &["--format", "v2s2"]);
    let v2 = image_json(&format!("docker://{host}/app:v2s2"), &[]);
    assert_eq!(body(v2.clone(), true), body(from_disk.clone(), true));
    assert_eq!(
        v2["layers"][0]["media_type"],
        "application/vnd.docker.image.rootfs.diff.tar.gzip"
    );

    // zstd layers, pushed as they are
    let zst = write_archive(
        tmp.path(),
        "zst.tar",
        &[spec(Compression::Zstd, 2, "linux/amd64")],
        false,
    );
    reg.push(&zst, "app:zstd", &[]);
    let zd = image_json(zst.to_str().unwrap(), &[]);
    let zr = image_json(&format!("docker://{host}/app:zstd"), &[]);
    assert_eq!(body(zr.clone(), false), body(zd, false));
    assert_eq!(zr["layers"][1]["compression"], "zstd");

    // an index with two platforms: default linux/amd64, --platform linux/arm64
    let multi = write_archive(
        tmp.path(),
        "multi.tar",
        &[
            spec(Compression::Gzip, 3, "linux/amd64"),
            spec(Compression::Gzip, 4, "linux/arm64"),
        ],
        true,
    );
    reg.push(&multi, "multi:1", &["--all"]);
    for platform in ["linux/amd64", "linux/arm64"] {
        let d = image_json(multi.to_str().unwrap(), &["--platform", platform]);
        let r = image_json(
            &format!("docker://{host}/multi:1"),
            &["--platform", platform],
        );
        assert_eq!(body(r.clone(), false), body(d, false), "{platform}");
        assert_eq!(r["platform"], platform);
    }
    // the same as a Docker manifest list (skopeo converts the index and both manifests)
    reg.push(&multi, "multi:v2s2", &["--all", "--format", "v2s2"]);
    assert_eq!(
        manifest_type(reg.port, "multi", "v2s2"),
        "application/vnd.docker.distribution.manifest.list.v2+json"
    );
    assert_eq!(
        manifest_type(reg.port, "multi", "1"),
        "application/vnd.oci.image.index.v1+json"
    );
    for platform in ["linux/amd64", "linux/arm64"] {
        let d = image_json(multi.to_str().unwrap(), &["--platform", platform]);
        let r = image_json(
            &format!("docker://{host}/multi:v2s2"),
            &["--platform", platform],
        );
        assert_eq!(body(r.clone(), true), body(d, true), "{platform}");
        assert_eq!(
            r["layers"][0]["media_type"],
            "application/vnd.docker.image.rootfs.diff.tar.gzip"
        );
    }
    let def = image_json(&format!("docker://{host}/multi:1"), &[]);
    assert_eq!(def["platform"], "linux/amd64");
    let err = fails(&[
        "image",
        "--no-config",
        &format!("docker://{host}/multi:1"),
        "--platform",
        "linux/s390x",
    ]);
    assert!(err.contains("linux/amd64, linux/arm64"), "{err}");

    // a missing tag and a missing repository: exit 2, registry + repository + code named
    for (repo_tag, code) in [
        ("app:nope", "MANIFEST_UNKNOWN"),
        ("ghost:1", "MANIFEST_UNKNOWN"),
    ] {
        let err = fails(&[
            "image",
            "--no-config",
            &format!("docker://{host}/{repo_tag}"),
        ]);
        let repo = repo_tag.split(':').next().unwrap();
        for want in [
            format!("registry {host}"),
            format!("repository {repo}"),
            "HTTP 404".to_string(),
            code.to_string(),
        ] {
            assert!(err.contains(&want), "{want:?} not in {err}");
        }
    }

    // compare: both sides in the registry, then registry against archive
    let reg_cmp = compare_json(
        &format!("docker://{host}/app:gz"),
        &format!("docker://{host}/app:zstd"),
    );
    let disk_cmp = compare_json(gz.to_str().unwrap(), zst.to_str().unwrap());
    let strip = |mut v: serde_json::Value| {
        let o = v.as_object_mut().unwrap();
        o.remove("a");
        o.remove("b");
        v
    };
    let mixed = compare_json(gz.to_str().unwrap(), &format!("docker://{host}/app:zstd"));
    assert_eq!(strip(reg_cmp), strip(disk_cmp.clone()));
    assert_eq!(strip(mixed), strip(disk_cmp));
}

/// The `Content-Type` the registry gives a manifest, asked for as any list or manifest type.
fn manifest_type(port: u16, repo: &str, tag: &str) -> String {
    let head = vec![
        format!("GET /v2/{repo}/manifests/{tag} HTTP/1.1"),
        "Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json".to_string(),
    ];
    let (h, _) = forward(port, &head).expect("registry answers");
    hdr(&h, "content-type").unwrap_or_default().to_string()
}

/// What the proxy in front of the registry does.
#[derive(Default)]
struct ProxyMode {
    /// Cut the connection half way through this blob, this many times.
    cut: Option<(String, usize)>,
    /// Flip a byte in the middle of this blob, every time.
    flip: Option<String>,
    /// Ask for `Bearer TOKEN`, served at `/token` (with Basic (user, password) if set).
    bearer: Option<(String, Option<(String, String)>)>,
    /// Answer blob requests with a redirect to the second listener.
    redirect_blobs: bool,
    /// Answer this many manifest requests with `503` (`Retry-After: 0`) first.
    unavailable: usize,
    /// Bytes of every response body forwarded from the registry, with the request path.
    sent: Mutex<Vec<(String, usize)>>,
}

/// A proxy on 127.0.0.1 in front of the registry, serving one connection at a time; its
/// thread stops when dropped (and after two minutes in any case).
struct Proxy {
    port: u16,
    mode: Arc<ProxyMode>,
    /// Every request line seen (method, path) and whether it carried Authorization.
    log: Arc<Mutex<Vec<(String, bool)>>>,
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn read_head(r: &mut BufReader<TcpStream>) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    loop {
        let mut l = String::new();
        if r.read_line(&mut l).ok()? == 0 {
            return None;
        }
        let l = l.trim_end().to_string();
        if l.is_empty() {
            return Some(lines);
        }
        lines.push(l);
        if lines.len() > 200 {
            return None;
        }
    }
}

fn hdr<'a>(head: &'a [String], name: &str) -> Option<&'a str> {
    head.iter().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn respond(s: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = s.write_all(out.as_bytes());
    let _ = s.write_all(body);
}

/// Forwards one request to the registry; returns (head lines, body).
fn forward(upstream: u16, head: &[String]) -> Option<(Vec<String>, Vec<u8>)> {
    let mut up = TcpStream::connect(("127.0.0.1", upstream)).ok()?;
    up.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let mut req = format!("{}\r\n", head.first()?);
    for l in head.iter().skip(1) {
        let k = l
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if k != "connection" && k != "host" {
            req.push_str(&format!("{l}\r\n"));
        }
    }
    req.push_str(&format!(
        "Host: 127.0.0.1:{upstream}\r\nConnection: close\r\n\r\n"
    ));
    up.write_all(req.as_bytes()).ok()?;
    let mut r = BufReader::new(up);
    let h = read_head(&mut r)?;
    let mut body = Vec::new();
    r.take(256 << 20).read_to_end(&mut body).ok()?;
    Some((h, body))
}

impl Proxy {
    fn start(upstream: u16, mode: ProxyMode) -> Proxy {
        let main = TcpListener::bind("127.0.0.1:0").unwrap();
        let side = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = main.local_addr().unwrap().port();
        let side_port = side.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let mode = Arc::new(mode);
        let cuts = Arc::new(AtomicUsize::new(0));
        let mut threads = Vec::new();
        for (listener, is_side) in [(main, false), (side, true)] {
            listener.set_nonblocking(true).unwrap();
            let (log, stop, mode, cuts) = (log.clone(), stop.clone(), mode.clone(), cuts.clone());
            threads.push(std::thread::spawn(move || {
                let start = Instant::now();
                while !stop.load(Ordering::Relaxed) && start.elapsed() < Duration::from_secs(120) {
                    let Ok((s, _)) = listener.accept() else {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    let _ = s.set_nonblocking(false);
                    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                    serve(s, upstream, port, side_port, is_side, &mode, &log, &cuts);
                }
            }));
        }
        Proxy {
            port,
            mode: mode.clone(),
            log,
            stop,
            threads,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `app:1` through the proxy.
    fn app(&self) -> String {
        format!("docker://{}/app:1", self.host())
    }

    fn requests(&self) -> Vec<(String, bool)> {
        self.log.lock().unwrap().clone()
    }

    /// (path, body bytes) of the responses forwarded so far; cleared.
    fn take_sent(&self) -> Vec<(String, usize)> {
        std::mem::take(&mut *self.mode.sent.lock().unwrap())
    }
}

#[allow(clippy::too_many_arguments)]
fn serve(
    mut s: TcpStream,
    upstream: u16,
    port: u16,
    side_port: u16,
    is_side: bool,
    mode: &ProxyMode,
    log: &Mutex<Vec<(String, bool)>>,
    cuts: &AtomicUsize,
) {
    let Ok(clone) = s.try_clone() else { return };
    let mut r = BufReader::new(clone);
    // a TLS ClientHello (dlint asks loopback registries for HTTPS first): not served here
    if r.fill_buf().map_or(true, |b| b.first() == Some(&0x16)) {
        return;
    }
    let Some(head) = read_head(&mut r) else {
        return;
    };
    let line = head.first().cloned().unwrap_or_default();
    let path = line.split(' ').nth(1).unwrap_or("").to_string();
    let auth = hdr(&head, "authorization").map(str::to_string);
    let tag = if is_side { "side " } else { "" };
    log.lock()
        .unwrap()
        .push((format!("{tag}{path}"), auth.is_some()));
    if let Some((token, basic)) = &mode.bearer
        && !is_side
    {
        if path.starts_with("/token") {
            let ok = match basic {
                None => true,
                Some((u, p)) => {
                    use base64::Engine as _;
                    let want = format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
                    );
                    auth.as_deref() == Some(want.as_str())
                }
            };
            // the flow must send the service and scope it was given
            let ok = ok
                && path.contains("service=test-registry")
                && path.contains("scope=repository%3Aapp%3Apull");
            if ok {
                respond(
                    &mut s,
                    "200 OK",
                    &[("Content-Type", "application/json".into())],
                    format!("{{\"token\":\"{token}\"}}").as_bytes(),
                );
            } else {
                respond(&mut s, "401 Unauthorized", &[], b"{}");
            }
            return;
        }
        if path.starts_with("/v2/") && auth.as_deref() != Some(&format!("Bearer {token}")) {
            let challenge = format!(
                "Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"test-registry\",scope=\"repository:app:pull\""
            );
            respond(
                &mut s,
                "401 Unauthorized",
                &[("WWW-Authenticate", challenge)],
                br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            );
            return;
        }
    }
    if mode.unavailable > 0
        && path.contains("/manifests/")
        && cuts.fetch_add(1, Ordering::Relaxed) < mode.unavailable
    {
        respond(
            &mut s,
            "503 Service Unavailable",
            &[("Retry-After", "0".into())],
            br#"{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}"#,
        );
        return;
    }
    if mode.redirect_blobs && !is_side && path.contains("/blobs/") {
        let loc = format!("http://localhost:{side_port}{path}");
        respond(&mut s, "307 Temporary Redirect", &[("Location", loc)], b"");
        return;
    }
    // the proxy only ever sees the registry's own API: drop our Authorization before forwarding
    let fwd: Vec<String> = head
        .iter()
        .filter(|l| !l.to_ascii_lowercase().starts_with("authorization:"))
        .cloned()
        .collect();
    let Some((rhead, mut body)) = forward(upstream, &fwd) else {
        return;
    };
    let digest = path.rsplit('/').next().unwrap_or("").to_string();
    let is_blob = path.contains("/blobs/");
    if is_blob
        && let Some(d) = &mode.flip
        && *d == digest
        && !body.is_empty()
    {
        let mid = body.len() / 2;
        body[mid] ^= 0x55;
    }
    let mut out = format!("{}\r\n", rhead.first().cloned().unwrap_or_default());
    for l in rhead.iter().skip(1) {
        if !l.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(&format!("{l}\r\n"));
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let _ = s.write_all(out.as_bytes());
    if is_blob
        && let Some((d, times)) = &mode.cut
        && *d == digest
        && cuts.fetch_add(1, Ordering::Relaxed) < *times
    {
        let _ = s.write_all(&body[..body.len() / 2]);
        let _ = s.shutdown(std::net::Shutdown::Both);
        return;
    }
    if s.write_all(&body).is_ok() {
        mode.sent.lock().unwrap().push((path, body.len()));
    }
}

/// A registry (Basic auth when `login` is given) holding one gzip image as `app:1`, the OCI
/// archive it was pushed from, and that archive's JSON report. `None` when the tools are missing.
fn one_image(
    seed: usize,
    login: Option<(&str, &str)>,
) -> Option<(Registry, tempfile::TempDir, PathBuf, serde_json::Value)> {
    if !tools_present() {
        return None;
    }
    let reg = Registry::start(login);
    let tmp = tempfile::tempdir().unwrap();
    let gz = write_archive(
        tmp.path(),
        "gz.tar",
        &[spec(Compression::Gzip, seed, "linux/amd64")],
        false,
    );
    let creds = login.map(|(u, p)| format!("{u}:{p}"));
    let extra: Vec<&str> = match &creds {
        Some(c) => vec!["--dest-creds", c],
        None => vec![],
    };
    reg.push(&gz, "app:1", &extra);
    let report = image_json(gz.to_str().unwrap(), &[]);
    Some((reg, tmp, gz, report))
}

/// Runs dlint, expects exit 2 and nothing on stdout; returns stderr.
fn fails(args: &[&str]) -> String {
    let out = dlint(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    assert!(out.stdout.is_empty(), "{args:?}: half a report");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The blob digest of layer `i` of a report.
fn layer_digest(v: &serde_json::Value, i: usize) -> String {
    v["layers"][i]["digest"].as_str().unwrap().to_string()
}

#[test]
fn broken_connections_resume_and_corrupt_blobs_fail() {
    let Some((reg, _tmp, _, want)) = one_image(5, None) else {
        return;
    };
    let big = layer_digest(&want, 0);

    // cut twice half way: resumed with Range, same report
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            cut: Some((big.clone(), 2)),
            ..ProxyMode::default()
        },
    );
    let got = image_json(&proxy.app(), &[]);
    assert_eq!(body(got, false), body(want.clone(), false));
    let gets = proxy
        .requests()
        .iter()
        .filter(|(p, _)| p.ends_with(&big))
        .count();
    assert_eq!(gets, 3, "{:?}", proxy.requests());
    drop(proxy);

    // cut every time: fails after the bounded retries, exit 2, nothing on stdout
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            cut: Some((big.clone(), usize::MAX)),
            ..ProxyMode::default()
        },
    );
    let err = fails(&["image", "--no-config", &proxy.app()]);
    assert!(err.contains("layer 0") && err.contains(&big), "{err}");
    assert!(err.contains("attempts"), "{err}");
    drop(proxy);

    // 503 twice, then served: retried; 503 always: exit 2 after the bounded attempts
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            unavailable: 2,
            ..ProxyMode::default()
        },
    );
    let got = image_json(&proxy.app(), &[]);
    assert_eq!(body(got, false), body(want.clone(), false));
    drop(proxy);
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            unavailable: usize::MAX,
            ..ProxyMode::default()
        },
    );
    let err = fails(&["image", "--no-config", &proxy.app()]);
    assert!(
        err.contains("HTTP 503") && err.contains("UNAVAILABLE"),
        "{err}"
    );
    let tries = proxy
        .requests()
        .iter()
        .filter(|(p, _)| p.contains("/manifests/"))
        .count();
    assert_eq!(tries, 4, "{:?}", proxy.requests());
    drop(proxy);

    // a flipped byte: a clean error naming the layer, never a report
    for layer in [0, 1] {
        let d = layer_digest(&want, layer);
        let proxy = Proxy::start(
            reg.port,
            ProxyMode {
                flip: Some(d.clone()),
                ..ProxyMode::default()
            },
        );
        let err = fails(&["image", "--no-config", &proxy.app()]);
        assert!(
            err.contains(&format!("layer {layer}")) && err.contains(&d),
            "{err}"
        );
    }
}

#[test]
fn basic_auth_and_credentials_never_shown() {
    let pass = "Sekr1t-pass-4242";
    let Some((reg, tmp, _, want)) = one_image(6, Some(("alice", pass))) else {
        return;
    };
    let url = format!("docker://{}/app:1", reg.host());
    let want = body(want, false);
    let secret_b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{pass}"))
    };
    let clean_text = |streams: &[&[u8]]| {
        for stream in streams {
            let s = String::from_utf8_lossy(stream);
            assert!(
                !s.contains(pass) && !s.contains(&secret_b64) && !s.contains("WRONG-pw"),
                "{s}"
            );
        }
    };
    let clean = |out: &std::process::Output| clean_text(&[&out.stdout, &out.stderr]);
    // anonymous: refused, says how to log in
    let err = fails(&["image", "--no-config", &url]);
    assert!(
        err.contains("HTTP 401") && err.contains("authentication required"),
        "{err}"
    );
    // wrong password
    let err = fails(&["image", "--no-config", &url, "--creds", "alice:WRONG-pw"]);
    assert!(
        err.contains("credentials were refused") && err.contains("UNAUTHORIZED"),
        "{err}"
    );
    clean_text(&[err.as_bytes()]);
    // --creds
    let creds = format!("alice:{pass}");
    let out = dlint(&[
        "image",
        "--no-config",
        "-f",
        "json",
        &url,
        "--creds",
        &creds,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    clean(&out);
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body(got, false), want);
    // environment variables
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .env("DLINT_REGISTRY_USER", "alice")
        .env("DLINT_REGISTRY_PASSWORD", pass)
        .env("NO_PROXY", "*")
        .args(["image", "--no-config", "-f", "json", &url])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    clean(&out);
    // an auth file with a base64 `auth`, then a credential helper
    let auth_file = tmp.path().join("auth.json");
    std::fs::write(
        &auth_file,
        format!(
            r#"{{"auths":{{"{}":{{"auth":"{secret_b64}"}}}}}}"#,
            reg.host()
        ),
    )
    .unwrap();
    let with_file = |file: &Path, path_env: Option<String>| {
        let mut c = Command::cargo_bin("dlint").unwrap();
        c.env_remove("DLINT_REGISTRY_USER")
            .env_remove("DLINT_REGISTRY_PASSWORD")
            .env("REGISTRY_AUTH_FILE", file)
            .env("NO_PROXY", "*")
            .args(["image", "--no-config", "-f", "json", &url]);
        if let Some(p) = path_env {
            c.env("PATH", p);
        }
        c.output().unwrap()
    };
    let out = with_file(&auth_file, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    clean(&out);
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let helper = bin.join("docker-credential-dlinttest");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\nread server\n[ \"$1\" = get ] && [ \"$server\" = \"{}\" ] || exit 1\nprintf '{{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"{pass}\"}}' \"$server\"\n",
            reg.host()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        &auth_file,
        format!(
            r#"{{"auths":{{}},"credHelpers":{{"{}":"dlinttest"}}}}"#,
            reg.host()
        ),
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = with_file(&auth_file, Some(path));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    clean(&out);
}

#[test]
fn bearer_token_flow_and_redirects() {
    let Some((reg, _tmp, _, want)) = one_image(7, None) else {
        return;
    };
    let want = body(want, false);

    // anonymous token
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            bearer: Some(("anon-token".into(), None)),
            ..ProxyMode::default()
        },
    );
    let url = format!("docker://{}/app:1", proxy.host());
    assert_eq!(body(image_json(&url, &[]), false), want);
    let log = proxy.requests();
    assert!(log.iter().any(|(p, _)| p.starts_with("/token")), "{log:?}");
    drop(proxy);

    // token for credentials (Basic to the token endpoint), blobs redirected to another origin
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            bearer: Some(("user-token".into(), Some(("bob".into(), "tok-pw".into())))),
            redirect_blobs: true,
            ..ProxyMode::default()
        },
    );
    let url = format!("docker://{}/app:1", proxy.host());
    assert_eq!(
        body(image_json(&url, &["--creds", "bob:tok-pw"]), false),
        want
    );
    let log = proxy.requests();
    let side: Vec<_> = log.iter().filter(|(p, _)| p.starts_with("side ")).collect();
    assert!(!side.is_empty(), "{log:?}");
    assert!(
        side.iter().all(|(_, auth)| !auth),
        "Authorization sent to another host: {log:?}"
    );
    // no credentials: the token endpoint refuses, exit 2
    let err = fails(&["image", "--no-config", &url]);
    assert!(
        err.contains("token from 127.0.0.1") && err.contains("401"),
        "{err}"
    );
}

#[test]
fn compare_fetches_a_shared_layer_once() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    // same base layer bytes, different second layers
    let a = spec(Compression::Gzip, 8, "linux/amd64");
    let mut b = spec(Compression::Gzip, 9, "linux/amd64");
    b.layers[0] = a.layers[0].clone();
    let pa = write_archive(tmp.path(), "a.tar", std::slice::from_ref(&a), false);
    let pb = write_archive(tmp.path(), "b.tar", &[b], false);
    reg.push(&pa, "app:a", &[]);
    reg.push(&pb, "app:b", &[]);
    let proxy = Proxy::start(reg.port, ProxyMode::default());
    let host = proxy.host();
    let v = compare_json(
        &format!("docker://{host}/app:a"),
        &format!("docker://{host}/app:b"),
    );
    assert_eq!(v["layers"]["shared"], 1, "{v}");
    let base = &a.layers[0].digest;
    let log = proxy.requests();
    let n = log
        .iter()
        .filter(|(p, _)| p.ends_with(base.as_str()))
        .count();
    assert_eq!(n, 1, "{log:?}");
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Proc::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "openssl {args:?}: {out:?}");
}

/// HTTPS with the system's roots: a registry on 127.0.0.1 serving a certificate from a test CA
/// is read over HTTPS when `SSL_CERT_FILE` names that CA, and refused with a certificate error
/// when it does not (never downgraded to plain HTTP).
#[test]
fn https_with_system_roots() {
    if !tools_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=dlint test CA",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "srv.key",
            "-out",
            "srv.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    std::fs::write(
        d.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "srv.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "srv.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
    let reg = Registry::start_with(None, Some((&d.join("srv.pem"), &d.join("srv.key"))));
    let gz = write_archive(
        d,
        "gz.tar",
        &[spec(Compression::Gzip, 10, "linux/amd64")],
        false,
    );
    reg.push(&gz, "app:1", &[]);
    let want = body(image_json(gz.to_str().unwrap(), &[]), false);
    let url = format!("docker://{}/app:1", reg.host());
    let run = |ca: Option<&Path>| {
        let mut c = Command::cargo_bin("dlint").unwrap();
        c.env("REGISTRY_AUTH_FILE", "/nonexistent/auth.json")
            .env("DOCKER_CONFIG", "/nonexistent")
            .env("NO_PROXY", "*")
            .env_remove("SSL_CERT_DIR")
            .args(["image", "--no-config", "-f", "json", &url]);
        match ca {
            Some(f) => c.env("SSL_CERT_FILE", f),
            // the machine's own roots, which do not know the test CA
            None => c.env_remove("SSL_CERT_FILE"),
        };
        c.output().unwrap()
    };
    let out = run(Some(&d.join("ca.pem")));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body(got, false), want);
    let out = run(None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("https://") && err.contains("certificate") && !err.contains("attempts"),
        "{err}"
    );
}

/// A python-like image of `repository:tag` flavour `variant` (its layer sizes differ), with ENV
/// and USER in its config, as an OCI archive in `dir`.
fn base_variant(dir: &Path, name: &str, env: &[&str], user: Option<&str>, size: usize) -> PathBuf {
    let layer = LayerBuilder::new()
        .compress(Compression::Gzip)
        .file("etc/os-release", b"ID=debian\n")
        .file_size("usr/lib/libpython.so", size)
        .build();
    let mut spec = ImageSpec::new()
        .layer(layer, "/bin/sh -c #(nop) ADD file:base in /")
        .setting("Env", serde_json::json!(env))
        .tag("t");
    if let Some(u) = user {
        spec = spec.setting("User", serde_json::json!(u));
    }
    write_archive(dir, name, &[spec], false)
}

/// `dlint lint -f json` with the cache in `cache`: the (rule@line) findings and stderr.
fn lint_base(cache: &Path, dockerfile: &Path, extra: &[&str]) -> (Vec<String>, String) {
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .env_remove("DLINT_REGISTRY_USER")
        .env_remove("DLINT_REGISTRY_PASSWORD")
        .env("REGISTRY_AUTH_FILE", "/nonexistent/auth.json")
        .env("DOCKER_CONFIG", "/nonexistent")
        .env("NO_PROXY", "*")
        .env("XDG_CACHE_HOME", cache)
        .args(["lint", "--no-config", "--no-fail", "-f", "json"])
        .args(extra)
        .arg(dockerfile)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}@{}", d["rule"].as_str().unwrap(), d["line"]))
        .collect();
    (found, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Base-image facts from a real registry (a manifest and a config, no layer), then from the
/// cache: a hit makes no request (the tag was re-pushed and the old answer stands until the TTL),
/// a stale tag is re-resolved, a corrupt entry is refetched (never a wrong answer), and
/// `--base-facts offline` answers from the cache once the registry is gone.
#[test]
fn base_facts_from_the_registry_and_the_cache() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let full = base_variant(
        tmp.path(),
        "full.tar",
        &["PATH=/usr/local/bin:/usr/bin:/bin", "PYTHON_VERSION=3.12.8"],
        None,
        400_000,
    );
    reg.push(&full, "lang:3.12", &[]);
    let df = tmp.path().join("Dockerfile");
    std::fs::write(
        &df,
        format!(
            "FROM {}/lang:3.12\nARG V=$PYTHON_VERSION\nCOPY $foo /app/\n",
            reg.host()
        ),
    )
    .unwrap();
    let registry = ["--base-facts", "registry"];
    let (found, err) = lint_base(&cache, &df, &registry);
    assert_eq!(found, ["DL3002@1", "DL5106@3"], "{err}");
    let tags = cache.join("dlint/base/tags");
    assert_eq!(std::fs::read_dir(&tags).unwrap().count(), 1);

    // the tag moves to an image without PYTHON_VERSION: the cached answer stands (a cache hit
    // asks nothing) until the entry is older than the TTL
    let moved = base_variant(
        tmp.path(),
        "moved.tar",
        &["PATH=/usr/bin:/bin"],
        Some("65532"),
        100_000,
    );
    reg.push(&moved, "lang:3.12", &[]);
    assert_eq!(
        lint_base(&cache, &df, &registry).0,
        ["DL3002@1", "DL5106@3"]
    );
    for e in std::fs::read_dir(&tags).unwrap() {
        let p = e.unwrap().path();
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        v["resolved"] = serde_json::json!(0);
        std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
    }
    // stale: re-resolved; the new base runs as 65532 and lacks PYTHON_VERSION
    let now = ["DL5106@2", "DL5106@3"];
    assert_eq!(lint_base(&cache, &df, &registry).0, now);

    // corrupt facts: offline has nothing to say, registry refetches the right answer
    for e in std::fs::read_dir(cache.join("dlint/base/facts")).unwrap() {
        std::fs::write(e.unwrap().path(), b"{\"digest\": 3").unwrap();
    }
    let (found, err) = lint_base(&cache, &df, &["--base-facts", "offline"]);
    assert!(found.is_empty(), "{found:?}");
    assert!(err.contains("not in the cache"), "{err}");
    assert_eq!(lint_base(&cache, &df, &registry).0, now);

    // the registry is gone: offline (and registry, within the TTL) answer from the cache
    drop(reg);
    assert_eq!(lint_base(&cache, &df, &["--base-facts", "offline"]).0, now);
    assert_eq!(lint_base(&cache, &df, &registry).0, now);
}

/// Base-image facts from a registry that asks for Basic auth: with the credentials in the
/// environment they are read; without, a note and no facts.
#[test]
fn base_facts_with_basic_auth() {
    let Some((reg, tmp, _, _)) = one_image(3, Some(("u", "p4ss"))) else {
        return;
    };
    let df = tmp.path().join("Dockerfile");
    std::fs::write(&df, format!("FROM {}/app:1\nCOPY $foo /app/\n", reg.host())).unwrap();
    let cache = tmp.path().join("cache");
    let (found, err) = lint_base(&cache, &df, &["--base-facts", "registry"]);
    assert!(found.is_empty(), "{found:?}");
    assert!(err.contains("facts unknown"), "{err}");
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .env("DLINT_REGISTRY_USER", "u")
        .env("DLINT_REGISTRY_PASSWORD", "p4ss")
        .env("XDG_CACHE_HOME", &cache)
        .env("NO_PROXY", "*")
        .args([
            "lint",
            "--no-config",
            "--no-fail",
            "-f",
            "json",
            "--base-facts",
            "registry",
        ])
        .arg(&df)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert!(
        rules.contains(&"DL5106"),
        "{rules:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `dlint optimize` prices the smaller variants of the base's tag on a real registry: full,
/// slim and alpine flavours of `lang:3.12` (and an unrelated version) under one repository,
/// the tag list read from the registry, each variant's manifest and config read, the saving
/// in every format, ranked with the other findings.
#[test]
fn optimize_prices_the_base_variants() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    let env = ["PATH=/usr/bin:/bin", "PYTHON_VERSION=3.12.8"];
    for (tag, size) in [
        ("3.12", 900_000),
        ("3.12-slim", 300_000),
        ("3.12-alpine", 120_000),
        ("3.11-slim", 10_000),
    ] {
        // incompressible content, so the compressed sizes differ as the files do
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let data: Vec<u8> = (0..size)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let layer = LayerBuilder::new()
            .compress(Compression::Gzip)
            .file("usr/lib/libpython.so", &data)
            .build();
        let spec = ImageSpec::new()
            .layer(layer, "/bin/sh -c #(nop) ADD file:base in /")
            .setting("Env", serde_json::json!(env))
            .tag("t");
        let archive = write_archive(tmp.path(), &format!("{tag}.tar"), &[spec], false);
        reg.push(&archive, &format!("lang:{tag}"), &[]);
    }
    let df = tmp.path().join("Dockerfile");
    std::fs::write(
        &df,
        format!(
            "FROM {}/lang:3.12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY app /app\n",
            reg.host()
        ),
    )
    .unwrap();
    let optimize = |format: &str| {
        let out = Command::cargo_bin("dlint")
            .unwrap()
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .env("NO_PROXY", "*")
            .args(["optimize", "--no-config", "-f", format])
            .arg(&df)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&optimize("json")).unwrap();
    let variants: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "base-variant")
        .collect();
    assert_eq!(variants.len(), 2, "{v:#}");
    // ranked by saving: alpine first, then slim; 3.11 is another version
    let alpine = variants[0]["what"].as_str().unwrap();
    let slim = variants[1]["what"].as_str().unwrap();
    assert!(
        alpine.contains("lang:3.12-alpine") && alpine.contains("musl"),
        "{alpine}"
    );
    assert!(alpine.contains("apk add"), "{alpine}");
    assert!(
        slim.contains("lang:3.12-slim") && slim.contains("glibc and apt"),
        "{slim}"
    );
    let (a, s) = (
        variants[0]["bytes"].as_u64().unwrap(),
        variants[1]["bytes"].as_u64().unwrap(),
    );
    assert!(a > s && s > 400_000, "alpine saves {a}, slim {s}");
    assert_eq!(variants[0]["status"], "measured");
    assert!(
        variants[0]["note"]
            .as_str()
            .unwrap()
            .contains("compressed only")
    );
    for format in ["text", "markdown"] {
        let out = optimize(format);
        assert!(
            out.contains("base-variant") && out.contains("lang:3.12-slim"),
            "{out}"
        );
    }
}

/// With the layer cache, a second analysis of a registry image transfers only its manifests and
/// config: no layer blob is downloaded, and the report is the same.
#[test]
fn a_cached_image_downloads_no_layer() {
    let Some((reg, _tmp, _gz, _)) = one_image(11, None) else {
        return;
    };
    let proxy = Proxy::start(reg.port, ProxyMode::default());
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().to_str().unwrap();
    let app = proxy.app();
    let cold = image_json(&app, &["--cache-dir", dir]);
    let first = proxy.take_sent();
    let warm = image_json(&app, &["--cache-dir", dir]);
    let second = proxy.take_sent();
    assert_eq!(cold, warm);
    let layers: Vec<String> = (0..2).map(|i| layer_digest(&cold, i)).collect();
    let config = cold["config_digest"].as_str().unwrap();
    let bytes = |log: &[(String, usize)], pred: &dyn Fn(&str) -> bool| -> usize {
        log.iter().filter(|(p, _)| pred(p)).map(|(_, n)| n).sum()
    };
    let is_layer = |p: &str| layers.iter().any(|d| p.ends_with(d.as_str()));
    assert!(bytes(&first, &is_layer) > 5_000, "{first:?}");
    assert_eq!(bytes(&second, &is_layer), 0, "{second:?}");
    // what the second run fetched: manifests (and the index) and the config, nothing else
    for (p, _) in &second {
        assert!(
            p.contains("/manifests/") || p.ends_with(config) || !p.starts_with("/v2/app/"),
            "{p} fetched again: {second:?}"
        );
    }
    assert!(
        second.iter().any(|(p, _)| p.ends_with(config)),
        "{second:?}"
    );
    eprintln!(
        "registry bytes: first run {} (layers {}), second run {} (layers 0)",
        bytes(&first, &|_| true),
        bytes(&first, &is_layer),
        bytes(&second, &|_| true)
    );
}

/// A registry-wide scan: 30 images (generated variants sharing base layers, and one missing
/// reference) scanned by three `--shard I/3` workers as separate processes sharing one layer
/// cache; the three line files merge to exactly the report of one unsharded run.
#[test]
fn sharded_scan_merges_like_one_run() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    let mut refs = Vec::new();
    let bases: Vec<_> = (0..3)
        .map(|b| {
            LayerBuilder::new()
                .compress(Compression::Gzip)
                .file("etc/os-release", format!("ID=base{b}\n").as_bytes())
                .file_size("usr/lib/libbig.so", 200_000 + b * 10_000)
                .file_size("var/cache/apk/index.tar.gz", 30_000)
                .build()
        })
        .collect();
    for i in 0..30 {
        let mut s = spec(Compression::Gzip, i, "linux/amd64");
        s.layers[0] = bases[i % 3].clone();
        let p = write_archive(tmp.path(), &format!("i{i}.tar"), &[s], false);
        reg.push(&p, &format!("team{}/app{i}:1", i % 4), &[]);
        refs.push(format!("docker://{}/team{}/app{i}:1", reg.host(), i % 4));
    }
    refs.push(format!("docker://{}/missing/app:1", reg.host()));
    let list = tmp.path().join("refs.txt");
    std::fs::write(&list, format!("# the fleet\n{}\n", refs.join("\n"))).unwrap();
    let list = list.to_str().unwrap();

    let one = dlint(&[
        "image",
        "--from-file",
        list,
        "--format",
        "jsonl",
        "--no-cache",
    ]);
    assert_eq!(one.status.code(), Some(0), "{one:?}");
    let one_path = tmp.path().join("one.jsonl");
    std::fs::write(&one_path, &one.stdout).unwrap();
    let mut one_lines: Vec<String> = String::from_utf8(one.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(one_lines.len(), 31);

    let cache = tmp.path().join("cache");
    let workers: Vec<std::process::Child> = (0..3)
        .map(|i| {
            Proc::new(assert_cmd::cargo::cargo_bin("dlint"))
                .args(["image", "--from-file", list, "--format", "jsonl"])
                .args(["--shard", &format!("{i}/3"), "--cache-dir"])
                .arg(&cache)
                .env("NO_PROXY", "*")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut shard_files = Vec::new();
    let mut shard_lines = Vec::new();
    for (i, w) in workers.into_iter().enumerate() {
        let out = w.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        // the references carry the registry's random port, so the split differs from run to
        // run: every shard takes some (31 references, 3 shards), the union is checked below
        assert!(text.lines().count() >= 1, "shard {i}: {text}");
        shard_lines.extend(text.lines().map(str::to_string));
        let p = tmp.path().join(format!("results-{i}.jsonl"));
        std::fs::write(&p, text).unwrap();
        shard_files.push(p.to_str().unwrap().to_string());
    }
    one_lines.sort();
    shard_lines.sort();
    assert_eq!(one_lines, shard_lines, "the shards split the list exactly");
    assert!(
        one_lines.iter().any(|l| l.contains("\"error\"")),
        "the missing image"
    );

    let merged = |files: &[&str]| {
        let mut args = vec!["merge", "--format", "json"];
        args.extend_from_slice(files);
        let out = dlint(&args);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let whole = merged(&[one_path.to_str().unwrap()]);
    let files: Vec<&str> = shard_files.iter().map(String::as_str).collect();
    assert_eq!(whole, merged(&files));
    assert_eq!(whole["images"], 30, "{whole}");
    assert_eq!(whole["failed"].as_array().unwrap().len(), 1);
    // three base layers, each in ten images
    let shared = whole["shared_layers"].as_array().unwrap();
    assert_eq!(shared.len(), 3, "{whole}");
    assert!(shared.iter().all(|l| l["images"] == 10), "{whole}");
    assert_eq!(whole["largest"].as_array().unwrap().len(), 20);
    // the text report too
    let out = dlint(&["merge", files[0], files[1], files[2]]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("30 images (1 failed)"), "{text}");
    assert!(text.contains("Shared base layers"), "{text}");
}
