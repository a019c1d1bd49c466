//! DL3019: `apk add` without `--no-cache`.

use super::{Leftover, check_leftovers, option_fix};
use crate::dockerfile::Dockerfile;
use crate::lint::Fix;
use crate::lint::index_readers::{IndexNeed, index_needed_after};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::Script;
use crate::shell::pkg::{Index, Invocation, invocations};
use crate::shell::pkg::{Manager, cleans_cache};
use crate::shell::run::{later, removed_later};

/// DL3019 `apk-cache-left`.
pub struct ApkCacheLeft;

const CACHE: &str = crate::shell::pkg::Index::Apk.dir();

impl Rule for ApkCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3019",
            name: "apk-cache-left",
            severity: Severity::Info,
            summary: "Use `apk add --no-cache` so the package index stays out of the layer",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model) = (cx.dockerfile, cx.model());
        check_leftovers(cx, |_, run, script, inv| {
            if inv.manager != Manager::Apk
                || inv.sub() != "add"
                || inv.has(&["--no-cache", "--no-network"])
            {
                return None;
            }
            if removed_later(script, inv.index, CACHE)
                || later(script, inv.index, |c| cleans_cache(c, &[Manager::Apk]))
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
                // Dropping `apk update` would break a later RUN that reads the index.
                fix: fix(
                    df,
                    script,
                    inv,
                    index_needed_after(model, run, Index::Apk) == IndexNeed::No,
                ),
            })
        });
    }
}

/// `--no-cache` after `add`; the first `apk add` after an `apk update` also drops the update
/// when every apk command after it is an `add` (with `--no-cache` they fetch a fresh index)
/// and no later RUN reads the index (`may_drop_update`).
fn fix(
    df: &Dockerfile,
    script: &Script,
    inv: &Invocation<'_>,
    may_drop_update: bool,
) -> Option<Fix> {
    let mut fix = option_fix(df, inv, "--no-cache")?;
    let apk = invocations(script);
    let apk: Vec<&Invocation<'_>> = apk.iter().filter(|i| i.manager == Manager::Apk).collect();
    let update = apk
        .iter()
        .rposition(|i| i.index < inv.index && i.sub() == "update" && i.options.is_empty());
    if let Some(u) = update {
        let after = apk.get(u + 1..).unwrap_or(&[]);
        let first_add = after.first().is_some_and(|i| i.index == inv.index);
        if may_drop_update
            && first_add
            && after.iter().all(|i| i.sub() == "add")
            && let Some(remove) = crate::shell::edit::remove_command(df, script, apk[u].index)
        {
            fix.description = "drop `apk update` and use `apk add --no-cache`".into();
            fix.edits.insert(0, remove);
        }
    }
    Some(fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

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
        let src = "FROM alpine:3.20 AS b\nRUN apk add gcc\nFROM alpine:3.20\nCOPY --from=b /usr/bin/gcc /usr/bin/\nRUN apk add --no-cache curl\n";
        assert!(lines(&ApkCacheLeft, src).is_empty());
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn adds_no_cache_and_drops_a_useless_update() {
        assert_eq!(
            fixed(&ApkCacheLeft, "FROM alpine\nRUN apk add curl\n"),
            "FROM alpine\nRUN apk add --no-cache curl\n"
        );
        assert_eq!(
            fixed(
                &ApkCacheLeft,
                "FROM alpine\r\nRUN apk update \\\r\n && apk add curl \\\r\n && apk add git\r\n"
            ),
            "FROM alpine\r\nRUN apk add --no-cache curl \\\r\n && apk add --no-cache git\r\n"
        );
        assert_eq!(
            fixed(
                &ApkCacheLeft,
                "FROM alpine\nRUN set -e; apk update; apk add curl\n"
            ),
            "FROM alpine\nRUN set -e; apk add --no-cache curl\n"
        );
        // a later RUN reads the index the update fetched: the update stays
        assert_eq!(
            fixed(
                &ApkCacheLeft,
                "FROM alpine\nRUN apk update && apk add curl\nRUN apk add git\n"
            ),
            "FROM alpine\nRUN apk update && apk add --no-cache curl\nRUN apk add --no-cache git\n"
        );
        // `apk upgrade` needs the index: the update stays
        assert_eq!(
            fixed(
                &ApkCacheLeft,
                "FROM alpine\nRUN apk update && apk upgrade && apk add curl\n"
            ),
            "FROM alpine\nRUN apk update && apk upgrade && apk add --no-cache curl\n"
        );
        let d = run(&ApkCacheLeft, "FROM alpine\nRUN apk add curl\n");
        assert_eq!(
            d[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::lint::Applicability::Safe)
        );
    }
}
