//! `dlint image` / `dlint compare` on images in a real registry: Debian's `docker-registry`
//! (the CNCF Distribution registry) started on 127.0.0.1 with a free port and a temporary
//! storage directory, images built in code by the test kit and pushed with `skopeo copy`.
//! A proxy served by the test sits in front of the registry where a test needs to break,
//! count or authenticate requests; it also serves the Bearer token endpoint.
//!
//! `.ci/run` installs `docker-registry`, `skopeo`, `apache2-utils` (htpasswd) and `openssl`. Without
//! them a test says so and passes, unless `CI` is set, where it fails.
//!
//! This module is the set-up the other `image_registry_*` modules (and `base_compare`) share: the
//! `Registry` process, `tools_present`, the test images (`spec`, `write_archive`, `one_image`) and
//! the `dlint` runners; the proxy is in `image_registry_proxy`.

#![cfg(unix)]

use assert_cmd::Command;
use dlint::image::Compression;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Proc, Stdio};
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
    pub(crate) port: u16,
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
    pub(crate) fn start_with(
        htpasswd: Option<(&str, &str)>,
        tls: Option<(&Path, &Path)>,
    ) -> Registry {
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
pub(crate) fn spec(c: Compression, seed: usize, platform: &str) -> ImageSpec {
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

pub(crate) fn dlint(args: &[&str]) -> std::process::Output {
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

pub(crate) fn image_json(input: &str, extra: &[&str]) -> serde_json::Value {
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
pub(crate) fn compare_json(a: &str, b: &str) -> serde_json::Value {
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
pub(crate) fn body(mut v: serde_json::Value, drop_media_types: bool) -> String {
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

/// A registry (Basic auth when `login` is given) holding one gzip image as `app:1`, the OCI
/// archive it was pushed from, and that archive's JSON report. `None` when the tools are missing.
pub(crate) fn one_image(
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
pub(crate) fn fails(args: &[&str]) -> String {
    let out = dlint(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    assert!(out.stdout.is_empty(), "{args:?}: half a report");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The blob digest of layer `i` of a report.
pub(crate) fn layer_digest(v: &serde_json::Value, i: usize) -> String {
    v["layers"][i]["digest"].as_str().unwrap().to_string()
}
