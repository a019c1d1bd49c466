//! Packages from the dpkg database (or Alpine's apk database): a build toolchain left in a
//! single-stage image, and packages only recommendations pulled in (DL3015, dpkg only).

use super::Pricer;
use super::rewrites;
use crate::image::{FileKind, ImageReport};
use crate::optimize::apk;
use crate::optimize::dpkg::{self, Db};
use crate::optimize::suggest::{Manager, ToolchainFacts};
use crate::optimize::{Finding, FixKind, Status, line_of};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

impl Pricer<'_> {
    /// Toolchain (single-stage builds) and recommendation-only packages, from the dpkg
    /// database.
    pub fn packages(&mut self, single_stage: bool) {
        let captured = &self.report.captured;
        let mut recs = std::mem::take(&mut self.recommends);
        let (db, pkgs, auto) = if let Some(c) = captured.get(dpkg::STATUS_PATH) {
            let db = Db::parse(&c.content);
            let pkgs = PackageFiles::dpkg(self.report, &db);
            let auto = captured
                .get("var/lib/apt/extended_states")
                .map(|c| dpkg::auto_installed(&c.content))
                .or_else(|| {
                    captured
                        .get(dpkg::HISTORY_PATH)
                        .map(|c| dpkg::auto_installed_from_history(&c.content))
                });
            (db, pkgs, auto)
        } else if let Some(c) = captured.get(apk::INSTALLED_PATH) {
            let (db, lists) = apk::parse(&c.content);
            let db_layer = self.report.files.get(apk::INSTALLED_PATH).map(|f| f.layer);
            let pkgs = PackageFiles::apk(self.report, lists, db_layer);
            let auto = captured
                .get(apk::WORLD_PATH)
                .map(|w| apk::auto_installed(&db, &w.content));
            // recommendations are apt's: an apk image has none to price
            for (d, layer) in std::mem::take(&mut recs) {
                self.not_measurable(&d, layer, "the image has no dpkg database");
            }
            (db, pkgs, auto)
        } else {
            for (d, layer) in recs {
                self.not_measurable(&d, layer, "the image has no dpkg database");
            }
            return;
        };
        let first = self.a.first_own_layer;
        let own = |n: &str| pkgs.layer.get(n).is_some_and(|l| *l >= first);
        let mut counted: HashSet<String> = HashSet::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        if single_stage {
            let roots: Vec<&str> = db
                .pkgs
                .keys()
                .map(String::as_str)
                .filter(|n| own(n) && dpkg::is_toolchain(n))
                .collect();
            if !roots.is_empty() {
                let reach = db.closure(roots.iter().copied());
                let keepers = db.pkgs.values().filter(|p| {
                    let n = p.name.as_str();
                    let manual = auto.as_ref().is_none_or(|a| !a.contains(n));
                    p.essential
                        || !own(n)
                        || !reach.contains(n)
                        || (!dpkg::is_toolchain(n) && manual)
                });
                let needed = db.closure(keepers.map(|p| p.name.as_str()));
                let manual = |n: &str| auto.as_ref().is_none_or(|a| !a.contains(n));
                self.toolchain = Some(toolchain_facts(
                    &db,
                    &pkgs,
                    &reach,
                    &needed,
                    &own,
                    &manual,
                    captured.contains_key(apk::INSTALLED_PATH),
                ));
                let mut by_layer: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
                for n in reach.difference(&needed) {
                    if let Some(l) = pkgs.layer.get(*n)
                        && *l >= first
                    {
                        by_layer.entry(*l).or_default().push(n);
                    }
                }
                for (layer, names) in by_layer {
                    let (bytes, estimated) = pkgs.bytes(&names, &db, &mut counted);
                    taken.extend(names.iter().map(|n| n.to_string()));
                    if let Some(t) = self.toolchain.as_mut() {
                        t.bytes += bytes;
                    }
                    if bytes == 0 {
                        continue;
                    }
                    self.findings.push(Finding {
                        line: self.line_of_layer(layer),
                        rule: "build-toolchain".into(),
                        what: format!(
                            "build toolchain installed here ({}): a multi-stage build would \
                             leave it out of the final image",
                            list(&names)
                        ),
                        bytes: Some(bytes),
                        share: None,
                        status: Status::Measured,
                        note: estimated.then(|| ESTIMATED.to_string()),
                        layer: Some(layer),
                        fix: FixKind::Manual,
                        examples: Vec::new(),
                    });
                }
            }
        }
        for (d, layer) in recs {
            let Some(layer) = layer else {
                self.not_measurable(&d, None, "the RUN made no layer");
                continue;
            };
            let Some(auto) = auto.as_ref() else {
                self.not_measurable(
                    &d,
                    Some(layer),
                    "neither var/lib/apt/extended_states nor var/log/apt/history.log is in \
                     the image: which packages were pulled in automatically cannot be told",
                );
                continue;
            };
            let here: BTreeSet<&str> = db
                .pkgs
                .keys()
                .map(String::as_str)
                .filter(|n| pkgs.layer.get(*n) == Some(&layer))
                .collect();
            let keep = db
                .pkgs
                .keys()
                .map(String::as_str)
                .filter(|n| !here.contains(n) || !auto.contains(*n));
            let needed = db.closure(keep);
            let names: Vec<&str> = here
                .iter()
                .copied()
                .filter(|n| !needed.contains(n) && !taken.contains(*n))
                .collect();
            let (mut bytes, estimated) = pkgs.bytes(&names, &db, &mut counted);
            if !names.is_empty() {
                let kept: Vec<&str> = here
                    .iter()
                    .copied()
                    .filter(|n| !names.contains(n))
                    .collect();
                let listed = pkgs.listed(&names);
                bytes += rewrites::rewritten_by(
                    self.report,
                    layer,
                    &names,
                    &kept,
                    &listed,
                    &mut counted,
                );
            }
            self.findings.push(Finding {
                line: Some(line_of(self.df, d.span.start)),
                rule: d.rule.to_string(),
                what: if names.is_empty() {
                    format!(
                        "{} (no package here was pulled in only by a recommendation)",
                        d.message
                    )
                } else {
                    format!(
                        "{} packages only recommendations pulled in ({}): {}",
                        names.len(),
                        list(&names),
                        d.message
                    )
                },
                bytes: Some(bytes),
                share: None,
                status: Status::Measured,
                note: estimated.then(|| ESTIMATED.to_string()),
                layer: Some(layer),
                fix: FixKind::of(&d),
                examples: Vec::new(),
            });
        }
    }
}

/// The toolchain of a single-stage image for `--suggest`: the packages a multi-stage build
/// drops (`reach` minus `needed`, installed by the Dockerfile), the runtime packages the final
/// stage installs by name (installed on purpose and not a toolchain, or when apt's record is
/// missing everything the Dockerfile installed that the toolchain does not reach, plus the
/// library of a `-dev` package asked for: `libssl-dev` -> `libssl3`), their bytes, and every
/// path a package lists.
fn toolchain_facts(
    db: &Db,
    pkgs: &PackageFiles<'_>,
    reach: &BTreeSet<&str>,
    needed: &BTreeSet<&str>,
    own: &dyn Fn(&str) -> bool,
    manual: &dyn Fn(&str) -> bool,
    apk: bool,
) -> ToolchainFacts {
    let mut packages: BTreeSet<String> = reach
        .difference(needed)
        .filter(|n| own(n))
        .map(|n| n.to_string())
        .collect();
    let mut runtime: BTreeSet<&str> = db
        .pkgs
        .keys()
        .map(String::as_str)
        .filter(|n| own(n) && !dpkg::is_toolchain(n) && !packages.contains(*n))
        .filter(|n| manual(n))
        .collect();
    // the library of a `-dev` package asked for by name: `libssl-dev` -> `libssl3` (a
    // dependency that starts with its stem; `libgcc-12-dev`'s sanitizers are not asked for)
    for p in db.pkgs.values() {
        let Some(stem) = p.name.strip_suffix("-dev") else {
            continue;
        };
        if !own(&p.name) || !manual(&p.name) {
            continue;
        }
        for d in &p.depends {
            if d.starts_with(stem) && !d.ends_with("-dev") && !dpkg::is_toolchain(d) && own(d) {
                runtime.insert(d.as_str());
            }
        }
    }
    let again: Vec<&str> = db
        .closure(runtime.iter().copied())
        .into_iter()
        .filter(|n| own(n))
        .collect();
    let (runtime_bytes, _) = pkgs.bytes(&again, db, &mut HashSet::new());
    // what the final stage installs again is not left behind (`libssl3` of `libssl-dev`)
    packages.retain(|p| !again.contains(&p.as_str()));
    ToolchainFacts {
        packages,
        bytes: 0,
        runtime: runtime.into_iter().map(str::to_string).collect(),
        runtime_bytes,
        owned: pkgs.owned(),
        manager: if apk { Manager::Apk } else { Manager::Apt },
    }
}

/// The note of a figure that counts a package's installed size for want of its file list.
const ESTIMATED: &str =
    "partly estimated from the package database's installed sizes (file lists not read)";

fn list(names: &[&str]) -> String {
    let mut s = names.iter().take(6).copied().collect::<Vec<_>>().join(", ");
    if names.len() > 6 {
        s.push_str(&format!(", … {} packages", names.len()));
    }
    s
}

/// Each installed package's layer and files: from its `var/lib/dpkg/info/*.list` file, or from
/// the file list in apk's database.
struct PackageFiles<'r> {
    report: &'r ImageReport,
    layer: BTreeMap<String, usize>,
    list: BTreeMap<String, Cow<'r, str>>,
    /// Top-level symlinks (`bin` -> `usr/bin`) to resolve listed paths through.
    links: BTreeMap<&'r str, String>,
}

impl<'r> PackageFiles<'r> {
    fn dpkg(report: &'r ImageReport, db: &Db) -> Self {
        let mut layer = BTreeMap::new();
        let mut list = BTreeMap::new();
        for p in db.pkgs.values() {
            let arch = p.arch.as_deref().unwrap_or_default();
            for name in [format!("{}:{arch}", p.name), p.name.clone()] {
                let path = format!("var/lib/dpkg/info/{name}.list");
                if let Some(f) = report.files.get(&path) {
                    layer.insert(p.name.clone(), f.layer);
                    if let Some(c) = report.captured.get(&path) {
                        list.insert(p.name.clone(), Cow::Borrowed(c.content.as_str()));
                    }
                    break;
                }
            }
        }
        Self::with(report, layer, list)
    }

    /// apk records no per-package file of its own: a package's layer is the layer of its first
    /// listed file still in the image, or for a package without files (`build-base`) the layer
    /// that last wrote the database.
    fn apk(
        report: &'r ImageReport,
        lists: BTreeMap<String, String>,
        db_layer: Option<usize>,
    ) -> Self {
        let mut layer = BTreeMap::new();
        let mut list = BTreeMap::new();
        for (name, files) in lists {
            let found = files
                .lines()
                .find_map(|p| report.files.get(p).map(|f| f.layer))
                .or(if files.is_empty() { db_layer } else { None });
            if let Some(l) = found {
                layer.insert(name.clone(), l);
            }
            list.insert(name, Cow::Owned(files));
        }
        Self::with(report, layer, list)
    }

    fn with(
        report: &'r ImageReport,
        layer: BTreeMap<String, usize>,
        list: BTreeMap<String, Cow<'r, str>>,
    ) -> Self {
        let links = report
            .files
            .iter()
            .filter(|(p, f)| f.kind == FileKind::Symlink && !p.contains('/'))
            .filter_map(|(p, f)| {
                let t = f.link.as_deref()?.trim_start_matches('/');
                (!t.contains("..")).then(|| (p.as_str(), t.trim_end_matches('/').to_string()))
            })
            .collect();
        PackageFiles {
            report,
            layer,
            list,
            links,
        }
    }

    /// Every path any package lists, resolved through the top-level symlinks, with each
    /// parent directory.
    fn owned(&self) -> HashSet<String> {
        let mut out = HashSet::new();
        for text in self.list.values() {
            for line in text.lines() {
                let p = self.resolve(line.trim().trim_start_matches('/'));
                let mut end = 0;
                while let Some(i) = p[end..].find('/') {
                    out.insert(p[..end + i].to_string());
                    end += i + 1;
                }
                if !p.is_empty() {
                    out.insert(p);
                }
            }
        }
        out
    }

    /// The paths the packages list, those of `dropped` apart.
    fn listed(&self, dropped: &[&str]) -> rewrites::Listed {
        let mut out = rewrites::Listed {
            dropped: BTreeSet::new(),
            others: HashSet::new(),
        };
        for (name, text) in &self.list {
            let theirs = dropped.contains(&name.as_str());
            for line in text.lines() {
                let p = self.resolve(line.trim().trim_start_matches('/'));
                if theirs {
                    out.dropped.insert(p);
                } else {
                    out.others.insert(p);
                }
            }
        }
        out
    }

    /// `bin/ls` -> `usr/bin/ls` when `bin` is a symlink to `usr/bin`.
    fn resolve(&self, p: &str) -> String {
        match p.split_once('/') {
            Some((top, rest)) => match self.links.get(top) {
                Some(t) => format!("{t}/{rest}"),
                None => p.to_string(),
            },
            None => p.to_string(),
        }
    }

    /// Visible bytes of the files the packages list (each path once across calls); falls
    /// back to `Installed-Size` for a package whose list was not read (second value true).
    fn bytes(&self, names: &[&str], db: &Db, counted: &mut HashSet<String>) -> (u64, bool) {
        let (mut total, mut estimated) = (0u64, false);
        for n in names {
            // dpkg's own files for the package (`.list`, `.md5sums`, maintainer scripts) go
            // with it
            for prefix in [
                format!("var/lib/dpkg/info/{n}."),
                format!("var/lib/dpkg/info/{n}:"),
            ] {
                let hi = format!("{}\u{10ffff}", prefix);
                for (p, f) in self.report.files.range(prefix.clone()..hi) {
                    if f.kind == FileKind::File && counted.insert(p.clone()) {
                        total += f.size;
                    }
                }
            }
            let Some(text) = self.list.get(*n) else {
                total += db.pkgs.get(*n).and_then(|p| p.installed_size).unwrap_or(0);
                estimated = true;
                continue;
            };
            for line in text.lines() {
                let resolved = self.resolve(line.trim().trim_start_matches('/'));
                if let Some(f) = self.report.files.get(&resolved)
                    && f.kind == FileKind::File
                    && counted.insert(resolved)
                {
                    total += f.size;
                }
            }
        }
        (total, estimated)
    }
}
