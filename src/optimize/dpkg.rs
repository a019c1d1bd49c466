//! The dpkg database as a dependency graph: which packages an image could drop (a build
//! toolchain, packages only recommendations pulled in) without breaking the others.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where dpkg keeps its database.
pub const STATUS_PATH: &str = "var/lib/dpkg/status";

/// apt's log of what each `apt-get` run installed.
pub const HISTORY_PATH: &str = "var/log/apt/history.log";

/// One installed package: the database record both package readers produce
/// ([`crate::image::packages::db::PkgRecord`]), keyed by name in [`Db`].
pub use crate::image::packages::db::PkgRecord as Pkg;

/// Installed packages by name.
#[derive(Debug, Clone, Default)]
pub struct Db {
    /// Name -> package.
    pub pkgs: BTreeMap<String, Pkg>,
}

impl Db {
    /// Parses a dpkg `status` file (only `install ok installed` stanzas are kept), through
    /// the one dpkg reader ([`crate::image::packages::db::read_dpkg_status`]).
    pub fn parse(text: &str) -> Db {
        let mut db = Db::default();
        for p in crate::image::packages::db::read_dpkg_status(text) {
            db.pkgs.insert(p.name.clone(), p);
        }
        db
    }

    /// Every installed package `roots` need, through `Depends`/`Pre-Depends` (any installed
    /// alternative or provider counts as needed), roots included.
    pub fn closure<'a>(&'a self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
        let mut providers: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in self.pkgs.values() {
            for v in &p.provides {
                providers
                    .entry(v.as_str())
                    .or_default()
                    .push(p.name.as_str());
            }
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<&str> = roots.into_iter().collect();
        while let Some(n) = stack.pop() {
            let mut targets: Vec<&str> = Vec::new();
            if let Some((k, _)) = self.pkgs.get_key_value(n) {
                targets.push(k.as_str());
            }
            if let Some(ps) = providers.get(n) {
                targets.extend(ps.iter().copied());
            }
            for t in targets {
                if seen.insert(t)
                    && let Some(p) = self.pkgs.get(t)
                {
                    stack.extend(p.depends.iter().map(String::as_str));
                }
            }
        }
        seen
    }
}

/// Is this package part of a build toolchain (compilers, headers, build tools)?
pub fn is_toolchain(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "build-essential",
        "make",
        "gcc",
        "g++",
        "cpp",
        "binutils",
        "dpkg-dev",
        "cmake",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "bison",
        "flex",
        "rustc",
        "cargo",
        // Alpine
        "build-base",
        "linux-headers",
        "fortify-headers",
        "libc-dev",
    ];
    const PREFIX: &[&str] = &[
        "gcc-",
        "g++-",
        "cpp-",
        "binutils-",
        "linux-headers-",
        "clang",
        "llvm",
        "libgcc-",
        "libstdc++-",
        "golang-",
    ];
    EXACT.contains(&name)
        || PREFIX
            .iter()
            .any(|p| name.starts_with(p) && !name.ends_with("-base"))
        || name.ends_with("-dev")
}

/// Packages apt marked as automatically installed (`var/lib/apt/extended_states`).
pub fn auto_installed(extended_states: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for stanza in extended_states.split("\n\n") {
        let mut name = None;
        let mut auto = false;
        for line in stanza.lines() {
            if let Some(v) = line.strip_prefix("Package:") {
                name = Some(v.trim().to_string());
            } else if let Some(v) = line.strip_prefix("Auto-Installed:") {
                auto = v.trim() == "1";
            }
        }
        if let (Some(n), true) = (name, auto) {
            out.insert(n);
        }
    }
    out
}

/// Packages apt's log (`var/log/apt/history.log`) shows installed automatically: the entries
/// of `Install:` lines marked `automatic`, unless a later `Install:` or `Upgrade:` names
/// them without it (installed on purpose then).
pub fn auto_installed_from_history(log: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in log.lines() {
        let Some(list) = line.strip_prefix("Install:") else {
            continue;
        };
        // `name:arch (version, automatic), name:arch (version)`
        for entry in list.split("), ") {
            let entry = entry.trim();
            let Some(name) = entry.split([' ', ':']).next().filter(|n| !n.is_empty()) else {
                continue;
            };
            if entry.contains(", automatic") {
                out.insert(name.to_string());
            } else {
                out.remove(name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "Package: app\nStatus: install ok installed\nInstalled-Size: 10\n\
Depends: libc6 (>= 2.3), python3:any | python3-minimal\n\n\
Package: libc6\nStatus: install ok installed\nPriority: required\nInstalled-Size: 100\n\n\
Package: python3\nStatus: install ok installed\nInstalled-Size: 5\nProvides: python3-any\n\n\
Package: gcc\nStatus: install ok installed\nInstalled-Size: 7\nDepends: cpp, libc6-dev\n\n\
Package: cpp\nStatus: install ok installed\nInstalled-Size: 3\n\n\
Package: libc6-dev\nStatus: install ok installed\nInstalled-Size: 2\nDepends: libc6\n\n\
Package: gone\nStatus: deinstall ok config-files\nInstalled-Size: 9\n";

    #[test]
    fn closure_follows_depends_and_alternatives() {
        let db = Db::parse(STATUS);
        assert_eq!(db.pkgs.len(), 6);
        assert_eq!(db.pkgs["app"].installed_size, Some(10 * 1024));
        assert!(db.pkgs["libc6"].essential);
        let need = db.closure(["app"]);
        assert_eq!(
            need.into_iter().collect::<Vec<_>>(),
            vec!["app", "libc6", "python3"]
        );
        let tc = db.closure(["gcc"]);
        assert!(tc.contains("cpp") && tc.contains("libc6-dev") && tc.contains("libc6"));
        assert!(
            is_toolchain("gcc-12") && is_toolchain("libc6-dev") && !is_toolchain("gcc-12-base")
        );
        assert!(!is_toolchain("python3"));
        assert!(is_toolchain("golang-1.19-go") && is_toolchain("golang-go"));
    }

    #[test]
    fn extended_states() {
        let a = auto_installed(
            "Package: a\nArchitecture: amd64\nAuto-Installed: 1\n\nPackage: b\nAuto-Installed: 0\n",
        );
        assert_eq!(a.into_iter().collect::<Vec<_>>(), vec!["a".to_string()]);
    }

    #[test]
    fn history_log_marks_automatic_installs() {
        let log = "Start-Date: x\nInstall: a:amd64 (1, automatic), b:amd64 (2), c:all (3, automatic)\n\
End-Date: y\n\nStart-Date: z\nInstall: c:all (3)\nEnd-Date: w\n";
        let auto = auto_installed_from_history(log);
        assert_eq!(auto.into_iter().collect::<Vec<_>>(), ["a"]);
    }
}
