//! Test helpers for the shell-based rules.

use crate::dockerfile::*;
use crate::lint::{Context, Diagnostic, Rule, RuleSettings, SemanticModel};

/// Runs one rule over a Dockerfile source.
pub fn check(rule: &dyn Rule, src: &str) -> Vec<Diagnostic> {
    let df = dockerfile(src);
    let settings = RuleSettings::default();
    let model = SemanticModel::new(&df);
    let mut cx = Context::new(&model, &settings, rule.meta());
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
