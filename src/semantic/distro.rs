//! What a base image's name says about its distribution: whether its `/bin/sh` is dash.

use crate::dockerfile::ImageRef;

/// Debian and Ubuntu release names, as image tags carry them (`python:3.12-slim-bookworm`).
const DEBIAN_RELEASES: &[&str] = &[
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "sid", "xenial", "bionic",
    "focal", "jammy", "noble", "oracular", "plucky",
];

/// Official images whose default variant (no distribution named in the tag) is built on Debian
/// or Ubuntu.
const DEBIAN_BY_DEFAULT: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "python",
    "node",
    "golang",
    "ruby",
    "php",
    "perl",
    "rust",
    "gcc",
    "openjdk",
    "eclipse-temurin",
    "postgres",
    "redis",
    "httpd",
    "nginx",
    "mariadb",
    "wordpress",
];

/// Distribution markers in a tag or name that mean another `sh` (busybox ash, bash).
const OTHER_DISTROS: &[&str] = &[
    "alpine",
    "busybox",
    "musl",
    "ubi",
    "oracle",
    "centos",
    "fedora",
    "rocky",
    "alma",
    "amazon",
    "windows",
    "nanoserver",
    "servercore",
    "distroless",
];

/// True when the image's `/bin/sh` is dash: a Debian or Ubuntu image, named so
/// (`debian`, `ubuntu:24.04`, a tag with a release name such as `-bookworm`) or an official
/// image whose default variant is Debian (`python:3.12`, `node:20-slim`) with no other
/// distribution in its tag. Unknown images (a variable, a private name) are not.
pub fn sh_is_dash(image: &ImageRef) -> bool {
    let name = image.name.to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    if name.contains('$') || (tag.contains('$') && !DEBIAN_RELEASES.iter().any(|r| tag.contains(r)))
    {
        return false;
    }
    if OTHER_DISTROS
        .iter()
        .any(|d| name.contains(d) || tag.contains(d))
    {
        return false;
    }
    let repo = name.strip_prefix("library/").unwrap_or(&name);
    DEBIAN_RELEASES.iter().any(|r| tag.contains(r)) || DEBIAN_BY_DEFAULT.contains(&repo)
}

#[cfg(test)]
mod tests {
    use super::sh_is_dash;
    use crate::dockerfile::parse;

    fn dash(from: &str) -> bool {
        let df = parse(&format!("FROM {from}\n"));
        df.stages.first().is_some_and(|s| sh_is_dash(&s.base))
    }

    #[test]
    fn debian_family_images_have_dash() {
        for img in [
            "debian:12",
            "ubuntu",
            "python:3.12-slim",
            "php:8.3-fpm",
            "myorg/app:1-bookworm",
            "ruby:${RUBY}-bookworm",
        ] {
            assert!(dash(img), "{img}");
        }
        for img in [
            "alpine:3.20",
            "php:8.3-fpm-alpine",
            "centos:7",
            "myorg/app:1",
            "${BASE}",
            "python:${V}",
            "gcr.io/distroless/base-debian12",
        ] {
            assert!(!dash(img), "{img}");
        }
    }
}
