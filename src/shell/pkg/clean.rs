//! The command that empties each package manager's download cache, as the cache fixes append
//! it, and recognising such a command through the package model.

use super::{Invocation, Manager, invocation};
use crate::shell::Command;

/// The command a fix appends to empty `manager`'s download cache (`None` when the manager has
/// no clean command dlint appends).
pub fn clean_command(manager: Manager) -> Option<&'static str> {
    Some(match manager {
        Manager::AptGet | Manager::Apt | Manager::Aptitude => "apt-get clean",
        Manager::Yum => "yum clean all",
        Manager::Dnf => "dnf clean all",
        Manager::Microdnf => "microdnf clean all",
        Manager::Tdnf => "tdnf clean all",
        Manager::Zypper => "zypper clean --all",
        Manager::Yarn => "yarn cache clean",
        Manager::Npm => "npm cache clean --force",
        Manager::Pnpm => "pnpm store prune",
        Manager::Bun => "bun pm cache rm",
        Manager::Conda => "conda clean -afy",
        Manager::Go => "go clean -cache",
        Manager::Composer => "composer clear-cache",
        _ => return None,
    })
}

impl Manager {
    /// The word sets of this manager's clean commands as the cache rules recognise them: a
    /// command of the manager empties its download cache when all the words of one set are
    /// among its arguments (`yum clean all`, `zypper cc`, `npm cache clean --force`). Empty
    /// for managers whose cleaning the rules read otherwise (`go clean -cache`: [`cleans_cache`];
    /// `composer clear-cache`: [`Invocation::clears_cache`]) or that have no cache.
    pub fn clean_words(&self) -> &'static [&'static [&'static str]] {
        match self {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => &[&["clean"], &["dist-clean"]],
            Manager::Pip => &[&["cache", "purge"]],
            Manager::Pnpm => &[&["store", "prune"]],
            Manager::Bun => &[&["pm", "cache", "rm"]],
            Manager::Apk | Manager::Npm | Manager::Yarn | Manager::Uv => &[&["cache", "clean"]],
            Manager::Dnf | Manager::Yum | Manager::Microdnf | Manager::Tdnf => &[&["clean", "all"]],
            Manager::Zypper => &[&["clean"], &["cc"]],
            Manager::Conda => &[&["clean"]],
            _ => &[],
        }
    }
}

/// True when `c` is a command of one of `managers` that empties its download cache: one of the
/// manager's [`Manager::clean_words`] sets, or for go `go clean -cache` (`--cache`). Goes through
/// [`invocation`], so `dnf5`, `sudo yum` and `python -m pip` count.
pub fn cleans_cache(c: &Command, managers: &[Manager]) -> bool {
    let Some(inv) = invocation(0, c) else {
        return false;
    };
    if !managers.contains(&inv.manager) {
        return false;
    }
    let has = |w: &str| c.args().iter().any(|a| a.value == w);
    match inv.manager {
        Manager::Go => {
            c.args().first().is_some_and(|w| w.value == "clean")
                && (has("-cache") || has("--cache"))
        }
        m => m.clean_words().iter().any(|set| set.iter().all(|w| has(w))),
    }
}

impl Invocation<'_> {
    /// True when this invocation is one of its manager's clean commands: its sub-command is the
    /// first word of one of the [`Manager::clean_words`] sets and the other words follow
    /// (`apt-get clean`, `dnf clean all`).
    pub fn is_clean(&self) -> bool {
        let sub = self.sub();
        let args = self.cmd.args();
        self.manager.clean_words().iter().any(|set| {
            set.split_first().is_some_and(|(first, rest)| {
                *first == sub && rest.iter().all(|w| args.iter().any(|a| a.value == *w))
            })
        })
    }

    /// True when the sub-command works on the manager's cache rather than on packages:
    /// `cache …` (npm, yarn, pip, apk, uv), `clean` (apt, dnf, conda, go), `clear-cache`
    /// (composer).
    pub fn manages_cache(&self) -> bool {
        matches!(self.sub(), "cache" | "clean" | "clear-cache")
    }

    /// True when this invocation empties its manager's download cache: `composer clear-cache`
    /// (`clearcache`, `cc`; also as `php composer.phar`), ... (only managers whose clean
    /// sub-command has no further words to check).
    pub fn clears_cache(&self) -> bool {
        match self.manager {
            Manager::Composer => matches!(self.sub(), "clear-cache" | "clearcache" | "cc"),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::pkg::invocations;

    #[test]
    fn clean_commands_and_composer_clear_cache() {
        assert_eq!(clean_command(Manager::AptGet), Some("apt-get clean"));
        assert_eq!(clean_command(Manager::Pip), None);
        for (src, want) in [
            ("composer clear-cache", true),
            ("php composer.phar clearcache", true),
            ("composer cc", true),
            ("composer install", false),
        ] {
            let map = crate::dockerfile::SourceMap::identity(0, src.len());
            let s =
                crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 });
            let got = invocations(&s).iter().any(|i| i.clears_cache());
            assert_eq!(got, want, "{src}");
        }
    }
}

#[cfg(test)]
mod clean_words {
    use crate::shell::pkg::{Manager, cleans_cache, invocations};

    fn parse(src: &str) -> crate::shell::Script {
        let map = crate::dockerfile::SourceMap::identity(0, src.len());
        crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 })
    }

    #[test]
    fn clean_commands_through_the_model() {
        let rpm = [Manager::Dnf, Manager::Yum, Manager::Microdnf, Manager::Tdnf];
        for (src, managers, want) in [
            ("sudo yum clean all", &[Manager::Yum][..], true),
            ("dnf5 clean all", &rpm[..], true),
            ("tdnf clean all", &rpm[..], true),
            ("yum clean metadata", &[Manager::Yum][..], false),
            ("yum clean all", &[Manager::Dnf][..], false),
            ("apt-get clean", &[Manager::AptGet][..], true),
            ("apt-get dist-clean", &[Manager::AptGet][..], true),
            ("apt-get autoclean", &[Manager::AptGet][..], false),
            ("zypper cc -a", &[Manager::Zypper][..], true),
            ("npm cache clean --force", &[Manager::Npm][..], true),
            ("npm cache verify", &[Manager::Npm][..], false),
            ("python3 -m pip cache purge", &[Manager::Pip][..], true),
            ("pnpm store prune", &[Manager::Pnpm][..], true),
            ("bun pm cache rm", &[Manager::Bun][..], true),
            ("bun pm cache", &[Manager::Bun][..], false),
            ("bun pm cache rm", &[Manager::Npm][..], false),
            ("go clean -cache", &[Manager::Go][..], true),
            ("go clean -modcache", &[Manager::Go][..], false),
            ("go build -cache", &[Manager::Go][..], false),
            ("rpm clean all", &[Manager::Rpm][..], false),
            ("echo clean all", &[Manager::Yum][..], false),
        ] {
            let s = parse(src);
            let got = s
                .commands
                .first()
                .is_some_and(|c| cleans_cache(c, managers));
            assert_eq!(got, want, "{src}");
        }
        let s =
            parse("apt-get clean && dnf clean all && dnf clean && npm cache ls && apt-get update");
        let inv = invocations(&s);
        let clean: Vec<bool> = inv.iter().map(|i| i.is_clean()).collect();
        assert_eq!(clean, [true, true, false, false, false]);
        let cache: Vec<bool> = inv.iter().map(|i| i.manages_cache()).collect();
        assert_eq!(cache, [true, true, true, true, false]);
    }
}

#[cfg(test)]
mod dpkg_and_bun {
    use crate::shell::pkg::{Family, Manager, clean_command, dir_paths, invocations};

    fn parse(src: &str) -> crate::shell::Script {
        let map = crate::dockerfile::SourceMap::identity(0, src.len());
        crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 })
    }

    #[test]
    fn dpkg_and_bun_are_managers() {
        let s = parse(
            "sudo dpkg -i /tmp/a.deb && dpkg --add-architecture i386 && bun install --frozen-lockfile && bun add zod && bun run build",
        );
        let inv = invocations(&s);
        let got: Vec<(Manager, bool)> = inv.iter().map(|i| (i.manager, i.is_install())).collect();
        assert_eq!(
            got,
            [
                (Manager::Dpkg, true),
                (Manager::Dpkg, false),
                (Manager::Bun, true),
                (Manager::Bun, true),
                (Manager::Bun, false),
            ]
        );
        assert_eq!(Manager::Dpkg.family(), Family::Apt);
        assert_eq!(Manager::Bun.family(), Family::Npm);
        // dpkg reads no index and keeps no cache; bun's cache is per user
        assert!(inv[0].index_use().is_none());
        assert!(inv[0].filled_dirs(&|_| false, Some("/root")).is_empty());
        assert_eq!(dir_paths(Manager::Bun), ["/root/.bun/install/cache"]);
        assert_eq!(
            inv[2].filled_dirs(&|_| false, Some("/home/app")),
            ["/home/app/.bun/install/cache"]
        );
        assert!(
            inv[2]
                .filled_dirs(&|n| n == "BUN_INSTALL_CACHE_DIR", Some("/root"))
                .is_empty()
        );
        assert_eq!(clean_command(Manager::Bun), Some("bun pm cache rm"));
        assert_eq!(clean_command(Manager::Dpkg), None);
    }
}

#[cfg(test)]
mod tdnf_and_rpm {
    use crate::shell::pkg::{Family, Manager, clean_command, dir_paths, invocations};

    fn parse(src: &str) -> crate::shell::Script {
        let map = crate::dockerfile::SourceMap::identity(0, src.len());
        crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 })
    }

    #[test]
    fn tdnf_and_rpm_are_managers() {
        let s = parse(
            "tdnf install -y curl-8.1 && tdnf update -y && tdnf makecache && rpm -Uvh /tmp/a.rpm && rpm -qi bash && rpm --import /k.asc && rpm --install b.rpm",
        );
        let inv = invocations(&s);
        let got: Vec<(Manager, bool, bool)> = inv
            .iter()
            .map(|i| (i.manager, i.is_install(), i.is_rpm_transaction()))
            .collect();
        assert_eq!(
            got,
            [
                (Manager::Tdnf, true, true),
                (Manager::Tdnf, false, true),
                (Manager::Tdnf, false, false),
                (Manager::Rpm, true, false),
                (Manager::Rpm, false, false),
                (Manager::Rpm, false, false),
                (Manager::Rpm, true, false),
            ]
        );
        let pkgs = inv[0].packages();
        assert_eq!(pkgs[0].name, "curl");
        assert_eq!(pkgs[0].version.as_deref(), Some("8.1"));
        assert!(inv[0].answers_yes());
        assert_eq!(Manager::Tdnf.family(), Family::Rpm);
        assert_eq!(Manager::Rpm.family(), Family::Rpm);
        assert_eq!(Manager::Tdnf.yes_option(), Some("-y"));
        assert_eq!(Manager::Rpm.yes_option(), None);
        assert_eq!(dir_paths(Manager::Tdnf), ["/var/cache/tdnf"]);
        assert!(dir_paths(Manager::Rpm).is_empty());
        assert_eq!(
            inv[0].filled_dirs(&|_| false, Some("/root")),
            ["/var/cache/tdnf"]
        );
        assert!(inv[3].filled_dirs(&|_| false, Some("/root")).is_empty());
        assert!(inv[3].index_use().is_none());
        assert_eq!(clean_command(Manager::Tdnf), Some("tdnf clean all"));
        assert_eq!(clean_command(Manager::Rpm), None);
    }
}
