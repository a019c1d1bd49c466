//! DL3032: `yum install` without `yum clean all` in the same RUN.

use super::mount::styled;
use super::{Leftover, append_fix, check_leftovers};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::clean_command;
use crate::shell::pkg::{Manager, cleans_cache};
use crate::shell::run::{later, removed_later};

/// DL3032 `yum-cache-left`.
pub struct YumCacheLeft;

const CACHE: &str = crate::shell::pkg::download_cache_of(Manager::Yum);

impl Rule for YumCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3032",
            name: "yum-cache-left",
            severity: Severity::Warning,
            summary: "Run `yum clean all` after `yum install` in the same RUN",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model, style) = (cx.dockerfile, cx.model(), cx.settings.fix_style);
        check_leftovers(cx, |_, run, script, inv| {
            if inv.manager != Manager::Yum || !inv.is_install() {
                return None;
            }
            if later(script, inv.index, |c| cleans_cache(c, &[Manager::Yum]))
                || removed_later(script, inv.index, CACHE)
                || run.mount_covers(CACHE)
            {
                return None;
            }
            Some(Leftover {
                span: inv.cmd.span,
                message: format!(
                    "`yum {}` leaves metadata and packages in {CACHE} in this layer; add \
                     `&& yum clean all` to the same RUN",
                    inv.sub()
                ),
                fix: styled(style, model, run, script, inv, || {
                    append_fix(df, run, script, inv, clean_command(Manager::Yum)?)
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
            lines(&YumCacheLeft, "FROM centos:7\nRUN yum install -y httpd\n"),
            [2]
        );
        assert_eq!(
            lines(
                &YumCacheLeft,
                "FROM centos:7\nRUN yum install -y httpd\nRUN yum clean all\n"
            ),
            [2]
        );
        for src in [
            "FROM centos:7\nRUN yum install -y httpd && yum clean all\n",
            "FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum\n",
            "FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd\n",
            "FROM centos:7\nRUN yum update -y\n",
        ] {
            assert!(lines(&YumCacheLeft, src).is_empty(), "{src}");
        }
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn appends_yum_clean_all() {
        assert_eq!(
            fixed(&YumCacheLeft, "FROM centos:7\nRUN yum install -y httpd\n"),
            "FROM centos:7\nRUN yum install -y httpd && yum clean all\n"
        );
        assert!(
            run(&YumCacheLeft, "FROM centos:7\nRUN yum install -y httpd\n")[0]
                .fix
                .is_some()
        );
    }
}
