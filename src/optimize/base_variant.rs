//! The `base-variant` finding: the same version of the base image as `-slim` or `-alpine`,
//! priced from the registry (the variants' manifests and configs, no layer), with what the
//! switch implies for the Dockerfile.

use super::{Finding, FixKind, Status};
use crate::dockerfile::{Dockerfile, Keyword};
use crate::image::base::variants::{Flavour, variant_tags};
use crate::image::base::{BaseFacts, FactsMode, Resolver};
use crate::lint::SemanticModel;
use crate::units::human;

/// Package managers the Dockerfile's RUNs call.
#[derive(Debug, Default)]
struct Managers {
    apt: bool,
    apk: bool,
    rpm: bool,
}

fn managers(df: &Dockerfile, stages: &[usize]) -> Managers {
    let mut m = Managers::default();
    for &s in stages {
        let Some(st) = df.stages.get(s) else { continue };
        for ins in st
            .instructions
            .iter()
            .filter_map(|&i| df.instructions.get(i))
        {
            if ins.keyword != Keyword::Run {
                continue;
            }
            let words: Vec<&str> = ins
                .args
                .text
                .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|')
                .collect();
            m.apt |= words.iter().any(|w| matches!(*w, "apt-get" | "apt"));
            m.apk |= words.contains(&"apk");
            m.rpm |= words
                .iter()
                .any(|w| matches!(*w, "yum" | "dnf" | "microdnf"));
        }
    }
    m
}

/// What switching to `flavour` implies.
fn implication(flavour: Flavour, m: &Managers, glibc_copies: bool) -> String {
    match flavour {
        Flavour::Slim => {
            let mut s = String::from("same distribution, glibc and apt");
            if m.apt {
                s.push_str("; packages the full image had preinstalled (compilers, git, curl…) must be installed by the apt-get lines");
            }
            s
        }
        Flavour::Alpine => {
            let mut s = String::from("manual: Alpine uses musl and apk");
            if m.apt {
                s.push_str("; every apt-get becomes `apk add` with other package names");
            }
            if m.rpm {
                s.push_str("; yum/dnf lines must be rewritten for apk");
            }
            if glibc_copies {
                s.push_str("; binaries copied from glibc stages do not run on musl");
            }
            s
        }
    }
}

/// Bytes of an image for comparison: uncompressed when both sides know it, else compressed.
fn sizes(cur: &BaseFacts, v: &BaseFacts) -> Option<(u64, u64, bool)> {
    match (cur.uncompressed, v.uncompressed) {
        (Some(a), Some(b)) => Some((a, b, false)),
        _ => Some((cur.compressed?, v.compressed?, true)),
    }
}

/// The `base-variant` findings of the image built from `stage` (with `--base-facts
/// registry`); notes say what could not be looked up.
pub(super) fn findings(
    df: &Dockerfile,
    stage: usize,
    resolver: &Resolver,
    stored: Option<u64>,
    notes: &mut Vec<String>,
) -> Vec<Finding> {
    if resolver.mode() != FactsMode::Registry {
        return Vec::new();
    }
    let model = SemanticModel::new(df);
    let chain = model.stage_chain(stage);
    let Some(&root) = chain.last() else {
        return Vec::new();
    };
    if model.base(root).is_some() {
        return Vec::new();
    }
    let Some(st) = df.stages.get(root) else {
        return Vec::new();
    };
    let Some(Ok(reference)) = model.resolve(st.from, &st.base.raw) else {
        return Vec::new();
    };
    let Ok(r) = crate::image::registry::Reference::parse(&reference) else {
        return Vec::new();
    };
    let (Some(tag), None) = (r.tag.as_deref(), r.digest.as_deref()) else {
        return Vec::new();
    };
    if reference.eq_ignore_ascii_case("scratch") {
        return Vec::new();
    }
    let platform = df
        .instructions
        .get(st.from)
        .and_then(|f| f.flag_value("platform"))
        .filter(|p| !p.contains('$'));
    // the current base's facts and the tag list at once; then every variant at once
    let (current, tags) = rayon::join(
        || resolver.facts(&reference, platform),
        || resolver.list_tags(&reference),
    );
    let Some(current) = current else {
        return Vec::new();
    };
    let tags = match tags {
        Ok(t) => t,
        Err(e) => {
            notes.push(format!(
                "base-variant: cannot list the tags of {reference}: {e}"
            ));
            return Vec::new();
        }
    };
    // the name as written, without the tag: `python:3.12` -> `python`
    let name = reference
        .rsplit_once(':')
        .filter(|(n, t)| *t == tag && !n.ends_with('/'))
        .map_or(reference.as_str(), |(n, _)| n);
    let m = managers(df, &chain);
    // COPY --from of a stage that is not itself Alpine-based (glibc binaries)
    let glibc_copies = chain.iter().any(|&s| {
        df.stages.get(s).is_some_and(|st| {
            st.instructions
                .iter()
                .filter_map(|&i| df.instructions.get(i))
                .filter(|i| i.keyword == Keyword::Copy)
                .filter_map(|i| i.flag_value("from"))
                .filter_map(|f| model.stage_named(f, Some(s)))
                .any(|src| {
                    let root = model.stage_chain(src).last().copied().unwrap_or(src);
                    df.stages
                        .get(root)
                        .is_some_and(|r| !r.base.raw.to_ascii_lowercase().contains("alpine"))
                })
        })
    });
    let Some(from) = df.instructions.get(st.from) else {
        return Vec::new();
    };
    let line = df.lines.line_col(&df.source, from.span.start).line;
    let mut out = Vec::new();
    let wanted = variant_tags(tag, &tags);
    let names: Vec<String> = wanted.iter().map(|(t, _)| format!("{name}:{t}")).collect();
    resolver.prefetch(&names, platform);
    for (variant_tag, flavour) in wanted {
        let variant = format!("{name}:{variant_tag}");
        let Some(v) = resolver.facts(&variant, platform) else {
            continue;
        };
        let Some((cur_bytes, v_bytes, compressed_only)) = sizes(&current, &v) else {
            notes.push(format!(
                "base-variant: {variant}: the manifests give no layer sizes"
            ));
            continue;
        };
        if v_bytes >= cur_bytes {
            continue;
        }
        let saving = cur_bytes - v_bytes;
        let implies = implication(flavour, &m, glibc_copies);
        out.push(Finding {
            line: Some(line),
            rule: "base-variant".into(),
            what: format!(
                "FROM {reference} → {variant}: {} instead of {} ({implies})",
                human(v_bytes),
                human(cur_bytes)
            ),
            bytes: Some(saving),
            share: stored
                .filter(|&s| s > 0)
                .map(|s| saving as f64 * 100.0 / s as f64),
            status: Status::Measured,
            note: Some(if compressed_only {
                "compressed only: layer sizes from the registry manifests".into()
            } else {
                "uncompressed layer sizes".into()
            }),
            layer: None,
            fix: FixKind::Manual,
            examples: Vec::new(),
        });
    }
    out
}
