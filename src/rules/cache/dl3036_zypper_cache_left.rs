//! DL3036: `zypper install` without `zypper clean` in the same RUN.

use super::mount::styled;
use super::{Leftover, append_fix, check_leftovers};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::clean_command;
use crate::shell::pkg::{Manager, cleans_cache};
use crate::shell::run::{later, removed_later};

/// DL3036 `zypper-cache-left`.
pub struct ZypperCacheLeft;

const CACHE: &str = crate::shell::pkg::download_cache_of(Manager::Zypper);

impl Rule for ZypperCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3036",
            name: "zypper-cache-left",
            severity: Severity::Warning,
            summary: "Run `zypper clean` after `zypper install` in the same RUN",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model, style) = (cx.dockerfile, cx.model(), cx.settings.fix_style);
        check_leftovers(cx, |_, run, script, inv| {
            if inv.manager != Manager::Zypper || !inv.is_install() {
                return None;
            }
            let cleaned = later(script, inv.index, |c| cleans_cache(c, &[Manager::Zypper]));
            if cleaned || removed_later(script, inv.index, CACHE) || run.mount_covers(CACHE) {
                return None;
            }
            Some(Leftover {
                span: inv.cmd.span,
                message: format!(
                    "`zypper {}` leaves metadata and packages in {CACHE} in this layer; add \
                     `&& zypper clean --all` to the same RUN",
                    inv.sub()
                ),
                fix: styled(style, model, run, script, inv, || {
                    append_fix(df, run, script, inv, clean_command(Manager::Zypper)?)
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
        let bad = "FROM opensuse/leap:15\nRUN zypper -n install curl\n";
        assert_eq!(lines(&ZypperCacheLeft, bad), [2]);
        for src in [
            "FROM opensuse/leap:15\nRUN zypper -n in curl && zypper clean -a\n",
            "FROM opensuse/leap:15\nRUN zypper -n install curl && zypper cc\n",
            "FROM opensuse/leap:15\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n install curl\n",
        ] {
            assert!(lines(&ZypperCacheLeft, src).is_empty(), "{src}");
        }
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn appends_zypper_clean() {
        assert_eq!(
            fixed(
                &ZypperCacheLeft,
                "FROM opensuse/leap\nRUN zypper -n install curl\n"
            ),
            "FROM opensuse/leap\nRUN zypper -n install curl && zypper clean --all\n"
        );
        assert!(
            run(
                &ZypperCacheLeft,
                "FROM opensuse/leap\nRUN zypper -n in curl\n"
            )[0]
            .fix
            .is_some()
        );
    }
}
