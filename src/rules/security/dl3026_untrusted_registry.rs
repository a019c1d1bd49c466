//! DL3026: FROM images must come from a trusted registry (when trusted registries are set).

use crate::dockerfile::{ImageRef, InstructionKind, Keyword};
use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `FROM evil.example.com/x` when the config lists `trustedRegistries`.
pub struct UntrustedRegistry;

const DOCKER_HUB: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "hub.docker.com",
];

/// True when `registry` matches a trusted entry (exact, `*.domain` wildcard, Docker Hub aliases).
pub fn is_trusted(registry: &str, trusted: &[String]) -> bool {
    let r = registry.to_ascii_lowercase();
    let hub = DOCKER_HUB.contains(&r.as_str());
    trusted.iter().any(|t| {
        let t = t.trim().to_ascii_lowercase();
        if t == "*" || t == r || (hub && DOCKER_HUB.contains(&t.as_str())) {
            return true;
        }
        t.strip_prefix("*.")
            .is_some_and(|dom| r.ends_with(&format!(".{dom}")))
    })
}

impl Rule for UntrustedRegistry {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3026",
            name: "untrusted-registry",
            severity: Severity::Error,
            summary: "Use only an allowed registry in the FROM image",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let trusted = &cx.settings.trusted_registries;
        if trusted.is_empty() {
            return;
        }
        for (i, s) in df.stages.iter().enumerate() {
            let b = &s.base;
            if b.raw.is_empty()
                || b.raw.contains('$')
                || b.raw.eq_ignore_ascii_case("scratch")
                || cx.model().is_stage_name(&b.raw, i)
            {
                continue;
            }
            let registry = b.registry.as_deref().unwrap_or("docker.io");
            if is_trusted(registry, trusted) {
                continue;
            }
            if let Some(InstructionKind::From { image, .. }) = stage_from(df, i).map(|f| &f.kind) {
                let msg = format!(
                    "FROM `{}` comes from `{registry}`, which is not a trusted registry ({})",
                    b.raw,
                    trusted.join(", ")
                );
                cx.report(image.span, msg);
            }
        }
        // images a stage reads files from: `COPY --from=<image>`, `RUN --mount=from=<image>`
        for ins in &df.instructions {
            let before = ins.stage.unwrap_or(0);
            for flag in &ins.flags {
                let name = flag.name.to_ascii_lowercase();
                let from = match (ins.keyword, name.as_str()) {
                    (Keyword::Copy, "from") => flag.value.as_ref().map(|v| v.value.clone()),
                    (Keyword::Run, "mount") => flag.mount().and_then(|m| {
                        m.options
                            .into_iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("from"))
                            .and_then(|(_, v)| v)
                    }),
                    _ => None,
                };
                let Some(from) = from else {
                    continue;
                };
                // stages (by name or index) and variables are not images
                if from.is_empty()
                    || from.contains('$')
                    || from.eq_ignore_ascii_case("scratch")
                    || from.bytes().all(|b| b.is_ascii_digit())
                    || cx.model().stage_named(&from, Some(before)).is_some()
                {
                    continue;
                }
                let image = ImageRef::parse(&from);
                let registry = image.registry.as_deref().unwrap_or("docker.io");
                if !is_trusted(registry, trusted) {
                    let what = if ins.keyword == Keyword::Copy {
                        "COPY --from="
                    } else {
                        "RUN --mount=from="
                    };
                    cx.report(
                        flag.span,
                        format!(
                            "`{what}{from}` takes files from an image on `{registry}`, which is not a trusted registry ({})",
                            trusted.join(", ")
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::testing::lines_with;

    fn settings(t: &[&str]) -> RuleSettings {
        RuleSettings {
            trusted_registries: t.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn flags_untrusted_registries() {
        let src = "FROM evil.io/x:1\nFROM debian:12\nFROM a.corp.io/y:2\n";
        assert_eq!(
            lines_with(&UntrustedRegistry, src, &settings(&["*.corp.io"])),
            vec![1, 2]
        );
    }

    #[test]
    fn flags_images_read_by_copy_and_mounts() {
        let src = "FROM debian:12 AS base\nCOPY --from=evil.io/x:1 /a /a\nCOPY --from=base /b /b\nCOPY --from=0 /c /c\nRUN --mount=type=bind,from=evil.io/y:2,target=/m true\nRUN --mount=type=cache,from=base,target=/n true\nCOPY --from=gcr.io/ok:1 /d /d\n";
        assert_eq!(
            lines_with(&UntrustedRegistry, src, &settings(&["docker.io", "gcr.io"])),
            vec![2, 5]
        );
    }

    #[test]
    fn trusted_aliases_scratch_and_unset_are_fine() {
        let src = "FROM debian:12 AS base\nFROM base\nFROM scratch\nFROM gcr.io/x:1\n";
        assert!(
            lines_with(&UntrustedRegistry, src, &settings(&["docker.io", "gcr.io"])).is_empty()
        );
        assert!(
            lines_with(
                &UntrustedRegistry,
                "FROM evil.io/x:1\n",
                &RuleSettings::default()
            )
            .is_empty()
        );
    }
}
