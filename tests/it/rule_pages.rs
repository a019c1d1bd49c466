//! Every rule page (`rules/*.md`) against the rule's code: every rule has a page and a file
//! named after it and vice versa, the page's title carries the id, pages hold no front matter
//! (the metadata is the code's), the Bad example raises the rule (with a fix of the declared
//! applicability, if any) and the Good example does not; the rule table of
//! `docs/rules.md` is up to date.

use dlint::dockerfile;
use dlint::lint::fix::{FixMode, apply_with};
use dlint::lint::{self, Config, Registry, pages};
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
    rule_settings(&mut cfg);
    cfg
}

/// The settings the configuration-driven rules need to fire: a label schema covering every
/// label type, strict labels, and `docker.io` + `registry.example.com` as trusted registries
/// and a build-context `.dockerignore` (shared with the fixture tests).
pub(crate) fn rule_settings(cfg: &mut Config) {
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
    // DL5118 reads the build context's .dockerignore: the pages' examples assume this one.
    cfg.settings.dockerignore = Some(std::sync::Arc::new(
        dlint::dockerfile::dockerignore::Dockerignore::parse(
            ".git\nnode_modules\n**/*.log\n.env\n",
        ),
    ));
}

/// Lints a page example. DL1002's examples are file bytes written with `\xNN` escapes (a page
/// is UTF-8): they are decoded, written to a file and read back as `dlint lint` reads files.
fn lint_example(registry: &Registry, id: &str, src: &str, cfg: &Config) -> Vec<lint::Diagnostic> {
    if id != lint::registry::UNREADABLE_FILE_ID {
        return lint::lint_with(registry, &dockerfile::parse(src), cfg);
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
    lint::lint_path(registry, &path, cfg).diagnostics
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
    let registry = dlint::rules::registry();
    let cfg = harness_config(registry);
    let mut failures = Vec::new();
    for (stem, text) in read_pages() {
        let mut fail = |m: String| failures.push(format!("rules/{stem}.md: {m}"));
        if pages::has_front_matter(&text) {
            fail(
                "starts with a `---` front matter block: the metadata lives in the rule's code \
                 (convert the page with migrate-pages.py)"
                    .into(),
            );
            continue;
        }
        let Some(info) = registry.lookup(&stem).filter(|i| i.id == stem) else {
            fail(format!("no registered rule has id `{stem}`"));
            continue;
        };
        match pages::title(&text) {
            Some(t)
                if t.starts_with(&format!("{stem}: ")) && pages::title_text(&text).is_some() => {}
            other => fail(format!(
                "heading should be `# {stem}: title`, found {other:?}"
            )),
        }
        for s in ["Why", "Bad", "Good", "Fix"] {
            if pages::section(&text, s).is_none_or(|t| t.trim().is_empty()) {
                fail(format!("missing or empty `## {s}` section"));
            }
        }
        let example = |s: &str| pages::section(&text, s).and_then(pages::code_block);
        match example("Bad") {
            None => fail("`## Bad` has no code block".into()),
            Some(src) => {
                let found = lint_example(registry, &stem, &src, &cfg);
                let mine: Vec<_> = found.iter().filter(|d| d.rule == stem).collect();
                let fixes: Vec<_> = mine.iter().filter_map(|d| d.fix.as_ref()).collect();
                if mine.is_empty() {
                    let got: Vec<_> = found.iter().map(|d| d.rule).collect();
                    fail(format!(
                        "Bad example does not raise {stem} (raised: {got:?})"
                    ));
                } else if let Some(declared) = info.fix {
                    if fixes.is_empty() {
                        fail(format!(
                            "the rule declares `fix: Some({declared:?})` but the Bad finding has no fix"
                        ));
                    } else if let Some(f) = fixes.iter().find(|f| f.applicability != declared) {
                        fail(format!(
                            "the rule declares {declared:?} fixes but attaches a {:?} one",
                            f.applicability
                        ));
                    }
                } else if !fixes.is_empty() {
                    fail("the rule declares `fix: None` but the Bad finding has a fix".into());
                }
            }
        }
        match example("Good") {
            None => fail("`## Good` has no code block".into()),
            Some(src) => {
                let found = lint_example(registry, &stem, &src, &cfg);
                if let Some(d) = found.iter().find(|d| d.rule == stem) {
                    fail(format!("Good example raises {stem}: {}", d.message));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every rule has a page and every page a rule; every rule's file is
/// `src/rules/<category>/<id>_<name>.rs`, in the folder its category names.
#[test]
fn every_rule_has_a_page_and_a_file_named_after_it() {
    let pages: Vec<String> = read_pages().into_iter().map(|(s, _)| s).collect();
    let infos = dlint::rules::registry().infos();
    let missing: Vec<&str> = infos
        .iter()
        .map(|i| i.id)
        .filter(|id| !pages.iter().any(|p| p == id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a page in rules/: {missing:?}"
    );
    let orphans: Vec<&String> = pages
        .iter()
        .filter(|p| !infos.iter().any(|i| i.id == p.as_str()))
        .collect();
    assert!(orphans.is_empty(), "pages without a rule: {orphans:?}");
    // the compiled-in table must hold the same pages
    let compiled: Vec<&str> = pages::all().iter().map(|(s, _)| *s).collect();
    assert_eq!(
        compiled, pages,
        "compiled-in pages differ from rules/ (rebuild)"
    );
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut misnamed = Vec::new();
    for i in infos.iter().filter(|i| i.is_rule) {
        let file = src.join(i.category.replace('-', "_")).join(format!(
            "{}_{}.rs",
            i.id.to_ascii_lowercase(),
            i.name.replace('-', "_")
        ));
        if !file.is_file() {
            misnamed.push(format!("{} {}: expected {}", i.id, i.name, file.display()));
        }
    }
    assert!(misnamed.is_empty(), "{}", misnamed.join("\n"));
}

#[test]
fn docs_rule_table_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let page = std::fs::read_to_string(&path).expect("docs/rules.md");
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let a = page
        .find(start)
        .expect("docs/rules.md lacks <!-- rules:start -->")
        + start.len();
    let b = page[a..]
        .find(end)
        .expect("docs/rules.md lacks <!-- rules:end -->")
        + a;
    let expected = dlint::rules::registry().markdown_table();
    assert!(
        page[a..b] == expected,
        "docs/rules.md rule table is stale: run scripts/gen-rule-table\n--- expected ---\n{expected}"
    );
}

/// The Bad example with every fix of the page's own rule applied (unsafe ones included), round
/// after round until nothing changes.
fn fix_own_rule(registry: &Registry, cfg: &Config, id: &str, src: &str) -> (String, usize) {
    let mut text = src.to_string();
    let mut applied = 0;
    for _ in 0..lint::fix::MAX_ROUNDS {
        let found: Vec<_> = lint::lint_with(registry, &dockerfile::parse(&text), cfg)
            .into_iter()
            .filter(|d| d.rule == id)
            .collect();
        let (next, n) = apply_with(&text, &found, FixMode { unsafe_fixes: true });
        if n == 0 || next == text {
            break;
        }
        applied += n;
        text = next;
    }
    (text, applied)
}

/// Replaces (or adds, right after `## Bad`) the `## Fixed` section of a page.
fn with_fixed_section(page: &str, fixed: &str) -> String {
    let block = format!("## Fixed\n```dockerfile\n{fixed}```\n\n");
    if let Some(start) = page.find("\n## Fixed\n") {
        let start = start + 1;
        let end = page[start + 3..]
            .find("\n## ")
            .map(|p| start + 3 + p + 1)
            .unwrap_or(page.len());
        return format!("{}{block}{}", &page[..start], &page[end..]);
    }
    let bad = page.find("\n## Bad\n").map(|p| p + 1).unwrap_or(0);
    let next = page[bad + 3..]
        .find("\n## ")
        .map(|p| bad + 3 + p + 1)
        .unwrap_or(page.len());
    format!("{}{block}{}", &page[..next], &page[next..])
}

/// Every page whose Bad example gets a fix shows the result in a `## Fixed` section, byte for
/// byte (fixes of the page's rule only, unsafe ones included), and the fixed example no longer
/// raises the rule's fixable findings. `DLINT_BLESS_PAGES=1` rewrites the sections.
#[test]
fn fixed_examples_match_the_fixes() {
    let registry = dlint::rules::registry();
    let cfg = harness_config(registry);
    let bless = std::env::var_os("DLINT_BLESS_PAGES").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (stem, text) in read_pages() {
        let body = text.as_str();
        let Some(bad) = pages::section(body, "Bad").and_then(pages::code_block) else {
            continue;
        };
        let (fixed, applied) = fix_own_rule(registry, &cfg, &stem, &bad);
        let shown = pages::section(body, "Fixed").and_then(pages::code_block);
        if applied == 0 {
            if shown.is_some() {
                failures.push(format!(
                    "rules/{stem}.md: `## Fixed` but the Bad example gets no fix"
                ));
            }
            continue;
        }
        checked += 1;
        if shown.as_deref() != Some(fixed.as_str()) {
            if bless {
                std::fs::write(
                    dir.join(format!("{stem}.md")),
                    with_fixed_section(&text, &fixed),
                )
                .unwrap();
            } else {
                failures.push(format!(
                    "rules/{stem}.md: `## Fixed` should be (DLINT_BLESS_PAGES=1 rewrites it):\n{fixed}"
                ));
            }
        }
        let left = lint::lint_with(registry, &dockerfile::parse(&fixed), &cfg);
        if let Some(d) = left.iter().find(|d| d.rule == stem && d.fix.is_some()) {
            failures.push(format!(
                "rules/{stem}.md: the fixed example still has a fix: {}",
                d.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 20, "only {checked} pages have a fixed example");
}
