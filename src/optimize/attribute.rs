//! Tying image layers to Dockerfile instructions: the config's `history[].created_by` against
//! the instructions of the stage that was built, matched from the end (the base image's history
//! comes first).
//!
//! What builders write, and how each is recognised:
//! - BuildKit: `RUN /bin/sh -c CMD # buildkit`, `RUN |2 A=1 B=2 /bin/sh -c CMD # buildkit` (build
//!   args), `COPY . /app # buildkit`, `ENV A=1`, `WORKDIR /app` (sometimes with a layer).
//! - classic builder and buildah/podman: `/bin/sh -c CMD`, `/bin/sh -c #(nop) COPY dir:abc… in /app `.
//! - kaniko: the instruction's text (`RUN CMD`, `COPY . /app`).
//!
//! A `RUN` matches when the history text, whitespace collapsed, ends with the command (so any
//! `SHELL`, build-arg prefix or builder wording before it is accepted); `COPY`/`ADD` when the
//! destination is the same; other instructions when the keyword is. Instructions that make no
//! layer may have no entry (BuildKit writes none for `ARG`), and empty-layer entries no
//! instruction explains are skipped. A `RUN`, `COPY` or `ADD` without its entry means the
//! history is not this Dockerfile's: no layer is attributed at all.

use crate::dockerfile::{Dockerfile, Instruction, InstructionKind, Keyword, ShellOrExec};
use crate::image::HistoryEntry;
use crate::semantic::SemanticModel;
use serde::Serialize;

/// The layers of an image tied to the instructions of one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// Index of the built stage.
    pub stage: usize,
    /// Instruction (index into `Dockerfile::instructions`) that made each layer, `None` for
    /// the base image's layers (and for every layer when the history does not match).
    pub layers: Vec<Option<usize>>,
    /// History entry index -> instruction, for the entries that matched.
    pub entries: Vec<(usize, usize)>,
    /// Instructions of the built stage (and of the stages it is built `FROM`), `FROM` excluded.
    pub instructions: usize,
    /// How many of them matched a history entry.
    pub matched: usize,
    /// First layer made by the Dockerfile (layers below it are the base image's).
    pub first_own_layer: usize,
    /// Why the history does not match, when it does not.
    pub mismatch: Option<String>,
    /// Per layer: for a layer the builder committed for several steps at once (`buildah bud`
    /// without `--layers` records every step as an empty entry and the whole build's changes on
    /// the last one), the first instruction whose changes it holds; `None` otherwise.
    pub merged_from: Vec<Option<usize>>,
}

impl Attribution {
    /// The layer that holds an instruction's changes, if the history matched: the layer it
    /// made, or the layer the builder committed for it and the steps around it.
    pub fn layer_of(&self, instruction: usize) -> Option<usize> {
        self.layers
            .iter()
            .position(|l| *l == Some(instruction))
            .or_else(|| {
                let step = self.entries.iter().position(|&(_, i)| i == instruction)?;
                (0..self.layers.len()).find(|&l| {
                    let merged = self.merged_from.get(l).copied().flatten();
                    let (Some(first), Some(Some(last))) = (merged, self.layers.get(l).copied())
                    else {
                        return false;
                    };
                    let at = |ins| self.entries.iter().position(|&(_, i)| i == ins);
                    matches!((at(first), at(last)), (Some(a), Some(b)) if a <= step && step <= b)
                })
            })
    }

    /// True when every layer-making instruction found its history entry.
    pub fn is_matched(&self) -> bool {
        self.mismatch.is_none()
    }
}

/// Picks the built stage as the semantic model does ([`SemanticModel::final_stage`]): the
/// one `target` names (case-insensitive, or by index), else the last; an error when `target`
/// names no stage or the file has no FROM.
pub fn built_stage(df: &Dockerfile, target: Option<&str>) -> Result<usize, String> {
    let model = SemanticModel::with_target(df, target);
    if let Some(t) = target
        && model.build_target().is_none()
    {
        let names: Vec<&str> = df.stages.iter().filter_map(|s| s.name.as_deref()).collect();
        return Err(format!(
            "no stage named {t:?} (stages: {})",
            if names.is_empty() {
                "none named".to_string()
            } else {
                names.join(", ")
            }
        ));
    }
    model
        .final_stage()
        .ok_or_else(|| "the Dockerfile has no FROM".to_string())
}

/// The instructions that made the built stage's image, base stages first (`FROM` excluded):
/// `FROM build AS final` includes the instructions of `build`.
pub fn stage_chain(df: &Dockerfile, stage: usize) -> Vec<usize> {
    let mut chain = vec![stage];
    let mut cur = stage;
    // bounded: a stage can only be built FROM an earlier one
    while let Some(s) = df.stages.get(cur) {
        let base = s.base.raw.as_str();
        match df.stages[..cur].iter().rposition(|p| {
            p.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(base))
        }) {
            Some(p) => {
                chain.push(p);
                cur = p;
            }
            None => break,
        }
    }
    chain
        .iter()
        .rev()
        .filter_map(|s| df.stages.get(*s))
        .flat_map(|s| s.instructions.iter().copied())
        .filter(|&i| {
            df.instructions
                .get(i)
                .is_some_and(|ins| ins.keyword != Keyword::From)
        })
        .collect()
}

/// Does this instruction always make a layer?
pub fn makes_layer(ins: &Instruction) -> bool {
    matches!(ins.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The history text without BuildKit's marker and the classic `#(nop)` prefix; `nop` tells
/// whether the entry was a `#(nop)` one (an instruction other than RUN).
fn clean(raw: &str) -> (String, bool) {
    let s = raw.trim();
    let s = s.strip_suffix("# buildkit").unwrap_or(s).trim();
    if let Some(at) = s.find("#(nop)") {
        return (norm(&s[at + "#(nop)".len()..]), true);
    }
    (norm(s), false)
}

fn first_word(s: &str) -> &str {
    s.split(' ').next().unwrap_or("")
}

fn dest_of_history(h: &str) -> Option<String> {
    // classic: `COPY file:abc in /app`, `ADD multi:abc in /app/`
    if let Some((_, d)) = h.rsplit_once(" in ") {
        return Some(d.trim().to_string());
    }
    h.rsplit(' ').next().map(str::to_string)
}

fn same_path(a: &str, b: &str) -> bool {
    let t = |s: &str| {
        let s = s.trim_matches('"');
        let s = s.trim_end_matches('/');
        if s.is_empty() {
            "/".to_string()
        } else {
            s.to_string()
        }
    };
    t(a) == t(b)
}

/// Does history entry text `raw` describe instruction `ins` (with the stage's `WORKDIR` at that
/// point, for relative `COPY` destinations)?
fn matches(ins: &Instruction, raw: &str, workdir: &str) -> bool {
    let (h, nop) = clean(raw);
    match &ins.kind {
        InstructionKind::Run(body) => {
            if nop {
                return false;
            }
            let mut wanted = Vec::new();
            match body {
                ShellOrExec::Shell(t) => {
                    wanted.push(norm(&t.text));
                    // heredoc: builders write the body after the marker line
                    if !ins.heredocs.is_empty()
                        && let Some(first) = t.text.lines().next()
                    {
                        wanted.push(norm(first));
                    }
                }
                ShellOrExec::Exec(words) => {
                    wanted.push(norm(&ins.args.text));
                    wanted.push(norm(
                        &words
                            .iter()
                            .map(|w| w.value.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ));
                }
            }
            let heredoc = !ins.heredocs.is_empty();
            wanted
                .iter()
                .filter(|w| !w.is_empty())
                .any(|w| h.ends_with(w.as_str()) || (heredoc && h.contains(w.as_str())))
        }
        InstructionKind::Copy { dest, .. } => {
            let kw = first_word(&h);
            if !(kw.eq_ignore_ascii_case("COPY") || kw.eq_ignore_ascii_case("ADD")) {
                return false;
            }
            let (Some(want), Some(have)) = (dest.as_ref(), dest_of_history(&h)) else {
                return false;
            };
            let resolved = if want.value.starts_with('/') {
                want.value.clone()
            } else {
                format!("{}/{}", workdir.trim_end_matches('/'), want.value)
            };
            same_path(&want.value, &have)
                || same_path(&resolved, &have)
                || (want.value == "." && same_path(workdir, &have))
                || (want.value == "./" && same_path(workdir, &have))
        }
        _ => first_word(&h).eq_ignore_ascii_case(ins.keyword.as_str()),
    }
}

/// The `WORKDIR` in effect before each instruction of `chain` (`/` at the start).
fn workdirs(df: &Dockerfile, chain: &[usize]) -> Vec<String> {
    let mut cur = "/".to_string();
    let mut out = Vec::with_capacity(chain.len());
    for &i in chain {
        out.push(cur.clone());
        if let Some(InstructionKind::Workdir(w)) = df.instructions.get(i).map(|x| &x.kind) {
            cur = if w.value.starts_with('/') {
                w.value.clone()
            } else {
                format!("{}/{}", cur.trim_end_matches('/'), w.value)
            };
        }
    }
    out
}

/// Ties the layers of an image (its `history` and layer count) to the instructions of the built
/// stage of `df`.
pub fn attribute(
    df: &Dockerfile,
    stage: usize,
    history: &[HistoryEntry],
    layer_count: usize,
) -> Attribution {
    let chain = stage_chain(df, stage);
    let wd = workdirs(df, &chain);
    let mut a = Attribution {
        stage,
        layers: vec![None; layer_count],
        entries: Vec::new(),
        instructions: chain.len(),
        matched: 0,
        first_own_layer: layer_count,
        mismatch: None,
        merged_from: vec![None; layer_count],
    };
    // layer index of each history entry that made one
    let mut layer_of_entry = Vec::with_capacity(history.len());
    let mut n = 0usize;
    for h in history {
        if h.empty_layer {
            layer_of_entry.push(None);
        } else {
            layer_of_entry.push(Some(n));
            n += 1;
        }
    }
    if n != layer_count {
        a.mismatch = Some(format!(
            "the history lists {n} layers but the image has {layer_count} (squashed or rewritten \
             image)"
        ));
        return a;
    }
    let mut i = history.len();
    let mut j = chain.len();
    let mut pairs = Vec::new();
    while j > 0 {
        let ins_index = chain[j - 1];
        let Some(ins) = df.instructions.get(ins_index) else {
            j -= 1;
            continue;
        };
        let entry = i
            .checked_sub(1)
            .and_then(|k| history.get(k).map(|h| (k, h)));
        if let Some((k, h)) = entry
            && matches(ins, h.created_by.as_deref().unwrap_or(""), &wd[j - 1])
        {
            pairs.push((k, ins_index));
            i -= 1;
            j -= 1;
            continue;
        }
        if !makes_layer(ins) {
            j -= 1; // e.g. ARG under BuildKit: no entry
            continue;
        }
        if let Some((_, h)) = entry
            && h.empty_layer
        {
            i -= 1; // an entry nothing in the Dockerfile explains (a label added by CI…)
            continue;
        }
        let line = df.lines.line_col(&df.source, ins.span.start).line;
        a.mismatch = Some(match entry {
            Some((k, h)) => format!(
                "line {line} ({} {}) does not match history entry {k}: {:?}",
                ins.keyword.as_str(),
                short(&ins.args.text),
                short(h.created_by.as_deref().unwrap_or(""))
            ),
            None => format!(
                "line {line} ({}) has no history entry left: the image has fewer steps than \
                 the Dockerfile",
                ins.keyword.as_str()
            ),
        });
        break;
    }
    a.matched = pairs.len();
    if a.mismatch.is_some() {
        return a;
    }
    pairs.reverse();
    a.first_own_layer = layer_of_entry
        .iter()
        .skip(i)
        .flatten()
        .next()
        .copied()
        .unwrap_or(layer_count);
    // a step that changes files but whose entry has no layer: its changes are in the next
    // layer the builder committed
    let mut waiting: Option<usize> = None;
    for &(k, ins) in &pairs {
        match layer_of_entry.get(k) {
            Some(Some(l)) => {
                if let Some(slot) = a.layers.get_mut(*l) {
                    *slot = Some(ins);
                }
                // only when this entry's own instruction changes no files (a CMD carrying the
                // build's layer): an empty RUN before a RUN's layer really changed nothing
                let first = waiting.take();
                let carrier = df.instructions.get(ins).is_some_and(|i| !makes_layer(i));
                if let (Some(first), true, Some(slot)) = (first, carrier, a.merged_from.get_mut(*l))
                {
                    *slot = Some(first);
                }
            }
            _ => {
                let changes_files = df.instructions.get(ins).is_some_and(|i| {
                    matches!(i.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
                });
                if changes_files && waiting.is_none() {
                    waiting = Some(ins);
                }
            }
        }
    }
    a.entries = pairs;
    a
}

fn short(s: &str) -> String {
    let s = norm(s);
    if s.chars().count() > 60 {
        let mut t: String = s.chars().take(57).collect();
        t.push('…');
        t
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parse;

    fn h(created_by: &str, empty: bool) -> HistoryEntry {
        HistoryEntry {
            created_by: Some(created_by.to_string()),
            empty_layer: empty,
        }
    }

    #[test]
    fn buildkit_classic_kaniko_buildah() {
        let df = parse(
            "FROM debian\nARG V=1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n\
             RUN apt-get update \\\n    && apt-get install -y curl\nENV A=1\nWORKDIR /app\n\
             COPY . .\nRUN [\"make\", \"all\"]\nCMD [\"x\"]\n",
        );
        let base = [
            h("/bin/sh -c #(nop) ADD file:abc in / ", false),
            h("/bin/sh -c #(nop)  CMD [\"bash\"]", true),
        ];
        let builders: [[HistoryEntry; 7]; 4] = [
            [
                h("SHELL [/bin/bash -o pipefail -c]", true),
                h(
                    "RUN |1 V=1 /bin/bash -o pipefail -c apt-get update     && apt-get install -y curl # buildkit",
                    false,
                ),
                h("ENV A=1", true),
                h("WORKDIR /app", false),
                h("COPY . . # buildkit", false),
                h("RUN make all # buildkit", false),
                h("CMD [\"x\"]", true),
            ],
            [
                h("/bin/sh -c #(nop)  SHELL [/bin/bash -o pipefail -c]", true),
                h(
                    "|1 V=1 /bin/bash -o pipefail -c apt-get update     && apt-get install -y curl",
                    false,
                ),
                h("/bin/sh -c #(nop)  ENV A=1", true),
                h("/bin/sh -c #(nop) WORKDIR /app", true),
                h("/bin/sh -c #(nop) COPY dir:0123abcd in . ", false),
                h("make all", false),
                h("/bin/sh -c #(nop)  CMD [\"x\"]", true),
            ],
            [
                h("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]", true),
                h("RUN apt-get update     && apt-get install -y curl", false),
                h("ENV A=1", true),
                h("WORKDIR /app", true),
                h("COPY . .", false),
                h("RUN [\"make\", \"all\"]", false),
                h("CMD [\"x\"]", true),
            ],
            [
                h(
                    "/bin/sh -c #(nop) SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
                    true,
                ),
                h(
                    "/bin/bash -o pipefail -c apt-get update     && apt-get install -y curl",
                    false,
                ),
                h("/bin/sh -c #(nop) ENV A=1", true),
                h("/bin/sh -c #(nop) WORKDIR /app", true),
                h("/bin/sh -c #(nop) COPY dir:ab12 in /app/ ", false),
                h("/bin/sh -c make all", false),
                h("/bin/sh -c #(nop) CMD [\"x\"]", true),
            ],
        ];
        for (n, b) in builders.iter().enumerate() {
            let hist: Vec<HistoryEntry> = base.iter().chain(b.iter()).cloned().collect();
            let layers = hist.iter().filter(|h| !h.empty_layer).count();
            let a = attribute(&df, 0, &hist, layers);
            assert!(a.is_matched(), "builder {n}: {:?}", a.mismatch);
            assert_eq!(a.first_own_layer, 1, "builder {n}");
            // RUN apt (instruction 3) made layer 1
            assert_eq!(a.layers[1], Some(3), "builder {n}: {:?}", a.layers);
            assert_eq!(a.layer_of(6), Some(layers - 2), "builder {n}: COPY");
            assert_eq!(a.layer_of(7), Some(layers - 1), "builder {n}: RUN make");
            assert_eq!(a.instructions, 8);
            // ARG has no entry with these builders except the classic one: 7 matched
            assert_eq!(a.matched, 7, "builder {n}");
        }
    }

    #[test]
    fn heredoc_run() {
        let df = parse("FROM alpine\nRUN <<EOF\napk add curl\nrm -rf /var/cache/apk/*\nEOF\n");
        let hist = [
            h("/bin/sh -c #(nop) ADD file:abc in / ", false),
            h(
                "RUN /bin/sh -c <<EOF\napk add curl\nrm -rf /var/cache/apk/*\nEOF # buildkit",
                false,
            ),
        ];
        let a = attribute(&df, 0, &hist, 2);
        assert!(a.is_matched(), "{:?}", a.mismatch);
        assert_eq!(a.layers, vec![None, Some(1)]);
    }

    #[test]
    fn other_history_is_a_mismatch() {
        let df = parse("FROM alpine\nRUN apk add curl\nCOPY . /app\n");
        let hist = [
            h("/bin/sh -c #(nop) ADD file:abc in / ", false),
            h("umoci config", true),
            h("layer 2 made by image_gen", false),
            h("layer 3 made by image_gen", false),
        ];
        let a = attribute(&df, 0, &hist, 3);
        assert!(!a.is_matched());
        assert!(
            a.mismatch.as_deref().is_some_and(|m| m.contains("line 3")),
            "{:?}",
            a.mismatch
        );
        assert!(a.layers.iter().all(Option::is_none));
        // squashed: one layer, history of three
        let a = attribute(&df, 0, &hist, 1);
        assert!(
            a.mismatch
                .as_deref()
                .is_some_and(|m| m.contains("squashed"))
        );
    }

    #[test]
    fn multi_stage_chain_and_target() {
        let df = parse(
            "FROM golang AS build\nRUN go build -o /out/app\nFROM build AS test\nRUN go test\n\
             FROM debian AS final\nCOPY --from=build /out/app /app\n",
        );
        assert_eq!(built_stage(&df, Some("TEST")), Ok(1));
        assert_eq!(built_stage(&df, None), Ok(2));
        assert!(built_stage(&df, Some("nope")).is_err());
        // as the semantic model (and `dlint lint --target`) reads a target: by index too
        assert_eq!(built_stage(&df, Some("0")), Ok(0));
        assert!(built_stage(&df, Some("3")).is_err());
        assert!(built_stage(&parse("# no FROM\n"), None).is_err());
        assert_eq!(stage_chain(&df, 1), vec![1, 3]);
        let hist = [
            h("/bin/sh -c #(nop) ADD file:abc in / ", false),
            h("COPY /out/app /app # buildkit", false),
        ];
        let a = attribute(&df, 2, &hist, 2);
        assert!(a.is_matched());
        assert_eq!(a.layers, vec![None, Some(5)]);
    }
}

/// Histories written by a real buildah (testdata/history/README.md says how they were made).
#[cfg(test)]
mod real_builders {
    use super::*;
    use crate::dockerfile::parse;

    fn history(json: &str) -> (Vec<HistoryEntry>, usize) {
        let v: serde_json::Value = serde_json::from_str(json).expect("test data is JSON");
        let entries = v["history"]
            .as_array()
            .expect("a history array")
            .iter()
            .map(|h| HistoryEntry {
                created_by: h["created_by"].as_str().map(str::to_string),
                empty_layer: h["empty_layer"].as_bool().unwrap_or(false),
            })
            .collect();
        let layers = v["diff_ids"].as_array().map_or(0, Vec::len);
        (entries, layers)
    }

    /// The instruction index of the first instruction on 1-based `line`.
    fn at_line(df: &Dockerfile, line: usize) -> usize {
        df.instructions
            .iter()
            .position(|i| df.lines.line_col(&df.source, i.span.start).line == line)
            .expect("an instruction on that line")
    }

    const DOCKERFILE: &str = include_str!("../../testdata/history/buildah.Dockerfile");

    #[test]
    fn buildah_with_layers_matches_every_step() {
        let df = parse(DOCKERFILE);
        let (h, n) = history(include_str!(
            "../../testdata/history/buildah-1.28-layers.json"
        ));
        let a = attribute(&df, 0, &h, n);
        assert!(a.is_matched(), "{:?}", a.mismatch);
        assert_eq!(a.matched, a.instructions);
        // the base image's four layers, then one per COPY and RUN
        assert_eq!(a.first_own_layer, 4);
        let lines: Vec<usize> = [5, 6, 7, 9, 10].to_vec();
        for (k, line) in lines.iter().enumerate() {
            assert_eq!(a.layers[4 + k], Some(at_line(&df, *line)), "line {line}");
            assert_eq!(a.layer_of(at_line(&df, *line)), Some(4 + k));
        }
        assert!(a.merged_from.iter().all(Option::is_none));
    }

    /// `buildah bud` without `--layers`: every step is an empty entry and the last (CMD)
    /// carries the whole build's layer; each step's changes are found in that layer.
    #[test]
    fn buildah_without_layers_commits_the_build_in_one_layer() {
        let df = parse(DOCKERFILE);
        let (h, n) = history(include_str!(
            "../../testdata/history/buildah-1.28-squashed.json"
        ));
        let a = attribute(&df, 0, &h, n);
        assert!(a.is_matched(), "{:?}", a.mismatch);
        assert_eq!(n, 5);
        assert_eq!(a.layers[4], Some(at_line(&df, 12)));
        assert_eq!(a.merged_from[4], Some(at_line(&df, 5)));
        for line in [5, 6, 7, 9, 10, 12] {
            assert_eq!(a.layer_of(at_line(&df, line)), Some(4), "line {line}");
        }
        assert_eq!(
            a.layer_of(at_line(&df, 3)),
            None,
            "ENV is before the first change"
        );
    }
}
