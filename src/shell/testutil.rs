//! Test helpers for the shell-based rules.

use crate::dockerfile::*;
use crate::lint::{Context, Diagnostic, Rule, RuleSettings};

/// Runs one rule over a Dockerfile source.
pub fn check(rule: &dyn Rule, src: &str) -> Vec<Diagnostic> {
    let df = dockerfile(src);
    let settings = RuleSettings::default();
    let mut cx = Context::new(&df, &settings, rule.meta());
    rule.check(&mut cx);
    cx.into_diagnostics()
}

/// Line numbers (1-based) of a rule's findings.
pub fn lines(rule: &dyn Rule, src: &str) -> Vec<usize> {
    let df = dockerfile(src);
    check(rule, src)
        .iter()
        .map(|d| df.lines.line_col(&df.source, d.span.start).line)
        .collect()
}

/// Parses a Dockerfile for tests.
pub fn dockerfile(src: &str) -> Dockerfile {
    crate::dockerfile::parse(src)
}

#[test]
fn parser_maps_continuations() {
    let src = "FROM debian AS base\nRUN apt-get update \\\n # c\n && rm -rf /x\n";
    let df = dockerfile(src);
    assert_eq!(df.instructions.len(), 2);
    let InstructionKind::Run(ShellOrExec::Shell(t)) = &df.instructions[1].kind else {
        panic!("not a shell RUN");
    };
    assert!(t.text.contains("update ") && t.text.contains("&& rm"));
    let p = t.text.find("rm").unwrap();
    assert_eq!(t.map.to_source(p), src.find("rm").unwrap());
}

/// The Bad/Good examples of a rule page.
fn examples(page: &str) -> (String, String) {
    let block = |section: &str| {
        let start = page
            .find(&format!("## {section}\n```dockerfile\n"))
            .map(|p| p + section.len() + 18)
            .unwrap_or(0);
        let end = page[start..]
            .find("```")
            .map(|p| start + p)
            .unwrap_or(start);
        page[start..end].to_string()
    };
    (block("Bad"), block("Good"))
}

#[test]
fn rule_pages_of_shell_rules_match_their_rules() {
    let rules: Vec<Box<dyn Rule>> = [
        crate::rules::layers::rules(),
        crate::rules::cache::rules(),
        crate::rules::packages::rules(),
        crate::rules::shell_usage::rules(),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(rules.len() >= 34);
    for rule in &rules {
        let meta = rule.meta();
        let path = format!("{}/rules/{}.md", env!("CARGO_MANIFEST_DIR"), meta.id);
        let page = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            page.contains(&format!("name: {}\n", meta.name)),
            "{path}: name"
        );
        assert!(
            page.contains(&format!("severity: {}\n", meta.severity.as_str())),
            "{path}: severity"
        );
        let (bad, good) = examples(&page);
        assert!(!bad.is_empty() && !good.is_empty(), "{path}: examples");
        assert!(
            !check(rule.as_ref(), &bad).is_empty(),
            "{path}: Bad does not raise {}",
            meta.id
        );
        let g = check(rule.as_ref(), &good);
        assert!(g.is_empty(), "{path}: Good raises {}: {g:?}", meta.id);
    }
}
