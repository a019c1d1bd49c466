//! DL3026: FROM images must come from a trusted registry (when trusted registries are set).

use crate::dockerfile::InstructionKind;
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
