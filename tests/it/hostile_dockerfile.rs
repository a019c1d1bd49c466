//! Hostile Dockerfiles: huge, deep, binary or malformed input gives findings, never a panic,
//! a stack overflow, a hang or unbounded memory; lint time grows linearly with the input.
//! (docs/reliability.md lists every case with the test that proves it.)

use assert_cmd::Command;
use dlint::lint::{self, Config, Diagnostic};
use std::path::Path;
use std::time::{Duration, Instant};

fn lint_text(src: &str) -> Vec<Diagnostic> {
    lint::lint_source(dlint::rules::registry(), src, &Config::default())
}

fn ids(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.rule).collect()
}

/// No rule crashed (a crash is caught and reported as an "internal error" finding).
fn assert_no_rule_crashed(diags: &[Diagnostic]) {
    for d in diags {
        assert!(
            !d.message.contains("internal error"),
            "{}: {}",
            d.rule,
            d.message
        );
    }
}

/// Runs `f` on a thread with a 2 MiB stack, as rayon's workers have: a stack overflow would
/// abort the whole test binary.
fn on_worker_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// CPU time of the calling thread (Linux); `None` elsewhere.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<u64> = rest
        .split(' ')
        .skip(11)
        .take(2)
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // USER_HZ is 100 on every Linux platform Rust supports.
    Some(Duration::from_millis((f.first()? + f.get(1)?) * 10))
}

fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"));
    c
}

#[test]
fn one_megabyte_single_line() {
    let src = format!("FROM alpine:3.20\nRUN echo {}\n", "a ".repeat(512 * 1024));
    let start = Instant::now();
    let diags = lint_text(&src);
    assert_no_rule_crashed(&diags);
    assert!(!ids(&diags).contains(&"DL1003"), "1 MiB is analysed");
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn hundred_thousand_instructions() {
    let src = format!("FROM alpine:3.20\n{}", "RUN true\n".repeat(100_000));
    let start = Instant::now();
    let diags = lint_text(&src);
    assert_no_rule_crashed(&diags);
    // every RUN after the first can be merged with the one before it
    let merges = diags.iter().filter(|d| d.rule == "DL3059").count();
    assert_eq!(merges, 99_999);
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn hundred_megabyte_file() {
    // 100 MiB: a long comment block and a heredoc bigger than the shell-analysis budget.
    let comment = format!("# {}\n", "c".repeat(1000));
    let mut src = String::from("FROM alpine:3.20\n");
    src.push_str(&comment.repeat(52 * 1024));
    src.push_str("RUN <<EOF\n");
    src.push_str(&"echo hello world\n".repeat(50 * 1024 * 1024 / 17));
    src.push_str("EOF\nRUN apt-get install -y curl\n");
    assert!(src.len() >= 100 * 1024 * 1024);
    let start = Instant::now();
    let diags = lint_text(&src);
    assert_no_rule_crashed(&diags);
    let limit: Vec<_> = diags.iter().filter(|d| d.rule == "DL1003").collect();
    assert_eq!(limit.len(), 1, "the size budget is reported once");
    assert!(limit[0].message.contains("MiB"));
    assert!(
        start.elapsed() < Duration::from_secs(180),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn deep_variable_expansion() {
    let mut word = String::from("alpine");
    for i in 0..10_000 {
        word = format!("${{a{i}:-{word}}}");
    }
    let src = format!("ARG a0\nFROM {word}\nENV X={word}\nRUN echo {word}\nCOPY {word} /x\n");
    let diags = on_worker_stack(move || lint_text(&src));
    assert_no_rule_crashed(&diags);
    // the expansion API stops at its nesting limit with an error, not a stack overflow
    let mut deep = String::from("x");
    for _ in 0..10_000 {
        deep = format!("${{v:-{deep}}}");
    }
    let env = dlint::dockerfile::expand::Env::default();
    let err = on_worker_stack(move || env.expand(&deep, '\\')).unwrap_err();
    assert!(err.0.contains("nested too deeply"), "{err}");
}

#[test]
fn hundred_thousand_nested_substitutions_and_subshells() {
    for (open, close) in [("echo $(", ")"), ("( ", " )"), ("echo `", "`")] {
        let n = 100_000;
        let src = format!(
            "FROM alpine:3.20\nRUN {}true{}\n",
            open.repeat(n),
            close.repeat(n)
        );
        let start = Instant::now();
        let diags = on_worker_stack(move || lint_text(&src));
        assert_no_rule_crashed(&diags);
        if open != "echo `" {
            // backticks do not nest without escapes: tree-sitter sees no deep tree there
            let d = diags
                .iter()
                .find(|d| d.rule == "DL1003")
                .unwrap_or_else(|| panic!("{open}: no DL1003 in {:?}", ids(&diags)));
            assert!(
                d.span.start > "FROM alpine:3.20\nRUN ".len() - 1,
                "{:?}",
                d.span
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{open}: {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn heredoc_without_terminator() {
    let diags = lint_text("FROM alpine:3.20\nRUN <<EOF\necho hi\n");
    let d = diags.iter().find(|d| d.rule == "DL1000").expect("DL1000");
    assert!(d.message.contains("unterminated heredoc"), "{}", d.message);
}

#[test]
fn nul_bytes() {
    let diags = lint_text("FROM alpine:3.20\nRUN echo \0 a\0b\n\0\nRUN \0\0\0\n");
    assert_no_rule_crashed(&diags);
    let d = diags.iter().find(|d| d.rule == "DL1000").expect("DL1000");
    assert_eq!(d.span.start, "FROM alpine:3.20\nRUN echo \0 a\0b\n".len());
}

#[test]
fn crlf_with_bom_parses_like_lf() {
    let crlf = "\u{feff}FROM alpine:3.20\r\nRUN apk add --no-cache curl \\\r\n  && echo ok\r\nUSER app\r\n";
    let lf = "FROM alpine:3.20\nRUN apk add --no-cache curl \\\n  && echo ok\nUSER app\n";
    let a = lint_text(crlf);
    assert!(!ids(&a).contains(&"DL1000"), "{:?}", ids(&a));
    assert_eq!(ids(&a), ids(&lint_text(lf)));
}

#[test]
fn invalid_utf8_is_a_dl1002_finding_in_every_format_and_exits_2() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("Dockerfile"),
        b"FROM alpine:3.20\nLABEL a=\"Ren\xe9\"\n",
    )
    .unwrap();
    for format in [
        "text",
        "compact",
        "json",
        "sarif",
        "gitlab",
        "checkstyle",
        "junit",
        "github",
    ] {
        let out = dlint(t.path())
            .args(["lint", "-f", format, "Dockerfile", "missing.Dockerfile"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.matches("DL1002").count() >= 2,
            "{format}: both files reported:\n{stdout}"
        );
        assert!(stdout.contains("missing.Dockerfile"), "{format}");
    }
    // the JSON finding points at the bad byte
    let out = dlint(t.path())
        .args(["lint", "-f", "json", "Dockerfile"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "DL1002");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(13))
    );
}

#[test]
fn fix_refuses_invalid_utf8_instead_of_rewriting_it() {
    let t = tempfile::tempdir().unwrap();
    let bytes = b"FROM alpine:3.20\nLABEL a=\"Ren\xe9\"\nRUN apk add curl\n";
    let path = t.path().join("Dockerfile");
    std::fs::write(&path, bytes).unwrap();
    let out = dlint(t.path())
        .args(["fix", "Dockerfile"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "file untouched");
}

/// The file of `n` repetitions of `unit` after a first stage `s0`: in repetition k (from 1)
/// `{i}` is k and `{p}` is k - 1 (so stage names can chain).
fn repeated(unit: &str, n: usize) -> String {
    let mut src = String::from("FROM alpine:3.20 AS s0\n");
    for k in 1..=n {
        src.push_str(
            &unit
                .replace("{i}", &k.to_string())
                .replace("{p}", &(k - 1).to_string()),
        );
    }
    src
}

/// Lint CPU time (not wall time) for `src`, on a fresh thread: its CPU clock counts this lint
/// only, and the heap it allocates from is not the one earlier runs left behind.
fn cpu_for(src: &str) -> Option<Duration> {
    std::thread::scope(|s| {
        s.spawn(|| {
            let before = thread_cpu()?;
            let diags = lint_text(src);
            let spent = thread_cpu()? - before;
            assert_no_rule_crashed(&diags);
            Some(spent)
        })
        .join()
        .expect("the lint thread finished")
    })
}

/// Input shapes for the linearity test: each exercises a fact of the semantic model or a rule
/// that remembers earlier instructions.
const LINEAR_SHAPES: &[&str] = &[
    "RUN apt-get install -y curl\n",
    "RUN echo a\n# a comment\n",
    "# hadolint ignore=DL3059\nRUN echo b\n",
    "ENV A=b\nLABEL a=b\n",
    "RUN <<EOF\necho c\nEOF\n",
    "RUN echo $HOME ${A:-b}\nWORKDIR /w\n",
    "ONBUILD RUN echo d\n",
    // DL5004 remembers downloads and matches deletes against them
    "RUN curl -o /tmp/a https://e.com/a\nRUN rm -f /tmp/b /tmp/c*\n",
    // rules ask the variable scope of each RUN and LABEL (DL3042, DL3048): the model
    // continues from the previous scope instead of starting at the FROM every time
    "ENV A=b\nRUN pip install x==$A\n",
    "LABEL k$x=1\n",
    // DL4006 asks the shell in effect for every piped RUN: computed once per file
    "RUN a | b\n",
    "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\nSHELL [\"/bin/sh\", \"-c\"]\nRUN c | d\n",
    // many stages, each using the one before: stage lookups are map lookups
    "FROM alpine:3.20 AS s{i}\nCOPY --from=s{p} /a /a\n",
    // a chain of stages, each built on the one before: inherited ENV, SHELL and names follow
    // at most 64 bases
    "FROM s{p} AS s{i}\nENV A{i}=x\nRUN echo $A{i} | cat\n",
    // DL5163, DL5167, DL5168, DL5169 ask whether the stage runs Windows per instruction: one
    // answer per stage, computed once
    "RUN --mount=type=tmpfs,target=/t echo e\nCOPY --chown=1:1 a /a\nSTOPSIGNAL SIGTERM\n",
];

/// The largest ratio of CPU times for twice the input the test accepts.
const LINEAR_BOUND: f64 = 3.0;

/// Instructions in the larger input of each shape.
const LINEAR_MAX_INSTRUCTIONS: usize = 100_000;

#[test]
fn lint_time_is_linear_in_the_input() {
    // Per shape, n and 2n units with 2n units about 100k instructions: linear time is 2x,
    // n log n about 2.13x, quadratic 4x. CPU time of a fresh thread, the best of up to five runs
    // of each size (a loaded machine only slows a run down), measured again only while the
    // ratio is over the bound. The goal, 2.2x, is measured on release builds
    // (scripts/bench-linearity, docs/performance.md); this debug build on a shared machine
    // allows 3x (plus two 10 ms clock ticks): the other tests of the binary run in parallel
    // threads and slow the bigger input more (2.55x seen on a cheap shape that is 2.07x alone);
    // still far below quadratic (4x).
    for unit in LINEAR_SHAPES {
        // top-level instructions per unit (the first stage's FROM aside)
        let per_unit = dlint::dockerfile::parse(&repeated(unit, 1))
            .instructions
            .len()
            .saturating_sub(1);
        let n = LINEAR_MAX_INSTRUCTIONS / per_unit.max(1) / 2;
        let (small_src, big_src) = (repeated(unit, n), repeated(unit, 2 * n));
        let (mut small, mut big) = (Duration::MAX, Duration::MAX);
        for _ in 0..5 {
            let (Some(b), Some(s)) = (cpu_for(&big_src), cpu_for(&small_src)) else {
                eprintln!("skipped: no per-thread CPU clock on this platform");
                return;
            };
            (small, big) = (small.min(s), big.min(b));
            if big <= small.mul_f64(LINEAR_BOUND) + Duration::from_millis(20) {
                break;
            }
        }
        eprintln!("{unit:?}: {n} units {small:?}, {} units {big:?}", 2 * n);
        assert!(
            big <= small.mul_f64(LINEAR_BOUND) + Duration::from_millis(20),
            "{unit:?}: {n} units {small:?}, {} units {big:?}",
            2 * n
        );
    }
}

#[test]
fn closed_stdout_exits_quietly() {
    // `dlint parse BIG | head -c 1`: stdout closes while dlint still writes
    let t = tempfile::tempdir().unwrap();
    let src = format!("FROM alpine:3.20\n{}", "RUN echo hello\n".repeat(20_000));
    std::fs::write(t.path().join("Dockerfile"), src).unwrap();
    for args in [
        &["parse", "Dockerfile"][..],
        &["rules"],
        &["explain", "DL3008"],
        &["lint", "-f", "json", "Dockerfile"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dlint"))
            .args(args)
            .current_dir(t.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // close the read end at once
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

#[test]
fn deep_exec_form_json_and_onbuild_chains() {
    // 100,000 nested arrays: the JSON reader stops at 512 levels and takes it as shell form
    let n = 100_000;
    let src = format!(
        "FROM alpine:3.20\nCMD {}\"x\"{}\nONBUILD ONBUILD RUN true\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let diags = on_worker_stack(move || lint_text(&src));
    assert_no_rule_crashed(&diags);
    let chain = diags
        .iter()
        .find(|d| d.rule == "DL1000")
        .expect("ONBUILD ONBUILD is a parse error");
    assert!(
        chain.message.contains("ONBUILD ONBUILD"),
        "{}",
        chain.message
    );
}
