//! Fixture tests, as ruff's: `tests/fixtures/<ID>.Dockerfile` holds realistic cases for one
//! rule, each starting with a `# case: ...` line, and the findings of that rule are pinned in an
//! insta snapshot (`tests/fixtures/snapshots/<ID>.snap`). Each case is linted on its own (the
//! other lines blanked, so positions are the fixture file's), through the whole engine
//! (inline ignores included) with only the fixture's rule enabled.

use dlint::dockerfile::LineIndex;
use dlint::lint::{self, Config, Registry};
use std::fmt::Write as _;
use std::path::Path;

/// Only `id` enabled (opt-in rules too), with the settings the configuration-driven rules need.
fn config_for(registry: &Registry, id: &'static str, severity: lint::Severity) -> Config {
    let mut cfg = Config::default();
    for info in registry.infos() {
        if info.id != id {
            cfg.ignored.insert(info.id);
        }
    }
    cfg.overrides.insert(id, severity);
    crate::rule_pages::rule_settings(&mut cfg);
    cfg
}

/// The fixture's cases as whole-file texts: case `k` keeps its own lines and blanks every other
/// line (its `# case:` line included).
fn cases(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("# case:"))
        .collect();
    let mut out = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let name = lines[start]
            .trim_start_matches("# case:")
            .trim()
            .to_string();
        let src: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i > start && i < end {
                    l.to_string()
                } else {
                    "\n".to_string()
                }
            })
            .collect();
        out.push((name, src));
    }
    out
}

/// The rule's findings on every case of `text`: `line:col ID message`, with the fix's
/// applicability and the fixed case text when there is one.
fn render(registry: &Registry, id: &'static str, text: &str) -> String {
    let info = registry.lookup(id).expect("fixture named after a rule");
    let cfg = config_for(registry, info.id, info.severity);
    let mut out = String::new();
    for (name, src) in cases(text) {
        let idx = LineIndex::new(&src);
        let diags = lint::lint_source(registry, &src, &cfg);
        writeln!(out, "case {name}: {} finding(s)", diags.len()).unwrap();
        for d in diags {
            let lc = idx.line_col(&src, d.span.start);
            write!(out, "  {}:{} {} {}", lc.line, lc.column, d.rule, d.message).unwrap();
            match &d.fix {
                None => out.push('\n'),
                Some(f) => {
                    writeln!(out, " [fix: {:?}]", f.applicability).unwrap();
                    for e in &f.edits {
                        let a = idx.line_col(&src, e.span.start);
                        let b = idx.line_col(&src, e.span.end);
                        writeln!(
                            out,
                            "    {}:{}-{}:{} -> {:?}",
                            a.line, a.column, b.line, b.column, e.replacement
                        )
                        .unwrap();
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_rule_has_a_fixture_and_its_findings_match_the_snapshot() {
    let registry = dlint::rules::registry();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut ids = Vec::new();
    for info in registry.infos().iter().filter(|i| i.is_rule) {
        let path = dir.join(format!("{}.Dockerfile", info.id));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (every rule has a fixture)", path.display()));
        assert!(
            text.lines().any(|l| l.starts_with("# case:")),
            "{}: no `# case:` line",
            path.display()
        );
        let rendered = render(registry, info.id, &text);
        insta::with_settings!({
            snapshot_path => dir.join("snapshots"),
            prepend_module_to_snapshot => false,
            input_file => &path,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(info.id, rendered);
        });
        ids.push(info.id);
    }
    // No fixture without a rule.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(id) = name.strip_suffix(".Dockerfile") {
            assert!(ids.contains(&id), "tests/fixtures/{name}: no rule {id}");
        }
    }
}
