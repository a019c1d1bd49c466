use super::*;
use crate::image::Compression;
use crate::image::testkit::LayerBuilder;
use crate::image::walk::{WalkCtx, scan_layer};
use std::sync::atomic::AtomicUsize;

/// A scan of a small layer made of `seed`-dependent files.
fn scan_of(seed: usize) -> LayerScan {
    let mut b = LayerBuilder::new().compress(Compression::Gzip).dir("d");
    for i in 0..20 {
        b = b.file_size(&format!("d/f{seed}-{i}"), 100 + i * seed);
    }
    let layer = b
        .file("etc/os-release", format!("ID=test{seed}\n").as_bytes())
        .whiteout("gone")
        .hardlink("d/h", &format!("d/f{seed}-1"))
        .symlink("d/s", "f2")
        .opaque("o")
        .build();
    let globs = crate::image::read::globs_of(&["etc/os-release".to_string()]).unwrap();
    let (budget, seen, bomb) = (
        AtomicU64::new(1 << 20),
        AtomicUsize::new(0),
        AtomicUsize::new(usize::MAX),
    );
    let ctx = WalkCtx {
        capture: globs.as_ref(),
        capture_max_file: 1 << 20,
        capture_budget: &budget,
        max_entries: usize::MAX,
        entries_seen: &seen,
        bomb_layer: &bomb,
        layer: 0,
        progress: None,
        hash: true,
        pipeline: false,
        cache: None,
    };
    let s = scan_layer(Box::new(std::io::Cursor::new(layer.blob)), &ctx).unwrap();
    assert_eq!(s.captured.len(), 1);
    s
}

fn key_of(cache: &LayerCache, s: &LayerScan) -> Key {
    cache.key(&s.diff_id, Some(&s.blob_digest), "spec").unwrap()
}

#[test]
fn round_trip_and_every_damage_is_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let cache = LayerCache::new(dir.path().join("layers"));
    let (a, b) = (scan_of(1), scan_of(2));
    let (ka, kb) = (key_of(&cache, &a), key_of(&cache, &b));
    assert!(cache.load(&ka).is_none(), "empty cache");
    cache.store(&ka, &a);
    cache.store(&kb, &b);
    let back = cache.load(&ka).expect("hit");
    assert!(same_scan(&a, &back));
    assert!(!same_scan(&a, &b));
    let good = std::fs::read(&ka.file).unwrap();
    let other = std::fs::read(&kb.file).unwrap();

    let mut damaged: Vec<(&str, Vec<u8>)> = Vec::new();
    // one flipped bit anywhere: header, checksum, payload
    for at in [0, 9, 13, 25, 40, good.len() / 2, good.len() - 1] {
        let mut f = good.clone();
        f[at] ^= 0x10;
        damaged.push(("flipped", f));
    }
    for len in [0, 10, 60, good.len() - 1] {
        damaged.push(("truncated", good[..len].to_vec()));
    }
    // another layer's valid entry under this layer's name
    damaged.push(("swapped", other.clone()));
    // an older format version with a valid checksum
    let mut old = good.clone();
    old[8..12].copy_from_slice(&(entry::VERSION - 1).to_le_bytes());
    damaged.push(("old version", old));
    let mut longer = good.clone();
    longer.push(0);
    damaged.push(("trailing byte", longer));
    let mut rejected = cache.stats().rejected;
    for (what, bytes) in damaged {
        std::fs::write(&ka.file, &bytes).unwrap();
        assert!(cache.load(&ka).is_none(), "{what}");
        rejected += 1;
        assert_eq!(cache.stats().rejected, rejected, "{what}");
        // the walk's store rewrites it
        cache.store(&ka, &a);
        assert!(
            same_scan(&a, &cache.load(&ka).expect("rewritten")),
            "{what}"
        );
    }
    // the same layer read with other capture settings is another entry
    let kc = cache
        .key(&a.diff_id, Some(&a.blob_digest), "other")
        .unwrap();
    assert_ne!(kc.file, ka.file);
    std::fs::copy(&ka.file, &kc.file).unwrap();
    assert!(
        cache.load(&kc).is_none(),
        "an entry of other capture settings"
    );
}

#[test]
fn a_malformed_body_with_a_valid_checksum_is_a_miss() {
    let a = scan_of(3);
    let good = entry::encode(&a, "id").unwrap();
    assert!(entry::decode(&good, "id").is_some());
    assert!(entry::decode(&good, "other id").is_none());
    // rebuild the file around a body cut inside the packed entries
    let mut body = entry::body(&a, "id");
    body.truncate(body.len() - 1);
    let payload = zstd::bulk::compress(&body, 1).unwrap();
    let mut f = good[..12].to_vec();
    f.extend_from_slice(&(body.len() as u64).to_le_bytes());
    f.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    f.extend_from_slice(&Sha256::digest(&payload));
    f.extend_from_slice(&payload);
    assert!(entry::unpack(&f).is_some(), "the checksum is right");
    assert!(entry::decode(&f, "id").is_none(), "the entries are not");
}

#[test]
fn the_size_cap_evicts_least_recently_used() {
    let dir = tempfile::tempdir().unwrap();
    let scans: Vec<LayerScan> = (1..=4).map(scan_of).collect();
    let probe = LayerCache::new(dir.path());
    let one = entry::encode(&scans[0], &key_of(&probe, &scans[0]).identity)
        .unwrap()
        .len() as u64;
    // room for three entries (they are about the same size)
    let cache = LayerCache::new(dir.path()).with_max_bytes(one * 3 + one / 2);
    let keys: Vec<Key> = scans.iter().map(|s| key_of(&cache, s)).collect();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(100);
    for (i, (k, s)) in keys.iter().zip(&scans).take(3).enumerate() {
        cache.store(k, s);
        let f = std::fs::File::options().write(true).open(&k.file).unwrap();
        f.set_modified(old + std::time::Duration::from_secs(i as u64))
            .unwrap();
    }
    // using the oldest makes the second the least recently used
    assert!(cache.load(&keys[0]).is_some());
    cache.store(&keys[3], &scans[3]);
    let present: Vec<bool> = keys.iter().map(|k| k.file.exists()).collect();
    assert_eq!(present, [true, false, true, true]);
    // an entry bigger than the whole cap is not written
    let tiny = LayerCache::new(dir.path().join("tiny")).with_max_bytes(10);
    let k = key_of(&tiny, &scans[0]);
    tiny.store(&k, &scans[0]);
    assert!(!k.file.exists());
}

#[test]
fn keys_need_a_sha256_diff_id() {
    let cache = LayerCache::new("x");
    assert!(cache.key("sha256:abc", None, "").is_none());
    assert!(
        cache
            .key(&format!("sha512:{}", "a".repeat(64)), None, "")
            .is_none()
    );
    let d = format!("sha256:{}", "a".repeat(64));
    let (k1, k2) = (
        cache.key(&d, None, "").unwrap(),
        cache.key(&d, Some("sha256:b"), "").unwrap(),
    );
    assert_ne!(k1.file, k2.file);
    assert_eq!(
        capture_spec(&["b".into(), "a".into(), "a".into()], 5),
        "a\0b\x005"
    );
}
