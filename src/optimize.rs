//! The optimizer: joins lint findings and image bytes. Every finding that has a size cost is
//! priced in the layer its instruction made, from the overlay model's [`Ledger`]; the result is
//! a ranked list, a total, and the image size after all fixes.
//!
//! ```no_run
//! use dlint::optimize::{self, Options};
//! let df = dlint::dockerfile::parse(&std::fs::read_to_string("Dockerfile")?);
//! let img = dlint::image::open("app.tar".as_ref(), &Default::default())?;
//! let report = optimize::run(&df, "Dockerfile", Some(&img), &Options::default())?;
//! println!("{} bytes could go", report.total_saved);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! No byte is priced twice: each stored copy belongs to at most one finding. Caches and
//! build-context directories are claimed per (layer, directory) first, by the lint finding on
//! that RUN when there is one; copies hidden by a later layer go to the (adder, hider) pair only
//! when no cache or context finding claimed their directory; toolchain and
//! recommendation-only packages are priced on visible copies only, each package once. The
//! estimate after fixes is therefore `stored bytes - sum of savings`.

pub mod apk;
pub mod attribute;
mod base_hint;
mod base_variant;
pub mod delivered;
pub mod dpkg;
mod price;
mod rebuilt;
pub mod suggest;

pub use attribute::Attribution;
pub use base_hint::base_hint;
pub use delivered::Fixable;
pub use suggest::Suggestion;

use crate::dockerfile::{Dockerfile, Keyword};
use crate::image::ledger::Ledger;
use crate::image::{self, AnalyzeOptions, Image, ImageReport};
use crate::lint::removals::LaterRemoval;
use crate::lint::{self, Applicability, Config, Diagnostic};
use serde::Serialize;
use std::path::PathBuf;

/// Version of the JSON output; bumped on incompatible changes.
pub const SCHEMA: &str = "dlint-optimize/1";

/// Lint rules whose findings have a size cost.
pub const SIZE_RULES: &[&str] = &[
    "DL3009", "DL3015", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DL3060", "DL5003",
    "DL5004", "DL5005", "DL5158", "DL5159", "DL5160", "DL5178", "DL5179",
];

/// Files the optimizer reads from the image (package databases).
pub const CAPTURE_GLOBS: &[&str] = &[
    "var/lib/dpkg/status",
    "var/lib/dpkg/info/*.list",
    "var/lib/apt/extended_states",
    "var/log/apt/history.log",
    "lib/apk/db/installed",
    "etc/apk/world",
    // DL5158: which installed packages are development ones (npm 7+, Composer 2)
    "**/node_modules/.package-lock.json",
    "**/vendor/composer/installed.json",
    // DL5179: the file lists of the build tools' distributions (only theirs: every RECORD of a
    // big Python image would eat into the capture budget the package databases need)
    "**/{site,dist}-packages/{Cython,cython,build,maturin,setuptools_rust,scikit_build,scikit_build_core,meson_python,meson,ninja,cmake,pybind11,nanobind,setuptools_scm,poetry_core,hatchling,flit_core,pdm_backend}-*.dist-info/RECORD",
];

/// How to optimize.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Stage that was built (default: the last).
    pub target: Option<String>,
    /// Build context on disk, checked for directories `.dockerignore` could exclude.
    pub context: Option<PathBuf>,
    /// Lint configuration.
    pub config: Config,
    /// Image analysis options (the capture list is extended with [`CAPTURE_GLOBS`]).
    pub analyze: AnalyzeOptions,
    /// Propose a multi-stage Dockerfile for a single-stage build with a priced toolchain
    /// (`--suggest`, [`suggest`]).
    pub suggest: bool,
}

/// Whether a finding can be fixed by `dlint fix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    /// `dlint fix` applies it.
    Safe,
    /// `dlint fix --unsafe-fixes` applies it.
    Unsafe,
    /// A person has to change the Dockerfile (or `.dockerignore`).
    Manual,
}

impl FixKind {
    /// Lower-case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::Manual => "manual",
        }
    }

    fn of(d: &Diagnostic) -> FixKind {
        match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => FixKind::Safe,
            Some(Applicability::Unsafe) => FixKind::Unsafe,
            None => FixKind::Manual,
        }
    }
}

/// Whether a finding was priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// `bytes` is what the fix saves in this image.
    Measured,
    /// No image, an unmatched history, or the image cannot tell (see `note`).
    NotMeasured,
    /// The finding is in a stage the image was not built from.
    NotInImage,
}

/// One finding with its price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// 1-based line of the instruction.
    pub line: Option<usize>,
    /// Lint rule id, or the optimizer's own kind (`cache-left`, `deleted-later`,
    /// `build-toolchain`, `context-not-ignored`).
    pub rule: String,
    /// What costs bytes, and the change that saves them.
    pub what: String,
    /// Bytes the change saves (measured findings only).
    pub bytes: Option<u64>,
    /// `bytes` over the image's stored bytes, in percent.
    pub share: Option<f64>,
    /// Whether it was priced.
    pub status: Status,
    /// Why it was not measured, or how (e.g. estimated from `Installed-Size`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Layer the bytes are in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
    /// Fix available.
    pub fix: FixKind,
    /// Biggest paths concerned (at most 3), with their sizes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<(String, u64)>,
}

/// A layer and the instruction that made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerRow {
    /// Layer index, base first.
    pub index: usize,
    /// 1-based Dockerfile line, when attributed.
    pub line: Option<usize>,
    /// Cleaned history text.
    pub created_by: Option<String>,
    /// Bytes of file data the layer stored.
    pub bytes: u64,
}

/// How the image's history matched the Dockerfile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchSummary {
    /// `matched` or `mismatch`.
    pub status: &'static str,
    /// Instructions of the built stage that matched a history entry.
    pub matched: usize,
    /// Instructions of the built stage (FROM excluded).
    pub instructions: usize,
    /// Why the history does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Every layer, with its line (by-layer output when the history does not match).
    pub layers: Vec<LayerRow>,
}

/// The image side of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageSide {
    /// Archive path as given.
    pub archive: String,
    /// Reference, when the archive names one.
    pub reference: Option<String>,
    /// Bytes of file data stored across all layers (the size the savings are taken from).
    pub stored_bytes: u64,
    /// Bytes visible in the final filesystem.
    pub visible_bytes: u64,
    /// History against Dockerfile.
    pub attribution: MatchSummary,
}

/// Everything `dlint optimize` reports. Serialised as the `--format json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptimizeReport {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// Dockerfile path as given.
    pub dockerfile: String,
    /// Built stage: index and name.
    pub stage: usize,
    /// Name of the built stage, if named.
    pub stage_name: Option<String>,
    /// The image, when one was given.
    pub image: Option<ImageSide>,
    /// Findings, measured ones biggest first, then the others by rule and line.
    pub findings: Vec<Finding>,
    /// Sum of the measured savings (no byte counted twice).
    pub total_saved: u64,
    /// `stored_bytes`, when an image was given.
    pub size: Option<u64>,
    /// `size - total_saved`.
    pub size_after: Option<u64>,
    /// The measured bytes by who removes them: `dlint fix`, `--unsafe-fixes`, a person (from
    /// the fix loop run in memory; see [`delivered`]). Only with an image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixable: Option<Fixable>,
    /// `size - fixable.safe`: the image after `dlint fix` and a rebuild.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_after_fix: Option<u64>,
    /// `size - fixable.safe - fixable.unsafe`: after `dlint fix --unsafe-fixes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_after_unsafe_fixes: Option<u64>,
    /// Things worth knowing that are not findings (base-image bytes deleted later…).
    pub notes: Vec<String>,
    /// Rewrites `dlint fix` cannot make, with what they save (`--suggest`): alternatives to
    /// the findings, not added to `total_saved`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
}

/// Errors of the optimizer (the image side keeps its own error type).
#[derive(Debug, thiserror::Error)]
pub enum OptimizeError {
    /// `--target` names no stage, or there is no stage.
    #[error("{0}")]
    Stage(String),
    /// Reading or analysing the image failed.
    #[error(transparent)]
    Image(#[from] image::ImageError),
}

impl From<OptimizeError> for crate::Error {
    /// A stage that does not exist is a usage error.
    fn from(e: OptimizeError) -> Self {
        match e {
            OptimizeError::Image(e) => e.into(),
            OptimizeError::Stage(m) => crate::Error::Usage(m),
        }
    }
}

/// DL5004's deletes of files earlier layers keep.
fn later_removals(df: &Dockerfile) -> Vec<LaterRemoval> {
    let model = lint::SemanticModel::new(df);
    crate::lint::removals::later_removals(&model)
}

/// The paths the ledger tallies for DL5004 (no leading `/`, each once).
fn watched_paths(removals: &[LaterRemoval]) -> Vec<String> {
    let mut v: Vec<String> = removals
        .iter()
        .flat_map(|r| r.matches.iter())
        .filter(|m| !m.origin.is_package())
        .map(|m| m.path.trim_start_matches('/').to_string())
        .filter(|p| !p.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// 1-based line of a byte offset.
fn line_of(df: &Dockerfile, offset: usize) -> usize {
    df.lines.line_col(&df.source, offset).line
}

/// Index of the instruction whose span holds `offset`.
fn instruction_at(df: &Dockerfile, offset: usize) -> Option<usize> {
    df.instructions
        .iter()
        .position(|i| i.span.start <= offset && offset < i.span.end.max(i.span.start + 1))
}

/// Lints `df`, analyses `img` (when given) and prices every size finding.
pub fn run(
    df: &Dockerfile,
    dockerfile_name: &str,
    img: Option<&Image>,
    opts: &Options,
) -> Result<OptimizeReport, OptimizeError> {
    run_with_image(df, dockerfile_name, img, opts).map(|r| r.0)
}

/// [`run`], also handing back the image's report (for `dlint image --format html`).
pub fn run_with_image(
    df: &Dockerfile,
    dockerfile_name: &str,
    img: Option<&Image>,
    opts: &Options,
) -> Result<(OptimizeReport, Option<crate::image::ImageReport>), OptimizeError> {
    let diags = lint::lint_with(crate::rules::registry(), df, &opts.config);
    let measured = match img {
        Some(img) => {
            let mut a = opts.analyze.clone();
            a.capture
                .extend(CAPTURE_GLOBS.iter().map(|g| g.to_string()));
            a.watch.extend(watched_paths(&later_removals(df)));
            let (report, ledger) = image::analyze_with_ledger(img, &a)?;
            Some((img, report, ledger))
        }
        None => None,
    };
    let m = measured.as_ref().map(|(i, r, l)| (*i, r, l));
    let report = build(df, dockerfile_name, &diags, m, opts)?;
    Ok((report, measured.map(|(_, r, _)| r)))
}

/// Builds the report from lint findings and (optionally) an analysed image.
pub fn build(
    df: &Dockerfile,
    dockerfile_name: &str,
    diags: &[Diagnostic],
    measured: Option<(&Image, &ImageReport, &Ledger)>,
    opts: &Options,
) -> Result<OptimizeReport, OptimizeError> {
    let stage = attribute::built_stage(df, opts.target.as_deref()).map_err(OptimizeError::Stage)?;
    let chain = attribute::stage_chain(df, stage);
    let in_image = |ins: usize| chain.contains(&ins);
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let mut image_side = None;
    let mut priced_diags: Vec<usize> = Vec::new();
    let mut suggestions = Vec::new();
    if let Some((img, report, ledger)) = measured {
        let a = attribute::attribute(df, stage, &img.history, img.layers.len());
        let layers = report
            .layers
            .iter()
            .map(|l| LayerRow {
                index: l.index,
                line: a
                    .layers
                    .get(l.index)
                    .copied()
                    .flatten()
                    .and_then(|i| df.instructions.get(i))
                    .map(|i| line_of(df, i.span.start)),
                created_by: l.created_by.clone(),
                bytes: l.bytes_added,
            })
            .collect();
        image_side = Some(ImageSide {
            archive: report.archive.clone(),
            reference: report.reference.clone(),
            stored_bytes: report.totals.stored_bytes,
            visible_bytes: report.totals.visible_bytes,
            attribution: MatchSummary {
                status: if a.is_matched() {
                    "matched"
                } else {
                    "mismatch"
                },
                matched: a.matched,
                instructions: a.instructions,
                reason: a.mismatch.clone(),
                layers,
            },
        });
        if a.is_matched() {
            let mut p = price::Pricer::new(df, &a, report, ledger);
            for (k, d) in diags.iter().enumerate() {
                if d.rule != "DL5004" && p.lint_finding(d) {
                    priced_diags.push(k);
                }
            }
            // after the findings on the RUNs that stored the files (DL3009 ...), which claim
            // whole cache directories first
            let removals = later_removals(df);
            // deletes of paths first: a removal of packages takes what is left of the pair
            let of_packages = |d: &Diagnostic| {
                removals
                    .iter()
                    .any(|r| r.span == d.span && r.matches.iter().any(|m| m.origin.is_package()))
            };
            for packages in [false, true] {
                for (k, d) in diags.iter().enumerate() {
                    if d.rule == "DL5004"
                        && of_packages(d) == packages
                        && p.removed_later(d, &removals)
                    {
                        priced_diags.push(k);
                    }
                }
            }
            p.caches_left();
            p.context_dirs();
            p.deleted_later();
            let single_stage = df.stages.len() == 1;
            p.packages(single_stage);
            if opts.suggest {
                match &p.toolchain {
                    Some(tc) => suggestions.extend(suggest::multi_stage(df, stage, &a, report, tc)),
                    None => notes.push(
                        "--suggest: no build toolchain priced in this image (a single-stage \
                         build whose image keeps a compiler, `-dev` packages…): nothing to \
                         suggest"
                            .to_string(),
                    ),
                }
            }
            findings.extend(p.findings);
            notes.extend(p.notes);
        } else {
            notes.push(format!(
                "the image's history does not match this Dockerfile ({}): findings are not \
                 measured; the layers are listed by index",
                a.mismatch.as_deref().unwrap_or("unknown reason")
            ));
        }
    }
    for (k, d) in diags.iter().enumerate() {
        if !SIZE_RULES.contains(&d.rule) || priced_diags.contains(&k) {
            continue;
        }
        let ins = instruction_at(df, d.span.start);
        let here = ins.is_some_and(in_image);
        let note = if !here {
            None
        } else if measured.is_none() {
            Some("no image given (--image)".to_string())
        } else if image_side
            .as_ref()
            .is_some_and(|s| s.attribution.status != "matched")
        {
            Some("the image's history does not match the Dockerfile".to_string())
        } else {
            Some("nothing of this kind found in the instruction's layer".to_string())
        };
        findings.push(Finding {
            line: Some(line_of(df, d.span.start)),
            rule: d.rule.to_string(),
            what: d.message.clone(),
            bytes: None,
            share: None,
            status: if here {
                Status::NotMeasured
            } else {
                Status::NotInImage
            },
            note,
            layer: None,
            fix: FixKind::of(d),
            examples: Vec::new(),
        });
    }
    if opts.suggest
        && image_side
            .as_ref()
            .is_none_or(|s| s.attribution.status != "matched")
    {
        notes.push(
            "--suggest needs an image whose history matches the Dockerfile (--image): the \
             build's outputs are read from its layers"
                .to_string(),
        );
    }
    if let Some(dir) = &opts.context {
        findings.extend(price::context_on_disk(df, &chain, dir, &findings));
    }
    let size = image_side.as_ref().map(|s| s.stored_bytes);
    if let Some(r) = &opts.config.base_resolver {
        findings.extend(base_variant::findings(df, stage, r, size, &mut notes));
    }
    shares_and_rank(&mut findings, size);
    // the base variants are alternatives to each other, not savings to add up
    let total_saved: u64 = findings
        .iter()
        .filter(|f| f.status == Status::Measured && f.rule != "base-variant")
        .filter_map(|f| f.bytes)
        .sum();
    let mut fixable = size.map(|_| delivered::classify(df, &opts.config, &mut findings));
    if let (Some(fx), Some((_, report, ledger))) = (fixable.as_mut(), measured) {
        rebuilt::move_rebuilt_apt_caches(&mut findings, report, ledger, fx);
        shares_and_rank(&mut findings, size);
    }
    let stage_name = df.stages.get(stage).and_then(|s| s.name.clone());
    Ok(OptimizeReport {
        schema: SCHEMA,
        dockerfile: dockerfile_name.to_string(),
        stage,
        stage_name,
        image: image_side,
        findings,
        total_saved,
        size,
        size_after: size.map(|s| s.saturating_sub(total_saved)),
        size_after_fix: size.zip(fixable).map(|(s, f)| s.saturating_sub(f.safe)),
        size_after_unsafe_fixes: size
            .zip(fixable)
            .map(|(s, f)| s.saturating_sub(f.safe + f.unsafe_)),
        fixable,
        notes,
        suggestions,
    })
}

/// Each finding's share of `size`, then the order of the report: measured ones biggest first,
/// then the others by rule and line.
fn shares_and_rank(findings: &mut [Finding], size: Option<u64>) {
    for f in findings.iter_mut() {
        if let (Some(b), Some(s)) = (f.bytes, size)
            && s > 0
        {
            f.share = Some(b as f64 * 100.0 / s as f64);
        }
    }
    findings.sort_by(|a, b| {
        let rank = |f: &Finding| match f.status {
            Status::Measured => 0,
            Status::NotMeasured => 1,
            Status::NotInImage => 2,
        };
        rank(a)
            .cmp(&rank(b))
            .then(b.bytes.cmp(&a.bytes))
            .then(a.rule.cmp(&b.rule))
            .then(a.line.cmp(&b.line))
    });
}

/// The Dockerfile line of each layer of an image (for `dlint image --dockerfile`), or why the
/// history does not match.
pub fn layer_lines(
    df: &Dockerfile,
    img: &Image,
    target: Option<&str>,
) -> Result<(Vec<Option<usize>>, Attribution), String> {
    let stage = attribute::built_stage(df, target)?;
    let a = attribute::attribute(df, stage, &img.history, img.layers.len());
    let lines = a
        .layers
        .iter()
        .map(|l| {
            l.and_then(|i| df.instructions.get(i))
                .map(|i| line_of(df, i.span.start))
        })
        .collect();
    Ok((lines, a))
}

/// Puts the Dockerfile line of each layer into `report` (`dlint image --dockerfile`); returns
/// why the history does not match the Dockerfile, when it does not.
pub fn annotate_layers(
    report: &mut crate::image::ImageReport,
    df: &Dockerfile,
    img: &Image,
    target: Option<&str>,
) -> Result<Option<String>, String> {
    let (lines, a) = layer_lines(df, img, target)?;
    for (i, (l, line)) in report.layers.iter_mut().zip(lines).enumerate() {
        l.line = line;
        l.first_line = a
            .merged_from
            .get(i)
            .copied()
            .flatten()
            .and_then(|ins| df.instructions.get(ins))
            .map(|ins| line_of(df, ins.span.start));
    }
    Ok(a.mismatch)
}

impl OptimizeReport {
    /// The `--max-savings` gate: a message when the possible saving is over `limit`.
    pub fn over_savings(&self, limit: crate::image::gates::Limit) -> Option<String> {
        use crate::image::gates::Limit;
        let over = match (limit, self.size) {
            (Limit::Bytes(b), _) => self.total_saved > b,
            (Limit::Percent(p), Some(size)) if size > 0 => {
                self.total_saved as f64 * 100.0 / size as f64 > p
            }
            _ => false,
        };
        over.then(|| {
            format!(
                "{} could be saved (limit {})",
                crate::units::human(self.total_saved),
                match limit {
                    Limit::Bytes(b) => crate::units::human(b),
                    Limit::Percent(p) => format!("{p}%"),
                }
            )
        })
    }
}

/// Is this instruction a `COPY`/`ADD` from the build context (not `--from`)?
pub(crate) fn copies_context(df: &Dockerfile, ins: usize) -> bool {
    df.instructions.get(ins).is_some_and(|i| {
        matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none()
    })
}
