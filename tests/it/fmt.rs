//! `dlint fmt`: the before/after fixtures in `tests/fixtures/fmt/` (`NAME.Dockerfile` formats
//! to `NAME.expected`, which formats to itself), idempotence and semantic equality on the
//! whole shared corpus, and the command line (`--check`, `--diff`, stdin, parse errors).

use assert_cmd::Command;
use dlint::dockerfile;
use dlint::format::{self, FormatError, semantics};
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt")
}

#[test]
fn fixtures_format_to_their_expected_files() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "too few fixtures: {}", names.len());
    let mut failures = Vec::new();
    for before_path in &names {
        let before = std::fs::read_to_string(before_path).expect("read");
        let expected_path = before_path.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .expected", before_path.display()));
        let name = before_path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        match format::format_traced(&before) {
            Ok(f) if f.text == expected && !f.fell_back => {}
            Ok(f) => failures.push(format!(
                "{name}: (fell back: {})\n{}",
                f.fell_back,
                dlint::report::diff::unified_diff(&name, &expected, &f.text)
            )),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
        match format::format(&expected) {
            Ok(again) if again == expected => {}
            Ok(again) => failures.push(format!(
                "{name}.expected is not stable:\n{}",
                dlint::report::diff::unified_diff(&name, &expected, &again)
            )),
            Err(e) => failures.push(format!("{name}.expected: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn corpus() -> Option<Vec<PathBuf>> {
    let dir = crate::shared::dir("corpus/dockerfiles")?;
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read corpus dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 1000,
        "corpus looks incomplete: {}",
        files.len()
    );
    Some(files)
}

/// Every parsable corpus file: formats without the guard falling back, parses to the same
/// instructions and shell commands, and formats to itself a second time.
#[test]
fn corpus_is_idempotent_and_semantics_preserving() {
    let Some(files) = corpus() else { return };
    let (mut parsable, mut changed, mut refused) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let original = dockerfile::parse(&source);
        let once = match format::format_traced(&source) {
            Ok(f) => f,
            Err(FormatError::Parse { .. }) => {
                assert!(!original.errors.is_empty(), "{name}: refused but parses");
                refused += 1;
                continue;
            }
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        parsable += 1;
        if once.text != source {
            changed += 1;
        }
        if once.fell_back {
            failures.push(format!(
                "{name}: the full layout changed the meaning (fell back)"
            ));
        }
        let formatted = dockerfile::parse(&once.text);
        if !formatted.errors.is_empty() {
            failures.push(format!("{name}: formatted file has parse errors"));
        } else if semantics::of(&formatted) != semantics::of(&original) {
            failures.push(format!("{name}: semantics differ"));
        }
        match format::format(&once.text) {
            Ok(twice) if twice == once.text => {}
            Ok(twice) => failures.push(format!(
                "{name}: not idempotent\n{}",
                dlint::report::diff::unified_diff(&name, &once.text, &twice)
            )),
            Err(e) => failures.push(format!("{name}: second pass: {e}")),
        }
    }
    eprintln!(
        "fmt corpus: {parsable} parsable files, {changed} changed, {refused} refused (parse errors), {} failures",
        failures.len()
    );
    assert!(parsable > 1000, "only {parsable} parsable files");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

const UGLY: &str = "from alpine\nrun apk add zlib curl\n";
const PRETTY: &str = "FROM alpine\n\nRUN apk add curl zlib\n";

fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").expect("binary");
    c.current_dir(dir);
    c
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn check_exits_1_and_lists_files_that_would_change() {
    let t = tempfile::tempdir().expect("tempdir");
    let ugly = write(t.path(), "Dockerfile", UGLY);
    write(t.path(), "ok/Dockerfile", PRETTY);
    let out = dlint(t.path())
        .args(["fmt", "--check"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Dockerfile would be reformatted"), "{err}");
    assert!(!err.contains("ok/Dockerfile would"), "{err}");
    assert_eq!(std::fs::read_to_string(&ugly).expect("read"), UGLY);
    let clean = dlint(t.path())
        .args(["fmt", "--check", "ok/Dockerfile"])
        .output()
        .expect("run");
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let t = tempfile::tempdir().expect("tempdir");
    let ugly = write(t.path(), "Dockerfile", UGLY);
    let out = dlint(t.path())
        .args(["fmt", "--diff", "Dockerfile"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("-run apk add zlib curl"), "{diff}");
    assert!(diff.contains("+RUN apk add curl zlib"), "{diff}");
    assert_eq!(std::fs::read_to_string(&ugly).expect("read"), UGLY);
}

#[test]
fn writes_files_in_place() {
    let t = tempfile::tempdir().expect("tempdir");
    let ugly = write(t.path(), "Dockerfile", UGLY);
    dlint(t.path()).args(["fmt", "Dockerfile"]).assert().code(0);
    assert_eq!(std::fs::read_to_string(&ugly).expect("read"), PRETTY);
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let t = tempfile::tempdir().expect("tempdir");
    let out = dlint(t.path())
        .args(["fmt", "-"])
        .write_stdin(UGLY)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), PRETTY);
    let named = dlint(t.path())
        .args(["fmt", "--diff", "--stdin-filename", "svc/Dockerfile"])
        .write_stdin(UGLY)
        .output()
        .expect("run");
    assert_eq!(named.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&named.stdout).contains("svc/Dockerfile"));
}

#[test]
fn a_file_that_does_not_parse_is_left_untouched_with_exit_2() {
    let t = tempfile::tempdir().expect("tempdir");
    let bad_text = "from alpine\nFROOM x\n";
    let bad = write(t.path(), "Dockerfile", bad_text);
    let good = write(t.path(), "b.Dockerfile", UGLY);
    let out = dlint(t.path())
        .args(["fmt", "Dockerfile", "b.Dockerfile"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Dockerfile:2:1:") && err.contains("does not parse"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), bad_text);
    // the other file is still formatted
    assert_eq!(std::fs::read_to_string(&good).expect("read"), PRETTY);
}
