//! Pricing: each kind of size finding measured on the ledger and the final filesystem, every
//! copy claimed by at most one finding.

mod context;
mod dev_deps;
mod ecosystem;
mod hidden;
mod packages;
mod pip_tools;
mod rewrites;

pub(super) use context::context_on_disk;

use super::attribute::Attribution;
use super::{Finding, FixKind, Status, copies_context, instruction_at, line_of};
use crate::dockerfile::{Dockerfile, Keyword};
use crate::image::ledger::{BUILD_OUTPUT_DIRS, Ledger, PathClass};
use crate::image::{FileKind, ImageReport};
use crate::lint::Diagnostic;
use std::collections::{BTreeMap, HashSet};

/// Does a finding of `rule` cover the cache directory of `class`?
fn rule_claims(rule: &str, class: PathClass) -> bool {
    let (Some(tool), name) = (class.tool(), class.name()) else {
        return false;
    };
    match rule {
        "DL3009" => name == "var/lib/apt/lists",
        "DL5005" => name == "var/cache/apt",
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
                | "bun"
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
    /// (installing layer, removing layer) -> line of the DL5004 finding that priced what a
    /// package removal hid of it (a later removal of the same pair is priced there).
    priced_pairs: BTreeMap<(usize, usize), usize>,
    /// Package records (npm's hidden lockfile, Composer's installed.json) a DL5158 finding
    /// priced, and other per-path claims of visible files.
    claimed_records: HashSet<String>,
    /// Visible files (no leading `/`) a finding priced one by one (DL5178's bytecode, DL5179's
    /// distribution files), so two findings on one RUN do not price a file twice.
    claimed_files: HashSet<String>,
    /// DL3015 findings waiting for the package pass: (diagnostic, layer).
    recommends: Vec<(Diagnostic, Option<usize>)>,
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    /// The toolchain of a single-stage image (`--suggest`), after [`Pricer::packages`].
    pub toolchain: Option<super::suggest::ToolchainFacts>,
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
            priced_pairs: BTreeMap::new(),
            claimed_records: HashSet::new(),
            claimed_files: HashSet::new(),
            recommends: Vec::new(),
            findings: Vec::new(),
            notes: Vec::new(),
            toolchain: None,
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
        if let Some(priced) = self.ecosystem_finding(d, layer) {
            return priced;
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
                let hint = if c.name() == "var/cache/apt" {
                    " (`apt-get clean`; the opt-in rule DL5005 fixes it: `override: {info: \
                     [DL5005]}`)"
                } else {
                    ""
                };
                format!(
                    "{} cache /{} left by this RUN ({files} files): clean it in the same RUN{hint}",
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
                let name = c.name();
                if BUILD_OUTPUT_DIRS.contains(&name) {
                    format!(
                        "COPY brings {name} from the build context ({files} files), a local \
                         build's output: add `{name}` to .dockerignore unless the image uses it"
                    )
                } else {
                    format!(
                        "COPY brings {name} from the build context ({files} files): add \
                         `{name}` to .dockerignore"
                    )
                }
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

    fn not_measurable(&mut self, d: &Diagnostic, layer: Option<usize>, why: &str) {
        self.without_bytes(d, layer, format!("not measurable: {why}"));
    }

    /// A finding listed without bytes (`Status::NotMeasured`), `note` saying why.
    fn without_bytes(&mut self, d: &Diagnostic, layer: Option<usize>, note: String) {
        self.findings.push(Finding {
            line: Some(line_of(self.df, d.span.start)),
            rule: d.rule.to_string(),
            what: d.message.clone(),
            bytes: None,
            share: None,
            status: Status::NotMeasured,
            note: Some(note),
            layer,
            fix: FixKind::of(d),
            examples: Vec::new(),
        });
    }
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
        // bun's cache, root's or another user's, is DL5003's (and a cache `dlint image` sees)
        for p in [
            "root/.bun/install/cache/zod@3/index.js",
            "home/app/.bun/install/cache/x",
        ] {
            assert_eq!(PathClass::of(p).tool(), Some("bun"), "{p}");
            assert!(rule_claims("DL5003", PathClass::of(p)), "{p}");
        }
        assert!(!rule_claims(
            "DL3060",
            PathClass::of("root/.bun/install/cache/x")
        ));
    }
}
