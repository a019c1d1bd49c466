//! Fuzz target: `dlint fix` converges and is idempotent. Fixing must stop within its rounds,
//! and fixing the fixed text again must change nothing (the DL3021 unbalanced-quote bug, which
//! added `/` on every run, is the kind of failure this finds).
#![no_main]

use dlint::lint::{Config, fix};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let cfg = Config::default();
    let once = fix::fix_source(dlint::rules::registry(), &src, &cfg);
    let twice = fix::fix_source(dlint::rules::registry(), &once.source, &cfg);
    assert_eq!(
        once.source, twice.source,
        "fix is not idempotent: a second run changed the fixed text"
    );
});
