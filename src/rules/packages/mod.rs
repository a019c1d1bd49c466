//! Rules of the `packages` family: how package managers are invoked (version pins,
//! non-interactive flags, discouraged sub-commands).

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod dl3008_apt_get_unpinned;
pub mod dl3013_pip_unpinned;
pub mod dl3014_apt_get_missing_yes;
pub mod dl3016_npm_unpinned;
pub mod dl3018_apk_unpinned;
pub mod dl3027_apt_command;
pub mod dl3028_gem_unpinned;
pub mod dl3030_yum_missing_yes;
pub mod dl3033_yum_unpinned;
pub mod dl3034_zypper_missing_yes;
pub mod dl3035_zypper_dist_upgrade;
pub mod dl3037_zypper_unpinned;
pub mod dl3038_dnf_missing_yes;
pub mod dl3041_dnf_unpinned;
pub mod dl3062_go_module_unpinned;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(dl3008_apt_get_unpinned::AptUnpinned),
        Box::new(dl3013_pip_unpinned::PipUnpinned),
        Box::new(dl3014_apt_get_missing_yes::AptMissingYes),
        Box::new(dl3016_npm_unpinned::NpmUnpinned),
        Box::new(dl3018_apk_unpinned::ApkUnpinned),
        Box::new(dl3027_apt_command::AptCommand),
        Box::new(dl3028_gem_unpinned::GemUnpinned),
        Box::new(dl3030_yum_missing_yes::YumMissingYes),
        Box::new(dl3033_yum_unpinned::YumUnpinned),
        Box::new(dl3034_zypper_missing_yes::ZypperMissingYes),
        Box::new(dl3035_zypper_dist_upgrade::ZypperDistUpgrade),
        Box::new(dl3037_zypper_unpinned::ZypperUnpinned),
        Box::new(dl3038_dnf_missing_yes::DnfMissingYes),
        Box::new(dl3041_dnf_unpinned::DnfUnpinned),
        Box::new(dl3062_go_module_unpinned::GoModuleUnpinned),
    ]
}

use crate::dockerfile::Span;
use crate::lint::{Context, Fix};
use crate::shell::pkg::{Invocation, Manager, Package, assigned_before};
use crate::shell::run::for_each_invocation;

/// Reports what `f` returns for every invocation of one of `managers`, in every stage.
pub(crate) fn each_invocation(
    cx: &mut Context<'_>,
    managers: &[Manager],
    mut f: impl FnMut(&Invocation<'_>) -> Vec<(Span, String)>,
) {
    let a = cx.analysis();
    let mut found = Vec::new();
    for_each_invocation(a, |_, _, inv| {
        if managers.contains(&inv.manager) {
            found.extend(f(inv));
        }
    });
    for (span, msg) in found {
        cx.report(span, msg);
    }
}

/// Like [`each_invocation`], with a fix per finding.
pub(crate) fn each_invocation_fixed(
    cx: &mut Context<'_>,
    managers: &[Manager],
    mut f: impl FnMut(&Invocation<'_>) -> Option<(Span, String, Option<Fix>)>,
) {
    let a = cx.analysis();
    let mut found = Vec::new();
    for_each_invocation(a, |_, _, inv| {
        if managers.contains(&inv.manager) {
            found.extend(f(inv));
        }
    });
    for (span, msg, fix) in found {
        cx.report_with_fix(span, msg, fix);
    }
}

/// Reports the static, non-path packages without a version among the install invocations of
/// `managers`: one finding per invocation, spanning its unpinned packages, with `message`
/// describing the first and the others listed after it. A package given through a variable
/// (`apt-get install -y $PKGS`) counts when the variable holds a literal: assigned earlier in
/// the same RUN, or an ENV/ARG value in scope; it is reported at the variable's use.
pub(crate) fn unpinned(
    cx: &mut Context<'_>,
    managers: &[Manager],
    accept: impl Fn(&Invocation<'_>) -> bool,
    message: impl Fn(&Invocation<'_>, &Package) -> String,
) {
    let model = cx.model();
    let mut found = Vec::new();
    for_each_invocation(cx.analysis(), |run, script, inv| {
        if !managers.contains(&inv.manager) || !inv.is_install() || accept(inv) {
            return;
        }
        let lookup = |name: &str| {
            assigned_before(script, inv.index, name).or_else(|| model.var(run.index, name))
        };
        let pkgs = inv.packages_resolved(&lookup);
        let bad: Vec<&Package> = pkgs
            .iter()
            .filter(|p| p.is_static && !p.is_path && p.version.is_none() && !p.name.is_empty())
            .collect();
        let (Some(first), Some(last)) = (bad.first(), bad.last()) else {
            return;
        };
        let mut msg = message(inv, first);
        if bad.len() > 1 {
            let others: Vec<String> = bad[1..]
                .iter()
                .take(5)
                .map(|p| format!("`{}`", p.name))
                .collect();
            let more = bad.len().saturating_sub(6);
            msg.push_str(&format!("; also unpinned: {}", others.join(", ")));
            if more > 0 {
                msg.push_str(&format!(" and {more} more"));
            }
        }
        found.push((first.span.cover(last.span), msg));
    });
    for (span, msg) in found {
        cx.report(span, msg);
    }
}

/// Reports install invocations of `managers` that lack every one of `yes` options.
pub(crate) fn missing_yes(
    cx: &mut Context<'_>,
    managers: &[Manager],
    yes: &[&str],
    message: impl Fn(&Invocation<'_>) -> String,
) {
    let df = cx.dockerfile;
    each_invocation_fixed(cx, managers, |inv| {
        if !inv.is_install() || inv.has(yes) {
            return None;
        }
        let fix = crate::shell::edit::insert_option(df, inv, "-y").map(|e| {
            Fix::safe(
                format!("add `-y` to `{} {}`", inv.manager.as_str(), inv.sub()),
                vec![e],
            )
        });
        Some((inv.cmd.span, message(inv), fix))
    });
}
