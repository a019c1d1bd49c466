//! DL5140 (opt-in): a package manager or build tool downloads into its cache in a RUN without a
//! BuildKit cache mount over that cache.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::semantic::Home;
use crate::shell::pkg::{Invocation, Manager, invocations, mount_target};

/// DL5140 `package-cache-mount`.
pub struct PackageCacheMount;

impl Rule for PackageCacheMount {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5140",
            name: "package-cache-mount",
            severity: Severity::Info,
            summary: "Use a BuildKit cache mount for the package manager's download cache",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let model = cx.model();
        for run in cx.analysis().runs.iter().filter(|r| !r.onbuild) {
            let Some(script) = &run.script else { continue };
            let home = model.home_at(run.index);
            // One finding per RUN: the first invocation whose cache no mount covers.
            let found = invocations(script).into_iter().find_map(|inv| {
                let dir = cache_dir(&inv, &home)?;
                (!run.mount_covers(&dir)).then_some((inv.cmd.span, inv, dir))
            });
            if let Some((span, inv, dir)) = found {
                let tool = if inv.sub().is_empty() {
                    inv.manager.as_str().to_string()
                } else {
                    format!("{} {}", inv.manager.as_str(), inv.sub())
                };
                cx.report(
                    span,
                    format!(
                        "`{tool}` downloads into {dir}: `RUN --mount=type=cache,target={dir}` keeps \
                         that cache out of the layer and reuses it in the next build"
                    ),
                );
            }
        }
    }
}

/// The cache directory an invocation downloads into, when it downloads (install, update,
/// build, restore) and the tool has a well-known cache (the model's [`mount_target`]).
fn cache_dir(inv: &Invocation<'_>, home: &Home) -> Option<String> {
    let sub = inv.sub();
    let downloads = match inv.manager {
        Manager::AptGet | Manager::Apt | Manager::Aptitude => {
            inv.is_install() || matches!(sub, "upgrade" | "dist-upgrade" | "full-upgrade")
        }
        Manager::Apk => matches!(sub, "add" | "upgrade"),
        Manager::Dnf | Manager::Yum => inv.is_rpm_transaction(),
        Manager::Go => {
            sub == "build"
                || (sub == "mod" && inv.operands.first().is_some_and(|w| w.value == "download"))
        }
        Manager::Cargo => sub == "build",
        Manager::Composer => sub == "install",
        _ => inv.is_install(),
    };
    if !downloads {
        return None;
    }
    mount_target(inv.manager)?.resolve(home.dir())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_installs_without_a_cache_mount() {
        assert_eq!(
            lines(
                &PackageCacheMount,
                "FROM debian:12\nRUN apt-get update && apt-get install -y gcc\nRUN pip install flask\n"
            ),
            [2, 3]
        );
        assert_eq!(
            lines(
                &PackageCacheMount,
                "FROM golang:1.22\nRUN go mod download\n"
            ),
            [2]
        );
    }

    #[test]
    fn a_covering_cache_mount_or_no_download_passes() {
        for src in [
            "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get install -y gcc\n",
            "FROM python:3\nRUN --mount=type=cache,target=/root/.cache pip install flask\n",
            "FROM node:20\nRUN npm run build\n",
            "FROM debian:12\nRUN apt-get update\n",
            "FROM alpine:3\nRUN apk del gcc\n",
        ] {
            assert!(lines(&PackageCacheMount, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn follows_the_user_home() {
        let src = "FROM python:3\nRUN useradd -m -d /home/app app\nUSER app\n\
                   RUN --mount=type=cache,target=/root/.cache/pip pip install x\n";
        assert_eq!(lines(&PackageCacheMount, src), [4]);
        // a home the Dockerfile does not tell is not guessed
        let src = "FROM python:3\nUSER app\nRUN pip install x\n";
        assert!(lines(&PackageCacheMount, src).is_empty());
    }
}
