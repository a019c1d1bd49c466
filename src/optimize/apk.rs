//! Alpine's package database, `lib/apk/db/installed`, read into the shape of the dpkg database
//! ([`Db`]) so that the toolchain pricing works the same on both: each package's installed
//! size (`I:`, bytes), dependencies (`D:`) and what it provides (`p:`), plus its file list
//! (`F:` directories and `R:` files), which takes the place of dpkg's `info/*.list` files.
//! `etc/apk/world` names the packages installed on purpose (the others came as dependencies).
//! (`image::packages::db` is the one reader of this file; `image::packages::os` turns the same
//! records into the package list of `dlint image`.)

use super::dpkg::Db;
use std::collections::{BTreeMap, BTreeSet};

/// Where apk keeps its database.
pub const INSTALLED_PATH: &str = crate::image::packages::os::APK_INSTALLED;

/// The packages installed on purpose (`apk add NAME`).
pub const WORLD_PATH: &str = "etc/apk/world";

/// The installed packages, and each one's files (one path per line, no leading `/`), through
/// the one apk reader ([`crate::image::packages::db::read_apk_installed`]).
pub fn parse(text: &str) -> (Db, BTreeMap<String, String>) {
    let mut db = Db::default();
    let mut lists = BTreeMap::new();
    for r in crate::image::packages::db::read_apk_installed(text) {
        lists.insert(r.record.name.clone(), r.files);
        db.pkgs.insert(r.record.name.clone(), r.record);
    }
    (db, lists)
}

/// The packages `etc/apk/world` does not name: installed only as something's dependency
/// (apk's counterpart of apt's automatically installed packages).
pub fn auto_installed(db: &Db, world: &str) -> BTreeSet<String> {
    let chosen: BTreeSet<&str> = world
        .split_whitespace()
        .filter_map(crate::image::packages::db::apk_entry_name)
        .collect();
    db.pkgs
        .keys()
        .filter(|n| !chosen.contains(n.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTALLED: &str = "C:Q1abc=\nP:musl\nV:1.2.5-r9\nA:x86_64\nI:407552\n\
p:so:libc.musl-x86_64.so.1=1\nF:lib\nR:ld-musl-x86_64.so.1\nR:libc.musl-x86_64.so.1\n\n\
P:gcc\nV:14.2.0-r4\nA:x86_64\nI:90000000\nD:binutils so:libc.musl-x86_64.so.1 !gcc-doc\n\
p:cmd:gcc=14.2.0-r4\nF:usr/bin\nR:gcc\nF:usr/libexec/gcc/x86_64-alpine-linux-musl/14.2.0\nR:cc1\n\n\
P:binutils\nA:x86_64\nI:8000000\nD:so:libc.musl-x86_64.so.1>=1.2\nF:usr/bin\nR:ld\n";

    #[test]
    fn reads_sizes_dependencies_providers_and_files() {
        let (db, lists) = parse(INSTALLED);
        assert_eq!(db.pkgs.len(), 3);
        assert_eq!(db.pkgs["gcc"].installed_size, Some(90_000_000));
        assert_eq!(
            db.pkgs["gcc"].depends,
            ["binutils", "so:libc.musl-x86_64.so.1"]
        );
        assert_eq!(db.pkgs["musl"].provides, ["so:libc.musl-x86_64.so.1"]);
        assert_eq!(
            lists["gcc"],
            "usr/bin/gcc\nusr/libexec/gcc/x86_64-alpine-linux-musl/14.2.0/cc1\n"
        );
        assert_eq!(lists["musl"].lines().count(), 2);
        // dependencies resolve through providers, as in the dpkg database
        let need = db.closure(["gcc"]);
        assert!(need.contains("musl") && need.contains("binutils"));
        let auto = auto_installed(&db, "gcc\nalpine-baselayout>=3\n");
        assert_eq!(auto.into_iter().collect::<Vec<_>>(), ["binutils", "musl"]);
    }
}
