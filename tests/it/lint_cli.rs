//! `dlint lint`, `dlint rules`, `dlint explain` as a user runs them.

use assert_cmd::Command;
use predicates::str::contains;
use std::path::Path;

/// A `dlint` command isolated from the user's config files.
fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env_remove("APPDATA")
        .env_remove("USERPROFILE");
    c
}

fn repo() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join(".git")).unwrap();
    std::fs::write(t.path().join("Dockerfile"), "FROM debian:12\nRUN true\n").unwrap();
    t
}

#[test]
fn config_with_unknown_key_exits_2_naming_key_and_file() {
    let t = repo();
    std::fs::write(t.path().join(".dlint.yaml"), "ignore: [DL3008]\n").unwrap();
    dlint(t.path())
        .args(["lint", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains(".dlint.yaml"))
        .stderr(contains("`ignore`"));
}

#[test]
fn hadolint_config_is_read_when_no_dlint_config() {
    let t = repo();
    std::fs::write(
        t.path().join(".hadolint.yaml"),
        "failure-threshold: bogus\n",
    )
    .unwrap();
    dlint(t.path())
        .args(["lint", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains(".hadolint.yaml"))
        .stderr(contains("failure-threshold"));
    // a dlint config takes precedence over it
    std::fs::write(t.path().join(".dlint.yaml"), "no-fail: true\n").unwrap();
    dlint(t.path())
        .args(["lint", "Dockerfile"])
        .assert()
        .code(0);
}

#[test]
fn explicit_config_and_bad_flags() {
    let t = repo();
    dlint(t.path())
        .args(["lint", "--config", "missing.yaml", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("missing.yaml"));
    dlint(t.path())
        .args(["lint", "--ignore", "DL9999", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("DL9999"));
    dlint(t.path())
        .args(["lint", "-t", "loud", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("loud"));
    dlint(t.path())
        .args(["lint", "--require-label", "maintainer:colour", "Dockerfile"])
        .assert()
        .code(2);
}

#[test]
fn unreadable_file_exits_2_but_others_are_linted() {
    let t = repo();
    dlint(t.path())
        .args([
            "lint",
            "--no-config",
            "-t",
            "none",
            "Dockerfile",
            "nope.Dockerfile",
        ])
        .assert()
        .code(2)
        .stderr(contains("nope.Dockerfile"));
}

#[test]
fn rules_lists_ids_names_and_explain_accepts_both() {
    let t = repo();
    dlint(t.path())
        .args(["rules"])
        .assert()
        .success()
        .stdout(contains("DL1000"))
        .stdout(contains("parse-error"));
    dlint(t.path())
        .args(["explain", "Parse-Error"])
        .assert()
        .success()
        .stdout(contains("DL1000"));
    dlint(t.path())
        .args(["explain", "unused-ignor"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `unused-ignore`"));
}

/// hadolint's `no-color` and `verbose` config keys: on a terminal (util-linux `script`), text
/// output is coloured unless the config says `no-color: true` (`--color always` still wins);
/// `verbose: true` names the config file and the counts on stderr.
#[test]
#[cfg(target_os = "linux")]
fn config_no_color_and_verbose_are_honoured() {
    let t = repo();
    std::fs::write(t.path().join("Dockerfile"), "FROM debian\n").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("dlint");
    let on_tty = |config: &str, extra: &str| {
        std::fs::write(t.path().join("c.yaml"), config).unwrap();
        let cmd = format!(
            "{} lint --config c.yaml {extra} Dockerfile 2>&1",
            bin.display()
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(t.path())
            .env_remove("NO_COLOR")
            .output()
            .expect("`script` (util-linux) is needed to run dlint on a terminal");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = on_tty("no-fail: true\n", "");
    assert!(coloured.contains("\u{1b}["), "{coloured:?}");
    assert!(!coloured.contains("dlint: config:"), "{coloured:?}");
    let plain = on_tty("no-color: true\nverbose: true\n", "");
    assert!(
        plain.contains("DL3006") && !plain.contains("\u{1b}["),
        "{plain:?}"
    );
    assert!(plain.contains("dlint: config: c.yaml"), "{plain:?}");
    assert!(plain.contains("linting 1 file(s)"), "{plain:?}");
    let forced = on_tty("no-color: true\n", "--color always");
    assert!(forced.contains("\u{1b}["), "{forced:?}");
}

/// Every build target counts as an image for the cache rules; `--target` (or `target:` in the
/// config) narrows the check to one target's stages.
#[test]
fn build_targets_and_the_target_flag() {
    let t = repo();
    std::fs::write(
        t.path().join("Dockerfile"),
        "FROM python:3.12 AS base\nRUN pip install flask==3.0.0\n\
         FROM base AS dev\nRUN pip install pytest==8.0.0\n\
         FROM python:3.12-slim\nCOPY --from=base /usr/local /usr/local\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = dlint(t.path())
            .args(["lint", "--no-config", "-f", "compact", "--ignore", "DL3059"])
            .args(extra)
            .arg("Dockerfile")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // `dev` is used by nothing: a target in its own right, so base and dev are both images.
    let all = run(&[]);
    assert!(
        all.contains("Dockerfile:2:") && all.contains("Dockerfile:4:"),
        "{all}"
    );
    assert!(all.contains("DL3042"), "{all}");
    // The last stage's image holds neither RUN.
    let last = run(&["--target", "2"]);
    assert!(!last.contains("DL3042"), "{last}");
    let base = run(&["--target", "BASE"]);
    assert!(
        base.contains("Dockerfile:2:") && !base.contains("Dockerfile:4:"),
        "{base}"
    );
    std::fs::write(t.path().join(".dlint.yaml"), "target: dev\n").unwrap();
    let out = dlint(t.path())
        .args(["lint", "-f", "compact", "Dockerfile"])
        .output()
        .unwrap();
    let cfg = String::from_utf8_lossy(&out.stdout);
    assert!(
        cfg.contains("Dockerfile:4:") && cfg.contains("DL3042"),
        "{cfg}"
    );
}

/// In a monorepo each service's `.dlint.yaml` / `.hadolint.yaml` governs its own Dockerfiles;
/// flags still override every one, and `--config` names one for all.
#[test]
fn nearest_config_per_directory() {
    let t = repo();
    let root = t.path();
    std::fs::write(root.join(".dlint.yaml"), "ignored: [DL3006]\n").unwrap();
    for (svc, cfg) in [
        ("api", Some((".dlint.yaml", "ignored: [DL3007]\n"))),
        (
            "web",
            Some((".hadolint.yaml", "ignored: [DL3007, DL3006]\n")),
        ),
        ("worker", None),
    ] {
        std::fs::create_dir(root.join(svc)).unwrap();
        std::fs::write(
            root.join(svc).join("Dockerfile"),
            "FROM debian:latest\nFROM debian\n",
        )
        .unwrap();
        if let Some((name, text)) = cfg {
            std::fs::write(root.join(svc).join(name), text).unwrap();
        }
    }
    let run = |extra: &[&str]| {
        let out = dlint(root)
            .args(["lint", "-f", "compact"])
            .args(extra)
            .args(["api/Dockerfile", "web/Dockerfile", "worker/Dockerfile"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = run(&[]);
    let has = |file: &str, rule: &str| out.lines().any(|l| l.starts_with(file) && l.contains(rule));
    // api: its own config (DL3007 ignored, DL3006 reported).
    assert!(has("api/", "DL3006") && !has("api/", "DL3007"), "{out}");
    // web: the nearest hadolint config ignores both.
    assert!(!has("web/", "DL3006") && !has("web/", "DL3007"), "{out}");
    // worker: no config of its own, so the root's (DL3006 ignored).
    assert!(
        !has("worker/", "DL3006") && has("worker/", "DL3007"),
        "{out}"
    );
    // A flag overrides every config.
    let out = run(&["--ignore", "DL3006"]);
    assert!(!out.contains("DL3006"), "{out}");
    // --config: one config for all.
    let out = run(&["--config", ".dlint.yaml"]);
    assert!(
        out.contains("api/Dockerfile") && out.contains("web/Dockerfile:1"),
        "{out}"
    );
    assert!(!out.contains("DL3006"), "{out}");
}

/// DL5118 reads the build context's `.dockerignore` from disk: beside the Dockerfile by
/// default, `<name>.dockerignore` first, or in `--context DIR`.
#[test]
fn copy_of_an_ignored_file_reads_the_context_ignore_file() {
    let t = repo();
    let root = t.path();
    std::fs::create_dir_all(root.join("docker")).unwrap();
    std::fs::write(
        root.join("docker/Dockerfile"),
        "FROM debian:12\nCOPY dist/app /app\nCOPY secrets.txt /s\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = dlint(root)
            .args(["lint", "--no-config", "-f", "compact"])
            .args(extra)
            .arg("docker/Dockerfile")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(!run(&[]).contains("DL5118"), "no ignore file, no finding");
    std::fs::write(root.join("docker/.dockerignore"), "dist\n").unwrap();
    let out = run(&[]);
    assert!(
        out.contains("docker/Dockerfile:2:6") && out.contains("DL5118"),
        "{out}"
    );
    // The Dockerfile's own ignore file wins over the context's.
    std::fs::write(root.join("docker/Dockerfile.dockerignore"), "secrets.txt\n").unwrap();
    let out = run(&[]);
    assert!(
        out.contains("Dockerfile:3:6") && !out.contains("Dockerfile:2:6"),
        "{out}"
    );
    std::fs::remove_file(root.join("docker/Dockerfile.dockerignore")).unwrap();
    // --context: the root's ignore file instead of the Dockerfile directory's.
    std::fs::write(root.join(".dockerignore"), "**/secrets.txt\n").unwrap();
    let out = run(&["--context", "."]);
    assert!(
        out.contains("Dockerfile:3:6") && !out.contains("Dockerfile:2:6"),
        "{out}"
    );
}

/// `--shellcheck PATH` runs a real ShellCheck (Debian's package; `.ci/run` installs it) on the
/// RUN bodies and merges the codes dlint does not build in, at their place in the Dockerfile;
/// a code both report appears once; inline and config ignores silence external codes too; a
/// program that cannot run is a DL1003 warning, not a crash.
#[test]
fn shellcheck_program_adds_the_codes_not_built_in() {
    let Some(sc) = ["/usr/bin/shellcheck", "/usr/local/bin/shellcheck"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        eprintln!("skipped: no shellcheck installed (apt-get install shellcheck)");
        return;
    };
    let t = repo();
    std::fs::write(
        t.path().join("Dockerfile"),
        "FROM debian:12\nRUN ls -l | grep foo && echo $UNSET\n# hadolint ignore=SC2012\nRUN ls /etc | wc -l\nRUN find . -name *.txt\n",
    )
    .unwrap();
    let out = dlint(t.path())
        .args([
            "lint",
            "--no-config",
            "-f",
            "json",
            "--shellcheck",
            sc,
            "Dockerfile",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let has = |rule: &str, line: u64| found.iter().filter(|f| f.0 == rule && f.1 == line).count();
    assert_eq!(has("SC2010", 2), 1, "external code at its line: {found:?}");
    assert_eq!(
        has("SC2086", 2),
        1,
        "built in and external, reported once: {found:?}"
    );
    assert_eq!(
        has("SC2012", 4),
        0,
        "inline ignore of an external code: {found:?}"
    );
    assert_eq!(has("SC2061", 5), 1, "{found:?}");
    // the config's `ignored` silences an external code
    std::fs::write(t.path().join(".dlint.yaml"), "ignored: [SC2061]\n").unwrap();
    let out = dlint(t.path())
        .args(["lint", "-f", "compact", "--shellcheck", sc, "Dockerfile"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("SC2010") && !text.contains("SC2061"),
        "{text}"
    );
    dlint(t.path())
        .args([
            "lint",
            "--no-config",
            "-f",
            "compact",
            "--shellcheck",
            "/nonexistent/shellcheck",
            "Dockerfile",
        ])
        .assert()
        .stdout(contains("DL1003"))
        .stdout(contains("--shellcheck: cannot run"));
}
