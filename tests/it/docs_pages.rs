//! The documentation (README.md, CONTRIBUTING.md, docs/*.md): every documented `dlint` command is
//! a valid invocation, the lint JSON example in docs/ci-and-hooks.md has exactly the fields
//! `--format json` writes, every relative link resolves (file and `#anchor`), and the README
//! stays a landing page of at most 300 lines.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Pages other branches are writing; links to them may dangle until they land.
const COMING: &[&str] = &[
    "docs/precision.md",
    "docs/package-model.md",
    "docs/rebuild.md",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every documentation page, as (path relative to the repository, text).
fn pages() -> Vec<(String, String)> {
    let mut paths = vec![PathBuf::from("README.md"), PathBuf::from("CONTRIBUTING.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| Path::new("docs").join(p.file_name().expect("name")))
        .collect();
    docs.sort();
    paths.extend(docs);
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(root().join(&p))
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.to_string_lossy().into_owned(), text)
        })
        .collect()
}

fn page(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Fenced code blocks as (language, body).
fn code_blocks(md: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in md.lines() {
        let t = line.trim_start();
        if let Some(lang) = t.strip_prefix("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some((lang.trim().to_string(), String::new())),
            }
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    blocks
}

/// Splits a shell command line into words (quotes, no expansion), stopping at a comment,
/// redirection, pipe or command separator.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    in_word = true;
                }
                '#' if !in_word => break,
                '>' | '|' | ';' | '&' => break,
                c if c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                c => {
                    word.push(c);
                    in_word = true;
                }
            },
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// Every `dlint …` command in a page's sh/yaml code blocks.
fn documented_commands(md: &str) -> Vec<String> {
    let mut cmds = Vec::new();
    for (lang, body) in code_blocks(md) {
        if !matches!(lang.as_str(), "sh" | "bash" | "shell" | "yaml" | "yml") {
            continue;
        }
        for line in body.lines() {
            let mut t = line.trim();
            for prefix in ["- ", "run: ", "$ "] {
                t = t.strip_prefix(prefix).unwrap_or(t);
            }
            // `cargo install ... && dlint lint x` documents the dlint part too.
            for part in t.split("&&") {
                let part = part.trim();
                if part.starts_with("dlint ") || part == "dlint" {
                    cmds.push(part.to_string());
                }
            }
        }
    }
    cmds
}

#[test]
fn documented_commands_parse() {
    let mut cmds = Vec::new();
    for (path, md) in pages() {
        cmds.extend(
            documented_commands(&md)
                .into_iter()
                .map(|c| (path.clone(), c)),
        );
    }
    assert!(cmds.len() >= 40, "found only {cmds:?}");
    for (path, want) in [
        ("docs/ci-and-hooks.md", "--format gitlab"),
        ("docs/ci-and-hooks.md", "--format sarif"),
        ("docs/ci-and-hooks.md", "dlint hook install"),
        ("docs/image.md", "dlint image"),
        ("docs/registry.md", "dlint image docker://"),
        ("docs/compare.md", "dlint compare"),
        ("docs/optimize.md", "dlint optimize"),
        ("README.md", "dlint lint"),
        ("README.md", "dlint fix"),
        ("README.md", "dlint image"),
        ("README.md", "dlint compare"),
        ("README.md", "dlint optimize"),
    ] {
        assert!(
            cmds.iter().any(|(p, c)| p == path && c.contains(want)),
            "{path} documents no `{want}` command"
        );
    }
    let mut failures = Vec::new();
    for (path, cmd) in &cmds {
        let words = shell_words(cmd);
        if let Err(e) = dlint::cli::Cli::try_parse_from_args(&words) {
            failures.push(format!("{path}: `{cmd}`: {}", e.render()));
        }
    }
    assert!(
        failures.is_empty(),
        "invalid documented commands:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_checker_rejects_invalid_commands() {
    for bad in [
        "dlint lint --format yaml",
        "dlint hook install --pre-receive",
        // no command and no file of that name: a mistyped command
        "dlint frobnicate x y",
    ] {
        let words = shell_words(bad);
        let ok = dlint::cli::Cli::try_parse_from_args(&words).is_ok();
        assert!(!ok, "{bad}");
    }
    assert_eq!(
        shell_words(r#"dlint lint --format "sa rif" > out.json # c"#),
        ["dlint", "lint", "--format", "sa rif"]
    );
}

fn keys(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m {
                let path = format!("{prefix}/{k}");
                out.insert(path.clone());
                keys(child, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                keys(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn json_schema_example_matches_the_writer() {
    use dlint::dockerfile::Span;
    use dlint::lint::{Diagnostic, Edit, Fix, Severity};
    use dlint::report::{FileReport, Format, RenderOptions, render};
    let md = page("docs/ci-and-hooks.md");
    let example = code_blocks(&md)
        .into_iter()
        .find(|(lang, body)| lang == "json" && body.contains("schema_version"))
        .expect("docs/ci-and-hooks.md has the JSON schema example");
    let documented: serde_json::Value = serde_json::from_str(&example.1).expect("example is JSON");
    let src = "FROM debian:12\nRUN apt-get install -y curl\n";
    let report = FileReport::new(
        "Dockerfile",
        src,
        vec![Diagnostic {
            rule: "DL3015",
            name: "apt-no-install-recommends",
            severity: Severity::Warning,
            message: "m".into(),
            span: Span::new(19, 37),
            fix: Some(Fix::safe(
                "d",
                vec![Edit {
                    span: Span::new(37, 37),
                    replacement: " x".into(),
                }],
            )),
        }],
    );
    let mut out = Vec::new();
    render(Format::Json, &[report], &RenderOptions::default(), &mut out).expect("render");
    let actual: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let (mut a, mut d) = (BTreeSet::new(), BTreeSet::new());
    keys(&actual, "", &mut a);
    keys(&documented, "", &mut d);
    assert_eq!(
        a, d,
        "docs/ci-and-hooks.md JSON example and --format json differ"
    );
}

#[test]
fn the_readme_is_a_landing_page() {
    let readme = page("README.md");
    let lines = readme.lines().count();
    assert!(lines <= 300, "README.md has {lines} lines (at most 300)");
    // .ci/run runs "exactly the README's test command"
    assert!(readme.contains("```sh\ncargo test --locked\n```"));
    assert!(page(".ci/run").contains("\ncargo test --locked\n"));
}

/// GitHub's anchor for a heading: lower case, punctuation other than `-` and `_` dropped,
/// blanks turned into `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a page's headings (outside code blocks), with GitHub's `-1`, `-2` suffixes
/// for repeated headings.
fn anchors(md: &str) -> BTreeSet<String> {
    let mut seen = std::collections::HashMap::new();
    let mut out = BTreeSet::new();
    let mut fence = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        let Some(text) = line.strip_prefix('#').map(|t| t.trim_start_matches('#')) else {
            continue;
        };
        if fence || !text.starts_with(' ') {
            continue;
        }
        let base = slug(text);
        let n = seen.entry(base.clone()).or_insert(0);
        out.insert(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        *n += 1;
    }
    out
}

/// The targets of the inline links `[text](target)` outside code blocks and code spans.
fn link_targets(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        // drop code spans, whose brackets are not links
        let text: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = text.as_str();
        while let Some(i) = rest.find("](") {
            rest = &rest[i + 2..];
            if let Some(end) = rest.find(')') {
                out.push(rest[..end].trim().to_string());
                rest = &rest[end..];
            }
        }
    }
    out
}

/// The path of `target` (relative to the page `from`), normalised without touching the disk.
fn resolve(from: &str, target: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn dead_links(pages: &[(String, String)]) -> Vec<String> {
    // a page of the set, else the file on disk
    let text_of = |p: &str| -> Option<String> {
        match pages.iter().find(|(q, _)| q == p) {
            Some((_, t)) => Some(t.clone()),
            None => std::fs::read_to_string(root().join(p)).ok(),
        }
    };
    let mut dead = Vec::new();
    for (path, md) in pages {
        for target in link_targets(md) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target.as_str(), ""));
            let resolved = if file.is_empty() {
                path.clone()
            } else {
                resolve(path, file)
            };
            let exists =
                pages.iter().any(|(q, _)| *q == resolved) || root().join(&resolved).exists();
            if !exists && COMING.contains(&resolved.as_str()) {
                continue;
            }
            if !exists {
                dead.push(format!("{path}: ({target}): no {resolved}"));
            } else if !anchor.is_empty() && resolved.ends_with(".md") {
                let text = text_of(&resolved).unwrap_or_default();
                if !anchors(&text).contains(anchor) {
                    dead.push(format!(
                        "{path}: ({target}): no heading #{anchor} in {resolved}"
                    ));
                }
            }
        }
    }
    dead
}

#[test]
fn relative_links_resolve() {
    let pages = pages();
    assert!(pages.len() >= 12, "{} pages", pages.len());
    let dead = dead_links(&pages);
    assert!(dead.is_empty(), "dead links:\n{}", dead.join("\n"));
}

#[test]
fn the_link_checker_finds_dead_links() {
    let pages = vec![(
        "docs/x.md".to_string(),
        "# Top\n## A `b` c\n[ok](../README.md) [ok](#a-b-c) [ok](rules.md#rules) \
         [ok](https://example.com/x) `[code](nowhere.md)` [dead](nowhere.md) \
         [dead](#nope) [dead](rules.md#nope)\n```\n[code](gone.md)\n```\n"
            .to_string(),
    )];
    let dead = dead_links(&pages);
    assert_eq!(dead.len(), 3, "{dead:?}");
    assert_eq!(
        slug("JSON output (`--format json`)"),
        "json-output---format-json"
    );
    assert_eq!(
        resolve("docs/a.md", "../rules/DL3009.md"),
        "rules/DL3009.md"
    );
}
