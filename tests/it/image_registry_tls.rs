//! A registry over HTTPS with a certificate from a test CA: read when `SSL_CERT_FILE` names
//! that CA, refused with a certificate error otherwise (never downgraded to plain HTTP).

#![cfg(unix)]

use crate::image_registry::{Registry, body, image_json, spec, tools_present, write_archive};
use assert_cmd::Command;
use dlint::image::Compression;
use std::path::Path;
use std::process::Command as Proc;

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
