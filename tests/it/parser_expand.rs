//! Variable expansion against BuildKit's own tables (`../shared/conformance/buildkit-shell`).

use dlint::dockerfile::expand::expand;
use std::collections::HashMap;

/// `None` when the shared directory is absent (see [`crate::shared`]).
fn read(name: &str) -> Option<String> {
    let p = crate::shared::dir("conformance/buildkit-shell")?.join(name);
    Some(std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

fn env_from(list: &[String]) -> HashMap<String, String> {
    list.iter()
        .map(|e| match e.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (e.clone(), String::new()),
        })
        .collect()
}

#[test]
fn env_var_test() {
    let env = env_from(&[
        "PWD=/home".into(),
        "SHELL=bash".into(),
        "KOREAN=한국어".into(),
        "NULL=".into(),
    ]);
    let mut failures = Vec::new();
    let mut count = 0;
    let Some(table) = read("envVarTest") else {
        return;
    };
    for line in table.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        assert_eq!(parts.len(), 3, "bad line {line:?}");
        let (platform, source, expected) = (parts[0].trim(), parts[1].trim(), parts[2].trim());
        if platform == "W" {
            continue;
        }
        count += 1;
        let got = expand(source, '\\', &|n| env.get(n).cloned());
        let ok = match (&got, expected) {
            (Err(_), "error") => true,
            (Ok(v), e) => e != "error" && v.value == e,
            _ => false,
        };
        if !ok {
            failures.push(format!("{source:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(count > 220, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn words_test() {
    let mut envs: Vec<String> = Vec::new();
    let mut failures = Vec::new();
    let mut count = 0;
    let Some(table) = read("wordsTest") else {
        return;
    };
    for line in table.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            envs.push(rest.trim_start_matches(' ').to_string());
            continue;
        }
        let Some((test, expected)) = line.split_once('|') else {
            panic!("bad line {line:?}");
        };
        let test = test.trim();
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        let env = env_from(&envs);
        count += 1;
        let got = expand(test, '\\', &|n| env.get(n).cloned());
        let ok = match &got {
            Err(_) => expected == ["error"],
            Ok(v) => v.words == expected,
        };
        if !ok {
            failures.push(format!("{test:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(count >= 20, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
