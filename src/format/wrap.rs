//! Wrapping a long single command of a RUN (one that does not fit in [`WIDTH`] columns on its
//! line): an install command (`apt-get install`, `apk add`, `pip install`, `npm install`, ...)
//! gets one package per continuation line, any other simple command is filled up to the width
//! at argument boundaries after its leading options. Breaks only go between the words of a
//! top-level simple command, so never inside quotes, `$(...)` or heredocs.
//!
//! Idempotence: a command already on several lines is left alone, except an install command
//! with a line over the width, whose breaks are all replaced by the one-package-per-line layout
//! (a function of its words only, so formatting it again gives the same lines).

use super::chain::{Link, ShellTree};
use crate::dockerfile::SourceMap;
use crate::shell::pkg::{self, Family, Invocation, Manager};
use crate::shell::{self, Mapping};
use tree_sitter::Node;

/// The column limit.
pub(super) const WIDTH: usize = 80;

/// Columns taken by the ` \` at the end of a continued line.
const CONT: usize = 2;

/// True for the installs whose package list is laid out one package per line when wrapped
/// (the model decides what is an install and which words are packages; this is the
/// formatter's choice of managers: those that take package names after a sub-command, not
/// dpkg/rpm, whose actions are options, nor build tools, whose operands are targets).
fn lists_packages(inv: &Invocation<'_>) -> bool {
    let family = matches!(
        inv.manager.family(),
        Family::Apt
            | Family::Apk
            | Family::Rpm
            | Family::Zypper
            | Family::Pip
            | Family::Npm
            | Family::Gem
            | Family::Conda
    );
    family
        && !matches!(
            inv.manager,
            Manager::Dpkg | Manager::Rpm | Manager::AptCache | Manager::Bundle
        )
        && inv.sub.is_some()
        && inv.is_install()
}

/// The package list of the install command spanning `text[start..end]`, as the model reads
/// it: its manager and the byte offset (in `text`) of its first package word (`None` for an
/// install without package words, `pip install -r FILE`, which is left as it is).
fn package_list(text: &str, start: usize, end: usize) -> Option<(Manager, Option<usize>)> {
    let body = text.get(start..end)?;
    let map = SourceMap::identity(0, body.len());
    let script = shell::parse_script(body, Mapping::Map { map: &map, base: 0 });
    let [cmd] = script.commands.as_slice() else {
        return None;
    };
    let inv = pkg::invocation(0, cmd).filter(lists_packages)?;
    let first = inv.packages().into_iter().map(|p| p.span.start).min();
    Some((inv.manager, first.map(|f| start + f)))
}

/// A command the wrapper may lay out.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    /// Byte range of the command in the shell text.
    pub start: usize,
    pub end: usize,
    /// Columns before the command on its first line.
    pub prefix: usize,
    /// Columns after it on its last line (an operator and `\`).
    pub suffix: usize,
    /// Columns of indentation of its continuation lines.
    pub indent: usize,
}

/// The commands of a RUN body to consider, with their columns: the top-level chain's links
/// when the chain is split one command per line (`chain`), else the body when it is one
/// command. `first_prefix` is the column at which the first command starts.
pub(super) fn slots(
    tree: &ShellTree,
    text: &str,
    chain: Option<&[Link]>,
    first_prefix: usize,
) -> Vec<Slot> {
    match chain {
        Some(links) => {
            let ok = links.windows(2).all(|p| {
                text.get(p[0].end..p[1].start).map(str::trim) == Some(p[0].op.unwrap_or(""))
            });
            if !ok {
                return Vec::new();
            }
            links
                .iter()
                .enumerate()
                .map(|(k, l)| Slot {
                    start: l.start,
                    end: l.end,
                    prefix: if k == 0 { first_prefix } else { 4 },
                    suffix: match l.op {
                        Some(";") => 1 + CONT,
                        Some(_) => 3 + CONT,
                        None => 0,
                    },
                    indent: 8,
                })
                .collect()
        }
        None => {
            let root = tree.root();
            let mut cursor = root.walk();
            let named: Vec<Node<'_>> = root.named_children(&mut cursor).collect();
            match named.as_slice() {
                [only] if only.kind() == "command" => vec![Slot {
                    start: only.start_byte(),
                    end: only.end_byte(),
                    prefix: first_prefix,
                    suffix: 0,
                    indent: 4,
                }],
                _ => Vec::new(),
            }
        }
    }
}

/// Where a command's line breaks go (byte offsets of the shell text, each at the start of the
/// word that begins a line), or `None` to leave it as it is. `existing` are its current breaks
/// (all free of comments and outside quotes, else the caller does not ask); `width(a, b)` is the
/// number of columns `text[a..b]` takes once formatted, without surrounding blanks.
pub(super) fn plan(
    tree: &ShellTree,
    text: &str,
    slot: &Slot,
    existing: &[usize],
    width: impl Fn(usize, usize) -> usize,
) -> Option<Vec<usize>> {
    let cmd = command_at(tree, text, slot)?;
    let words = words(cmd)?;
    let list = package_list(text, slot.start, slot.end);
    let layout = Layout::of(text, &words, list)?;
    if existing.is_empty() {
        if slot.prefix + width(slot.start, slot.end) + slot.suffix <= WIDTH {
            return None;
        }
    } else {
        // only an install command is re-laid out, and only when one of its lines is too long
        if !layout.install {
            return None;
        }
        let mut edges = vec![slot.start];
        edges.extend_from_slice(existing);
        edges.push(slot.end);
        let too_long = edges.windows(2).enumerate().any(|(k, e)| {
            let lead = if k == 0 { slot.prefix } else { slot.indent };
            let tail = if k + 2 == edges.len() {
                slot.suffix
            } else {
                CONT
            };
            lead + width(e[0], e[1]) + tail > WIDTH
        });
        if !too_long {
            return None;
        }
    }
    let mut breaks = Vec::new();
    if layout.install {
        breaks.extend(layout.packages.iter().map(|&k| words[k].0));
    } else {
        // fill each line up to the width, the leading options staying on the first one and an
        // option with the word after it
        let units = units(text, &words[layout.first_free..]);
        let mut col = slot.prefix + width(slot.start, words[layout.first_free - 1].1);
        for (k, &(a, b)) in units.iter().enumerate() {
            let tail = if k + 1 == units.len() {
                slot.suffix
            } else {
                CONT
            };
            let w = width(a, b);
            // a break only where the unit then fits (a long one stays where it is)
            if col + 1 + w + tail > WIDTH && slot.indent + w + tail <= WIDTH {
                breaks.push(a);
                col = slot.indent + w;
            } else {
                col += 1 + w;
            }
        }
    }
    let free = breaks.iter().all(|&at| tree.break_is_free(text, at));
    (free && !breaks.is_empty() && breaks != existing).then_some(breaks)
}

/// The simple command spanning the slot (a trailing `;` aside).
fn command_at<'t>(tree: &'t ShellTree, text: &str, slot: &Slot) -> Option<Node<'t>> {
    let mut node = tree
        .root()
        .descendant_for_byte_range(slot.start, slot.start)?;
    while node.start_byte() == slot.start && node.kind() != "command" {
        node = node.parent()?;
    }
    let rest = text.get(node.end_byte()..slot.end)?.trim();
    (node.kind() == "command"
        && node.start_byte() == slot.start
        && (rest.is_empty() || rest == ";"))
        .then_some(node)
}

/// The byte ranges of a command's words (prefix assignments, name, arguments); `None` when it
/// has a redirect, a heredoc or anything else that is not a word.
fn words(cmd: Node<'_>) -> Option<Vec<(usize, usize)>> {
    let mut cursor = cmd.walk();
    let mut out = Vec::new();
    for child in cmd.children(&mut cursor) {
        if !child.is_named() || child.kind().contains("redirect") || child.kind() == "comment" {
            return None;
        }
        out.push((child.start_byte(), child.end_byte()));
    }
    Some(out)
}

/// How a command's words are laid out once it is wrapped.
struct Layout {
    /// It is a package install: one package (or option after a package) per line.
    install: bool,
    /// The first word that may begin a line (all before it stay on the first line).
    first_free: usize,
    /// For an install, the words that begin a line.
    packages: Vec<usize>,
}

impl Layout {
    /// `list` is the command's package list when it is an install ([`package_list`]).
    fn of(
        text: &str,
        words: &[(usize, usize)],
        list: Option<(Manager, Option<usize>)>,
    ) -> Option<Layout> {
        let word = |k: usize| {
            words
                .get(k)
                .and_then(|&(a, b)| text.get(a..b))
                .unwrap_or("")
        };
        // the command name: the first word that is not an assignment
        let name = (0..words.len()).find(|&k| !is_assignment(word(k)))?;
        if let Some((manager, first)) = list {
            // from the first package on, every word begins a line, an option's value staying
            // with it
            let start = words.iter().position(|&(a, _)| Some(a) == first)?;
            let mut packages = Vec::new();
            let mut j = start;
            while j < words.len() {
                packages.push(j);
                let w = word(j);
                j += if w.starts_with('-') && !w.contains('=') && manager.takes_value(w) {
                    2
                } else {
                    1
                };
            }
            return Some(Layout {
                install: true,
                first_free: start,
                packages,
            });
        }
        let mut k = name + 1;
        while k < words.len() && word(k).starts_with('-') {
            k += 1;
        }
        // an option right before the first argument may be its value's: keep them together
        let first_free = if k > name + 1 && k < words.len() && !word(k - 1).contains('=') {
            k - 1
        } else {
            k
        };
        (first_free < words.len() && first_free > name).then_some(Layout {
            install: false,
            first_free,
            packages: Vec::new(),
        })
    }
}

/// The byte ranges of the units a line may begin with: a word, or an option (without `=`) and
/// the non-option word after it.
fn units(text: &str, words: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let word = |k: usize| {
        words
            .get(k)
            .and_then(|&(a, b)| text.get(a..b))
            .unwrap_or("")
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let w = word(k);
        let glue = w.starts_with('-')
            && !w.contains('=')
            && k + 1 < words.len()
            && !word(k + 1).starts_with('-');
        let last = if glue { k + 1 } else { k };
        out.push((words[k].0, words[last].1));
        k = last + 1;
    }
    out
}

/// `NAME=value` (a prefix assignment).
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    })
}
