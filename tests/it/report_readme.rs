//! The README's documented commands are valid dlint invocations, and its JSON schema example
//! has exactly the fields `--format json` writes.

use std::collections::BTreeSet;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
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

/// Every `dlint …` command in the README's sh/yaml code blocks.
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
    let md = readme();
    let cmds = documented_commands(&md);
    assert!(cmds.len() >= 10, "found only {cmds:?}");
    for want in [
        "--format gitlab",
        "--format sarif",
        "dlint image",
        "dlint hook install",
    ] {
        assert!(
            cmds.iter().any(|c| c.contains(want)),
            "README documents no `{want}` command"
        );
    }
    let mut failures = Vec::new();
    for cmd in &cmds {
        let words = shell_words(cmd);
        if let Err(e) = dlint::cli::Cli::try_parse_from_args(&words) {
            failures.push(format!("`{cmd}`: {}", e.render()));
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
    let md = readme();
    let example = code_blocks(&md)
        .into_iter()
        .find(|(lang, body)| lang == "json" && body.contains("schema_version"))
        .expect("README has the JSON schema example");
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
    assert_eq!(a, d, "README JSON example and --format json differ");
}
