//! DL3060: `yarn install` without `yarn cache clean` in the same RUN.

use super::mount::styled;
use super::{Leftover, append_fix, check_leftovers};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::clean_command;
use crate::shell::pkg::{Manager, cache_mount_dirs, cleans_cache};
use crate::shell::run::{later, removed_later};

/// DL3060 `yarn-cache-left`.
pub struct YarnCacheLeft;

const CACHE: &str = crate::shell::pkg::download_cache_of(Manager::Yarn);

impl Rule for YarnCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3060",
            name: "yarn-cache-left",
            severity: Severity::Info,
            summary: "Run `yarn cache clean` after `yarn install` in the same RUN",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model, style) = (cx.dockerfile, cx.model(), cx.settings.fix_style);
        check_leftovers(cx, |_, run, script, inv| {
            if inv.manager != Manager::Yarn || !inv.is_install() {
                return None;
            }
            let folder = inv.value(&["--cache-folder"]);
            // yarn 1 keeps root's cache in /usr/local/share/.cache/yarn, any other user's in
            // ~/.cache/yarn
            let home = model.home_at(run.index);
            let cache = match home.dir() {
                Some("/root") => CACHE.to_string(),
                _ => home.join(".cache/yarn"),
            };
            // the table's yarn caches (yarn 1's, yarn berry's global one), in this user's home
            // and root's, and the suggested mount target
            let dirs = cache_mount_dirs(Manager::Yarn, home.dir());
            if later(script, inv.index, |c| cleans_cache(c, &[Manager::Yarn]))
                || dirs.iter().any(|d| removed_later(script, inv.index, d))
                || removed_later(script, inv.index, &home.join(".cache/yarn"))
                || folder.is_some_and(|f| {
                    removed_later(script, inv.index, f) || run.mount_covers_or_within(f)
                })
                || dirs.iter().any(|d| run.mount_covers_or_within(d))
            {
                return None;
            }
            let what = match inv.sub() {
                "" => Manager::Yarn.as_str().to_string(),
                s => format!("{} {s}", Manager::Yarn.as_str()),
            };
            Some(Leftover {
                span: inv.cmd.span,
                message: format!(
                    "`{what}` leaves the package cache in {} in this layer; add `&& yarn cache \
                     clean` to the same RUN",
                    folder.unwrap_or(&cache)
                ),
                // a custom cache folder is cleaned with the same flag; a folder with shell
                // syntax in it gets no fix
                fix: match folder {
                    None => styled(style, model, run, script, inv, || {
                        append_fix(df, run, script, inv, clean_command(Manager::Yarn)?)
                    }),
                    Some(f)
                        if f.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)) =>
                    {
                        append_fix(
                            df,
                            run,
                            script,
                            inv,
                            &format!("yarn cache clean --cache-folder {f}"),
                        )
                    }
                    Some(_) => None,
                },
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn a_mount_whose_path_only_names_yarn_does_not_count() {
        // the target is not one of yarn's caches: the cache is still written to the layer
        for src in [
            "FROM node:20\nRUN --mount=type=cache,target=/app/yarn-stuff yarn install\n",
            "FROM node:20\nRUN --mount=type=cache,target=/root/.npm yarn install\n",
            "FROM node:20\nRUN --mount=type=bind,target=/usr/local/share/.cache/yarn yarn install\n",
        ] {
            assert_eq!(lines(&YarnCacheLeft, src), [2], "{src}");
        }
    }

    #[test]
    fn flags_and_accepts() {
        assert_eq!(
            lines(
                &YarnCacheLeft,
                "FROM node:20\nRUN yarn install --frozen-lockfile\n"
            ),
            [2]
        );
        assert_eq!(lines(&YarnCacheLeft, "FROM node:20\nRUN yarn\n"), [2]);
        assert_eq!(
            lines(
                &YarnCacheLeft,
                "FROM node:20\nRUN yarn install\nRUN yarn cache clean\n"
            ),
            [2]
        );
        // a non-root user's yarn cache is in its home
        let d = crate::lint::testing::run(
            &YarnCacheLeft,
            "FROM node:20\nRUN useradd -m app\nUSER app\nRUN yarn install\n",
        );
        assert!(
            d[0].message.contains("/home/app/.cache/yarn"),
            "{}",
            d[0].message
        );
        assert!(
            lines(
                &YarnCacheLeft,
                "FROM node:20\nRUN useradd -m app\nUSER app\nRUN yarn install && rm -rf ~/.cache/yarn\n"
            )
            .is_empty()
        );
        for src in [
            "FROM node:20\nRUN yarn install && yarn cache clean\n",
            "FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n",
            "FROM node:20\nRUN --mount=type=tmpfs,target=/root/.cache/yarn yarn install\n",
            "FROM node:20\nRUN yarn build\n",
            // yarn 1 writes into its cache's v6; berry's global cache; a custom folder
            "FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn/v6 yarn install\n",
            "FROM node:20\nRUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install\n",
            "FROM node:20\nRUN yarn install && rm -rf /root/.yarn/berry/cache\n",
            "FROM node:20\nRUN --mount=type=cache,target=/tmp/yc yarn install --cache-folder /tmp/yc\n",
            "FROM node:20\nUSER node\nENV HOME=/home/node\nRUN --mount=type=cache,target=/home/node/.cache/yarn yarn install\n",
        ] {
            assert!(lines(&YarnCacheLeft, src).is_empty(), "{src}");
        }
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn appends_yarn_cache_clean() {
        assert_eq!(
            fixed(
                &YarnCacheLeft,
                "FROM node:20\nRUN yarn install --frozen-lockfile\n"
            ),
            "FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n"
        );
        assert_eq!(
            fixed(
                &YarnCacheLeft,
                "FROM node:20\nRUN yarn --cache-folder /tmp/yc\n"
            ),
            "FROM node:20\nRUN yarn --cache-folder /tmp/yc && yarn cache clean --cache-folder /tmp/yc\n"
        );
        assert!(
            run(&YarnCacheLeft, "FROM node:20\nRUN yarn\n")[0]
                .fix
                .is_some()
        );
    }
}
