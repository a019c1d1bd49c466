//! Every rule over the real corpus (`../shared/corpus/dockerfiles`): no rule crashes, parallel
//! linting is deterministic and matches one-by-one linting.

use dlint::lint::{self, Config};
use std::path::PathBuf;

/// The corpus files; `None` when the shared directory is absent (see [`crate::shared`]).
fn corpus() -> Option<Vec<PathBuf>> {
    let dir = crate::shared::dir("corpus/dockerfiles")?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("Dockerfile"))
        .collect();
    files.sort();
    assert!(
        files.len() > 1000,
        "corpus looks incomplete: {} files",
        files.len()
    );
    Some(files)
}

/// Every rule on, with settings that activate the configuration-driven ones.
fn everything() -> Config {
    let mut cfg = Config::default();
    for info in dlint::rules::registry().infos() {
        cfg.overrides.insert(info.id, info.severity);
    }
    cfg.report_unused_ignores = true;
    cfg.settings.trusted_registries = vec!["docker.io".into()];
    cfg.settings.strict_labels = true;
    for (k, t) in [
        ("maintainer", "email"),
        ("version", "semver"),
        ("org.opencontainers.image.source", "url"),
    ] {
        cfg.settings.label_schema.push((k.into(), t.into()));
    }
    cfg
}

#[test]
fn no_rule_crashes_and_parallel_output_is_deterministic() {
    let Some(files) = corpus() else { return };
    let cfg = everything();
    let parallel = lint::lint_files(dlint::rules::registry(), &files, &cfg);
    assert_eq!(parallel.len(), files.len());
    let mut total = 0;
    for (f, path) in parallel.iter().zip(&files) {
        assert_eq!(&f.path, path, "results are sorted by path");
        assert!(f.error.is_none(), "{}: {:?}", path.display(), f.error);
        for d in &f.diagnostics {
            assert!(
                !d.message.starts_with("internal error"),
                "{}: {}",
                path.display(),
                d.message
            );
            assert!(
                d.span.end <= f.source.len(),
                "{}: {} span out of range",
                path.display(),
                d.rule
            );
        }
        assert!(
            f.diagnostics
                .windows(2)
                .all(|w| w[0].span.start <= w[1].span.start),
            "{}: findings not sorted by position",
            path.display()
        );
        // one-by-one linting gives the same findings
        let source = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            lint::lint_source(dlint::rules::registry(), &source, &cfg),
            f.diagnostics,
            "{}",
            path.display()
        );
        total += f.diagnostics.len();
    }
    assert!(
        total > 1000,
        "suspiciously few findings over the corpus: {total}"
    );
}

#[test]
fn fixes_apply_cleanly_on_the_corpus() {
    let Some(files) = corpus() else { return };
    let cfg = Config::default();
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        let fixed = lint::fix::fix_source(dlint::rules::registry(), &source, &cfg);
        if fixed.applied == 0 {
            continue;
        }
        // fixing never introduces parse errors
        let before = dlint::dockerfile::parse(&source).errors.len();
        let after = dlint::dockerfile::parse(&fixed.source).errors.len();
        assert!(
            after <= before,
            "{}: fix introduced parse errors",
            path.display()
        );
        // and is idempotent
        assert_eq!(
            lint::fix::fix_source(dlint::rules::registry(), &fixed.source, &cfg).applied,
            0,
            "{}",
            path.display()
        );
    }
}
