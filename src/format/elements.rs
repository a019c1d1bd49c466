//! One element per line in a long instruction: the flags of a RUN (`--mount=...` each on its
//! own continuation line, the command after them on the next), the options of a HEALTHCHECK
//! (then `CMD` on its own line), and the `key=value` pairs of a LABEL, ENV or ARG; an ONBUILD
//! trigger's as its own.
//!
//! An instruction is long when its words, joined by single spaces on one line, take more than
//! [`WIDTH`] columns. That length depends only on the words (not on where the lines break
//! today), so formatting a formatted file makes the same decision and the same lines.

use super::wrap::WIDTH;
use crate::dockerfile::{Instruction, InstructionKind, Keyword};

/// Source byte offsets of the starts of the instruction's elements, in order, when they
/// should go one per line (the first stays on the keyword's line, each other one begins a
/// line); empty when it is not long or has too few elements to split. `head` is the
/// instruction's text up to its heredoc bodies (continuations as written).
pub(super) fn starts(inst: &Instruction, head: &str) -> Vec<usize> {
    if let InstructionKind::Onbuild(trigger) = &inst.kind {
        return starts(trigger, head);
    }
    let candidates = match (&inst.kind, inst.keyword) {
        // a RUN's flags and then its command, when it has two flags or more
        (_, Keyword::Run) if inst.flags.len() >= 2 => {
            let mut v: Vec<usize> = inst.flags.iter().map(|f| f.span.start).collect();
            v.push(inst.args.span.start);
            v
        }
        // a HEALTHCHECK's options and then `CMD`
        (InstructionKind::Healthcheck(Some(_)), _) if !inst.flags.is_empty() => {
            let mut v: Vec<usize> = inst.flags.iter().map(|f| f.span.start).collect();
            v.push(inst.args.span.start);
            v
        }
        // the pairs of an ENV, LABEL or ARG in the `key=value` form
        (
            InstructionKind::Env(kvs) | InstructionKind::Label(kvs) | InstructionKind::Arg(kvs),
            _,
        ) if kvs.len() >= 2 && kvs.iter().all(|kv| !kv.legacy) => {
            kvs.iter().map(|kv| kv.span.start).collect()
        }
        _ => return Vec::new(),
    };
    if one_line_width(head) <= WIDTH {
        return Vec::new();
    }
    // offsets must rise (the parser's spans are in file order); anything else is left alone
    if candidates.windows(2).any(|p| p[0] >= p[1]) {
        return Vec::new();
    }
    candidates
}

/// Columns the instruction would take on one line with its words joined by single spaces
/// (continuations and the indentation of continued lines removed; comment lines skipped).
fn one_line_width(head: &str) -> usize {
    let mut width = 0;
    for (k, line) in head.lines().enumerate() {
        let t = line.trim();
        if k > 0 && (t.starts_with('#') || t.is_empty()) {
            continue;
        }
        let t = t.strip_suffix(['\\', '`']).unwrap_or(t);
        for w in t.split_whitespace() {
            width += w.chars().count() + usize::from(width > 0);
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::one_line_width;

    #[test]
    fn width_ignores_where_lines_break() {
        let one = "RUN --mount=type=cache,target=/a   --mount=type=bind,source=b cmd x";
        let two = "RUN --mount=type=cache,target=/a \\\n    # why\n    --mount=type=bind,source=b \\\n  cmd x";
        assert_eq!(one_line_width(one), one_line_width(two));
        assert_eq!(one_line_width("LABEL a=1  b=2"), "LABEL a=1 b=2".len());
    }
}
