//! Test support for rule and shell unit tests (compiled only under `cfg(test)`): parse a
//! Dockerfile, build its semantic model and run one rule on it. Its counterpart for images is
//! `image::testkit` (archive builders), which integration tests, benches and fuzz targets also
//! use, so it is behind the `testkit` feature as well; neither is in release builds.

use super::{Context, Diagnostic, Rule, RuleSettings, SemanticModel};
use crate::dockerfile;
use crate::semantic::StageBases;
use crate::shell::builtin_checks::ScChecks;

/// Runs `rule` on `src` with default settings.
pub fn run(rule: &dyn Rule, src: &str) -> Vec<Diagnostic> {
    run_with(rule, src, &RuleSettings::default())
}

/// Runs `rule` on `src` with `settings`.
pub fn run_with(rule: &dyn Rule, src: &str, settings: &RuleSettings) -> Vec<Diagnostic> {
    let df = dockerfile::parse(src);
    let checks = ScChecks::new(rule.shell_check().map(|c| (rule.meta().id, c)));
    let bases = StageBases::default();
    let model = SemanticModel::with_checks(&df, None, &bases, &checks);
    let mut cx = Context::new(&model, settings, rule.meta());
    rule.check(&mut cx);
    // in file order, as the engine sorts them
    let mut diags = cx.into_diagnostics();
    diags.sort_by_key(|d| (d.span.start, d.span.end));
    diags
}

/// Parses a Dockerfile for tests.
pub fn dockerfile(src: &str) -> dockerfile::Dockerfile {
    dockerfile::parse(src)
}

/// The 1-based lines `rule` reports on in `src`.
pub fn lines(rule: &dyn Rule, src: &str) -> Vec<usize> {
    lines_with(rule, src, &RuleSettings::default())
}

/// The 1-based lines `rule` reports on in `src` with `settings`.
pub fn lines_with(rule: &dyn Rule, src: &str, settings: &RuleSettings) -> Vec<usize> {
    let idx = dockerfile::LineIndex::new(src);
    run_with(rule, src, settings)
        .iter()
        .map(|d| idx.line_col(src, d.span.start).line)
        .collect()
}

/// Applies every fix of `rule`'s findings on `src` (edits must not overlap) and returns the text.
pub fn fixed(rule: &dyn Rule, src: &str) -> String {
    let mut edits: Vec<_> = run(rule, src)
        .into_iter()
        .filter_map(|d| d.fix)
        .flat_map(|f| f.edits)
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut out = src.to_string();
    for e in edits {
        out.replace_range(e.span.start..e.span.end, &e.replacement);
    }
    out
}

/// Runs `rule` on `src` with `facts` as the base image of every stage built on an image.
pub fn run_with_base(
    rule: &dyn Rule,
    src: &str,
    facts: &crate::image::base::BaseFacts,
) -> Vec<Diagnostic> {
    let df = dockerfile::parse(src);
    let all = (0..df.stages.len())
        .map(|_| Some(std::sync::Arc::new(facts.clone())))
        .collect();
    let bases = crate::semantic::StageBases::from_facts(all);
    let model = SemanticModel::with_bases(&df, None, &bases);
    let settings = RuleSettings::default();
    let mut cx = Context::new(&model, &settings, rule.meta());
    rule.check(&mut cx);
    let mut diags = cx.into_diagnostics();
    diags.sort_by_key(|d| (d.span.start, d.span.end));
    diags
}

/// Base-image facts for tests: `reference` with `env`, `user` and `shell` in its config.
pub fn base_facts(
    reference: &str,
    env: &[(&str, &str)],
    user: Option<&str>,
    shell: Option<&[&str]>,
) -> crate::image::base::BaseFacts {
    crate::image::base::BaseFacts {
        reference: reference.into(),
        digest: "sha256:00".into(),
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        user: user.map(str::to_string),
        workdir: None,
        shell: shell.map(|w| w.iter().map(|s| s.to_string()).collect()),
        entrypoint: None,
        cmd: None,
        os: "linux".into(),
        architecture: "amd64".into(),
        platforms: vec!["linux/amd64".into(), "linux/arm64/v8".into()],
        history: Vec::new(),
        compressed: None,
        uncompressed: None,
        layers: Vec::new(),
    }
}
