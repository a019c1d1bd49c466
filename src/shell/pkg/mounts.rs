//! Where a BuildKit cache mount over each manager's downloads goes (DL5140's suggestion): the
//! table's download cache for most managers, the whole store or module tree for the tools whose
//! cache mounts BuildKit's examples put there (pnpm's store, bundler's gems, go's modules,
//! cargo's registry).

use super::{DirKind, Index, Manager, dirs_of, download_cache};

/// The target of a cache mount for one manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountTarget {
    /// The same absolute path for every user (`/var/cache/apt`).
    Path(&'static str),
    /// A path below the home of the user the RUN runs as (`.cache/pip`).
    InHome(&'static str),
}

impl MountTarget {
    /// The target for a RUN whose user's home is `home` (`None` when a per-user target's home
    /// is unknown).
    pub fn resolve(&self, home: Option<&str>) -> Option<String> {
        match self {
            MountTarget::Path(p) => Some((*p).to_string()),
            MountTarget::InHome(rel) => home.map(|h| format!("{}/{rel}", h.trim_end_matches('/'))),
        }
    }
}

/// Where a cache mount over `manager`'s downloads goes, if dlint suggests one for it.
pub fn mount_target(manager: Manager) -> Option<MountTarget> {
    // the table's per-user directory (`/root/.cache/pip`), below the home
    let in_home = |m: Manager| {
        dirs_of(m)
            .find_map(|d| d.home_rel())
            .map(MountTarget::InHome)
    };
    let table = |m: Manager| download_cache(m).map(MountTarget::Path);
    match manager {
        Manager::AptGet | Manager::Apt | Manager::Aptitude => table(Manager::AptGet),
        Manager::Apk => Some(MountTarget::Path(Index::Apk.dir())),
        Manager::Dnf | Manager::Yum | Manager::Zypper | Manager::Yarn => table(manager),
        Manager::Pip | Manager::Uv | Manager::Npm | Manager::Composer => in_home(manager),
        Manager::Pnpm => Some(MountTarget::InHome(".pnpm-store")),
        Manager::Bundle => Some(MountTarget::InHome(".gem")),
        Manager::Go => Some(MountTarget::Path("/go/pkg/mod")),
        Manager::Cargo => Some(MountTarget::Path("/usr/local/cargo/registry")),
        _ => None,
    }
}

/// Every directory a cache mount can keep `manager`'s downloads out of the layer from, for a
/// RUN whose user's home is `home`: the table's directories (per-user ones in that home, and in
/// `/root` too, where `sudo -H`-less scripts still write) and [`mount_target`]'s target. A mount
/// at one of them, above one or below one (yarn 1 writes into its cache's `v6`) keeps the
/// downloads out.
pub fn cache_mount_dirs(manager: Manager, home: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |p: String| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    for d in dirs_of(manager).filter(|d| d.kind == DirKind::Cache) {
        push(d.path.to_string());
        if let Some(h) = home {
            push(d.in_home(h));
        }
    }
    if let Some(p) =
        mount_target(manager).and_then(|t| t.resolve(home).or(t.resolve(Some("/root"))))
    {
        push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::pkg::dir_paths;

    #[test]
    fn targets_follow_the_table_and_the_home() {
        let apt = mount_target(Manager::Apt).and_then(|t| t.resolve(None));
        assert_eq!(apt.as_deref(), download_cache(Manager::AptGet));
        assert!(dir_paths(Manager::AptGet).contains(&"/var/cache/apt"));
        let pip = mount_target(Manager::Pip);
        assert_eq!(
            pip.and_then(|t| t.resolve(Some("/home/app/"))).as_deref(),
            Some("/home/app/.cache/pip")
        );
        assert_eq!(pip.and_then(|t| t.resolve(None)), None);
        assert_eq!(
            mount_target(Manager::Pnpm).and_then(|t| t.resolve(Some("/root"))),
            Some("/root/.pnpm-store".to_string())
        );
        assert_eq!(mount_target(Manager::Rpm), None);
        assert_eq!(mount_target(Manager::Microdnf), None);
    }

    #[test]
    fn cache_mount_dirs_follow_the_table() {
        let yarn = cache_mount_dirs(Manager::Yarn, Some("/home/node"));
        for d in [
            "/usr/local/share/.cache/yarn",
            "/root/.cache/yarn",
            "/home/node/.cache/yarn",
            "/home/node/.yarn/berry/cache",
        ] {
            assert!(yarn.iter().any(|p| p == d), "{d}: {yarn:?}");
        }
        assert!(yarn.iter().all(|p| !p.contains("/.npm")), "{yarn:?}");
        let bun = cache_mount_dirs(Manager::Bun, None);
        assert_eq!(bun, ["/root/.bun/install/cache"]);
        assert!(cache_mount_dirs(Manager::Rpm, Some("/root")).is_empty());
    }
}
