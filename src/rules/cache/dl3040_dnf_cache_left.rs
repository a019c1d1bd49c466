//! DL3040: `dnf`/`microdnf install` without `dnf clean all` in the same RUN.

use super::{Leftover, append_fix, check_leftovers, is_cmd};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;
use crate::shell::run::{later, removed_later};

/// DL3040 `dnf-cache-left`.
pub struct DnfCacheLeft;

impl Rule for DnfCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3040",
            name: "dnf-cache-left",
            severity: Severity::Warning,
            summary: "Run `dnf clean all` after `dnf install` in the same RUN",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        check_leftovers(cx, |_, run, script, inv| {
            if !matches!(inv.manager, Manager::Dnf | Manager::Microdnf) || !inv.is_install() {
                return None;
            }
            let tool = inv.manager.as_str();
            // microdnf keeps its cache in /var/cache/yum on UBI images.
            let dirs: &[&str] = match inv.manager {
                Manager::Microdnf => &["/var/cache/yum", "/var/cache/dnf"],
                _ => &["/var/cache/dnf"],
            };
            let cleaned = later(script, inv.index, |c| {
                is_cmd(c, &["dnf", "dnf5", "microdnf", "yum"], &["clean", "all"])
            });
            if cleaned
                || dirs
                    .iter()
                    .all(|d| removed_later(script, inv.index, d) || run.mount_covers(d))
            {
                return None;
            }
            Some(Leftover {
                span: inv.cmd.span,
                message: format!(
                    "`{tool} {}` leaves metadata and packages in {} in this layer; add \
                     `&& {tool} clean all` to the same RUN",
                    inv.sub(),
                    dirs[0]
                ),
                // the same executable (`dnf5`, `microdnf`) cleans its own cache
                fix: inv.cmd.name().and_then(|name| {
                    append_fix(df, run, script, inv, &format!("{name} clean all"))
                }),
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_and_accepts() {
        assert_eq!(
            lines(&DnfCacheLeft, "FROM fedora:40\nRUN dnf install -y git\n"),
            [2]
        );
        assert_eq!(
            lines(
                &DnfCacheLeft,
                "FROM ubi9-minimal\nRUN microdnf install -y git\n"
            ),
            [2]
        );
        for src in [
            "FROM fedora:40\nRUN dnf install -y git && dnf clean all\n",
            "FROM ubi9-minimal\nRUN microdnf install -y git && microdnf clean all\n",
            "FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y git\n",
            "FROM fedora:40\nRUN dnf install -y git && rm -rf /var/cache/dnf\n",
        ] {
            assert!(lines(&DnfCacheLeft, src).is_empty(), "{src}");
        }
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn appends_the_same_tools_clean() {
        assert_eq!(
            fixed(&DnfCacheLeft, "FROM fedora\nRUN dnf5 install -y git\n"),
            "FROM fedora\nRUN dnf5 install -y git && dnf5 clean all\n"
        );
        assert_eq!(
            fixed(
                &DnfCacheLeft,
                "FROM ubi\nRUN set -eux; microdnf install -y git; microdnf -y upgrade\n"
            ),
            "FROM ubi\nRUN set -eux; microdnf install -y git; microdnf -y upgrade; microdnf clean all\n"
        );
        assert!(
            run(&DnfCacheLeft, "FROM fedora\nRUN dnf install -y git\n")[0]
                .fix
                .is_some()
        );
    }
}
