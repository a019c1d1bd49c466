//! Rules of the `cache` family: package-manager caches and indexes left in a layer.
//!
//! These rules look at one RUN at a time: a cleanup in a later RUN does not shrink the image
//! (the earlier layer keeps the files), a cleanup later in the same RUN does, and so does a
//! `--mount=type=cache` (or tmpfs) on the cache directory. Only stages that end up in the final
//! image are checked (the last stage and the stages it is built `FROM`), except DL3015, which
//! is about what gets installed rather than what is left behind.

mod dl3009_apt_lists;
mod dl3015_no_install_recommends;
mod dl3019_apk_no_cache;
mod dl3032_yum_clean;
mod dl3036_zypper_clean;
mod dl3040_dnf_clean;
mod dl3042_pip_no_cache_dir;
mod dl3060_yarn_cache_clean;
mod dl5003_package_cache_left;

use crate::dockerfile::Span;
use crate::lint::{Context, Fix, Rule};
use crate::shell::pkg::Invocation;
use crate::shell::run::{Analysis, Run, analyze, for_each_invocation};
use crate::shell::{Command, Script};

pub use dl3009_apt_lists::AptListsNotRemoved;
pub use dl3015_no_install_recommends::AptInstallRecommends;
pub use dl3019_apk_no_cache::ApkCacheLeft;
pub use dl3032_yum_clean::YumCacheLeft;
pub use dl3036_zypper_clean::ZypperCacheLeft;
pub use dl3040_dnf_clean::DnfCacheLeft;
pub use dl3042_pip_no_cache_dir::PipCacheLeft;
pub use dl3060_yarn_cache_clean::YarnCacheLeft;
pub use dl5003_package_cache_left::PackageCacheLeft;

/// Every rule of this family.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(AptListsNotRemoved),
        Box::new(AptInstallRecommends),
        Box::new(ApkCacheLeft),
        Box::new(YumCacheLeft),
        Box::new(ZypperCacheLeft),
        Box::new(DnfCacheLeft),
        Box::new(PipCacheLeft),
        Box::new(YarnCacheLeft),
        Box::new(PackageCacheLeft),
    ]
}

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
    let a = analyze(cx.dockerfile);
    let mut found = Vec::new();
    for_each_invocation(&a, |run, script, inv| {
        // ONBUILD RUNs execute in the child image, which is a final image of its own.
        if !run.onbuild && !a.is_final(run.stage) {
            return;
        }
        if let Some(l) = f(&a, run, script, inv) {
            found.push(l);
        }
    });
    for l in found {
        cx.report_with_fix(l.span, l.message, l.fix);
    }
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

/// True when the command is `<tool> <words...>` (e.g. `yum clean all`), by effective name.
pub(crate) fn is_cmd(c: &Command, names: &[&str], words: &[&str]) -> bool {
    c.name().is_some_and(|n| names.contains(&n))
        && words.iter().all(|w| c.args().iter().any(|a| a.value == *w))
}
