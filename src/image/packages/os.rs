//! OS package databases: Debian/Ubuntu dpkg `status`, Alpine apk `installed`, rpm detection.

use super::{OsPackage, PackageDb};

/// Paths (relative to the image root, no leading `/`) of the package databases dlint reads.
pub const DPKG_STATUS: &str = "var/lib/dpkg/status";
/// Alpine's installed database.
pub const APK_INSTALLED: &str = "lib/apk/db/installed";
/// rpm databases: detected (so the report can say they exist) but not read; see [`rpm_note`].
pub const RPM_DATABASES: &[&str] = &[
    "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
    "var/lib/rpm/Packages",
    "usr/lib/sysimage/rpm/Packages",
    "var/lib/rpm/Packages.db",
    "usr/lib/sysimage/rpm/Packages.db",
];

/// Why rpm databases are not read.
pub fn rpm_note(path: &str) -> String {
    format!(
        "rpm database {path} found but not read: rpm stores packages in SQLite, Berkeley DB or \
         ndb files, which dlint does not parse (no native dependencies); rpm package lists are \
         not compared"
    )
}

/// Parses a dpkg `status` file (through [`super::db::read_dpkg_status`]): every installed
/// package with its `Version` and `Installed-Size` (KiB in the file, bytes here). Packages
/// that appear for several architectures are named `name:arch`.
pub fn parse_dpkg_status(text: &str) -> Vec<OsPackage> {
    let mut out: Vec<OsPackage> = super::db::read_dpkg_status(text)
        .into_iter()
        .map(OsPackage::from)
        .collect();
    disambiguate(&mut out);
    out
}

impl From<super::db::PkgRecord> for OsPackage {
    /// The package-list row of a database record.
    fn from(r: super::db::PkgRecord) -> Self {
        OsPackage {
            name: r.name,
            version: r.version,
            size: r.installed_size,
            arch: r.arch,
        }
    }
}

/// Parses Alpine's `lib/apk/db/installed` (through [`super::db::read_apk_installed`]): `P:`
/// name, `V:` version, `I:` installed size in bytes, `A:` architecture.
pub fn parse_apk_installed(text: &str) -> Vec<OsPackage> {
    let mut out: Vec<OsPackage> = super::db::read_apk_installed(text)
        .into_iter()
        .map(|r| OsPackage::from(r.record))
        .collect();
    disambiguate(&mut out);
    out
}

/// Names packages installed for several architectures `name:arch`, then sorts by name.
fn disambiguate(pkgs: &mut [OsPackage]) {
    pkgs.sort_by(|a, b| a.name.cmp(&b.name));
    let dup: Vec<bool> = (0..pkgs.len())
        .map(|i| {
            let n = &pkgs[i].name;
            (i > 0 && &pkgs[i - 1].name == n) || pkgs.get(i + 1).is_some_and(|p| &p.name == n)
        })
        .collect();
    for (p, d) in pkgs.iter_mut().zip(dup) {
        if d && let Some(a) = &p.arch {
            p.name = format!("{}:{a}", p.name);
        }
    }
    pkgs.sort_by(|a, b| a.name.cmp(&b.name));
}

/// The database kind stored at `path`, if dlint reads it.
pub fn db_for_path(path: &str) -> Option<PackageDb> {
    match path {
        DPKG_STATUS => Some(PackageDb::Dpkg),
        APK_INSTALLED => Some(PackageDb::Apk),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_installed_only_with_sizes_in_bytes() {
        let text = "Package: base-files\nEssential: yes\nStatus: install ok installed\n\
            Priority: required\nInstalled-Size: 347\nVersion: 12.4+deb12u5\n\
            Description: Debian base system miscellaneous files\n This package contains\n .\n\n\
            Package: removed-one\nStatus: deinstall ok config-files\nVersion: 1.0\nInstalled-Size: 10\n\n\
            Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\nInstalled-Size: 12000\n\n\
            Package: libc6\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.36-9\n\n";
        let p = parse_dpkg_status(text);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].name, "base-files");
        assert_eq!(p[0].version, "12.4+deb12u5");
        assert_eq!(p[0].size, Some(347 * 1024));
        assert_eq!(p[1].name, "libc6:amd64");
        assert_eq!(p[1].size, Some(12_000 * 1024));
        assert_eq!(p[2].name, "libc6:i386");
        assert_eq!(p[2].size, None);
    }

    #[test]
    fn dpkg_garbage_does_not_panic() {
        assert!(parse_dpkg_status("\u{0}\n\n:::\nPackage\n\nStatus: install").is_empty());
        let p = parse_dpkg_status(
            "Package: x\nStatus: install ok installed\nInstalled-Size: 99999999999999999999\n",
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].size, None);
    }

    #[test]
    fn apk_sizes_are_bytes() {
        let text = "C:Q1abc=\nP:musl\nV:1.2.5-r10\nA:x86_64\nS:409000\nI:696320\nT:the musl c library\n\
            F:lib\nR:ld-musl-x86_64.so.1\n\nC:Q1def=\nP:busybox\nV:1.37.0-r12\nI:798720\n";
        let p = parse_apk_installed(text);
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].name.as_str(), p[0].version.as_str(), p[0].size),
            ("busybox", "1.37.0-r12", Some(798_720))
        );
        assert_eq!(
            (p[1].name.as_str(), p[1].version.as_str(), p[1].size),
            ("musl", "1.2.5-r10", Some(696_320))
        );
    }
}
