//! `docker lint`: the plugin metadata, `dlint install-docker-plugin` into a temporary
//! `DOCKER_CONFIG`, and the real `docker` CLI running the plugin when it is installed.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example.Dockerfile")
}

#[test]
fn metadata_is_what_docker_reads() {
    let out = Command::cargo_bin("dlint")
        .expect("binary")
        .arg("docker-cli-plugin-metadata")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let m: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(m["SchemaVersion"], "0.1.0");
    assert_eq!(m["Version"], env!("CARGO_PKG_VERSION"));
    assert!(
        m["ShortDescription"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}

#[test]
fn installed_plugin_runs_as_docker_lint() {
    let t = tempfile::tempdir().expect("tempdir");
    let config = t.path().join("docker");
    let out = Command::cargo_bin("dlint")
        .expect("binary")
        .arg("install-docker-plugin")
        .env("DOCKER_CONFIG", &config)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let plugin = config.join("cli-plugins/docker-lint");
    assert!(plugin.exists(), "{}", plugin.display());
    // invoked under the plugin's name, with the arguments Docker passes
    let direct = std::process::Command::new(&plugin)
        .args(["lint", "-f", "compact"])
        .arg(example())
        .output()
        .expect("runs");
    assert_eq!(direct.status.code(), Some(1), "{direct:?}");
    assert!(String::from_utf8_lossy(&direct.stdout).contains("DL3008"));

    let docker = ["/usr/bin/docker", "/usr/local/bin/docker"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(docker) = docker else {
        println!("skipping the docker CLI part: no docker binary");
        return;
    };
    let run = |args: &[&str]| {
        std::process::Command::new(docker)
            .args(args)
            .env("DOCKER_CONFIG", &config)
            .env("DOCKER_HOST", "unix:///nonexistent.sock") // no daemon is needed
            .output()
            .expect("docker runs")
    };
    let help = run(&["--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("lint")),
        "{text}"
    );
    let version = run(&["lint", "--version"]);
    assert!(
        String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")),
        "{version:?}"
    );
    let path = example();
    let lint = run(&["lint", "-f", "compact", path.to_str().expect("utf-8")]);
    assert_eq!(lint.status.code(), Some(1), "{lint:?}");
    assert!(String::from_utf8_lossy(&lint.stdout).contains("DL3008"));
}
