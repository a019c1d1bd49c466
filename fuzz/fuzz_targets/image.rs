//! Fuzz target: reading images must never panic or hang, whatever the bytes.
//!
//! The first byte picks what the rest of the input is:
//! - even: two layer blobs (split at the second byte's share of the length), wrapped by the test
//!   kit into a valid OCI archive, analysed with and without verification (the tar walk, the
//!   decoders, whiteouts, hard links and the overlay model see hostile layer content);
//! - odd: the archive file itself (the outer tar, `index.json`, manifests, configs).
#![no_main]

use dlint::image::testkit::{self, ImageSpec, Layer};
use dlint::image::{self, AnalyzeOptions, Compression, OpenOptions};
use libfuzzer_sys::fuzz_target;

fn layer(blob: &[u8]) -> Layer {
    Layer {
        tar: blob.to_vec(),
        blob: blob.to_vec(),
        diff_id: testkit::sha256(blob),
        digest: testkit::sha256(blob),
        compression: Compression::None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("dlint-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("image.tar");
    if mode % 2 == 0 {
        let Some((&cut, rest)) = rest.split_first() else {
            return;
        };
        let at = rest.len() * usize::from(cut) / 256;
        let (a, b) = rest.split_at(at);
        let spec = ImageSpec::new()
            .layer(layer(a), "ADD a /")
            .layer(layer(b), "RUN b");
        if std::fs::write(&path, testkit::to_tar(&testkit::oci(&[spec], false))).is_err() {
            return;
        }
    } else if std::fs::write(&path, rest).is_err() {
        return;
    }
    let Ok(img) = image::open(&path, &OpenOptions::default()) else {
        return;
    };
    for verify in [true, false] {
        let opts = AnalyzeOptions {
            jobs: 2,
            verify,
            max_entries: 20_000,
            capture: vec!["**/status".into()],
            ..AnalyzeOptions::default()
        };
        if let Ok(r) = image::analyze(&img, &opts) {
            assert!(r.totals.visible_bytes <= r.totals.stored_bytes);
            assert_eq!(
                r.totals.wasted_bytes,
                r.totals.stored_bytes - r.totals.visible_bytes
            );
        }
    }
});
