//! DL3040: `dnf`/`microdnf install` without `dnf clean all` in the same RUN.

use super::mount::styled;
use super::{Leftover, append_fix, check_leftovers};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::{Invocation, Manager, cache_dir, cleans_cache, dir_paths, invocations};
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
        let (df, model, style) = (cx.dockerfile, cx.model(), cx.settings.fix_style);
        check_leftovers(cx, |_, run, script, inv| {
            let left = |inv: &Invocation<'_>| -> bool {
                if !matches!(inv.manager, Manager::Dnf | Manager::Microdnf)
                    || !inv.is_rpm_transaction()
                {
                    return false;
                }
                // dnf 4 keeps its cache in /var/cache/dnf, dnf5 (Fedora 41+, `dnf` there too) in
                // /var/cache/libdnf5; microdnf (libdnf) in /var/cache/yum, and Fedora 41+ ships
                // dnf5 in its place. Removing (or mounting) one of them is enough.
                let dirs_gone = dir_paths(inv.manager)
                    .iter()
                    .any(|d| removed_later(script, inv.index, d) || run.mount_covers(d));
                // `dnf clean all` leaves microdnf's cache and `microdnf clean all` leaves dnf's;
                // `yum` is dnf on RHEL 8+ and Fedora.
                let cleaners: &[Manager] = match inv.manager {
                    Manager::Microdnf => &[Manager::Microdnf],
                    _ => &[Manager::Dnf, Manager::Yum],
                };
                let cleaned = later(script, inv.index, |c| cleans_cache(c, cleaners));
                !cleaned && !dirs_gone
            };
            if !left(inv) {
                return None;
            }
            // One finding per RUN: an earlier transaction left behind is reported already.
            if invocations(script)
                .iter()
                .any(|o| o.index < inv.index && left(o))
            {
                return None;
            }
            let tool = inv.manager.as_str();
            let dir = cache_dir(inv.manager).unwrap_or("/var/cache/dnf");
            Some(Leftover {
                span: inv.cmd.span,
                message: format!(
                    "`{tool} {}` leaves metadata and packages in {} in this layer; add \
                     `&& {tool} clean all` to the same RUN",
                    inv.sub(),
                    dir
                ),
                // the same executable (`dnf5`, `microdnf`) cleans its own cache
                fix: styled(style, model, run, script, inv, || {
                    inv.cmd.name().and_then(|name| {
                        append_fix(df, run, script, inv, &format!("{name} clean all"))
                    })
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

    #[test]
    fn each_tool_cleans_its_own_cache() {
        for src in [
            "FROM fedora:40\nRUN dnf install -y git && microdnf clean all\n",
            "FROM ubi9-minimal\nRUN microdnf install -y git && dnf clean all\n",
            // dnf 4 does not use /var/cache/yum
            "FROM fedora:40\nRUN dnf install -y git && rm -rf /var/cache/yum/*\n",
            "FROM ubi9-minimal\nRUN microdnf install -y git && rm -rf /var/cache/dnf\n",
        ] {
            assert_eq!(lines(&DnfCacheLeft, src), [2], "{src}");
        }
        for src in [
            "FROM fedora:40\nRUN dnf install -y git && yum clean all\n",
            "FROM ubi9-minimal\nRUN microdnf install -y git && rm -rf /var/cache/yum/*\n",
            "FROM ubi9-minimal\nRUN --mount=type=cache,target=/var/cache/libdnf5 microdnf install -y git\n",
            "FROM ubi9-minimal\nRUN --mount=type=tmpfs,target=/var/cache/libdnf5 microdnf install -y git\n",
            "FROM ubi9-minimal\nONBUILD RUN microdnf install -y git && rm -rf /var/cache/yum\n",
        ] {
            assert!(lines(&DnfCacheLeft, src).is_empty(), "{src}");
        }
        assert_eq!(
            lines(
                &DnfCacheLeft,
                "FROM fedora:40\nONBUILD RUN dnf install -y git && microdnf clean all\n"
            ),
            [2]
        );
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
