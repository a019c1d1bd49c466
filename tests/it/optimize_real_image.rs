//! `dlint optimize` on the real `debian-slim` image from `make-images.sh` (`../images/` or
//! `$DLINT_IMAGES`), checked against sums read straight from its layer blobs.

use crate::optimize::run;
use std::path::{Path, PathBuf};

/// Sums of the regular files of layer `layer` of an OCI archive whose path starts with each
/// prefix, read straight from the gzipped layer blob (not through dlint's image walker), so the
/// expected figures follow the image when `make-images.sh` rebuilds it.
fn layer_file_bytes(oci_tar: &Path, layer: usize, prefixes: &[&str]) -> Vec<u64> {
    use std::io::Read;
    let mut blobs = std::collections::HashMap::new();
    let mut index = Vec::new();
    let mut ar = tar::Archive::new(std::fs::File::open(oci_tar).unwrap());
    for e in ar.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e
            .path()
            .unwrap()
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name == "index.json" {
            index = data;
        } else if let Some(d) = name.strip_prefix("blobs/sha256/") {
            blobs.insert(format!("sha256:{d}"), data);
        }
    }
    let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    let mut doc = json(&index);
    while doc.get("layers").is_none() {
        let digest = doc["manifests"][0]["digest"].as_str().unwrap().to_string();
        doc = json(&blobs[&digest]);
    }
    let digest = doc["layers"][layer]["digest"].as_str().unwrap();
    let gz = flate2::read::GzDecoder::new(&blobs[digest][..]);
    let mut sums = vec![0; prefixes.len()];
    for e in tar::Archive::new(gz).entries().unwrap() {
        let e = e.unwrap();
        if !e.header().entry_type().is_file() {
            continue;
        }
        let path = e
            .path()
            .unwrap()
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        for (sum, p) in sums.iter_mut().zip(prefixes) {
            if path.starts_with(p) {
                *sum += e.size();
            }
        }
    }
    sums
}

/// The real image from `make-images.sh`: the apt lists of layer 1 priced to the byte (the sum
/// of the regular files under var/lib/apt/lists in that layer's blob; 87,325,647 bytes in the
/// first build, it changes with the Debian mirror when the image is rebuilt).
#[test]
fn real_debian_slim_apt_lists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let img = std::env::var_os("DLINT_IMAGES")
        .map(PathBuf::from)
        .into_iter()
        .chain([root.join("../images"), root.join("../../images")])
        .map(|d| d.join("debian-slim.oci.tar"))
        .find(|p| p.exists())
        .unwrap_or_else(|| root.join("../images/debian-slim.oci.tar"));
    if !img.exists() {
        eprintln!(
            "skipped: {} not found (built by make-images.sh; set DLINT_IMAGES)",
            img.display()
        );
        return;
    }
    let df = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/optimize/debian-slim.Dockerfile"),
    )
    .unwrap();
    let r = run(&df, &img, None);
    let a = &r.image.as_ref().unwrap().attribution;
    assert_eq!(a.status, "matched", "{a:?}");
    let expected = layer_file_bytes(&img, 1, &["var/lib/apt/lists/", "var/cache/apt/"]);
    assert!(expected.iter().all(|&b| b > 1_000_000), "{expected:?}");
    let lists = r.findings.iter().find(|f| f.rule == "DL3009").unwrap();
    assert_eq!(lists.bytes, Some(expected[0]));
    assert_eq!(lists.layer, Some(1));
    // line 7 deletes /var/cache/apt, which line 5's apt-get install filled (DL5004)
    let archives = r.findings.iter().find(|f| f.rule == "DL5004").unwrap();
    assert_eq!(archives.bytes, Some(expected[1]));
    assert_eq!(archives.layer, Some(1));
    assert!(!r.findings.iter().any(|f| f.rule == "cache-left"));
    assert_eq!(r.size_after, Some(r.size.unwrap() - r.total_saved));
}
