//! DL5120: `FROM --platform=` names an OS the base image is never published for (the part of
//! BuildKit's InvalidBaseImagePlatform that can be decided without pulling the image).

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5120 `invalid-base-image-platform`.
pub struct InvalidBaseImagePlatform;

impl Rule for InvalidBaseImagePlatform {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5120",
            name: "invalid-base-image-platform",
            severity: Severity::Warning,
            summary: "FROM --platform names an OS the base image is never published for",
            aliases: &["InvalidBaseImagePlatform"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for (s, flag, value) in crate::lint::helpers::from_platforms(df) {
            if value.contains('$') || s.base.raw.contains('$') {
                continue;
            }
            // with the base image's facts: the platforms of its index decide
            if let Some(f) = cx.model().base_facts(s.index)
                && f.offers(value) == Some(false)
            {
                cx.report(
                    flag.span,
                    format!(
                        "`{}` is published for {} only, so --platform={value} cannot be \
                         satisfied: the pull fails",
                        s.base.raw,
                        f.platforms.join(", ")
                    ),
                );
                continue;
            }
            let Some(os) = value.split('/').next().map(str::to_ascii_lowercase) else {
                continue;
            };
            let Some(only) = only_os(&s.base.registry, &s.base.name) else {
                continue;
            };
            if os != only {
                cx.report(
                    flag.span,
                    format!(
                        "`{}` is only published for {only}, so --platform={value} cannot be \
                         satisfied: the pull fails",
                        s.base.raw
                    ),
                );
            }
        }
    }
}

/// Docker Hub distribution images published for Linux only (language images such as golang or
/// python also have Windows tags, so they are not listed).
const LINUX_ONLY: &[&str] = &[
    "alpine",
    "debian",
    "ubuntu",
    "busybox",
    "centos",
    "fedora",
    "archlinux",
    "amazonlinux",
    "rockylinux",
    "almalinux",
    "oraclelinux",
    "photon",
    "clearlinux",
    "opensuse/leap",
    "opensuse/tumbleweed",
    "redhat/ubi8",
    "redhat/ubi9",
    "redhat/ubi10",
];

/// The one OS the image `name` (from `registry`) is published for, when it is known.
fn only_os(registry: &Option<String>, name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    let registry = registry
        .as_deref()
        .unwrap_or("docker.io")
        .to_ascii_lowercase();
    let repo = name.strip_prefix("library/").unwrap_or(&name);
    if registry == "mcr.microsoft.com"
        && (repo.starts_with("windows")
            || repo.contains("nanoserver")
            || repo.contains("servercore"))
    {
        return Some("windows");
    }
    if registry == "gcr.io" && repo.starts_with("distroless/") {
        return Some("linux");
    }
    let hub = matches!(
        registry.as_str(),
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    );
    (hub && LINUX_ONLY.contains(&repo)).then_some("linux")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_an_os_the_image_does_not_have() {
        let src = "FROM --platform=windows/amd64 alpine:3.20\n\
                   FROM --platform=linux/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022\n\
                   FROM --platform=windows/amd64 gcr.io/distroless/static-debian12\n";
        assert_eq!(lines(&InvalidBaseImagePlatform, src), [1, 2, 3]);
    }

    #[test]
    fn accepts_matching_variable_and_unknown_images() {
        let src = "FROM --platform=linux/arm64 alpine:3.20\n\
                   FROM --platform=$BUILDPLATFORM golang:1.23\n\
                   FROM --platform=windows/amd64 golang:1.23-windowsservercore\n\
                   FROM --platform=windows/amd64 example.com/tools:1\n\
                   FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:ltsc2022\n";
        assert!(lines(&InvalidBaseImagePlatform, src).is_empty());
    }

    #[test]
    fn platforms_of_the_index() {
        use crate::lint::testing::{base_facts, run_with_base};
        // base_facts offers linux/amd64 and linux/arm64/v8
        let f = base_facts("myorg/app:1", &[], None, None);
        let d = run_with_base(
            &InvalidBaseImagePlatform,
            "FROM --platform=linux/s390x myorg/app:1\n",
            &f,
        );
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("linux/amd64, linux/arm64/v8"),
            "{}",
            d[0].message
        );
        assert!(
            run_with_base(
                &InvalidBaseImagePlatform,
                "FROM --platform=linux/arm64 myorg/app:1\n",
                &f
            )
            .is_empty()
        );
    }
}
