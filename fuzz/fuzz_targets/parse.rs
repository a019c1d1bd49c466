//! Fuzz target: the parser must never panic or hang, and its spans must stay in bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let df = dlint::dockerfile::parse(&src);
    let len = df.source.len();
    for ins in &df.instructions {
        assert!(ins.span.start <= ins.span.end && ins.span.end <= len);
        assert!(src.is_char_boundary(ins.span.start) && src.is_char_boundary(ins.span.end));
        for f in &ins.flags {
            assert!(f.span.end <= len);
            let _ = f.mount();
        }
        for h in &ins.heredocs {
            assert!(h.span.end <= len);
        }
    }
    for c in &df.comments {
        assert!(c.span.end <= len);
    }
    let _ = dlint::dockerfile::dump::buildkit_dump(&df);
});
