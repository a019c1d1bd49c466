//! Moving layers from a registry: broken connections resume and corrupt blobs fail,
//! `dlint compare` fetches a shared layer once, a cached image downloads no layer, and a
//! sharded registry-wide scan merges like one run.

#![cfg(unix)]

use crate::image_registry::{
    Registry, body, compare_json, dlint, fails, image_json, layer_digest, one_image, spec,
    tools_present, write_archive,
};
use crate::image_registry_proxy::{Proxy, ProxyMode};
use dlint::image::Compression;
use dlint::image::testkit::LayerBuilder;
use std::process::{Command as Proc, Stdio};

#[test]
fn broken_connections_resume_and_corrupt_blobs_fail() {
    let Some((reg, _tmp, _, want)) = one_image(5, None) else {
        return;
    };
    let big = layer_digest(&want, 0);

    // cut twice half way: resumed with Range, same report
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            cut: Some((big.clone(), 2)),
            ..ProxyMode::default()
        },
    );
    let got = image_json(&proxy.app(), &[]);
    assert_eq!(body(got, false), body(want.clone(), false));
    let gets = proxy
        .requests()
        .iter()
        .filter(|(p, _)| p.ends_with(&big))
        .count();
    assert_eq!(gets, 3, "{:?}", proxy.requests());
    drop(proxy);

    // cut every time: fails after the bounded retries, exit 2, nothing on stdout
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            cut: Some((big.clone(), usize::MAX)),
            ..ProxyMode::default()
        },
    );
    let err = fails(&["image", "--no-config", &proxy.app()]);
    assert!(err.contains("layer 0") && err.contains(&big), "{err}");
    assert!(err.contains("attempts"), "{err}");
    drop(proxy);

    // 503 twice, then served: retried; 503 always: exit 2 after the bounded attempts
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            unavailable: 2,
            ..ProxyMode::default()
        },
    );
    let got = image_json(&proxy.app(), &[]);
    assert_eq!(body(got, false), body(want.clone(), false));
    drop(proxy);
    let proxy = Proxy::start(
        reg.port,
        ProxyMode {
            unavailable: usize::MAX,
            ..ProxyMode::default()
        },
    );
    let err = fails(&["image", "--no-config", &proxy.app()]);
    assert!(
        err.contains("HTTP 503") && err.contains("UNAVAILABLE"),
        "{err}"
    );
    let tries = proxy
        .requests()
        .iter()
        .filter(|(p, _)| p.contains("/manifests/"))
        .count();
    assert_eq!(tries, 4, "{:?}", proxy.requests());
    drop(proxy);

    // a flipped byte: a clean error naming the layer, never a report
    for layer in [0, 1] {
        let d = layer_digest(&want, layer);
        let proxy = Proxy::start(
            reg.port,
            ProxyMode {
                flip: Some(d.clone()),
                ..ProxyMode::default()
            },
        );
        let err = fails(&["image", "--no-config", &proxy.app()]);
        assert!(
            err.contains(&format!("layer {layer}")) && err.contains(&d),
            "{err}"
        );
    }
}

#[test]
fn compare_fetches_a_shared_layer_once() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    // same base layer bytes, different second layers
    let a = spec(Compression::Gzip, 8, "linux/amd64");
    let mut b = spec(Compression::Gzip, 9, "linux/amd64");
    b.layers[0] = a.layers[0].clone();
    let pa = write_archive(tmp.path(), "a.tar", std::slice::from_ref(&a), false);
    let pb = write_archive(tmp.path(), "b.tar", &[b], false);
    reg.push(&pa, "app:a", &[]);
    reg.push(&pb, "app:b", &[]);
    let proxy = Proxy::start(reg.port, ProxyMode::default());
    let host = proxy.host();
    let v = compare_json(
        &format!("docker://{host}/app:a"),
        &format!("docker://{host}/app:b"),
    );
    assert_eq!(v["layers"]["shared"], 1, "{v}");
    let base = &a.layers[0].digest;
    let log = proxy.requests();
    let n = log
        .iter()
        .filter(|(p, _)| p.ends_with(base.as_str()))
        .count();
    assert_eq!(n, 1, "{log:?}");
}

/// With the layer cache, a second analysis of a registry image transfers only its manifests and
/// config: no layer blob is downloaded, and the report is the same.
#[test]
fn a_cached_image_downloads_no_layer() {
    let Some((reg, _tmp, _gz, _)) = one_image(11, None) else {
        return;
    };
    let proxy = Proxy::start(reg.port, ProxyMode::default());
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().to_str().unwrap();
    let app = proxy.app();
    let cold = image_json(&app, &["--cache-dir", dir]);
    let first = proxy.take_sent();
    let warm = image_json(&app, &["--cache-dir", dir]);
    let second = proxy.take_sent();
    assert_eq!(cold, warm);
    let layers: Vec<String> = (0..2).map(|i| layer_digest(&cold, i)).collect();
    let config = cold["config_digest"].as_str().unwrap();
    let bytes = |log: &[(String, usize)], pred: &dyn Fn(&str) -> bool| -> usize {
        log.iter().filter(|(p, _)| pred(p)).map(|(_, n)| n).sum()
    };
    let is_layer = |p: &str| layers.iter().any(|d| p.ends_with(d.as_str()));
    assert!(bytes(&first, &is_layer) > 5_000, "{first:?}");
    assert_eq!(bytes(&second, &is_layer), 0, "{second:?}");
    // what the second run fetched: manifests (and the index) and the config, nothing else
    for (p, _) in &second {
        assert!(
            p.contains("/manifests/") || p.ends_with(config) || !p.starts_with("/v2/app/"),
            "{p} fetched again: {second:?}"
        );
    }
    assert!(
        second.iter().any(|(p, _)| p.ends_with(config)),
        "{second:?}"
    );
    eprintln!(
        "registry bytes: first run {} (layers {}), second run {} (layers 0)",
        bytes(&first, &|_| true),
        bytes(&first, &is_layer),
        bytes(&second, &|_| true)
    );
}

/// A registry-wide scan: 30 images (generated variants sharing base layers, and one missing
/// reference) scanned by three `--shard I/3` workers as separate processes sharing one layer
/// cache; the three line files merge to exactly the report of one unsharded run.
#[test]
fn sharded_scan_merges_like_one_run() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    let mut refs = Vec::new();
    let bases: Vec<_> = (0..3)
        .map(|b| {
            LayerBuilder::new()
                .compress(Compression::Gzip)
                .file("etc/os-release", format!("ID=base{b}\n").as_bytes())
                .file_size("usr/lib/libbig.so", 200_000 + b * 10_000)
                .file_size("var/cache/apk/index.tar.gz", 30_000)
                .build()
        })
        .collect();
    for i in 0..30 {
        let mut s = spec(Compression::Gzip, i, "linux/amd64");
        s.layers[0] = bases[i % 3].clone();
        let p = write_archive(tmp.path(), &format!("i{i}.tar"), &[s], false);
        reg.push(&p, &format!("team{}/app{i}:1", i % 4), &[]);
        refs.push(format!("docker://{}/team{}/app{i}:1", reg.host(), i % 4));
    }
    refs.push(format!("docker://{}/missing/app:1", reg.host()));
    let list = tmp.path().join("refs.txt");
    std::fs::write(&list, format!("# the fleet\n{}\n", refs.join("\n"))).unwrap();
    let list = list.to_str().unwrap();

    let one = dlint(&[
        "image",
        "--from-file",
        list,
        "--format",
        "jsonl",
        "--no-cache",
    ]);
    assert_eq!(one.status.code(), Some(0), "{one:?}");
    let one_path = tmp.path().join("one.jsonl");
    std::fs::write(&one_path, &one.stdout).unwrap();
    let mut one_lines: Vec<String> = String::from_utf8(one.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(one_lines.len(), 31);

    let cache = tmp.path().join("cache");
    let workers: Vec<std::process::Child> = (0..3)
        .map(|i| {
            Proc::new(assert_cmd::cargo::cargo_bin("dlint"))
                .args(["image", "--from-file", list, "--format", "jsonl"])
                .args(["--shard", &format!("{i}/3"), "--cache-dir"])
                .arg(&cache)
                .env("NO_PROXY", "*")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut shard_files = Vec::new();
    let mut shard_lines = Vec::new();
    for (i, w) in workers.into_iter().enumerate() {
        let out = w.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        // the references carry the registry's random port, so the split differs from run to
        // run: every shard takes some (31 references, 3 shards), the union is checked below
        assert!(text.lines().count() >= 1, "shard {i}: {text}");
        shard_lines.extend(text.lines().map(str::to_string));
        let p = tmp.path().join(format!("results-{i}.jsonl"));
        std::fs::write(&p, text).unwrap();
        shard_files.push(p.to_str().unwrap().to_string());
    }
    one_lines.sort();
    shard_lines.sort();
    assert_eq!(one_lines, shard_lines, "the shards split the list exactly");
    assert!(
        one_lines.iter().any(|l| l.contains("\"error\"")),
        "the missing image"
    );

    let merged = |files: &[&str]| {
        let mut args = vec!["merge", "--format", "json"];
        args.extend_from_slice(files);
        let out = dlint(&args);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let whole = merged(&[one_path.to_str().unwrap()]);
    let files: Vec<&str> = shard_files.iter().map(String::as_str).collect();
    assert_eq!(whole, merged(&files));
    assert_eq!(whole["images"], 30, "{whole}");
    assert_eq!(whole["failed"].as_array().unwrap().len(), 1);
    // three base layers, each in ten images
    let shared = whole["shared_layers"].as_array().unwrap();
    assert_eq!(shared.len(), 3, "{whole}");
    assert!(shared.iter().all(|l| l["images"] == 10), "{whole}");
    assert_eq!(whole["largest"].as_array().unwrap().len(), 20);
    // the text report too
    let out = dlint(&["merge", files[0], files[1], files[2]]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("30 images (1 failed)"), "{text}");
    assert!(text.contains("Shared base layers"), "{text}");
}
