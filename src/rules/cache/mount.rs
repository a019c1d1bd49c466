//! `fix-style: mount`: the cache rules' fixes as BuildKit cache mounts over the manager's cache
//! and index directories (the package model's table) instead of a cleanup appended to the RUN.
//!
//! Always unsafe: the file then needs BuildKit (or buildah), and a later RUN without the mount
//! does not see what this RUN downloaded (no apt lists in the image).

use crate::lint::fix::FixStyle;
use crate::lint::index_readers::{IndexNeed, index_needed_after};
use crate::lint::{Fix, SemanticModel};
use crate::shell::Script;
use crate::shell::edit::{insert_run_flags, prepend_command};
use crate::shell::pkg::{Index, Invocation, cache_mount_setup, dirs_of, invocations};
use crate::shell::run::{Run, removed_later};

/// The fix keeping `inv`'s cache out of the layer in `style`: `clean` (the given cleanup fix)
/// or `mount` (cache mounts; the cleanup fix when no mount can be placed).
pub(crate) fn styled(
    style: FixStyle,
    model: &SemanticModel<'_>,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
    clean: impl FnOnce() -> Option<Fix>,
) -> Option<Fix> {
    match style {
        FixStyle::Clean => clean(),
        FixStyle::Mount => mount_fix(model, run, script, inv).or_else(clean),
    }
}

/// The directories a cache mount should cover for `inv`'s manager in this RUN: what every
/// invocation of its family fills (ENV and the user's home considered), else the manager's
/// directories of the table; without those a mount or a later `rm` already covers, and
/// without an index a later RUN still reads.
pub(crate) fn mount_dirs(
    model: &SemanticModel<'_>,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
) -> Vec<String> {
    let home = model.home_at(run.index);
    let set = |n: &str| model.var(run.index, n).is_some();
    let family = inv.manager.family();
    let mut dirs: Vec<String> = Vec::new();
    for o in invocations(script)
        .iter()
        .filter(|o| o.manager.family() == family)
    {
        for d in o.filled_dirs(&set, home.dir()) {
            if !dirs.contains(&d) {
                dirs.push(d);
            }
        }
    }
    if dirs.is_empty() {
        dirs = dirs_of(inv.manager)
            .filter_map(|d| match d.home_rel() {
                Some(_) => home.dir().map(|h| d.in_home(h)),
                None => Some(d.path.to_string()),
            })
            .collect();
    }
    // An index a later RUN installs from stays in the layer, as with the cleanup.
    let needed = |d: &str| {
        [Index::AptLists, Index::Apk]
            .into_iter()
            .find(|i| i.dir() == d)
            .is_some_and(|i| matches!(index_needed_after(model, run, i), IndexNeed::Yes))
    };
    dirs.retain(|d| !run.mount_covers(d) && !removed_later(script, inv.index, d) && !needed(d));
    dirs
}

/// An unsafe fix putting the directories of [`mount_dirs`] on `sharing=locked` cache mounts,
/// with the manager's setup command (apt: keep the downloaded packages) first in the RUN.
pub(crate) fn mount_fix(
    model: &SemanticModel<'_>,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
) -> Option<Fix> {
    // An ONBUILD trigger runs in whatever builds the child image: keep the cleanup there.
    if run.onbuild {
        return None;
    }
    let df = model.dockerfile();
    let dirs = mount_dirs(model, run, script, inv);
    if dirs.is_empty() {
        return None;
    }
    let flags = dirs
        .iter()
        .map(|d| format!("--mount=type=cache,target={d},sharing=locked"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut edits = vec![insert_run_flags(df, run, &flags)?];
    if let Some((marker, setup)) = cache_mount_setup(inv.manager) {
        let done = script
            .commands
            .iter()
            .any(|c| c.words.iter().any(|w| w.value == marker));
        if !done {
            edits.push(prepend_command(df, run, script, setup)?);
        }
    }
    Some(Fix::unsafe_edit(
        format!("put {} on BuildKit cache mounts", dirs.join(", ")),
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use crate::lint::Config;
    use crate::lint::fix::{FixMode, FixStyle, fix_with};

    /// The whole fix loop in `fix-style: mount` (DL5005 on, as for a base that keeps apt's cache).
    fn fix(src: &str, unsafe_fixes: bool) -> String {
        let mut cfg = Config::default();
        cfg.settings.fix_style = FixStyle::Mount;
        cfg.overrides.insert("DL5005", crate::lint::Severity::Info);
        let mode = FixMode { unsafe_fixes };
        let once = fix_with(crate::rules::registry(), src, &cfg, mode).source;
        let twice = fix_with(crate::rules::registry(), &once, &cfg, mode).source;
        assert_eq!(once, twice, "not idempotent");
        once
    }

    const SETUP: &str = "rm -f /etc/apt/apt.conf.d/docker-clean && echo \
        'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache";

    #[test]
    fn apt_gets_lists_and_cache_mounts_and_keeps_its_downloads() {
        let src =
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends jq\n";
        assert_eq!(
            fix(src, true),
            format!(
                "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
                 --mount=type=cache,target=/var/cache/apt,sharing=locked {SETUP} && apt-get \
                 update && apt-get install -y --no-install-recommends jq\n"
            )
        );
        // unsafe: `dlint fix` alone leaves the file as it is
        assert_eq!(fix(src, false), src);
    }

    #[test]
    fn a_mounted_target_is_left_alone_and_the_setup_is_not_repeated() {
        let src = format!(
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
             {SETUP} && apt-get update && apt-get install -y jq\n"
        );
        assert_eq!(
            fix(&src, true),
            format!(
                "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
                 --mount=type=cache,target=/var/lib/apt/lists,sharing=locked {SETUP} && apt-get \
                 update && apt-get install --no-install-recommends -y jq\n"
            )
        );
        // a later `rm` of the lists: only the cache is mounted
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*\n";
        let out = fix(src, true);
        assert!(
            out.contains("RUN --mount=type=cache,target=/var/cache/apt,sharing=locked rm -f")
                && !out.contains("target=/var/lib/apt/lists"),
            "{out}"
        );
    }

    #[test]
    fn no_mount_where_a_later_run_needs_the_lists() {
        // the update moves into the installing RUN first, which then gets the mounts
        let out = fix(
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y jq\n",
            true,
        );
        assert_eq!(out.matches("RUN ").count(), 1, "{out}");
        assert!(out.contains("target=/var/lib/apt/lists"), "{out}");
        // a stage built FROM this one installs without updating: no fix at all
        let src = "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN apt-get install -y jq && rm -rf /var/lib/apt/lists/*\n";
        assert!(
            !fix(src, true)
                .lines()
                .nth(1)
                .is_some_and(|l| l.contains("--mount")),
        );
    }

    #[test]
    fn per_user_caches_follow_the_home_and_other_managers_use_the_table() {
        let out = fix(
            "FROM python:3\nRUN useradd -m -d /home/app app\nUSER app\nRUN pip install flask\n",
            true,
        );
        assert!(
            out.contains("RUN --mount=type=cache,target=/home/app/.cache/pip,sharing=locked pip install flask"),
            "{out}"
        );
        let out = fix("FROM fedora:41\nRUN dnf install -y jq\n", true);
        assert!(
            out.contains(
                "RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked \
                 --mount=type=cache,target=/var/cache/libdnf5,sharing=locked dnf install -y jq"
            ),
            "{out}"
        );
        let out = fix("FROM centos:7\nRUN yum install -y jq\n", true);
        assert!(
            out.contains("RUN --mount=type=cache,target=/var/cache/yum,sharing=locked yum"),
            "{out}"
        );
    }

    #[test]
    fn heredocs_get_the_setup_as_their_first_line_and_exec_form_no_mount() {
        let out = fix(
            "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y jq\nEOF\n",
            true,
        );
        assert!(
            out.starts_with(&format!(
                "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
                 --mount=type=cache,target=/var/cache/apt,sharing=locked <<EOF\n{SETUP}\nset -e\n"
            )),
            "{out}"
        );
        let src = "FROM debian:12\nRUN [\"apt-get\", \"update\"]\n";
        assert!(!fix(src, true).contains("--mount"));
        // an ONBUILD trigger keeps the cleanup
        let out = fix("FROM node:20\nONBUILD RUN npm install\n", true);
        assert!(
            !out.contains("--mount") && out.contains("npm cache clean --force"),
            "{out}"
        );
    }
}
