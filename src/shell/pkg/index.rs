//! Package indexes: which invocations refresh an index and which read it, so that a fix
//! removing an index can tell whether a later command still needs it.

use super::{Invocation, Manager, invocation};
use crate::shell::Command;

/// A package index that a command downloads once and later commands read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Index {
    /// apt's package lists (`apt-get update`), read by `apt-get install`, `apt-cache` ...
    AptLists,
    /// apk's index in its cache (`apk update`), read by `apk add` without `--no-cache`.
    Apk,
}

impl Index {
    /// The directory holding the index.
    pub const fn dir(&self) -> &'static str {
        match self {
            Index::AptLists => "/var/lib/apt/lists",
            Index::Apk => "/var/cache/apk",
        }
    }
}

/// What a command does with a package index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexUse {
    /// Downloads it afresh (`apt-get update`, `apk update`, `apk add --update-cache`).
    Refresh,
    /// Needs it present (`apt-get install` without a prior update, `apk add` without
    /// `--no-cache`).
    Read,
}

/// apt sub-commands that resolve package names against the lists.
const APT_READS: &[&str] = &[
    "install",
    "reinstall",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "build-dep",
    "source",
    "download",
    "satisfy",
    "search",
    "show",
    "showsrc",
    "policy",
    "list",
    "depends",
    "rdepends",
    "madison",
    "changelog",
    "safe-upgrade",
];

/// apk sub-commands that resolve package names against the index.
const APK_READS: &[&str] = &[
    "add", "upgrade", "fix", "fetch", "search", "dot", "policy", "list",
];

impl Invocation<'_> {
    /// The index this invocation refreshes or reads, if any.
    pub fn index_use(&self) -> Option<(Index, IndexUse)> {
        let sub = self.sub();
        match self.manager {
            Manager::AptGet | Manager::Apt | Manager::Aptitude | Manager::AptCache => {
                if sub == "update" && self.manager != Manager::AptCache {
                    Some((Index::AptLists, IndexUse::Refresh))
                } else if self.manager == Manager::AptCache || APT_READS.contains(&sub) {
                    Some((Index::AptLists, IndexUse::Read))
                } else {
                    None
                }
            }
            Manager::Apk => {
                if sub == "update" || self.has(&["-U", "--update-cache"]) {
                    Some((Index::Apk, IndexUse::Refresh))
                } else if APK_READS.contains(&sub) && !self.has(&["--no-cache"]) {
                    Some((Index::Apk, IndexUse::Read))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// True when this invocation deletes `index` (`apt-get dist-clean` removes the lists).
    pub fn clears_index(&self, index: Index) -> bool {
        index == Index::AptLists
            && matches!(self.manager, Manager::AptGet | Manager::Apt)
            && self.sub() == "dist-clean"
    }
}

/// What the command does with a package index (through the package model: wrappers such as
/// `sudo` and options such as `-o X=Y` before the sub-command are understood).
pub fn index_use(index: usize, cmd: &Command) -> Option<(Index, IndexUse)> {
    invocation(index, cmd)?.index_use()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Script;

    fn uses(src: &str) -> Vec<Option<(Index, IndexUse)>> {
        let map = crate::dockerfile::SourceMap::identity(0, src.len());
        let s: Script =
            crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 });
        s.commands
            .iter()
            .enumerate()
            .map(|(i, c)| index_use(i, c))
            .collect()
    }

    #[test]
    fn apt_options_before_the_sub_command() {
        let read = Some((Index::AptLists, IndexUse::Read));
        for src in [
            "apt-get -o Acquire::Retries=3 install -y curl",
            "apt-get -c /etc/apt/x.conf install curl",
            "apt-get --option=Acquire::Retries=3 install curl",
            "apt-get -qq install curl",
            "sudo -E apt-get install curl",
            "env DEBIAN_FRONTEND=noninteractive apt-get install curl",
            "command apt-get install curl",
            "apt-cache -o Debug::x=1 policy curl",
            "aptitude install curl",
        ] {
            assert_eq!(uses(src), [read], "{src}");
        }
        assert_eq!(
            uses("apt-get -o Acquire::Retries=3 update"),
            [Some((Index::AptLists, IndexUse::Refresh))]
        );
        assert_eq!(uses("apt-get -o X=1 remove -y curl"), [None]);
        assert_eq!(uses("apt-get purge curl"), [None]);
    }

    #[test]
    fn apk_reads_unless_no_cache_or_update_cache() {
        assert_eq!(uses("apk add curl"), [Some((Index::Apk, IndexUse::Read))]);
        assert_eq!(uses("apk add --no-cache curl"), [None]);
        assert_eq!(
            uses("apk add -U curl"),
            [Some((Index::Apk, IndexUse::Refresh))]
        );
        assert_eq!(
            uses("apk --update-cache add curl"),
            [Some((Index::Apk, IndexUse::Refresh))]
        );
        assert_eq!(uses("apk del curl"), [None]);
    }
}
