//! Rules of the `packages` family: how package managers are invoked (version pins,
//! non-interactive flags, discouraged sub-commands).

mod dl3008_apt_pin;
mod dl3013_pip_pin;
mod dl3014_apt_yes;
mod dl3016_npm_pin;
mod dl3018_apk_pin;
mod dl3027_apt_command;
mod dl3028_gem_pin;
mod dl3030_yum_yes;
mod dl3033_yum_pin;
mod dl3034_zypper_yes;
mod dl3035_zypper_dist_upgrade;
mod dl3037_zypper_pin;
mod dl3038_dnf_yes;
mod dl3041_dnf_pin;

use crate::dockerfile::Span;
use crate::lint::{Context, Fix, Rule};
use crate::shell::pkg::{Invocation, Manager, Package};
use crate::shell::run::{analyze, for_each_invocation};

pub use dl3008_apt_pin::AptUnpinned;
pub use dl3013_pip_pin::PipUnpinned;
pub use dl3014_apt_yes::AptMissingYes;
pub use dl3016_npm_pin::NpmUnpinned;
pub use dl3018_apk_pin::ApkUnpinned;
pub use dl3027_apt_command::AptCommand;
pub use dl3028_gem_pin::GemUnpinned;
pub use dl3030_yum_yes::YumMissingYes;
pub use dl3033_yum_pin::YumUnpinned;
pub use dl3034_zypper_yes::ZypperMissingYes;
pub use dl3035_zypper_dist_upgrade::ZypperDistUpgrade;
pub use dl3037_zypper_pin::ZypperUnpinned;
pub use dl3038_dnf_yes::DnfMissingYes;
pub use dl3041_dnf_pin::DnfUnpinned;

/// Every rule of this family.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(AptUnpinned),
        Box::new(PipUnpinned),
        Box::new(AptMissingYes),
        Box::new(NpmUnpinned),
        Box::new(ApkUnpinned),
        Box::new(AptCommand),
        Box::new(GemUnpinned),
        Box::new(YumMissingYes),
        Box::new(YumUnpinned),
        Box::new(ZypperMissingYes),
        Box::new(ZypperDistUpgrade),
        Box::new(ZypperUnpinned),
        Box::new(DnfMissingYes),
        Box::new(DnfUnpinned),
    ]
}

/// Reports what `f` returns for every invocation of one of `managers`, in every stage.
pub(crate) fn each_invocation(
    cx: &mut Context<'_>,
    managers: &[Manager],
    mut f: impl FnMut(&Invocation<'_>) -> Vec<(Span, String)>,
) {
    let a = analyze(cx.dockerfile);
    let mut found = Vec::new();
    for_each_invocation(&a, |_, _, inv| {
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
    let a = analyze(cx.dockerfile);
    let mut found = Vec::new();
    for_each_invocation(&a, |_, _, inv| {
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
/// describing the first and the others listed after it.
pub(crate) fn unpinned(
    cx: &mut Context<'_>,
    managers: &[Manager],
    accept: impl Fn(&Invocation<'_>) -> bool,
    message: impl Fn(&Invocation<'_>, &Package) -> String,
) {
    each_invocation(cx, managers, |inv| {
        if !inv.is_install() || accept(inv) {
            return Vec::new();
        }
        let pkgs = inv.packages();
        let bad: Vec<&Package> = pkgs
            .iter()
            .filter(|p| p.is_static && !p.is_path && p.version.is_none() && !p.name.is_empty())
            .collect();
        let (Some(first), Some(last)) = (bad.first(), bad.last()) else {
            return Vec::new();
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
        vec![(first.span.cover(last.span), msg)]
    });
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
