//! DL3019: `apk add` without `--no-cache`.

use super::{Leftover, check_leftovers, is_cmd};
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;
use crate::shell::run::{later, removed_later};

/// DL3019 `apk-cache-left`.
pub struct ApkCacheLeft;

const CACHE: &str = "/var/cache/apk";

impl Rule for ApkCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3019",
            name: "apk-cache-left",
            severity: Severity::Info,
            summary: "Use `apk add --no-cache` so the package index stays out of the layer",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        check_leftovers(cx, |_, run, script, inv| {
            if inv.manager != Manager::Apk
                || inv.sub() != "add"
                || inv.has(&["--no-cache", "--no-network"])
            {
                return None;
            }
            if removed_later(script, inv.index, CACHE)
                || later(script, inv.index, |c| {
                    is_cmd(c, &["apk"], &["cache", "clean"])
                })
                || run.mount_covers(CACHE)
            {
                return None;
            }
            Some(Leftover {
                span: inv.cmd.span,
                message: format!(
                    "`apk add` without `--no-cache` leaves the package index in {CACHE} in this \
                     layer; use `apk add --no-cache`"
                ),
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::testutil::lines;

    #[test]
    fn flags_missing_no_cache() {
        let src = "FROM alpine:3.20\nRUN apk update && apk add curl\n";
        assert_eq!(lines(&ApkCacheLeft, src), [2]);
    }

    #[test]
    fn accepts_no_cache_rm_and_mount() {
        for src in [
            "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
            "FROM alpine:3.20\nRUN apk add --update curl && rm -rf /var/cache/apk/*\n",
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
            "FROM alpine:3.20\nRUN apk add --no-network --virtual .rundeps $runDeps\n",
        ] {
            assert!(lines(&ApkCacheLeft, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn later_run_cleanup_does_not_count() {
        let src = "FROM alpine:3.20\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*\n";
        assert_eq!(lines(&ApkCacheLeft, src), [2]);
    }

    #[test]
    fn builder_stage_is_not_checked() {
        let src = "FROM alpine:3.20 AS b\nRUN apk add gcc\nFROM alpine:3.20\nRUN apk add --no-cache curl\n";
        assert!(lines(&ApkCacheLeft, src).is_empty());
    }
}
