//! Installed packages read from an image's final filesystem: OS package databases (dpkg, apk;
//! rpm is detected but not read) and language packages (Python, node, Ruby).
//!
//! The image analyzer captures the contents of the small files selected by [`wants_capture`];
//! [`Inventory::from_files`] turns them into package lists.

use serde::Serialize;
use std::collections::BTreeMap;

pub mod db;
pub mod lang;
pub mod os;

/// Largest database file read (the dpkg status of a big image is a few MiB).
pub const MAX_CAPTURE_FILE: u64 = 16 * 1024 * 1024;

/// Which OS package database a list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageDb {
    /// Debian/Ubuntu `var/lib/dpkg/status`.
    Dpkg,
    /// Alpine `lib/apk/db/installed`.
    Apk,
}

impl std::fmt::Display for PackageDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PackageDb::Dpkg => "dpkg",
            PackageDb::Apk => "apk",
        })
    }
}

/// One installed OS package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OsPackage {
    /// Package name (`name:arch` when installed for several architectures).
    pub name: String,
    /// Version string as the database has it.
    pub version: String,
    /// Installed size in bytes, when the database records it (dpkg: Installed-Size KiB * 1024).
    pub size: Option<u64>,
    /// Architecture, when recorded.
    pub arch: Option<String>,
}

/// Language package ecosystems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    /// `site-packages` / `dist-packages` (`*.dist-info`, `*.egg-info`).
    Python,
    /// `node_modules/**/package.json`.
    Node,
    /// `specifications/*.gemspec`.
    Ruby,
}

impl std::fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Ecosystem::Python => "python",
            Ecosystem::Node => "node",
            Ecosystem::Ruby => "ruby",
        })
    }
}

/// One language package found in the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LangPackage {
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Name as declared.
    pub name: String,
    /// Comparison key (PEP 503-normalised for Python, the name otherwise).
    pub key: String,
    /// Version as declared.
    pub version: String,
    /// Bytes in the final filesystem (Python: the files its RECORD lists; node: the package
    /// directory without nested node_modules; Ruby: the gem's directory), when measurable.
    pub bytes: Option<u64>,
    /// Path of the metadata file it was read from.
    pub path: String,
}

/// The OS package list of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OsInventory {
    /// Database kind.
    pub db: PackageDb,
    /// Path of the database file.
    pub path: String,
    /// Installed packages, sorted by name.
    pub packages: Vec<OsPackage>,
}

/// Everything dlint knows about the packages installed in an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// OS packages (the first database found: dpkg, then apk).
    pub os: Option<OsInventory>,
    /// Language packages, sorted by ecosystem, key and version.
    pub lang: Vec<LangPackage>,
    /// What could not be read (rpm databases, oversized files).
    pub notes: Vec<String>,
}

/// Strips a leading `/` or `./` so paths compare the same whatever the archive wrote.
pub fn normalize_path(path: &str) -> &str {
    let p = path.strip_prefix("./").unwrap_or(path);
    p.trim_start_matches('/')
}

/// Glob patterns (for [`crate::image::AnalyzeOptions::capture`]) selecting the same files as
/// [`wants_capture`].
pub const CAPTURE_GLOBS: &[&str] = &[
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "**/site-packages/*.dist-info/METADATA",
    "**/site-packages/*.dist-info/RECORD",
    "**/dist-packages/*.dist-info/METADATA",
    "**/dist-packages/*.dist-info/RECORD",
    "**/site-packages/*.egg-info/PKG-INFO",
    "**/dist-packages/*.egg-info/PKG-INFO",
    "**/site-packages/*.egg-info",
    "**/dist-packages/*.egg-info",
    "**/node_modules/*/package.json",
    "**/node_modules/@*/*/package.json",
    "**/specifications/*.gemspec",
];

/// True for the files whose contents [`Inventory::from_files`] needs: package databases and
/// language package metadata. Paths are relative to the image root (leading `/` allowed).
pub fn wants_capture(path: &str) -> bool {
    let p = normalize_path(path);
    os::db_for_path(p).is_some()
        || lang::is_python_meta(p)
        || lang::is_node_manifest(p)
        || lang::is_gemspec(p)
}

/// The final filesystem's regular files as [`Inventory::from_files`] reads them: a map from
/// path to size (`BTreeMap<String, u64>`), or to size and layer (a comparison
/// [`Side`](crate::image::compare::Side)'s files, read in place instead of copied).
pub trait FileSizes {
    /// Size of the file at `path`.
    fn size(&self, path: &str) -> Option<u64>;
    /// True when there are no files.
    fn is_empty(&self) -> bool;
    /// (path, size) of the files whose path starts with `prefix`, in path order.
    fn starting_with<'a>(
        &'a self,
        prefix: &'a str,
    ) -> Box<dyn Iterator<Item = (&'a str, u64)> + 'a>;
    /// Every path, in order.
    fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_>;
}

/// A map value that carries a file size: the size itself, or (size, layer).
pub trait SizeValue {
    /// The file size.
    fn file_size(&self) -> u64;
}

impl SizeValue for u64 {
    fn file_size(&self) -> u64 {
        *self
    }
}

impl SizeValue for (u64, usize) {
    fn file_size(&self) -> u64 {
        self.0
    }
}

impl<V: SizeValue> FileSizes for BTreeMap<String, V> {
    fn size(&self, path: &str) -> Option<u64> {
        self.get(path).map(SizeValue::file_size)
    }
    fn is_empty(&self) -> bool {
        BTreeMap::is_empty(self)
    }
    fn starting_with<'a>(
        &'a self,
        prefix: &'a str,
    ) -> Box<dyn Iterator<Item = (&'a str, u64)> + 'a> {
        Box::new(
            self.range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(p, _)| p.starts_with(prefix))
            .map(|(p, v)| (p.as_str(), v.file_size())),
        )
    }
    fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.keys().map(String::as_str))
    }
}

impl Inventory {
    /// Builds the inventory from captured file contents and the final filesystem's regular
    /// files (path -> size). Both maps may use paths with or without a leading `/`.
    pub fn from_files(captured: &BTreeMap<String, Vec<u8>>, files: &impl FileSizes) -> Self {
        let needs_norm = captured
            .keys()
            .map(String::as_str)
            .chain(files.paths())
            .any(|k| normalize_path(k) != k);
        let (cap_n, files_n);
        let (captured, files): (_, &dyn FileSizes) = if needs_norm {
            cap_n = captured
                .iter()
                .map(|(k, v)| (normalize_path(k).to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>();
            files_n = files
                .paths()
                .filter_map(|k| Some((normalize_path(k).to_string(), files.size(k)?)))
                .collect::<BTreeMap<_, _>>();
            (&cap_n, &files_n)
        } else {
            (captured, files)
        };
        let mut inv = Inventory::default();
        for db in [os::DPKG_STATUS, os::APK_INSTALLED] {
            if let Some(bytes) = captured.get(db) {
                let text = String::from_utf8_lossy(bytes);
                let (kind, packages) = match os::db_for_path(db) {
                    Some(PackageDb::Dpkg) => (PackageDb::Dpkg, os::parse_dpkg_status(&text)),
                    Some(PackageDb::Apk) => (PackageDb::Apk, os::parse_apk_installed(&text)),
                    None => continue,
                };
                if inv.os.is_none() {
                    inv.os = Some(OsInventory {
                        db: kind,
                        path: db.to_string(),
                        packages,
                    });
                } else {
                    inv.notes
                        .push(format!("second package database {db} ignored"));
                }
            } else if files.size(db).is_some_and(|s| s > MAX_CAPTURE_FILE) {
                inv.notes.push(format!(
                    "{db} is larger than {MAX_CAPTURE_FILE} bytes: not read"
                ));
            }
        }
        for rpm in os::RPM_DATABASES {
            if files.size(rpm).is_some() {
                inv.notes.push(os::rpm_note(rpm));
            }
        }
        inv.lang = lang::find(captured, files);
        inv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inventory_reads_dpkg_and_notes_rpm() {
        let captured: BTreeMap<String, Vec<u8>> = [(
            "/var/lib/dpkg/status".to_string(),
            b"Package: a\nStatus: install ok installed\nVersion: 1\nInstalled-Size: 2\n".to_vec(),
        )]
        .into();
        let files: BTreeMap<String, u64> = [
            ("/var/lib/dpkg/status".to_string(), 70u64),
            ("/var/lib/rpm/rpmdb.sqlite".to_string(), 4096),
        ]
        .into();
        let inv = Inventory::from_files(&captured, &files);
        let os = inv.os.as_ref().map(|o| (o.db, o.packages.len()));
        assert_eq!(os, Some((PackageDb::Dpkg, 1)));
        assert_eq!(inv.notes.len(), 1);
        assert!(inv.notes[0].contains("var/lib/rpm/rpmdb.sqlite"));
        assert!(wants_capture("/lib/apk/db/installed"));
        assert!(wants_capture("./var/lib/dpkg/status"));
        assert!(!wants_capture("/etc/passwd"));
    }

    #[test]
    fn capture_globs_agree_with_predicate() {
        let mut b = globset::GlobSetBuilder::new();
        for g in CAPTURE_GLOBS {
            let glob = globset::GlobBuilder::new(g).literal_separator(true).build();
            b.add(glob.unwrap_or_else(|e| panic!("{g}: {e}")));
        }
        let set = b.build().unwrap_or_else(|e| panic!("{e}"));
        for p in [
            "var/lib/dpkg/status",
            "lib/apk/db/installed",
            "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
            "usr/local/lib/python3.12/site-packages/pip-24.0.dist-info/RECORD",
            "usr/lib/python3/dist-packages/foo-1.0.egg-info/PKG-INFO",
            "usr/lib/python3/dist-packages/foo-1.0.egg-info",
            "app/node_modules/express/package.json",
            "node_modules/@types/node/package.json",
            "a/node_modules/x/node_modules/y/package.json",
            "usr/local/bundle/specifications/rack-3.0.8.gemspec",
            "app/node_modules/express/lib/package.json",
            "app/package.json",
            "etc/passwd",
            "var/lib/dpkg/status-old",
            "usr/share/doc/x.dist-info/METADATA",
        ] {
            assert_eq!(set.is_match(p), wants_capture(p), "{p}");
        }
    }
}
