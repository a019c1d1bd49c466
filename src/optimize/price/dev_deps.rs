//! DL5158's price: the development packages an install left in the image, read from the
//! records the package managers write next to what they installed. npm (7 and later) writes
//! `node_modules/.package-lock.json`, whose `packages` entries carry `"dev": true` for what only
//! the development dependencies need (what `npm prune --omit=dev` removes); Composer 2 writes
//! `vendor/composer/installed.json`, whose `dev-package-names` lists what `--no-dev` leaves out.
//! The bytes are the visible files under those packages' directories that the install's own
//! layer stored.

use super::Pricer;
use crate::image::{FileKind, FsEntry};
use crate::lint::Diagnostic;
use crate::optimize::{Finding, FixKind, Status, line_of};
use std::collections::{BTreeMap, HashSet};

/// npm's hidden lockfile, below a project's directory.
pub(crate) const NPM_HIDDEN_LOCKFILE: &str = "node_modules/.package-lock.json";

/// Composer's record of the installed packages, below the vendor directory's parent.
pub(crate) const COMPOSER_INSTALLED: &str = "vendor/composer/installed.json";

/// The manager a DL5158 finding is about, as far as its price goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DevManager {
    Npm,
    Composer,
    /// yarn, pnpm: no per-package development mark in what they install.
    OtherJs,
    /// Bundler, Poetry, uv, pip: the image does not record the groups.
    Other,
}

/// The manager of the command a DL5158 finding spans (`NODE_ENV=x npm ci`, `php
/// composer.phar install`): the first word naming one.
fn manager_of(command: &str) -> DevManager {
    for word in command.split_whitespace() {
        let base = word.rsplit('/').next().unwrap_or(word);
        match base {
            "npm" => return DevManager::Npm,
            "composer" | "composer.phar" => return DevManager::Composer,
            "yarn" | "pnpm" => return DevManager::OtherJs,
            _ if base.contains('=') || matches!(base, "php" | "sudo" | "env" | "exec") => {}
            _ => return DevManager::Other,
        }
    }
    DevManager::Other
}

/// Why yarn and pnpm installs are not priced.
const JS_UNPRICED: &str = "yarn and pnpm record no per-package development mark in the \
    node_modules they install (npm's node_modules/.package-lock.json has one)";

/// Why Bundler, Poetry, uv and pip installs are not priced.
const OTHER_UNPRICED: &str = "which installed packages are development dependencies is \
    recorded in the project's manifest and lockfile (Gemfile.lock, poetry.lock, uv.lock, a \
    requirements file), not in the image's layers";

/// Reads one manager's record (its path, its text) into the development packages' directories.
type RecordReader = fn(&str, &str) -> Option<DevDirs>;

/// The development packages' directories of one record, relative to the image root.
#[derive(Debug, Default, PartialEq, Eq)]
struct DevDirs {
    /// Directories (no leading `/`, no trailing `/`).
    dirs: Vec<String>,
    /// Packages named (npm: entries, nested ones included; Composer: names).
    packages: usize,
}

/// The `"dev": true` entries of npm's hidden lockfile at `lockfile` (`app/node_modules/.package-lock.json`).
fn npm_dev_dirs(lockfile: &str, content: &str) -> Option<DevDirs> {
    let root = lockfile.strip_suffix(NPM_HIDDEN_LOCKFILE)?;
    let json: serde_json::Value = serde_json::from_str(content).ok()?;
    let packages = json.get("packages")?.as_object()?;
    let mut out = DevDirs::default();
    for (key, entry) in packages {
        let dev = entry.get("dev").and_then(|v| v.as_bool()) == Some(true);
        let link = entry.get("link").and_then(|v| v.as_bool()) == Some(true);
        // a key is a path below the project (`node_modules/a/node_modules/b`); a link is a
        // workspace whose files are the project's own
        if dev && !link && key.starts_with("node_modules/") && !key.contains("..") {
            out.dirs
                .push(format!("{root}{}", key.trim_end_matches('/')));
            out.packages += 1;
        }
    }
    Some(out)
}

/// The `dev-package-names` of Composer 2's `installed.json` at `record`
/// (`app/vendor/composer/installed.json`), at their `install-path` (default `vendor/<name>`).
fn composer_dev_dirs(record: &str, content: &str) -> Option<DevDirs> {
    let composer_dir = record.strip_suffix("/installed.json")?;
    let vendor = composer_dir.strip_suffix("/composer")?;
    let json: serde_json::Value = serde_json::from_str(content).ok()?;
    let names: HashSet<&str> = json
        .get("dev-package-names")?
        .as_array()?
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let packages = json.get("packages").and_then(|p| p.as_array());
    let mut out = DevDirs::default();
    for name in &names {
        let install_path = packages
            .into_iter()
            .flatten()
            .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(name))
            .and_then(|p| p.get("install-path"))
            .and_then(|p| p.as_str());
        let dir = match install_path {
            Some(p) => normalize(&format!("{composer_dir}/{p}")),
            None => Some(format!("{vendor}/{name}")),
        };
        if let Some(dir) = dir.filter(|d| !d.is_empty()) {
            out.dirs.push(dir);
            out.packages += 1;
        }
    }
    out.dirs.sort();
    Some(out)
}

/// `a/b/../c/./d` -> `a/c/d`; `None` when `..` climbs above the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// Bytes, file count and the biggest files `layer` stored that are visible under one of `dirs`
/// (each file once, however many of the directories hold it).
fn visible_under(
    files_of_image: &BTreeMap<String, FsEntry>,
    dirs: &[String],
    layer: usize,
) -> (u64, u64, Vec<(String, u64)>) {
    // keep the outermost directories (a nested package lies inside its parent's): sorted with
    // their `/`, the directories below one follow it
    let mut top: Vec<String> = dirs.iter().map(|d| format!("{d}/")).collect();
    top.sort_unstable();
    top.dedup_by(|later, kept| later.starts_with(kept.as_str()));
    let (mut bytes, mut files, mut examples) = (0, 0, Vec::new());
    for lo in top {
        let hi = format!("{}0", lo.trim_end_matches('/'));
        for (p, f) in files_of_image.range(lo..hi) {
            if f.layer == layer && matches!(f.kind, FileKind::File | FileKind::Hardlink) {
                bytes += f.size;
                files += 1;
                examples.push((format!("/{p}"), f.size));
            }
        }
    }
    examples.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    examples.truncate(3);
    (bytes, files, examples)
}

impl Pricer<'_> {
    /// DL5158: the development packages npm or Composer recorded for the install's layer.
    pub(super) fn dev_dependencies(&mut self, d: &Diagnostic, layer: Option<usize>) -> bool {
        let command = self.df.source.get(d.span.start..d.span.end).unwrap_or("");
        let (record, read): (&str, RecordReader) = match manager_of(command) {
            DevManager::Npm => (NPM_HIDDEN_LOCKFILE, npm_dev_dirs),
            DevManager::Composer => (COMPOSER_INSTALLED, composer_dev_dirs),
            DevManager::OtherJs => {
                self.unpriced(d, layer, JS_UNPRICED);
                return true;
            }
            DevManager::Other => {
                self.unpriced(d, layer, OTHER_UNPRICED);
                return true;
            }
        };
        let Some(layer) = layer else {
            return false;
        };
        // the records this install's layer wrote (one per project it installed)
        let report = self.report;
        let records: Vec<(&String, DevDirs)> = report
            .captured
            .iter()
            .filter(|(p, c)| {
                c.layer == layer
                    && (p.as_str() == record || p.ends_with(&format!("/{record}")))
                    && !self.claimed_records.contains(p.as_str())
            })
            .filter_map(|(p, c)| read(p, &c.content).map(|dirs| (p, dirs)))
            .collect();
        if records.is_empty() {
            let why = format!(
                "no readable {record} written by this RUN's layer (npm 7 or later and Composer 2 write \
                 it), so which packages are development ones is not known"
            );
            self.without_bytes(d, Some(layer), format!("unpriced: {why}"));
            return true;
        }
        let mut dirs = Vec::new();
        let mut packages = 0;
        for (p, r) in records {
            self.claimed_records.insert(p.clone());
            dirs.extend(r.dirs);
            packages += r.packages;
        }
        let (bytes, files, examples) = visible_under(&report.files, &dirs, layer);
        self.findings.push(Finding {
            line: Some(line_of(self.df, d.span.start)),
            rule: d.rule.to_string(),
            what: format!(
                "{packages} development packages ({files} files) installed by this RUN, as \
                 {record} marks them ({})",
                d.message
            ),
            bytes: Some(bytes),
            share: None,
            status: Status::Measured,
            note: None,
            layer: Some(layer),
            fix: FixKind::of(d),
            examples,
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_of_commands() {
        assert_eq!(manager_of("npm ci"), DevManager::Npm);
        assert_eq!(
            manager_of("NODE_ENV=dev /usr/bin/npm install"),
            DevManager::Npm
        );
        assert_eq!(
            manager_of("php composer.phar install"),
            DevManager::Composer
        );
        assert_eq!(manager_of("composer install -o"), DevManager::Composer);
        assert_eq!(manager_of("yarn install"), DevManager::OtherJs);
        assert_eq!(manager_of("bundle install"), DevManager::Other);
        assert_eq!(manager_of("pip install -r r-dev.txt"), DevManager::Other);
    }

    #[test]
    fn npm_marks_dev_entries_nested_ones_included() {
        let lock = r#"{"lockfileVersion":3,"packages":{
            "node_modules/debug":{"version":"4.3.4","dev":true},
            "node_modules/debug/node_modules/ms":{"version":"2.1.2","dev":true},
            "node_modules/ms":{"version":"2.1.3"},
            "node_modules/both":{"devOptional":true},
            "node_modules/ws":{"resolved":"packages/ws","link":true,"dev":true}}}"#;
        let d = npm_dev_dirs("app/node_modules/.package-lock.json", lock).unwrap();
        assert_eq!(
            d.dirs,
            [
                "app/node_modules/debug",
                "app/node_modules/debug/node_modules/ms"
            ]
        );
        assert_eq!(d.packages, 2);
        let root = npm_dev_dirs("node_modules/.package-lock.json", lock).unwrap();
        assert_eq!(root.dirs[0], "node_modules/debug");
        assert!(npm_dev_dirs("app/node_modules/.package-lock.json", "{").is_none());
    }

    #[test]
    fn composer_names_at_their_install_paths() {
        let installed = r#"{"packages":[
            {"name":"phpunit/phpunit","install-path":"../phpunit/phpunit"},
            {"name":"monolog/monolog","install-path":"../monolog/monolog"},
            {"name":"acme/plugin","install-path":"../../web/plugins/acme"}],
            "dev":true,"dev-package-names":["phpunit/phpunit","acme/plugin","sebastian/diff"]}"#;
        let d = composer_dev_dirs("srv/app/vendor/composer/installed.json", installed).unwrap();
        assert_eq!(
            d.dirs,
            [
                "srv/app/vendor/phpunit/phpunit",
                "srv/app/vendor/sebastian/diff",
                "srv/app/web/plugins/acme",
            ]
        );
        // Composer 1's list has no dev-package-names
        assert!(composer_dev_dirs("vendor/composer/installed.json", "[]").is_none());
        assert!(normalize("a/../../b").is_none());
    }

    #[test]
    fn nested_packages_count_once_and_names_keep_their_boundaries() {
        let mut files = BTreeMap::new();
        for (p, size, layer) in [
            ("a/node_modules/debug/index.js", 10, 2),
            ("a/node_modules/debug/node_modules/ms/index.js", 20, 2),
            ("a/node_modules/debug-x/index.js", 40, 2),
            ("a/node_modules/debugger/index.js", 80, 2),
            ("a/node_modules/debug/old.js", 160, 1),
        ] {
            files.insert(
                p.to_string(),
                FsEntry {
                    kind: FileKind::File,
                    size,
                    layer,
                    mode: 0o644,
                    link: None,
                },
            );
        }
        let dirs = [
            "a/node_modules/debug",
            "a/node_modules/debug-x",
            "a/node_modules/debug/node_modules/ms",
        ]
        .map(String::from);
        let (bytes, count, ex) = visible_under(&files, &dirs, 2);
        assert_eq!((bytes, count), (10 + 20 + 40, 3));
        assert_eq!(ex[0], ("/a/node_modules/debug-x/index.js".to_string(), 40));
    }
}
