//! DL5149 (opt-in): `apt-get upgrade` / `dist-upgrade` in a RUN: the image's packages then
//! depend on the day it was built, not on the base image tag.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::{Manager, invocations};

/// DL5149 `apt-get-upgrade`.
pub struct AptGetUpgrade;

impl Rule for AptGetUpgrade {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5149",
            name: "apt-get-upgrade",
            severity: Severity::Info,
            summary: "`apt-get upgrade`/`dist-upgrade` in a RUN: upgrade the base image instead",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for run in &cx.analysis().runs {
            let Some(script) = &run.script else { continue };
            for inv in invocations(script) {
                if matches!(
                    inv.manager,
                    Manager::AptGet | Manager::Apt | Manager::Aptitude
                ) && matches!(
                    inv.sub(),
                    "upgrade" | "dist-upgrade" | "full-upgrade" | "safe-upgrade"
                ) {
                    found.push((
                        inv.cmd.span,
                        format!("{} {}", inv.manager.as_str(), inv.sub()),
                    ));
                }
            }
        }
        for (span, what) in found {
            cx.report(
                span,
                format!(
                    "`{what}` makes the image's packages depend on the day it is built and grows \
                     the layer with a copy of every upgraded package: pull a newer base image \
                     (or pin its digest) instead"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_upgrades() {
        assert_eq!(
            lines(
                &AptGetUpgrade,
                "FROM debian\nRUN apt-get update && apt-get -y upgrade\n"
            ),
            [2]
        );
        assert_eq!(
            lines(&AptGetUpgrade, "FROM debian\nRUN apt-get dist-upgrade -y\n"),
            [2]
        );
    }

    #[test]
    fn installs_pass() {
        for src in [
            "FROM debian\nRUN apt-get update && apt-get install -y --only-upgrade openssl\n",
            "FROM alpine\nRUN apk upgrade\n",
        ] {
            assert!(lines(&AptGetUpgrade, src).is_empty(), "{src}");
        }
    }
}
