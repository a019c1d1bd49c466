//! A registry image reads like the OCI archive it was pushed from, in every manifest format
//! (OCI, Docker v2 schema 2, zstd layers, multi-platform lists), and `dlint compare` of registry
//! images matches the comparison of the archives.

#![cfg(unix)]

use crate::image_registry::{
    Registry, body, compare_json, fails, image_json, spec, tools_present, write_archive,
};
use crate::image_registry_proxy::{forward, hdr};
use dlint::image::Compression;

#[test]
fn every_format_reads_like_the_archive() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    let host = reg.host();
    // OCI manifest, gzip layers
    let gz = write_archive(
        tmp.path(),
        "gz.tar",
        &[spec(Compression::Gzip, 1, "linux/amd64")],
        false,
    );
    reg.push(&gz, "app:gz", &[]);
    let from_disk = image_json(gz.to_str().unwrap(), &[]);
    let url = format!("docker://{host}/app:gz");
    let from_reg = image_json(&url, &[]);
    assert_eq!(
        body(from_reg.clone(), false),
        body(from_disk.clone(), false)
    );
    assert_eq!(from_reg["archive"], url.as_str());
    assert_eq!(from_reg["format"], "registry");
    assert_eq!(from_reg["reference"], format!("{host}/app:gz").as_str());
    assert!(from_reg["totals"]["wasted_bytes"].as_u64().unwrap() > 200_000);
    // the same image by digest, and with oci://
    let digest = from_disk["config_digest"].as_str().unwrap().to_string();
    assert_eq!(from_reg["config_digest"], digest.as_str());
    let by_oci = image_json(&format!("oci://{host}/app:gz"), &[]);
    assert_eq!(body(by_oci, false), body(from_disk.clone(), false));

    // Docker v2 schema 2 manifest (skopeo converts): same figures, Docker media types
    reg.push(&gz, "app:v2s2", &["--format", "v2s2"]);
    let v2 = image_json(&format!("docker://{host}/app:v2s2"), &[]);
    assert_eq!(body(v2.clone(), true), body(from_disk.clone(), true));
    assert_eq!(
        v2["layers"][0]["media_type"],
        "application/vnd.docker.image.rootfs.diff.tar.gzip"
    );

    // zstd layers, pushed as they are
    let zst = write_archive(
        tmp.path(),
        "zst.tar",
        &[spec(Compression::Zstd, 2, "linux/amd64")],
        false,
    );
    reg.push(&zst, "app:zstd", &[]);
    let zd = image_json(zst.to_str().unwrap(), &[]);
    let zr = image_json(&format!("docker://{host}/app:zstd"), &[]);
    assert_eq!(body(zr.clone(), false), body(zd, false));
    assert_eq!(zr["layers"][1]["compression"], "zstd");

    // an index with two platforms: default linux/amd64, --platform linux/arm64
    let multi = write_archive(
        tmp.path(),
        "multi.tar",
        &[
            spec(Compression::Gzip, 3, "linux/amd64"),
            spec(Compression::Gzip, 4, "linux/arm64"),
        ],
        true,
    );
    reg.push(&multi, "multi:1", &["--all"]);
    for platform in ["linux/amd64", "linux/arm64"] {
        let d = image_json(multi.to_str().unwrap(), &["--platform", platform]);
        let r = image_json(
            &format!("docker://{host}/multi:1"),
            &["--platform", platform],
        );
        assert_eq!(body(r.clone(), false), body(d, false), "{platform}");
        assert_eq!(r["platform"], platform);
    }
    // the same as a Docker manifest list (skopeo converts the index and both manifests)
    reg.push(&multi, "multi:v2s2", &["--all", "--format", "v2s2"]);
    assert_eq!(
        manifest_type(reg.port, "multi", "v2s2"),
        "application/vnd.docker.distribution.manifest.list.v2+json"
    );
    assert_eq!(
        manifest_type(reg.port, "multi", "1"),
        "application/vnd.oci.image.index.v1+json"
    );
    for platform in ["linux/amd64", "linux/arm64"] {
        let d = image_json(multi.to_str().unwrap(), &["--platform", platform]);
        let r = image_json(
            &format!("docker://{host}/multi:v2s2"),
            &["--platform", platform],
        );
        assert_eq!(body(r.clone(), true), body(d, true), "{platform}");
        assert_eq!(
            r["layers"][0]["media_type"],
            "application/vnd.docker.image.rootfs.diff.tar.gzip"
        );
    }
    let def = image_json(&format!("docker://{host}/multi:1"), &[]);
    assert_eq!(def["platform"], "linux/amd64");
    let err = fails(&[
        "image",
        "--no-config",
        &format!("docker://{host}/multi:1"),
        "--platform",
        "linux/s390x",
    ]);
    assert!(err.contains("linux/amd64, linux/arm64"), "{err}");

    // a missing tag and a missing repository: exit 2, registry + repository + code named
    for (repo_tag, code) in [
        ("app:nope", "MANIFEST_UNKNOWN"),
        ("ghost:1", "MANIFEST_UNKNOWN"),
    ] {
        let err = fails(&[
            "image",
            "--no-config",
            &format!("docker://{host}/{repo_tag}"),
        ]);
        let repo = repo_tag.split(':').next().unwrap();
        for want in [
            format!("registry {host}"),
            format!("repository {repo}"),
            "HTTP 404".to_string(),
            code.to_string(),
        ] {
            assert!(err.contains(&want), "{want:?} not in {err}");
        }
    }

    // compare: both sides in the registry, then registry against archive
    let reg_cmp = compare_json(
        &format!("docker://{host}/app:gz"),
        &format!("docker://{host}/app:zstd"),
    );
    let disk_cmp = compare_json(gz.to_str().unwrap(), zst.to_str().unwrap());
    let strip = |mut v: serde_json::Value| {
        let o = v.as_object_mut().unwrap();
        o.remove("a");
        o.remove("b");
        v
    };
    let mixed = compare_json(gz.to_str().unwrap(), &format!("docker://{host}/app:zstd"));
    assert_eq!(strip(reg_cmp), strip(disk_cmp.clone()));
    assert_eq!(strip(mixed), strip(disk_cmp));
}

/// The `Content-Type` the registry gives a manifest, asked for as any list or manifest type.
fn manifest_type(port: u16, repo: &str, tag: &str) -> String {
    let head = vec![
        format!("GET /v2/{repo}/manifests/{tag} HTTP/1.1"),
        "Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json".to_string(),
    ];
    let (h, _) = forward(port, &head).expect("registry answers");
    hdr(&h, "content-type").unwrap_or_default().to_string()
}
