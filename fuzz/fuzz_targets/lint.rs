//! Fuzz target: the whole lint pipeline (parse, shell analysis, every rule, opt-in rules
//! included) must never panic; every finding's span must lie in the file; the fixes, applied,
//! must give text that parses and lints again without a panic.
#![no_main]

use dlint::lint::{self, Config};
use libfuzzer_sys::fuzz_target;

fn config() -> Config {
    let mut cfg = Config::default();
    for info in dlint::rules::registry().infos() {
        if !info.default_enabled {
            cfg.overrides.insert(info.id, info.severity);
        }
    }
    cfg.report_unused_ignores = true;
    cfg
}

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let cfg = config();
    let df = dlint::dockerfile::parse(&src);
    let diags = lint::lint_with(dlint::rules::registry(), &df, &cfg);
    for d in &diags {
        assert!(d.span.start <= d.span.end && d.span.end <= src.len(), "{d:?}");
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(e.span.start <= e.span.end && e.span.end <= src.len(), "{d:?}");
        }
        assert!(
            !d.message.contains("internal error"),
            "a rule panicked: {}",
            d.message
        );
    }
    let (fixed, _) = lint::fix::apply(&src, &diags);
    let again = dlint::dockerfile::parse(&fixed);
    let _ = lint::lint_with(dlint::rules::registry(), &again, &cfg);
});
