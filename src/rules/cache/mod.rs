//! Rules of the `cache` family: package-manager caches and indexes left in a layer.
//!
//! These rules look at one RUN at a time: a cleanup in a later RUN does not shrink the image
//! (the earlier layer keeps the files), a cleanup later in the same RUN does, and so does a
//! `--mount=type=cache` (or tmpfs) on the cache directory. Only stages that end up in the final
//! image are checked (the last stage and the stages it is built `FROM`), except DL3015, which
//! is about what gets installed rather than what is left behind.

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod dl3009_apt_lists_not_removed;
pub mod dl3015_apt_install_recommends;
pub mod dl3019_apk_cache_left;
pub mod dl3032_yum_cache_left;
pub mod dl3036_zypper_cache_left;
pub mod dl3040_dnf_cache_left;
pub mod dl3042_pip_cache_left;
pub mod dl3060_yarn_cache_left;
pub mod dl5003_package_cache_left;
pub mod dl5005_apt_cache_left;
pub mod dl5140_package_cache_mount;
mod merge_update;
pub(crate) mod mount;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(dl3009_apt_lists_not_removed::AptListsNotRemoved),
        Box::new(dl3015_apt_install_recommends::AptInstallRecommends),
        Box::new(dl3019_apk_cache_left::ApkCacheLeft),
        Box::new(dl3032_yum_cache_left::YumCacheLeft),
        Box::new(dl3036_zypper_cache_left::ZypperCacheLeft),
        Box::new(dl3040_dnf_cache_left::DnfCacheLeft),
        Box::new(dl3042_pip_cache_left::PipCacheLeft),
        Box::new(dl3060_yarn_cache_left::YarnCacheLeft),
        Box::new(dl5003_package_cache_left::PackageCacheLeft),
        Box::new(dl5005_apt_cache_left::AptCacheLeft),
        Box::new(dl5140_package_cache_mount::PackageCacheMount),
    ]
}

use crate::dockerfile::Span;
use crate::lint::{Context, Fix};
use crate::shell::Script;
use crate::shell::pkg::Invocation;
use crate::shell::run::{Analysis, Run, for_each_invocation};

/// What a leftover-cache check found for one invocation.
pub(crate) struct Leftover {
    pub span: Span,
    pub message: String,
    /// The edit that removes the leftover, when one can be placed.
    pub fix: Option<Fix>,
}

/// Runs a leftover-cache check over every invocation in the final image's stages.
pub(crate) fn check_leftovers(
    cx: &mut Context<'_>,
    mut f: impl FnMut(&Analysis, &Run, &Script, &Invocation<'_>) -> Option<Leftover>,
) {
    let (a, model) = (cx.analysis(), cx.model());
    for_each_invocation(a, |run, script, inv| {
        // ONBUILD RUNs execute in the child image, which is a final image of its own.
        if !run.onbuild && !model.in_final_image(run.stage) {
            return;
        }
        if let Some(l) = f(a, run, script, inv) {
            cx.report_with_fix(l.span, l.message, l.fix);
        }
    });
}

/// A safe fix running `command` at the end of the RUN (after the invocation's command).
pub(crate) fn append_fix(
    df: &crate::dockerfile::Dockerfile,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
    command: &str,
) -> Option<Fix> {
    let edit = crate::shell::edit::append_command(df, run, script, inv.index, command)?;
    Some(Fix::safe(
        format!("add `{command}` to the same RUN"),
        vec![edit],
    ))
}

/// A fix adding `option` after the invocation's sub-command.
pub(crate) fn option_fix(
    df: &crate::dockerfile::Dockerfile,
    inv: &Invocation<'_>,
    option: &str,
) -> Option<Fix> {
    let edit = crate::shell::edit::insert_option(df, inv, option)?;
    Some(Fix::safe(
        format!("add `{option}` to `{} {}`", inv.manager.as_str(), inv.sub()),
        vec![edit],
    ))
}

/// True when `dir`, a cache `inv` fills, does not stay in the RUN's layer: a later command of
/// the RUN deletes it (`rm -rf DIR`; `~/…` and `$HOME/…`, which the shell helpers read as
/// /root, in the home of the RUN's user) or a mount of the RUN holds it (a cache mount on the
/// same directory of a home dlint does not know counts). The one "cleaned later or mounted"
/// fact of DL5003 and DL5005.
pub(crate) fn cache_cleared(
    model: &crate::lint::SemanticModel<'_>,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
    dir: &str,
) -> bool {
    use crate::shell::run::removed_later;
    let home = model.home_at(run.index);
    let rel = match home.dir() {
        Some(h) => dir.strip_prefix(h).and_then(|r| r.strip_prefix('/')),
        None => dir
            .strip_prefix("~/")
            .map(|r| r.split(' ').next().unwrap_or(r)),
    };
    removed_later(script, inv.index, dir)
        || run.mount_covers(dir)
        || rel.is_some_and(|r| removed_later(script, inv.index, &format!("/root/{r}")))
        || (home.dir().is_none()
            && rel.is_some_and(|r| {
                run.mounts.iter().any(|m| {
                    m.kind == "cache"
                        && m.target
                            .as_deref()
                            .is_some_and(|t| t.trim_end_matches('/').ends_with(&format!("/{r}")))
                })
            }))
}
