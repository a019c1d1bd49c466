//! Fuzz target: the YAML config loader must never panic, whatever the text; a config it
//! accepts must be usable for linting.
#![no_main]

use dlint::lint::{self, Config};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let registry = dlint::rules::registry();
    if let Ok(cfg) = Config::parse(text, Path::new(".dlint.yaml"), registry) {
        let df = dlint::dockerfile::parse("FROM debian\nRUN apt-get install -y curl\n");
        let _ = lint::lint_with(registry, &df, &cfg);
    }
});
