//! Pricing: each kind of size finding measured on the ledger and the final filesystem, every
//! copy claimed by at most one finding.

use super::attribute::Attribution;
use super::dpkg::{self, Db};
use super::{Finding, FixKind, Status, copies_context, instruction_at, line_of};
use crate::dockerfile::{Dockerfile, Keyword};
use crate::image::ledger::{CONTEXT_DIRS, Ledger, PathClass};
use crate::image::{FileKind, ImageReport};
use crate::lint::Diagnostic;
use crate::rules::layers::dl5004_removed_in_later_run::LaterRemoval;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// Does a finding of `rule` cover the cache directory of `class`?
fn rule_claims(rule: &str, class: PathClass) -> bool {
    let (Some(tool), name) = (class.tool(), class.name()) else {
        return false;
    };
    match rule {
        "DL3009" => name == "var/lib/apt/lists",
        "DL3019" => tool == "apk",
        "DL3042" => tool == "pip",
        "DL3060" => tool == "yarn",
        "DL3032" => tool == "yum",
        "DL3036" => tool == "zypper",
        "DL3040" => tool == "dnf",
        "DL5003" => matches!(
            tool,
            "npm"
                | "pnpm"
                | "gem"
                | "bundler"
                | "conda"
                | "go"
                | "composer"
                | "uv"
                | "cargo"
                | "maven"
                | "gradle"
        ),
        _ => false,
    }
}

/// Prices findings on one analysed image whose history matched.
pub(super) struct Pricer<'a> {
    df: &'a Dockerfile,
    a: &'a Attribution,
    report: &'a ImageReport,
    ledger: &'a Ledger,
    claimed: HashSet<(usize, PathClass)>,
    /// Hidden copies DL5004 findings priced: (stored by, hidden by, class) -> (bytes, files).
    claimed_hidden: BTreeMap<(usize, usize, PathClass), (u64, u64)>,
    /// DL3015 findings waiting for the package pass: (diagnostic, layer).
    recommends: Vec<(Diagnostic, Option<usize>)>,
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

impl<'a> Pricer<'a> {
    pub fn new(
        df: &'a Dockerfile,
        a: &'a Attribution,
        report: &'a ImageReport,
        ledger: &'a Ledger,
    ) -> Self {
        Pricer {
            df,
            a,
            report,
            ledger,
            claimed: HashSet::new(),
            claimed_hidden: BTreeMap::new(),
            recommends: Vec::new(),
            findings: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn line_of_layer(&self, layer: usize) -> Option<usize> {
        let ins = self.a.layers.get(layer).copied().flatten()?;
        self.df
            .instructions
            .get(ins)
            .map(|i| line_of(self.df, i.span.start))
    }

    fn own_layers(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.a
            .layers
            .iter()
            .enumerate()
            .filter_map(|(l, i)| i.map(|i| (l, i)))
    }

    /// The biggest visible files under `dir` that `layer` stored.
    fn examples_under(&self, dir: &str, layer: usize) -> Vec<(String, u64)> {
        let lo = format!("{dir}/");
        let hi = format!("{dir}0");
        let mut v: Vec<(String, u64)> = self
            .report
            .files
            .range(lo..hi)
            .filter(|(_, f)| f.kind == FileKind::File && f.layer == layer)
            .map(|(p, f)| (format!("/{p}"), f.size))
            .collect();
        for ((added, _, class), ex) in &self.ledger.examples {
            if *added == layer && class.name() == dir {
                v.extend(ex.iter().map(|(p, s)| (format!("/{p}"), *s)));
            }
        }
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(3);
        v
    }

    fn claim(&mut self, layer: usize, classes: &[PathClass]) -> (u64, u64) {
        let (mut bytes, mut files) = (0, 0);
        for c in classes {
            if self.claimed.insert((layer, *c)) {
                let t = self.ledger.stored_by(layer, *c);
                bytes += t.bytes;
                files += t.files;
            }
        }
        (bytes, files)
    }

    /// Prices a lint finding of the built stage; false when it has no size to measure here.
    pub fn lint_finding(&mut self, d: &Diagnostic) -> bool {
        let Some(ins) = instruction_at(self.df, d.span.start) else {
            return false;
        };
        let layer = self.a.layer_of(ins);
        if d.rule == "DL3015" {
            if !self.a.layers.contains(&Some(ins)) && !self.a.entries.iter().any(|e| e.1 == ins) {
                return false;
            }
            self.recommends.push((d.clone(), layer));
            return true;
        }
        let Some(layer) = layer else {
            return false;
        };
        let classes: Vec<PathClass> = self
            .ledger
            .classes_of(layer)
            .into_iter()
            .filter(|c| rule_claims(d.rule, *c) && !self.claimed.contains(&(layer, *c)))
            .collect();
        let (bytes, files) = self.claim(layer, &classes);
        if bytes == 0 {
            return false;
        }
        let dirs: Vec<String> = classes.iter().map(|c| format!("/{}", c.name())).collect();
        let examples = classes
            .iter()
            .flat_map(|c| self.examples_under(c.name(), layer))
            .take(3)
            .collect();
        self.findings.push(Finding {
            line: Some(line_of(self.df, d.span.start)),
            rule: d.rule.to_string(),
            what: format!(
                "{} files left in {} by this RUN ({})",
                files,
                dirs.join(", "),
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

    /// Prices a DL5004 finding (a later RUN deleting what an earlier layer stored) at the
    /// copies the earlier layers stored under the deleted paths and the deleting RUN's layer
    /// hid. Cache and build-context directories are claimed whole for the earlier layer (as
    /// the cache rules do: deleting them in that RUN saves all of them); other paths by the
    /// pair of layers, so `deleted-later` does not count them again. False when nothing is
    /// left to price.
    pub fn removed_later(&mut self, d: &Diagnostic, removals: &[LaterRemoval]) -> bool {
        let Some(r) = removals.iter().find(|r| r.span == d.span) else {
            return false;
        };
        let Some(hidden) = self.a.layer_of(r.later) else {
            return false;
        };
        let (mut bytes, mut files) = (0u64, 0u64);
        let mut dirs: Vec<String> = Vec::new();
        let mut added_layers: Vec<usize> = Vec::new();
        let mut examples: Vec<(String, u64)> = Vec::new();
        for m in &r.matches {
            let Some(added) = self.a.layer_of(m.earlier) else {
                continue;
            };
            let path = m.path.trim_start_matches('/');
            let Some(w) = self.ledger.watch.iter().position(|p| p == path) else {
                continue;
            };
            let cells: Vec<(PathClass, u64, u64)> = self
                .ledger
                .watched
                .iter()
                .filter(|((a, h, i, _), _)| *a == added && *h == hidden && *i == w)
                .map(|((_, _, _, c), t)| (*c, t.bytes, t.files))
                .collect();
            let before = bytes;
            for (c, b, f) in cells {
                if self.claimed.contains(&(added, c)) {
                    continue;
                }
                if c == PathClass::Other {
                    let e = self.claimed_hidden.entry((added, hidden, c)).or_default();
                    // never more than the pair holds in that class
                    let cell = self
                        .ledger
                        .cells
                        .get(&(added, Some(hidden), c))
                        .map_or(0, |t| t.bytes);
                    let b = b.min(cell.saturating_sub(e.0));
                    e.0 += b;
                    e.1 += f;
                    bytes += b;
                    files += f;
                } else {
                    let (b, f) = self.claim(added, &[c]);
                    bytes += b;
                    files += f;
                }
            }
            if bytes > before {
                dirs.push(m.path.clone());
                if !added_layers.contains(&added) {
                    added_layers.push(added);
                }
                examples.extend(
                    self.ledger
                        .examples
                        .iter()
                        .filter(|((a, h, _), _)| *a == added && *h == hidden)
                        .flat_map(|(_, v)| v.iter())
                        .filter(|(p, _)| {
                            p.strip_prefix(path)
                                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                        })
                        .map(|(p, s)| (format!("/{p}"), *s)),
                );
            }
        }
        if bytes == 0 {
            return false;
        }
        examples.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        examples.dedup();
        examples.truncate(3);
        let lines: Vec<String> = added_layers
            .iter()
            .map(|l| self.line_of_layer(*l).map_or("?".into(), |l| l.to_string()))
            .collect();
        self.findings.push(Finding {
            line: Some(line_of(self.df, d.span.start)),
            rule: d.rule.to_string(),
            what: format!(
                "{files} files stored under {} by line {} are deleted by this RUN, but the \
                 bytes stay in layer {} ({})",
                dirs.join(", "),
                lines.join(", "),
                added_layers
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                d.message
            ),
            bytes: Some(bytes),
            share: None,
            status: Status::Measured,
            note: None,
            layer: added_layers.first().copied(),
            fix: FixKind::of(d),
            examples,
        });
        true
    }

    /// Cache directories RUN layers filled that no lint finding priced.
    pub fn caches_left(&mut self) {
        let runs: Vec<usize> = self
            .own_layers()
            .filter(|(_, i)| {
                self.df
                    .instructions
                    .get(*i)
                    .is_some_and(|x| x.keyword == Keyword::Run)
            })
            .map(|(layer, _)| layer)
            .collect();
        self.unclaimed_classes(
            &runs,
            |c| matches!(c, PathClass::Cache(_)),
            "cache-left",
            true,
            |c, files| {
                format!(
                    "{} cache /{} left by this RUN ({files} files): clean it in the same RUN",
                    c.tool().unwrap_or("package"),
                    c.name()
                )
            },
        );
    }

    /// Directories a `COPY` of the build context brought in that `.dockerignore` could exclude.
    pub fn context_dirs(&mut self) {
        let copies: Vec<usize> = self
            .own_layers()
            .filter(|(_, i)| copies_context(self.df, *i))
            .map(|(layer, _)| layer)
            .collect();
        self.unclaimed_classes(
            &copies,
            |c| matches!(c, PathClass::Context(_)),
            "context-not-ignored",
            false,
            |c, files| {
                format!(
                    "COPY brings {} from the build context ({files} files): add `{}` to \
                     .dockerignore",
                    c.name(),
                    c.name()
                )
            },
        );
    }

    /// One manual finding per path class of `layers` that `class_is` picks and no earlier
    /// finding claimed, priced at the bytes the layer stored under it.
    fn unclaimed_classes(
        &mut self,
        layers: &[usize],
        class_is: fn(&PathClass) -> bool,
        rule: &str,
        with_examples: bool,
        what: impl Fn(PathClass, u64) -> String,
    ) {
        for &layer in layers {
            for c in self.ledger.classes_of(layer) {
                if !class_is(&c) || self.claimed.contains(&(layer, c)) {
                    continue;
                }
                let (bytes, files) = self.claim(layer, &[c]);
                if bytes == 0 {
                    continue;
                }
                self.findings.push(Finding {
                    line: self.line_of_layer(layer),
                    rule: rule.into(),
                    what: what(c, files),
                    bytes: Some(bytes),
                    share: None,
                    status: Status::Measured,
                    note: None,
                    layer: Some(layer),
                    fix: FixKind::Manual,
                    examples: if with_examples {
                        self.examples_under(c.name(), layer)
                    } else {
                        Vec::new()
                    },
                });
            }
        }
    }

    /// Copies one instruction stored and a later one deleted or overwrote, per pair.
    pub fn deleted_later(&mut self) {
        let first = self.a.first_own_layer;
        let mut pairs: BTreeMap<(usize, usize), (u64, u64)> = BTreeMap::new();
        let mut base: BTreeMap<usize, u64> = BTreeMap::new();
        for (added, hidden, c, t) in self.ledger.hidden_cells() {
            if hidden < first {
                continue; // inside the base image
            }
            if added < first {
                *base.entry(hidden).or_default() += t.bytes;
                continue;
            }
            if self.claimed.contains(&(added, c)) {
                continue;
            }
            let (cb, cf) = self
                .claimed_hidden
                .get(&(added, hidden, c))
                .copied()
                .unwrap_or_default();
            let e = pairs.entry((added, hidden)).or_default();
            e.0 += t.bytes.saturating_sub(cb);
            e.1 += t.files.saturating_sub(cf);
        }
        for ((added, hidden), (bytes, files)) in pairs {
            if bytes == 0 {
                continue;
            }
            let (la, lh) = (self.line_of_layer(added), self.line_of_layer(hidden));
            let fmt = |l: Option<usize>| l.map_or("?".to_string(), |l| l.to_string());
            let kind_a = self
                .a
                .layers
                .get(added)
                .copied()
                .flatten()
                .and_then(|i| self.df.instructions.get(i))
                .map_or("", |i| i.keyword.as_str());
            let how = if kind_a == "RUN" {
                format!(
                    "merge line {}'s change into line {}'s RUN",
                    fmt(lh),
                    fmt(la)
                )
            } else {
                format!(
                    "do line {}'s change before or within line {}'s {kind_a} (e.g. COPY \
                     --chown/--chmod, or a multi-stage build)",
                    fmt(lh),
                    fmt(la)
                )
            };
            let mut examples: Vec<(String, u64)> = self
                .ledger
                .examples
                .iter()
                .filter(|((a, h, c), _)| {
                    *a == added && *h == hidden && !self.claimed.contains(&(added, *c))
                })
                .flat_map(|(_, v)| v.iter().map(|(p, s)| (format!("/{p}"), *s)))
                .collect();
            examples.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            examples.truncate(3);
            self.findings.push(Finding {
                line: la,
                rule: "deleted-later".into(),
                what: format!(
                    "{files} files added here are deleted or overwritten by line {} (layer \
                     {hidden}); the bytes stay in layer {added}: {how}",
                    fmt(lh)
                ),
                bytes: Some(bytes),
                share: None,
                status: Status::Measured,
                note: None,
                layer: Some(added),
                fix: FixKind::Manual,
                examples,
            });
        }
        for (hidden, bytes) in base {
            if bytes == 0 {
                continue;
            }
            self.notes.push(format!(
                "line {} deletes or overwrites {bytes} bytes of the base image: they stay in \
                 the base layers (a smaller base image, or a multi-stage build, would drop them)",
                self.line_of_layer(hidden)
                    .map_or("?".to_string(), |l| l.to_string())
            ));
        }
    }

    /// Toolchain (single-stage builds) and recommendation-only packages, from the dpkg
    /// database.
    pub fn packages(&mut self, single_stage: bool) {
        let status = self
            .report
            .captured
            .get(dpkg::STATUS_PATH)
            .map(|c| Db::parse(&c.content));
        let recs = std::mem::take(&mut self.recommends);
        let Some(db) = status else {
            for (d, layer) in recs {
                self.not_measurable(&d, layer, "the image has no dpkg database");
            }
            return;
        };
        let pkgs = PackageFiles::new(self.report, &db);
        let first = self.a.first_own_layer;
        let auto = self
            .report
            .captured
            .get("var/lib/apt/extended_states")
            .map(|c| dpkg::auto_installed(&c.content));
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
                        note: estimated.then(|| {
                            "partly estimated from dpkg Installed-Size (file lists not read)"
                                .to_string()
                        }),
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
                    "var/lib/apt/extended_states is not in the image: which packages were \
                     pulled in automatically cannot be told",
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
            let (bytes, estimated) = pkgs.bytes(&names, &db, &mut counted);
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
                note: estimated.then(|| {
                    "partly estimated from dpkg Installed-Size (file lists not read)".to_string()
                }),
                layer: Some(layer),
                fix: FixKind::of(&d),
                examples: Vec::new(),
            });
        }
    }

    fn not_measurable(&mut self, d: &Diagnostic, layer: Option<usize>, why: &str) {
        self.findings.push(Finding {
            line: Some(line_of(self.df, d.span.start)),
            rule: d.rule.to_string(),
            what: d.message.clone(),
            bytes: None,
            share: None,
            status: Status::NotMeasured,
            note: Some(format!("not measurable: {why}")),
            layer,
            fix: FixKind::of(d),
            examples: Vec::new(),
        });
    }
}

fn list(names: &[&str]) -> String {
    let mut s = names.iter().take(6).copied().collect::<Vec<_>>().join(", ");
    if names.len() > 6 {
        s.push_str(&format!(", … {} packages", names.len()));
    }
    s
}

/// Each installed package's layer (from its `var/lib/dpkg/info/*.list` file) and files.
struct PackageFiles<'r> {
    report: &'r ImageReport,
    layer: BTreeMap<String, usize>,
    list: BTreeMap<String, &'r str>,
    /// Top-level symlinks (`bin` -> `usr/bin`) to resolve listed paths through.
    links: BTreeMap<&'r str, String>,
}

impl<'r> PackageFiles<'r> {
    fn new(report: &'r ImageReport, db: &Db) -> Self {
        let mut layer = BTreeMap::new();
        let mut list = BTreeMap::new();
        for p in db.pkgs.values() {
            for name in [format!("{}:{}", p.name, p.arch), p.name.clone()] {
                let path = format!("var/lib/dpkg/info/{name}.list");
                if let Some(f) = report.files.get(&path) {
                    layer.insert(p.name.clone(), f.layer);
                    if let Some(c) = report.captured.get(&path) {
                        list.insert(p.name.clone(), c.content.as_str());
                    }
                    break;
                }
            }
        }
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

    /// Visible bytes of the files the packages list (each path once across calls); falls
    /// back to `Installed-Size` for a package whose list was not read (second value true).
    fn bytes(&self, names: &[&str], db: &Db, counted: &mut HashSet<String>) -> (u64, bool) {
        let (mut total, mut estimated) = (0u64, false);
        for n in names {
            let Some(text) = self.list.get(*n) else {
                total += db.pkgs.get(*n).map_or(0, |p| p.installed_size);
                estimated = true;
                continue;
            };
            for line in text.lines() {
                let p = line.trim().trim_start_matches('/');
                let resolved = match p.split_once('/') {
                    Some((top, rest)) => match self.links.get(top) {
                        Some(t) => format!("{t}/{rest}"),
                        None => p.to_string(),
                    },
                    None => p.to_string(),
                };
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

/// Directories of the build context on disk that `.dockerignore` does not exclude and a
/// `COPY`/`ADD` of the built stage would bring in (skipped when the image measured them).
pub(super) fn context_on_disk(
    df: &Dockerfile,
    chain: &[usize],
    dir: &Path,
    measured: &[Finding],
) -> Vec<Finding> {
    let copies: Vec<usize> = chain
        .iter()
        .copied()
        .filter(|i| copies_context(df, *i))
        .collect();
    let Some(&first_copy) = copies.first() else {
        return Vec::new();
    };
    let ignore = crate::dockerfile::dockerignore::Dockerignore::parse(
        &std::fs::read_to_string(dir.join(".dockerignore")).unwrap_or_default(),
    );
    let ignored = |name: &str| ignore.excludes(name);
    let mut out = Vec::new();
    for name in CONTEXT_DIRS {
        let p = dir.join(name);
        if !p.is_dir() || ignored(name) {
            continue;
        }
        if measured
            .iter()
            .any(|f| f.rule == "context-not-ignored" && f.what.contains(&format!("brings {name} ")))
        {
            continue;
        }
        let (bytes, files) = disk_usage(&p);
        out.push(Finding {
            line: df
                .instructions
                .get(first_copy)
                .map(|i| line_of(df, i.span.start)),
            rule: "context-not-ignored".into(),
            what: format!(
                "the build context has {name}/ ({files} files, {bytes} bytes on disk) and \
                 .dockerignore does not exclude it: add `{name}`"
            ),
            bytes: None,
            share: None,
            status: Status::NotMeasured,
            note: Some("measured on disk (--context), not in the image".into()),
            layer: None,
            fix: FixKind::Manual,
            examples: Vec::new(),
        });
    }
    out
}

/// Bytes and files under a directory (symlinks not followed, at most 1M entries).
fn disk_usage(dir: &Path) -> (u64, u64) {
    let (mut bytes, mut files) = (0u64, 0u64);
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0usize;
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            seen += 1;
            if seen > 1_000_000 {
                return (bytes, files);
            }
            let Ok(m) = e.path().symlink_metadata() else {
                continue;
            };
            if m.is_dir() {
                stack.push(e.path());
            } else if m.is_file() {
                bytes += m.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_claim_their_directories() {
        let apt_lists = PathClass::of("var/lib/apt/lists/x");
        let apt_cache = PathClass::of("var/cache/apt/x");
        assert!(rule_claims("DL3009", apt_lists));
        assert!(!rule_claims("DL3009", apt_cache));
        assert!(rule_claims("DL3042", PathClass::of("root/.cache/pip/x")));
        assert!(rule_claims("DL5003", PathClass::of("root/.npm/_cacache/x")));
        assert!(!rule_claims("DL5003", PathClass::of("app/.git/x")));
    }
}
