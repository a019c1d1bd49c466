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
pub mod dl5149_apt_get_upgrade;
pub mod dl5157_install_ignores_lockfile;
pub mod dl5158_dev_dependencies_in_image;
pub mod dl5159_redundant_bundler_install;
pub mod dl5170_xdebug_in_final_image;
pub mod dl5172_deprecated_bundler_install_flags;
pub mod dl5178_pip_writes_bytecode;
pub mod dl5179_pip_build_tool_in_image;

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
        Box::new(dl5149_apt_get_upgrade::AptGetUpgrade),
        Box::new(dl5157_install_ignores_lockfile::InstallIgnoresLockfile),
        Box::new(dl5158_dev_dependencies_in_image::DevDependenciesInImage),
        Box::new(dl5159_redundant_bundler_install::RedundantBundlerInstall),
        Box::new(dl5172_deprecated_bundler_install_flags::DeprecatedBundlerInstallFlags),
        Box::new(dl5178_pip_writes_bytecode::PipWritesBytecode),
        Box::new(dl5179_pip_build_tool_in_image::PipBuildToolInImage),
        Box::new(dl5170_xdebug_in_final_image::XdebugInFinalImage),
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
    for_each_invocation(cx.analysis(), |_, _, inv| {
        if managers.contains(&inv.manager) {
            for (span, msg) in f(inv) {
                cx.report(span, msg);
            }
        }
    });
}

/// Like [`each_invocation`], with a fix per finding.
pub(crate) fn each_invocation_fixed(
    cx: &mut Context<'_>,
    managers: &[Manager],
    mut f: impl FnMut(&Invocation<'_>) -> Option<(Span, String, Option<Fix>)>,
) {
    for_each_invocation(cx.analysis(), |_, _, inv| {
        if managers.contains(&inv.manager)
            && let Some((span, msg, fix)) = f(inv)
        {
            cx.report_with_fix(span, msg, fix);
        }
    });
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
            .filter(|p| {
                (p.is_static || cannot_hold_pin(inv.manager, &p.raw))
                    && !p.is_path
                    && p.version.is_none()
                    && !p.name.is_empty()
            })
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

/// True for an operand with a variable that no value of the variable can pin: it ends with
/// literal text (`php${VERSION}-phpdbg`, not `curl=${V}` or `${PKG}`) and no literal part has the
/// manager's version separator (`=` for apt; `=`, `<`, `>`, `~` for apk; `=`, `<`, `>` or a `-`
/// before a digit for dnf/yum). A pin inside the variable would be followed by the literal
/// suffix, which is no version. Other managers: false.
fn cannot_hold_pin(manager: Manager, raw: &str) -> bool {
    let separators: &[char] = match manager {
        Manager::AptGet | Manager::Apt => &['='],
        Manager::Apk => &['=', '<', '>', '~'],
        Manager::Dnf | Manager::Yum | Manager::Microdnf => &['=', '<', '>'],
        _ => return false,
    };
    let Some(literals) = literal_parts(raw) else {
        return false;
    };
    let rpm = matches!(manager, Manager::Dnf | Manager::Yum | Manager::Microdnf);
    raw.contains('$')
        && literals.last().is_some_and(|(_, end)| *end == raw.len())
        && literals.iter().all(|&(a, b)| {
            let part = raw.get(a..b).unwrap_or("");
            let digit_after_dash = part
                .as_bytes()
                .windows(2)
                .any(|w| w[0] == b'-' && w[1].is_ascii_digit());
            !(part.contains(separators) || (rpm && digit_after_dash))
        })
}

/// The byte ranges of `raw` outside `$NAME`, `${...}` and `$(...)` expansions; `None` for text
/// with backquotes or an unclosed expansion.
fn literal_parts(raw: &str) -> Option<Vec<(usize, usize)>> {
    if raw.contains('`') {
        return None;
    }
    let b = raw.as_bytes();
    let mut parts = Vec::new();
    let (mut i, mut start) = (0, 0);
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        if start < i {
            parts.push((start, i));
        }
        let end = match b.get(i + 1) {
            Some(b'{') => raw.get(i..)?.find('}').map(|e| i + e + 1)?,
            Some(b'(') => {
                let mut depth = 0usize;
                let mut j = i + 1;
                loop {
                    match b.get(j)? {
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break j + 1;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
            }
            _ => {
                let len = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                i + 1 + len.max(1)
            }
        };
        i = end.min(b.len());
        start = i;
    }
    if start < b.len() {
        parts.push((start, b.len()));
    }
    Some(parts)
}

/// Reports install invocations of `managers` that do not answer the confirmation prompt (the
/// package model's [`Invocation::answers_yes`]); the fix inserts the manager's yes option.
pub(crate) fn missing_yes(
    cx: &mut Context<'_>,
    managers: &[Manager],
    message: impl Fn(&Invocation<'_>) -> String,
) {
    let df = cx.dockerfile;
    each_invocation_fixed(cx, managers, |inv| {
        if !inv.is_install() || inv.answers_yes() {
            return None;
        }
        let yes = inv.manager.yes_option()?;
        let fix = crate::shell::edit::insert_option(df, inv, yes).map(|e| {
            Fix::safe(
                format!("add `{yes}` to `{} {}`", inv.manager.as_str(), inv.sub()),
                vec![e],
            )
        });
        Some((inv.cmd.span, message(inv), fix))
    });
}

#[cfg(test)]
mod tests {
    use super::{Manager, cannot_hold_pin};

    #[test]
    fn words_whose_variable_cannot_pin() {
        for raw in ["php${VERSION}-phpdbg", "php$V-cli", "lib$(uname -m)-dev"] {
            assert!(cannot_hold_pin(Manager::AptGet, raw), "{raw}");
            assert!(cannot_hold_pin(Manager::Apk, raw), "{raw}");
        }
        for raw in [
            "curl=${V}",
            "${PKG}",
            "php${V}",
            "php${V}-cli=1.2",
            "curl",
            "x${Y",
        ] {
            assert!(!cannot_hold_pin(Manager::AptGet, raw), "{raw}");
        }
        assert!(cannot_hold_pin(Manager::Dnf, "python${PYV}-devel"));
        assert!(!cannot_hold_pin(Manager::Dnf, "nodejs-${V}"));
        assert!(!cannot_hold_pin(Manager::Dnf, "php${V}-1.2"));
        assert!(!cannot_hold_pin(Manager::Pip, "php${V}-x"));
    }
}
