//! Sorting the package lists of install commands (`apt-get install`, `apk add`, `dnf install`,
//! ...): each contiguous run of plain package words is sorted by package name, stably. Words
//! with a variable, paths, options and their values stay where they are and end a run; a
//! version pin is part of its word, so it moves with it.

use crate::dockerfile::{Dockerfile, Edit, InstructionKind, ShellOrExec};
use crate::shell::pkg::{self, Family, Invocation, Manager};
use crate::shell::{self, Mapping};
use std::collections::HashMap;

/// True for the invocations whose package words the formatter sorts: the system package
/// managers' installs (the model's [`Invocation::is_install`]: `apt-get install`, `apk add`,
/// `dnf install`, `zypper in` ...), where the order of the names does not matter. dpkg and rpm
/// are left out (their operands are files, given after an action option), and so are the
/// language managers (a `pip install` list may be ordered on purpose).
pub fn sorts(inv: &Invocation<'_>) -> bool {
    matches!(
        inv.manager.family(),
        Family::Apt | Family::Apk | Family::Rpm | Family::Zypper
    ) && !matches!(inv.manager, Manager::Dpkg | Manager::Rpm)
        && inv.is_install()
}

/// The edits that sort every package run of every shell-form RUN that runs in a POSIX shell
/// (`posix`, indexed like the instructions; heredoc bodies excluded).
pub fn edits(df: &Dockerfile, posix: &[bool]) -> Vec<Edit> {
    let src = df.source.as_str();
    let mut edits = Vec::new();
    for (index, inst) in df.instructions.iter().enumerate() {
        if !posix.get(index).copied().unwrap_or(false) {
            continue;
        }
        let InstructionKind::Run(ShellOrExec::Shell(text)) = &inst.kind else {
            continue;
        };
        if !inst.heredocs.is_empty() {
            continue;
        }
        let script = shell::parse_script(
            &text.text,
            Mapping::Map {
                map: &text.map,
                base: 0,
            },
        );
        if script.tolerant || script.limit.is_some() {
            continue;
        }
        for (i, cmd) in script.commands.iter().enumerate() {
            if cmd.nested || cmd.from_sh_c {
                continue;
            }
            let Some(inv) = pkg::invocation(i, cmd) else {
                continue;
            };
            if !sorts(&inv) {
                continue;
            }
            let names: HashMap<_, _> = inv
                .packages()
                .into_iter()
                .filter(|p| p.is_static && !p.is_path && !p.raw.contains('$'))
                .map(|p| (p.span, p.name.to_ascii_lowercase()))
                .collect();
            let mut run: Vec<(crate::dockerfile::Span, String)> = Vec::new();
            let after_sub = inv.sub.map(|s| s.span.end).unwrap_or(0);
            for w in cmd.args() {
                // a comment line between two words ends the run (it speaks of the word below)
                if let Some(last) = run.last()
                    && src
                        .get(last.0.end..w.span.start)
                        .is_some_and(|t| t.contains('#'))
                {
                    sort_run(src, &mut run, &mut edits);
                }
                let plain = w.span.start >= after_sub
                    && !w.span.text(src).contains(['\n', '\r'])
                    && !w.span.is_empty();
                match names.get(&w.span).filter(|_| plain) {
                    Some(name) => run.push((w.span, name.clone())),
                    None => sort_run(src, &mut run, &mut edits),
                }
            }
            sort_run(src, &mut run, &mut edits);
        }
    }
    edits.sort_by_key(|e| e.span.start);
    edits
}

/// Adds the edits that sort one run (and empties it).
fn sort_run(src: &str, run: &mut Vec<(crate::dockerfile::Span, String)>, edits: &mut Vec<Edit>) {
    let words = std::mem::take(run);
    if words.len() < 2 || words.windows(2).any(|w| w[0].0.end > w[1].0.start) {
        return;
    }
    let mut sorted = words.clone();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    for (at, with) in words.iter().zip(&sorted) {
        if at.0 != with.0 {
            edits.push(Edit {
                span: at.0,
                replacement: with.0.text(src).to_string(),
            });
        }
    }
}

/// Applies non-overlapping edits sorted by start.
pub fn apply(src: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(src.len());
    let mut pos = 0;
    for e in edits {
        if e.span.start < pos || e.span.end > src.len() {
            continue;
        }
        out.push_str(src.get(pos..e.span.start).unwrap_or(""));
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(src.get(pos..).unwrap_or(""));
    out
}
