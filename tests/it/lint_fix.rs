//! `dlint fix`: applies rule fixes to the named files only; `--diff` prints instead of writing.
//! The fix engine (`lint::fix`) with the whole rule set: rounds until stable, safe and unsafe
//! modes.

use assert_cmd::Command;
use dlint::lint::{Config, fix};
use predicates::prelude::*;
use predicates::str::contains;

const BAD: &str = "FROM golang:1.23 as Build\nMAINTAINER Jane <jane@example.com>\nadd main.go /src/\nEXPOSE 8080:80/TCP\n";
const GOOD: &str = "FROM golang:1.23 AS build\nLABEL maintainer=\"Jane <jane@example.com>\"\nCOPY main.go /src/\nEXPOSE 80/tcp\n";

fn dlint(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"));
    c
}

#[test]
fn fix_rewrites_named_files_until_stable() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("Dockerfile"), BAD).unwrap();
    std::fs::write(t.path().join("other.Dockerfile"), BAD).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "Dockerfile"])
        .assert()
        .code(0)
        .stderr(contains("applied"));
    assert_eq!(
        std::fs::read_to_string(t.path().join("Dockerfile")).unwrap(),
        GOOD
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("other.Dockerfile")).unwrap(),
        BAD
    );
    // the fixed file lints clean of fixable findings, and fixing again changes nothing
    dlint(t.path())
        .args(["fix", "--no-config", "--diff", "Dockerfile"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn diff_prints_and_does_not_write() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("Dockerfile"), BAD).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "--diff", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(
            contains("--- a/Dockerfile")
                .and(contains("+LABEL maintainer="))
                .and(contains("-MAINTAINER")),
        );
    assert_eq!(
        std::fs::read_to_string(t.path().join("Dockerfile")).unwrap(),
        BAD
    );
}

#[test]
fn ignored_rules_are_not_fixed_and_bad_paths_fail() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("Dockerfile"), BAD).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "--ignore", "DL4000", "Dockerfile"])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(t.path().join("Dockerfile")).unwrap();
    assert!(
        text.contains("MAINTAINER Jane") && text.contains("COPY main.go"),
        "{text}"
    );
    dlint(t.path())
        .args(["fix", "--no-config", "missing"])
        .assert()
        .code(2);
    dlint(t.path())
        .args(["fix", "--no-config", "."])
        .assert()
        .code(2);
}

#[test]
fn stdin_is_fixed_to_stdout() {
    let t = tempfile::tempdir().unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "-"])
        .write_stdin(BAD)
        .assert()
        .code(0)
        .stdout(GOOD);
}

const CACHE_BAD: &str = "FROM debian:12\nRUN apt-get update && apt-get install curl\n";
const CACHE_SAFE: &str = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
const CACHE_ALL: &str = "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n";

#[test]
fn check_exits_1_and_writes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("Dockerfile");
    std::fs::write(&file, CACHE_BAD).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "--check", "Dockerfile"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("Dockerfile would be changed").and(contains("would apply 2 fixes")));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), CACHE_BAD);
    std::fs::write(&file, CACHE_ALL).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "--check", "Dockerfile"])
        .assert()
        .code(0);
}

#[test]
fn unsafe_fixes_only_when_asked() {
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("Dockerfile");
    std::fs::write(&file, CACHE_BAD).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "Dockerfile"])
        .assert()
        .code(0)
        .stderr(contains("1 unsafe fix available with --unsafe-fixes"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), CACHE_SAFE);
    // the safe result is stable; --check still passes since only unsafe fixes are left
    dlint(t.path())
        .args(["fix", "--no-config", "--check", "Dockerfile"])
        .assert()
        .code(0);
    dlint(t.path())
        .args(["fix", "--no-config", "--unsafe-fixes", "Dockerfile"])
        .assert()
        .code(0)
        .stderr(contains("unsafe fix").not());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), CACHE_ALL);
    dlint(t.path())
        .args([
            "fix",
            "--no-config",
            "--unsafe-fixes",
            "--check",
            "Dockerfile",
        ])
        .assert()
        .code(0);
}

#[cfg(unix)]
#[test]
fn fix_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("Dockerfile");
    std::fs::write(&file, CACHE_BAD).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "Dockerfile"])
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), CACHE_SAFE);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(std::fs::read_dir(t.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_an_error_and_the_others_are_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let (ro, rw) = (t.path().join("a.Dockerfile"), t.path().join("b.Dockerfile"));
    std::fs::write(&ro, CACHE_BAD).unwrap();
    std::fs::write(&rw, CACHE_BAD).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "a.Dockerfile", "b.Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("a.Dockerfile").and(contains("read-only")));
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), CACHE_BAD);
    assert_eq!(std::fs::read_to_string(&rw).unwrap(), CACHE_SAFE);
}

/// DL5004's fix moves an `rm` into the RUN that stored the files (alongside other rules'
/// fixes on the same RUNs); the result parses, no longer raises DL5004, and a second
/// `dlint fix --unsafe-fixes` changes nothing.
#[test]
fn removed_in_later_run_moves_and_is_idempotent() {
    let src = "FROM debian:12-slim\n\
RUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl ca-certificates\n\
RUN curl -fsSL -o /tmp/helm.tar.gz https://get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz \\\n    && tar -xzf /tmp/helm.tar.gz -C /usr/local/bin --strip-components=1 linux-amd64/helm\n\
RUN rm -f /tmp/helm.tar.gz\n\
RUN echo done && rm -rf /var/lib/apt/lists/*\n\
CMD [\"helm\"]\n";
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("Dockerfile");
    std::fs::write(&p, src).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "--unsafe-fixes", "Dockerfile"])
        .assert()
        .code(0);
    let once = std::fs::read_to_string(&p).unwrap();
    // the download's delete went into its RUN, the lone `rm` RUN is gone
    assert!(
        once.contains("linux-amd64/helm \\\n    && rm -f /tmp/helm.tar.gz\n"),
        "{once}"
    );
    assert!(!once.contains("RUN rm -f"), "{once}");
    // DL3009's safe fix puts the lists' delete into the first RUN in the same round (the two
    // fixes insert at the same place); the later delete is then a no-op DL5004 leaves alone
    assert!(
        once.contains("ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*\n"),
        "{once}"
    );
    let df = dlint::dockerfile::parse(&once);
    assert_eq!(df.instructions.len(), 5, "{once}");
    dlint(t.path())
        .args(["lint", "--no-config", "-f", "json", "Dockerfile"])
        .assert()
        .stdout(contains("DL5004").not())
        .stdout(contains("DL1000").not());
    dlint(t.path())
        .args(["fix", "--no-config", "--unsafe-fixes", "Dockerfile"])
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), once);
}

#[test]
fn fixes_until_stable() {
    let src = "FROM debian:12\nMAINTAINER me\nADD a.txt /a.txt\nEXPOSE 80/TCP\n";
    let cfg = Config::default();
    let f = fix::fix_source(dlint::rules::registry(), src, &cfg);
    assert_eq!(
        f.source,
        "FROM debian:12\nLABEL maintainer=\"me\"\nCOPY a.txt /a.txt\nEXPOSE 80/tcp\n"
    );
    assert_eq!(f.applied, 3);
    assert!(
        f.remaining.iter().all(|d| d.fix.is_none()),
        "{:?}",
        f.remaining
    );
}

const CACHE_RULES: &str = "FROM debian:12\r\nRUN apt-get update \\\r\n    && apt-get install curl\r\nRUN pip install flask\r\n";

#[test]
fn safe_mode_leaves_unsafe_fixes_and_counts_them() {
    let cfg = Config::default();
    let f = fix::fix_source(dlint::rules::registry(), CACHE_RULES, &cfg);
    assert_eq!(
        f.source,
        "FROM debian:12\r\nRUN apt-get update \\\r\n    && apt-get install -y curl \\\r\n    && rm -rf /var/lib/apt/lists/*\r\nRUN pip install --no-cache-dir flask\r\n"
    );
    assert!(f.converged);
    // DL3015 (unsafe) is left, and counted
    assert_eq!(f.unsafe_available, 1, "{:?}", f.remaining);
    assert!(f.remaining.iter().any(|d| d.rule == "DL3015"));
    // idempotent
    let again = fix::fix_source(dlint::rules::registry(), &f.source, &cfg);
    assert_eq!(
        (again.source.as_str(), again.applied),
        (f.source.as_str(), 0)
    );
}

#[test]
fn unsafe_mode_applies_everything_and_converges() {
    let cfg = Config::default();
    let mode = fix::FixMode { unsafe_fixes: true };
    let f = fix::fix_with(dlint::rules::registry(), CACHE_RULES, &cfg, mode);
    assert_eq!(
        f.source,
        "FROM debian:12\r\nRUN apt-get update \\\r\n    && apt-get install --no-install-recommends -y curl \\\r\n    && rm -rf /var/lib/apt/lists/*\r\nRUN pip install --no-cache-dir flask\r\n"
    );
    assert_eq!(f.unsafe_available, 0);
    assert!(
        f.remaining.iter().all(|d| d.fix.is_none()),
        "{:?}",
        f.remaining
    );
    let again = fix::fix_with(dlint::rules::registry(), &f.source, &cfg, mode);
    assert_eq!(
        (again.source.as_str(), again.applied),
        (f.source.as_str(), 0)
    );
}

#[test]
fn several_cleanups_in_one_run_land_over_several_rounds() {
    let cfg = Config::default();
    let src = "FROM node:20\nRUN apt-get update && apt-get install -y --no-install-recommends git && npm ci\n";
    let f = fix::fix_source(dlint::rules::registry(), src, &cfg);
    assert_eq!(
        f.source,
        "FROM node:20\nRUN apt-get update && apt-get install -y --no-install-recommends git && npm ci && rm -rf /var/lib/apt/lists/* && npm cache clean --force\n"
    );
    assert!(f.converged);
    assert_eq!(f.applied, 2);
}
