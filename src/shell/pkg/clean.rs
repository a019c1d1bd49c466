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
        Manager::Zypper => "zypper clean --all",
        Manager::Yarn => "yarn cache clean",
        Manager::Npm => "npm cache clean --force",
        Manager::Pnpm => "pnpm store prune",
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
