//! Fuzz target: the registry client's parsers of server responses and user input
//! (`WWW-Authenticate` challenges, token JSON, `Retry-After`, `Content-Type`, references) must
//! never panic or hang, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dlint::image::registry::fuzz_responses(data);
});
