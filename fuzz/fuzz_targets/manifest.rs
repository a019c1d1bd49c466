//! Fuzz target: the image JSON readers (OCI `index.json`, image manifests, image configs and
//! the `docker save` `manifest.json`) must never panic or hang, whatever the JSON.
//!
//! The first byte picks which document the rest of the input replaces in a valid archive; the
//! documents that reference it are rewritten with its digest and size, so the fuzzed bytes
//! reach the JSON reader instead of failing the digest check.
#![no_main]

use dlint::image::testkit::{self, Files, ImageSpec, LayerBuilder};
use dlint::image::{self, AnalyzeOptions, OpenOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn blob_name(data: &[u8]) -> String {
    let digest = testkit::sha256(data);
    format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"))
}

fn descriptor(media_type: &str, data: &[u8]) -> serde_json::Value {
    json!({"mediaType": media_type, "digest": testkit::sha256(data), "size": data.len()})
}

/// An OCI archive whose index, manifest or config is `doc`.
fn oci_with(which: u8, doc: &[u8]) -> Files {
    let layer = LayerBuilder::new().file("etc/a", b"a").build();
    let spec = ImageSpec::new().layer(layer.clone(), "ADD a /");
    if which == 0 {
        let mut files = testkit::oci(&[spec], false);
        for (name, data) in &mut files {
            if name == "index.json" {
                *data = doc.to_vec();
            }
        }
        return files;
    }
    let config = if which == 2 { doc.to_vec() } else { spec.config() };
    let manifest = if which == 1 {
        doc.to_vec()
    } else {
        serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": descriptor("application/vnd.oci.image.config.v1+json", &config),
            "layers": [descriptor(layer.media_type(), &layer.blob)],
        }))
        .unwrap_or_default()
    };
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "manifests": [descriptor("application/vnd.oci.image.manifest.v1+json", &manifest)],
    }))
    .unwrap_or_default();
    vec![
        (
            "oci-layout".into(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ),
        ("index.json".into(), index),
        (blob_name(&manifest), manifest),
        (blob_name(&config), config),
        (blob_name(&layer.blob), layer.blob.clone()),
    ]
}

/// A `docker save` archive whose `manifest.json` is `doc`.
fn docker_with(doc: &[u8]) -> Files {
    let layer = LayerBuilder::new().file("etc/a", b"a").build();
    let spec = ImageSpec::new().layer(layer, "ADD a /");
    let mut files = testkit::docker_classic(&[spec]);
    for (name, data) in &mut files {
        if name == "manifest.json" {
            *data = doc.to_vec();
        }
    }
    files
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, doc)) = data.split_first() else {
        return;
    };
    let files = match mode % 4 {
        3 => docker_with(doc),
        which => oci_with(which, doc),
    };
    let dir = std::env::temp_dir().join(format!("dlint-fuzz-manifest-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("image.tar");
    if std::fs::write(&path, testkit::to_tar(&files)).is_err() {
        return;
    }
    let Ok(img) = image::open(&path, &OpenOptions::default()) else {
        return;
    };
    let opts = AnalyzeOptions {
        jobs: 1,
        max_entries: 1_000,
        ..AnalyzeOptions::default()
    };
    let _ = image::analyze(&img, &opts);
});
