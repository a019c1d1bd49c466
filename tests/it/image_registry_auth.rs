//! Registry authentication: Basic auth with credentials from flags, environment or auth
//! files (never shown in output), and the Bearer token flow behind a proxy, with redirects.

#![cfg(unix)]

use crate::image_registry::{body, dlint, fails, image_json, one_image};
use crate::image_registry_proxy::{Proxy, ProxyMode};
use assert_cmd::Command;
use std::path::Path;

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
