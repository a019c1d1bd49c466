//! `dlint fix --unsafe-fixes` over the real corpus (`../shared/corpus/dockerfiles`, 1,155 files):
//! every result parses without new errors, the fixed rules no longer fire (except findings
//! that never had a fix), nothing new fires, the fixes converge, and a second run changes
//! nothing. Needs `../shared` (or `DLINT_SHARED=DIR`); fails when it is absent, unless
//! `DLINT_SKIP_SHARED=1` asks for skipping.

use dlint::lint::fix::{FixMode, fix_with};
use dlint::lint::{self, Applicability, Config, Diagnostic};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus() -> Option<Vec<PathBuf>> {
    let dir = crate::shared::dir("corpus/dockerfiles")?;
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("Dockerfile"))
        .collect();
    files.sort();
    assert!(
        files.len() > 1000,
        "corpus looks incomplete: {}",
        files.len()
    );
    Some(files)
}

fn counts(diags: &[Diagnostic], only_unfixable: bool) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for d in diags {
        if !only_unfixable || d.fix.is_none() {
            *m.entry(d.rule).or_insert(0) += 1;
        }
    }
    m
}

#[test]
fn unsafe_fixes_on_the_corpus_are_clean_and_idempotent() {
    let Some(files) = corpus() else { return };
    let cfg = Config::default();
    let registry = dlint::rules::registry();
    let mode = FixMode { unsafe_fixes: true };
    let mut failures = Vec::new();
    let (mut changed, mut applied) = (0usize, 0usize);
    let mut by_rule: BTreeMap<(&'static str, Applicability), usize> = BTreeMap::new();
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap();
        let before = lint::lint_source(registry, &source, &cfg);
        for d in &before {
            if let Some(f) = &d.fix {
                *by_rule.entry((d.rule, f.applicability)).or_insert(0) += 1;
            }
        }
        let fixed = fix_with(registry, &source, &cfg, mode);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut fail = |m: String| failures.push(format!("{name}: {m}"));
        if !fixed.converged {
            fail("fixes did not converge".into());
        }
        if fixed.source == source {
            continue;
        }
        changed += 1;
        applied += fixed.applied;
        // parses without new errors
        let errs = |s: &str| {
            let mut v: Vec<String> = dlint::dockerfile::parse(s)
                .errors
                .into_iter()
                .map(|e| e.message)
                .collect();
            v.sort();
            v
        };
        let (old_errs, new_errs) = (errs(&source), errs(&fixed.source));
        if new_errs.iter().any(|e| !old_errs.contains(e)) || new_errs.len() > old_errs.len() {
            fail(format!(
                "new parse errors: {new_errs:?} (before: {old_errs:?})"
            ));
        }
        // nothing fixable is left, the fixed rules no longer fire beyond their unfixable
        // findings, and no rule fires more than before
        if let Some(d) = fixed.remaining.iter().find(|d| d.fix.is_some()) {
            fail(format!("{} still has a fix: {}", d.rule, d.message));
        }
        let (all_before, unfixable_before) = (counts(&before, false), counts(&before, true));
        let fixed_rules: Vec<&str> = before
            .iter()
            .filter(|d| d.fix.is_some())
            .map(|d| d.rule)
            .collect();
        for (rule, n) in counts(&fixed.remaining, false) {
            let limit = if fixed_rules.contains(&rule) {
                unfixable_before.get(rule).copied().unwrap_or(0)
            } else {
                all_before.get(rule).copied().unwrap_or(0)
            };
            if n > limit {
                let msgs: Vec<&str> = fixed
                    .remaining
                    .iter()
                    .filter(|d| d.rule == rule)
                    .map(|d| d.message.as_str())
                    .collect();
                fail(format!(
                    "{rule} fires {n} times after fixing (limit {limit}): {msgs:?}"
                ));
            }
        }
        // a second run changes nothing
        let again = fix_with(registry, &fixed.source, &cfg, mode);
        if again.source != fixed.source || again.applied != 0 {
            fail(format!(
                "second run applied {} more fixes:\n{}",
                again.applied,
                similar::TextDiff::from_lines(&fixed.source, &again.source).unified_diff()
            ));
        }
    }
    eprintln!(
        "fixed {changed} of {} files with {applied} fixes; findings with a fix before fixing: {by_rule:?}",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(changed > 100, "suspiciously few files changed: {changed}");
}
