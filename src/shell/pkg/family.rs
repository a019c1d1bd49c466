//! Families of package managers that share a package format, configuration and caches
//! (apt-get, apt, aptitude and apt-cache all read apt's lists), and the configuration tools
//! that belong to a manager without installing anything.

use super::Manager;
use crate::shell::{Command, basename};

/// Managers sharing one package format, configuration and cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// apt-get, apt, aptitude, apt-cache, dpkg (one package format and database)
    Apt,
    Apk,
    /// dnf (dnf5), yum, microdnf, tdnf, rpm (one package format and database)
    Rpm,
    Zypper,
    /// pip (`python -m pip`, `uv pip`), pipx, pipenv, uv, poetry
    Pip,
    /// npm, yarn, pnpm, bun
    Npm,
    /// gem, bundler
    Gem,
    Go,
    Cargo,
    Composer,
    /// conda, mamba, micromamba
    Conda,
    /// maven, gradle
    Jvm,
}

impl Manager {
    /// The family this manager belongs to.
    pub fn family(&self) -> Family {
        match self {
            Manager::AptGet
            | Manager::Apt
            | Manager::Aptitude
            | Manager::AptCache
            | Manager::Dpkg => Family::Apt,
            Manager::Apk => Family::Apk,
            Manager::Dnf | Manager::Yum | Manager::Microdnf | Manager::Tdnf | Manager::Rpm => {
                Family::Rpm
            }
            Manager::Zypper => Family::Zypper,
            Manager::Pip | Manager::Pipx | Manager::Uv | Manager::Poetry | Manager::Pipenv => {
                Family::Pip
            }
            Manager::Npm | Manager::Yarn | Manager::Pnpm | Manager::Bun => Family::Npm,
            Manager::Gem | Manager::Bundle => Family::Gem,
            Manager::Go => Family::Go,
            Manager::Cargo => Family::Cargo,
            Manager::Composer => Family::Composer,
            Manager::Conda => Family::Conda,
            Manager::Maven | Manager::Gradle => Family::Jvm,
        }
    }
}

impl super::Invocation<'_> {
    /// True when uv runs it (`uv pip install`, `uv sync`): uv has its own cache
    /// (`/root/.cache/uv`), not pip's.
    pub fn is_uv(&self) -> bool {
        self.cmd
            .argv()
            .first()
            .is_some_and(|w| w.is_static && basename(&w.value) == "uv")
    }
}

/// The manager whose configuration a non-installing tool edits: `yum-config-manager`,
/// `dnf-config-manager` (dnf's `config-manager` plugin as a command).
pub fn config_manager_of(cmd: &Command) -> Option<Manager> {
    let first = cmd.argv().first().filter(|w| w.is_static)?;
    match basename(&first.value) {
        "yum-config-manager" => Some(Manager::Yum),
        "dnf-config-manager" => Some(Manager::Dnf),
        _ => None,
    }
}
