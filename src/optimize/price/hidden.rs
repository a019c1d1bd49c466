//! Copies a layer stored and a later layer deleted or overwrote: DL5004 findings priced on
//! the watched paths, then every remaining (adder, hider) pair as `deleted-later`.

use super::Pricer;
use crate::image::ledger::PathClass;
use crate::lint::Diagnostic;
use crate::lint::removals::LaterRemoval;
use crate::optimize::{Finding, FixKind, Status, line_of};
use std::collections::BTreeMap;

impl Pricer<'_> {
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
        // the line of an earlier finding that priced the same pair of layers
        let mut priced_with: Option<usize> = None;
        let line = line_of(self.df, d.span.start);
        for m in &r.matches {
            let Some(added) = self.a.layer_of(m.earlier) else {
                continue;
            };
            if m.origin.is_package() {
                // a package's files are not known before the image is read: what the
                // deleting layer hid of the installing one that no other finding claimed
                let (b, f) = self.pair_unclaimed(added, hidden);
                if b > 0 {
                    self.priced_pairs.entry((added, hidden)).or_insert(line);
                    bytes += b;
                    files += f;
                    dirs.push(m.path.clone());
                    if !added_layers.contains(&added) {
                        added_layers.push(added);
                    }
                    examples.extend(
                        self.ledger
                            .examples
                            .iter()
                            .filter(|((a, h, _), _)| *a == added && *h == hidden)
                            .flat_map(|(_, v)| v.iter().map(|(p, s)| (format!("/{p}"), *s))),
                    );
                } else if dirs.last() != Some(&m.path) && added_layers.contains(&added) {
                    dirs.push(m.path.clone());
                } else if let Some(l) = self.priced_pairs.get(&(added, hidden)) {
                    priced_with = Some(*l);
                }
                continue;
            }
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
            // an `autoremove` after a purge of the same packages in the same layer: what it
            // hid is in the purge's price (the two go together when the fix moves them)
            let Some(l) = priced_with else {
                return false;
            };
            let layer = r.matches.first().and_then(|m| self.a.layer_of(m.earlier));
            self.without_bytes(d, layer, format!("priced with DL5004 at line {l}"));
            return true;
        }
        examples.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        examples.dedup();
        examples.truncate(3);
        let lines: Vec<String> = added_layers
            .iter()
            .map(|l| self.line_of_layer(*l).map_or("?".into(), |l| l.to_string()))
            .collect();
        self.findings.push(Finding {
            line: Some(line),
            rule: d.rule.to_string(),
            what: format!(
                "{files} files stored under {} by line {} are deleted by this RUN, but the \
                 bytes stay in layer {} ({})",
                if r.matches.iter().any(|m| m.origin.is_package()) {
                    format!(
                        "the packages {} (and what their removal rewrites)",
                        dirs.join(", ")
                    )
                } else {
                    dirs.join(", ")
                },
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

    /// Claims what layer `hidden` hid of layer `added` that no finding has claimed yet (the
    /// classes nobody claimed whole, less the hidden copies DL5004 findings priced).
    fn pair_unclaimed(&mut self, added: usize, hidden: usize) -> (u64, u64) {
        let cells: Vec<(PathClass, u64, u64)> = self
            .ledger
            .cells
            .iter()
            .filter(|((a, h, c), _)| {
                *a == added && *h == Some(hidden) && !self.claimed.contains(&(added, *c))
            })
            .map(|((_, _, c), t)| (*c, t.bytes, t.files))
            .collect();
        let (mut bytes, mut files) = (0, 0);
        for (c, b, f) in cells {
            let e = self.claimed_hidden.entry((added, hidden, c)).or_default();
            let (b, f) = (b.saturating_sub(e.0), f.saturating_sub(e.1));
            e.0 += b;
            e.1 += f;
            bytes += b;
            files += f;
        }
        (bytes, files)
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
}

#[cfg(test)]
mod tests {
    use crate::image::testkit::{ImageSpec, LayerBuilder, oci, to_tar};
    use crate::image::{self, OpenOptions};
    use crate::optimize::{self, FixKind, Options, Status};

    const BASE: &str = "/bin/sh -c #(nop) ADD file:0123abcd in / ";

    /// A purge of what an earlier RUN installed is priced at what the purging layer hid of
    /// the installing one (what the removal move fix gets back), and the `autoremove` after it
    /// in the same layer points at that price instead of being "not measured".
    #[test]
    fn a_later_purge_is_priced_at_the_installing_layers_hidden_files() {
        let df = "FROM debian:bookworm-slim\n\
                  RUN apt-get update && apt-get install -y gcc libc6-dev && rm -rf /var/lib/apt/lists/*\n\
                  RUN apt-get purge -y gcc libc6-dev && apt-get autoremove -y && echo ok > /etc/built\n";
        let spec = ImageSpec::new()
            .layer(
                LayerBuilder::new().file_size("etc/os-release", 100).build(),
                BASE,
            )
            .layer(
                LayerBuilder::new()
                    .file_size("usr/bin/gcc-12", 5000)
                    .file_size("usr/lib/x86_64-linux-gnu/libc.a", 3000)
                    .file_size("usr/share/doc/gcc/copyright", 20)
                    .file_size("usr/bin/kept", 7)
                    .build(),
                "RUN /bin/sh -c apt-get update && apt-get install -y gcc libc6-dev && rm -rf /var/lib/apt/lists/* # buildkit",
            )
            .layer(
                LayerBuilder::new()
                    .whiteout("usr/bin/gcc-12")
                    .whiteout("usr/lib/x86_64-linux-gnu/libc.a")
                    .whiteout("usr/share/doc/gcc/copyright")
                    .file_size("var/lib/dpkg/status", 50)
                    .file_size("etc/built", 3)
                    .build(),
                "RUN /bin/sh -c apt-get purge -y gcc libc6-dev && apt-get autoremove -y && echo ok > /etc/built # buildkit",
            );
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("purge.tar");
        std::fs::write(&path, to_tar(&oci(std::slice::from_ref(&spec), false))).expect("write");
        let img = image::open(&path, &OpenOptions::default()).expect("open");
        let parsed = crate::dockerfile::parse(df);
        let r = optimize::run(&parsed, "Dockerfile", Some(&img), &Options::default())
            .expect("optimize");
        assert_eq!(
            r.image.as_ref().map(|i| i.attribution.status.to_string()),
            Some("matched".to_string())
        );
        let dl5004: Vec<_> = r.findings.iter().filter(|f| f.rule == "DL5004").collect();
        assert_eq!(dl5004.len(), 2, "{dl5004:?}");
        let purge = dl5004
            .iter()
            .find(|f| f.status == Status::Measured)
            .expect("the purge is measured");
        // the three files the purging layer hid, not the one it kept
        assert_eq!(purge.bytes, Some(5000 + 3000 + 20));
        assert_eq!(purge.layer, Some(1));
        assert_eq!(purge.line, Some(3));
        // the fix loop moves the purge (then the autoremove) into line 2's RUN
        assert_eq!(purge.fix, FixKind::Unsafe);
        let auto = dl5004
            .iter()
            .find(|f| f.status == Status::NotMeasured)
            .expect("the autoremove is listed");
        assert_eq!(auto.bytes, None);
        assert_eq!(auto.note.as_deref(), Some("priced with DL5004 at line 3"));
    }
}
