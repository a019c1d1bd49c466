//! The command that empties each package manager's download cache, as the cache fixes append
//! it, and recognising such a command through the package model.

use super::{Invocation, Manager};

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

impl Invocation<'_> {
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
