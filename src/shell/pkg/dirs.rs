//! The cache and index directories each package manager fills, in one table read by the cache
//! rules, DL5004's bookkeeping ([`crate::lint::removals`]), `dlint image`'s cache detection
//! ([`crate::image::CACHE_DIRS`]) and the optimizer's pricing.

use super::{Index, Invocation, Manager};

/// What a manager keeps in a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirKind {
    /// Downloaded packages, wheels, tarballs: deleting it only costs a new download.
    Cache,
    /// The package index later commands resolve names against (apt's lists, apk's index):
    /// deleting it breaks a later install that does not refresh it.
    Index,
}

/// One directory a package manager fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagerDir {
    /// Absolute path.
    pub path: &'static str,
    /// The tool name reports and the optimizer use (`apt`, `pip`, `dnf` ...).
    pub tool: &'static str,
    /// The managers that fill it (with their default configuration).
    pub managers: &'static [Manager],
    pub kind: DirKind,
}

impl ManagerDir {
    /// The path without its leading `/`, as image archives name it.
    pub fn rel(&self) -> &'static str {
        self.path.trim_start_matches('/')
    }

    /// For a per-user directory (one in root's home, `/root/.npm`), the part below the home
    /// (`.npm`): the same directory is in any user's home.
    pub fn home_rel(&self) -> Option<&'static str> {
        self.path.strip_prefix("/root/")
    }

    /// The directory for a user whose home is `home` (`/home/node`): per-user directories
    /// move there, the others stay where they are.
    pub fn in_home(&self, home: &str) -> String {
        match self.home_rel() {
            Some(rel) => format!("{}/{rel}", home.trim_end_matches('/')),
            None => self.path.to_string(),
        }
    }
}

const APT: &[Manager] = &[Manager::AptGet, Manager::Apt, Manager::Aptitude];
const YARN: &[Manager] = &[Manager::Yarn];

const fn dir(
    path: &'static str,
    tool: &'static str,
    managers: &'static [Manager],
    kind: DirKind,
) -> ManagerDir {
    ManagerDir {
        path,
        tool,
        managers,
        kind,
    }
}

/// Every cache or index directory dlint knows. The order is part of `dlint image`'s JSON
/// output (a path class is an index into this table): append, do not reorder.
pub const MANAGER_DIRS: &[ManagerDir] = &[
    dir("/var/lib/apt/lists", "apt", APT, DirKind::Index),
    dir("/var/cache/apt", "apt", APT, DirKind::Cache),
    dir("/var/cache/apk", "apk", &[Manager::Apk], DirKind::Index),
    dir("/etc/apk/cache", "apk", &[Manager::Apk], DirKind::Cache),
    dir("/root/.cache/pip", "pip", &[Manager::Pip], DirKind::Cache),
    dir("/root/.npm", "npm", &[Manager::Npm], DirKind::Cache),
    dir("/usr/local/share/.cache/yarn", "yarn", YARN, DirKind::Cache),
    dir("/root/.cache/yarn", "yarn", YARN, DirKind::Cache),
    dir("/root/.yarn/berry/cache", "yarn", YARN, DirKind::Cache),
    dir(
        "/root/.local/share/pnpm/store",
        "pnpm",
        &[Manager::Pnpm],
        DirKind::Cache,
    ),
    dir(
        "/root/.cache/go-build",
        "go",
        &[Manager::Go],
        DirKind::Cache,
    ),
    dir(
        "/root/go/pkg/mod/cache",
        "go",
        &[Manager::Go],
        DirKind::Cache,
    ),
    dir("/go/pkg/mod/cache", "go", &[Manager::Go], DirKind::Cache),
    dir("/var/cache/dnf", "dnf", &[Manager::Dnf], DirKind::Cache),
    // microdnf (libdnf) keeps its cache where yum did
    dir(
        "/var/cache/yum",
        "yum",
        &[Manager::Yum, Manager::Microdnf],
        DirKind::Cache,
    ),
    dir(
        "/var/cache/zypp",
        "zypper",
        &[Manager::Zypper],
        DirKind::Cache,
    ),
    dir("/root/.gem", "gem", &[Manager::Gem], DirKind::Cache),
    dir(
        "/usr/local/bundle/cache",
        "bundler",
        &[Manager::Bundle],
        DirKind::Cache,
    ),
    dir(
        "/root/.cache/composer",
        "composer",
        &[Manager::Composer],
        DirKind::Cache,
    ),
    dir(
        "/root/.composer/cache",
        "composer",
        &[Manager::Composer],
        DirKind::Cache,
    ),
    dir(
        "/opt/conda/pkgs",
        "conda",
        &[Manager::Conda],
        DirKind::Cache,
    ),
    dir(
        "/root/.conda/pkgs",
        "conda",
        &[Manager::Conda],
        DirKind::Cache,
    ),
    dir(
        "/root/.cargo/registry",
        "cargo",
        &[Manager::Cargo],
        DirKind::Cache,
    ),
    dir(
        "/usr/local/cargo/registry",
        "cargo",
        &[Manager::Cargo],
        DirKind::Cache,
    ),
    dir(
        "/root/.m2/repository",
        "maven",
        &[Manager::Maven],
        DirKind::Cache,
    ),
    dir(
        "/root/.gradle/caches",
        "gradle",
        &[Manager::Gradle],
        DirKind::Cache,
    ),
    dir("/root/.cache/uv", "uv", &[Manager::Uv], DirKind::Cache),
    // dnf5 (Fedora 41+, where `dnf` and `microdnf` are dnf5) keeps its cache here
    dir(
        "/var/cache/libdnf5",
        "dnf",
        &[Manager::Dnf, Manager::Microdnf],
        DirKind::Cache,
    ),
    dir(
        "/root/.bun/install/cache",
        "bun",
        &[Manager::Bun],
        DirKind::Cache,
    ),
    dir("/var/cache/tdnf", "tdnf", &[Manager::Tdnf], DirKind::Cache),
    // The Node headers node-gyp downloads when an install compiles a native addon (node-gyp 5+
    // in `~/.cache/node-gyp`, older ones in `~/.node-gyp`). No manager fills them by default:
    // only an addon without a prebuilt binary does, which the Dockerfile does not tell.
    dir("/root/.cache/node-gyp", "node-gyp", &[], DirKind::Cache),
    dir("/root/.node-gyp", "node-gyp", &[], DirKind::Cache),
];

/// The directories `manager` fills, in table order.
pub fn dirs_of(manager: Manager) -> impl Iterator<Item = &'static ManagerDir> {
    MANAGER_DIRS
        .iter()
        .filter(move |d| d.managers.contains(&manager))
}

/// The paths of the directories `manager` fills.
pub fn dir_paths(manager: Manager) -> Vec<&'static str> {
    dirs_of(manager).map(|d| d.path).collect()
}

/// The directory `manager` fills first by default (its main cache), if any.
pub fn cache_dir(manager: Manager) -> Option<&'static str> {
    dirs_of(manager).next().map(|d| d.path)
}

/// The first download cache ([`DirKind::Cache`]) of `manager` in the table, usable in a
/// `const` (rules name a manager's cache through it instead of spelling the path).
pub const fn download_cache(manager: Manager) -> Option<&'static str> {
    let mut i = 0;
    while i < MANAGER_DIRS.len() {
        let d = &MANAGER_DIRS[i];
        let mut j = 0;
        while j < d.managers.len() {
            if d.managers[j] as usize == manager as usize && matches!(d.kind, DirKind::Cache) {
                return Some(d.path);
            }
            j += 1;
        }
        i += 1;
    }
    None
}

/// [`download_cache`] for a manager the table has a cache for (a compile error otherwise).
pub const fn download_cache_of(manager: Manager) -> &'static str {
    match download_cache(manager) {
        Some(d) => d,
        None => panic!("no download cache for this manager in MANAGER_DIRS"),
    }
}

/// The command a RUN needs before its cache mounts work as caches, and the path that tells it
/// is there already: apt's `docker-clean` hook (in the official Debian and Ubuntu images)
/// deletes every downloaded `.deb`, so BuildKit's documentation removes it and keeps the
/// downloads.
pub fn cache_mount_setup(manager: Manager) -> Option<(&'static str, &'static str)> {
    APT.contains(&manager).then_some((
        "/etc/apt/apt.conf.d/docker-clean",
        "rm -f /etc/apt/apt.conf.d/docker-clean && echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache",
    ))
}

impl Invocation<'_> {
    /// The cache or index directories this invocation fills with the default configuration
    /// (`set` tells whether an environment variable that moves or turns off a cache is set).
    /// The per-user caches are in `home`, the home of the user the RUN runs as (`/root` for
    /// root), and left out when that home is unknown.
    pub fn filled_dirs(&self, set: &dyn Fn(&str) -> bool, home: Option<&str>) -> Vec<String> {
        self.default_dirs(set, home.is_some())
            .into_iter()
            .map(|p| match (p.strip_prefix("/root/"), home) {
                (Some(rel), Some(h)) => format!("{}/{rel}", h.trim_end_matches('/')),
                _ => p.to_string(),
            })
            .collect()
    }

    /// [`Invocation::filled_dirs`] as the table writes them (per-user ones in /root, and only
    /// when `per_user`).
    fn default_dirs(&self, set: &dyn Fn(&str) -> bool, per_user: bool) -> Vec<&'static str> {
        let sub = self.sub();
        let paths = |m: Manager| dir_paths(m);
        match self.manager {
            Manager::AptGet | Manager::Apt => match sub {
                "update" => vec![Index::AptLists.dir()],
                "install" | "upgrade" | "dist-upgrade" | "full-upgrade"
                    if self.is_install() || sub != "install" =>
                {
                    dirs_of(self.manager)
                        .filter(|d| d.kind == DirKind::Cache)
                        .map(|d| d.path)
                        .collect()
                }
                _ => Vec::new(),
            },
            Manager::Apk
                if !self.has(&["--no-cache"]) && matches!(sub, "add" | "update" | "upgrade") =>
            {
                vec![Index::Apk.dir()]
            }
            Manager::Dnf | Manager::Yum | Manager::Microdnf | Manager::Tdnf
                if self.is_install() || matches!(sub, "makecache" | "update" | "upgrade") =>
            {
                paths(self.manager)
            }
            Manager::Zypper if self.is_install() || matches!(sub, "refresh" | "ref") => {
                paths(Manager::Zypper)
            }
            Manager::Conda if self.is_install() || sub == "create" => {
                cache_dir(Manager::Conda).into_iter().collect()
            }
            _ if !per_user => Vec::new(),
            Manager::Pip
                if !self.is_uv()
                    && self.is_install()
                    && !self.has(&["--no-cache-dir"])
                    && !set("PIP_NO_CACHE_DIR")
                    && !set("PIP_CACHE_DIR") =>
            {
                paths(Manager::Pip)
            }
            Manager::Npm
                if self.is_install() && !set("npm_config_cache") && !set("NPM_CONFIG_CACHE") =>
            {
                paths(Manager::Npm)
            }
            Manager::Bun
                if self.is_install()
                    && !self.has(&["--no-cache"])
                    && self.value(&["--cache-dir"]).is_none()
                    && !set("BUN_INSTALL_CACHE_DIR")
                    && !set("BUN_INSTALL") =>
            {
                paths(Manager::Bun)
            }
            Manager::Yarn if self.is_install() && !set("YARN_CACHE_FOLDER") => {
                cache_dir(Manager::Yarn).into_iter().collect()
            }
            Manager::Go if matches!(sub, "build" | "install") && !set("GOCACHE") => {
                cache_dir(Manager::Go).into_iter().collect()
            }
            Manager::Composer
                if matches!(sub, "install" | "require" | "update")
                    && !set("COMPOSER_HOME")
                    && !set("COMPOSER_CACHE_DIR") =>
            {
                // composer 1's default (composer 2 uses ~/.cache/composer)
                vec!["/root/.composer/cache"]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_absolute_and_listed_once() {
        for (i, d) in MANAGER_DIRS.iter().enumerate() {
            assert!(
                d.path.starts_with('/') && !d.path.ends_with('/'),
                "{}",
                d.path
            );
            // only node-gyp's headers are filled as a side effect of an install, not by a
            // manager's default configuration
            assert!(!d.managers.is_empty() || d.tool == "node-gyp", "{}", d.path);
            assert!(
                MANAGER_DIRS.iter().skip(i + 1).all(|o| o.path != d.path),
                "{}",
                d.path
            );
        }
    }

    #[test]
    fn node_gyp_headers_are_known_caches_no_manager_claims() {
        let gyp: Vec<&str> = MANAGER_DIRS
            .iter()
            .filter(|d| d.tool == "node-gyp")
            .map(|d| d.path)
            .collect();
        assert_eq!(gyp, ["/root/.cache/node-gyp", "/root/.node-gyp"]);
        for m in [Manager::Npm, Manager::Yarn, Manager::Pnpm] {
            assert!(dir_paths(m).iter().all(|p| !p.contains("gyp")), "{m:?}");
        }
    }

    #[test]
    fn dnf5_cache_is_known_for_dnf_and_microdnf() {
        assert!(dir_paths(Manager::Dnf).contains(&"/var/cache/libdnf5"));
        assert_eq!(
            dir_paths(Manager::Microdnf),
            ["/var/cache/yum", "/var/cache/libdnf5"]
        );
        assert_eq!(cache_dir(Manager::Yum), Some("/var/cache/yum"));
        assert_eq!(cache_dir(Manager::AptGet), Some("/var/lib/apt/lists"));
    }

    #[test]
    fn download_caches_come_from_the_table() {
        assert_eq!(download_cache(Manager::AptGet), Some("/var/cache/apt"));
        assert_eq!(download_cache(Manager::Yum), Some("/var/cache/yum"));
        assert_eq!(download_cache(Manager::Zypper), Some("/var/cache/zypp"));
        assert_eq!(
            download_cache(Manager::Yarn),
            Some("/usr/local/share/.cache/yarn")
        );
        assert_eq!(download_cache(Manager::Apk), Some("/etc/apk/cache"));
        assert_eq!(download_cache(Manager::AptCache), None);
    }
}
