//! Every rule page (`rules/*.md`): front matter matches the registered rule, every rule has a
//! page, the Bad example raises the rule and the Good example does not; the README rule table
//! is up to date.

use dlint::dockerfile;
use dlint::lint::{self, Config, Registry, Severity, pages};
use std::path::Path;

/// The config pages run under: every opt-in rule enabled, a label schema covering every label
/// type, strict labels, and `docker.io` + `registry.example.com` as trusted registries, so the
/// configuration-driven rules can show their Bad examples.
fn harness_config(registry: &Registry) -> Config {
    let mut cfg = Config::default();
    for info in registry.infos() {
        if !info.default_enabled {
            cfg.overrides.insert(info.id, info.severity);
        }
    }
    cfg.report_unused_ignores = true;
    cfg.settings.strict_labels = true;
    cfg.settings.trusted_registries = vec!["docker.io".into(), "registry.example.com".into()];
    for (label, ty) in [
        ("org.opencontainers.image.title", "text"),
        ("org.opencontainers.image.source", "url"),
        ("org.opencontainers.image.created", "rfc3339"),
        ("org.opencontainers.image.licenses", "spdx"),
        ("org.opencontainers.image.revision", "hash"),
        ("org.opencontainers.image.version", "semver"),
        ("org.opencontainers.image.authors", "email"),
    ] {
        cfg.settings.label_schema.push((label.into(), ty.into()));
    }
    cfg
}

/// Lints a page example. DL1002's examples are file bytes written with `\xNN` escapes (a page
/// is UTF-8): they are decoded, written to a file and read back as `dlint lint` reads files.
fn lint_example(id: &str, src: &str, cfg: &Config) -> Vec<lint::Diagnostic> {
    if id != lint::registry::UNREADABLE_FILE_ID {
        return lint::lint_with(Registry::global(), &dockerfile::parse(src), cfg);
    }
    let mut bytes = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find("\\x") {
        bytes.extend_from_slice(&rest.as_bytes()[..i]);
        let hex = rest.get(i + 2..i + 4).expect("two hex digits after \\x");
        bytes.push(u8::from_str_radix(hex, 16).expect("hex byte"));
        rest = &rest[i + 4..];
    }
    bytes.extend_from_slice(rest.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, bytes).unwrap();
    lint::lint_path(&path, cfg).diagnostics
}

fn read_pages() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("rules/ directory") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("md") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            out.push((stem, std::fs::read_to_string(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn every_page_matches_its_rule_and_examples_behave() {
    let registry = Registry::global();
    let cfg = harness_config(registry);
    let mut failures = Vec::new();
    for (stem, text) in read_pages() {
        let mut fail = |m: String| failures.push(format!("rules/{stem}.md: {m}"));
        let (fm, body) = match pages::split(&text) {
            Ok(x) => x,
            Err(e) => {
                fail(e);
                continue;
            }
        };
        if fm.id != stem {
            fail(format!(
                "front matter id `{}` differs from the file name",
                fm.id
            ));
        }
        let Some(info) = registry.lookup(fm.id).filter(|i| i.id == fm.id) else {
            fail(format!("no registered rule has id `{}`", fm.id));
            continue;
        };
        if info.name != fm.name {
            fail(format!(
                "name `{}` but the rule is named `{}`",
                fm.name, info.name
            ));
        }
        if fm.severity.parse::<Severity>() != Ok(info.severity) {
            fail(format!(
                "severity `{}` but the rule's is `{}`",
                fm.severity, info.severity
            ));
        }
        if !pages::CATEGORIES.contains(&fm.category) {
            fail(format!("unknown category `{}`", fm.category));
        }
        match pages::title(body) {
            Some(t) if t.starts_with(&format!("{}: ", fm.id)) => {}
            other => fail(format!(
                "heading should be `# {}: title`, found {other:?}",
                fm.id
            )),
        }
        for s in ["Why", "Bad", "Good", "Fix"] {
            if pages::section(body, s).is_none_or(|t| t.trim().is_empty()) {
                fail(format!("missing or empty `## {s}` section"));
            }
        }
        let example = |s: &str| pages::section(body, s).and_then(pages::code_block);
        match example("Bad") {
            None => fail("`## Bad` has no code block".into()),
            Some(src) => {
                let found = lint_example(fm.id, &src, &cfg);
                let mine: Vec<_> = found.iter().filter(|d| d.rule == fm.id).collect();
                if mine.is_empty() {
                    let got: Vec<_> = found.iter().map(|d| d.rule).collect();
                    fail(format!(
                        "Bad example does not raise {} (raised: {got:?})",
                        fm.id
                    ));
                } else if fm.fixable && mine.iter().all(|d| d.fix.is_none()) {
                    fail("page says fixable but the Bad finding has no fix".into());
                } else if !fm.fixable && mine.iter().any(|d| d.fix.is_some()) {
                    fail("page says not fixable but the Bad finding has a fix".into());
                }
            }
        }
        match example("Good") {
            None => fail("`## Good` has no code block".into()),
            Some(src) => {
                let found = lint_example(fm.id, &src, &cfg);
                if let Some(d) = found.iter().find(|d| d.rule == fm.id) {
                    fail(format!("Good example raises {}: {}", fm.id, d.message));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_page() {
    let pages: Vec<String> = read_pages().into_iter().map(|(s, _)| s).collect();
    let missing: Vec<&str> = Registry::global()
        .infos()
        .iter()
        .map(|i| i.id)
        .filter(|id| !pages.iter().any(|p| p == id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a page in rules/: {missing:?}"
    );
    // the compiled-in table must hold the same pages
    let compiled: Vec<&str> = pages::all().iter().map(|(s, _)| *s).collect();
    assert_eq!(
        compiled, pages,
        "compiled-in pages differ from rules/ (rebuild)"
    );
}

#[test]
fn readme_rule_table_is_current() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let a = readme
        .find(start)
        .expect("README lacks <!-- rules:start -->")
        + start.len();
    let b = readme[a..]
        .find(end)
        .expect("README lacks <!-- rules:end -->")
        + a;
    let expected = Registry::global().markdown_table();
    assert!(
        readme[a..b] == expected,
        "README rule table is stale: run scripts/gen-rule-table\n--- expected ---\n{expected}"
    );
}
