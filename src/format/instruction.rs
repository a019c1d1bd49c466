//! Rendering one instruction: the keyword upper-case, one space after it, continuation lines
//! indented by four spaces (eight inside a command of a split RUN chain), comment lines inside
//! the instruction kept before the line they preceded, the top-level chain of a long shell-form
//! RUN one command per line (`&& \` at line ends), heredoc bodies verbatim.
//!
//! Whitespace at a line break is only changed where it is free (see [`super::chain`]); any other
//! break is kept byte for byte.

use super::Mode;
use super::chain::{self, ShellTree};
use crate::dockerfile::{Dockerfile, Instruction, InstructionKind, Keyword, ShellOrExec};

/// One level of continuation indentation.
const INDENT: &str = "    ";
// a chain longer than this on one line is split one command per line
use super::wrap::WIDTH;

/// A line break of the instruction, at a byte offset of its joined text.
#[derive(Debug)]
struct Break {
    at: usize,
    /// Indentation level of the line after it.
    level: usize,
    /// The whitespace around it may change (otherwise both sides are kept byte for byte).
    free: bool,
    /// Comment lines between the two lines.
    comments: Vec<String>,
    /// For the break after an operator of a split chain: where the text between the two
    /// commands starts, and the operator (written as `a && \` / `a; \`).
    gap: Option<(usize, &'static str)>,
}

/// The lines of a formatted instruction (without line terminators).
/// `posix`: its shell form runs in a POSIX shell (otherwise the shell text is kept as written).
pub(super) fn render(df: &Dockerfile, inst: &Instruction, mode: Mode, posix: bool) -> Vec<String> {
    let src = df.source.as_str();
    let head_end = inst
        .heredocs
        .first()
        .map(|h| h.span.start)
        .unwrap_or(inst.span.end);
    let mut lines = render_head(df, inst, head_end, mode, posix)
        .unwrap_or_else(|| split_lines(src.get(inst.span.start..head_end).unwrap_or("")));
    if head_end < inst.span.end {
        // heredoc bodies and delimiter lines, byte for byte
        lines.extend(split_lines(src.get(head_end..inst.span.end).unwrap_or("")));
    }
    lines
}

/// Physical lines of `text` without terminators (a final empty piece after `\n` dropped).
fn split_lines(text: &str) -> Vec<String> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect()
}

/// BuildKit's continuation test for escape `esc`: the length to keep when the line continues.
fn continuation(line: &str, esc: char) -> Option<usize> {
    let t = line.trim_end_matches([' ', '\t']);
    let before = t.strip_suffix(esc)?;
    if before.ends_with(esc) {
        return None;
    }
    Some(before.len())
}

/// The shell-form text of a RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD.
fn shell_text(inst: &Instruction) -> Option<&str> {
    match &inst.kind {
        InstructionKind::Run(ShellOrExec::Shell(t))
        | InstructionKind::Cmd(ShellOrExec::Shell(t))
        | InstructionKind::Entrypoint(ShellOrExec::Shell(t))
        | InstructionKind::Healthcheck(Some(ShellOrExec::Shell(t))) => Some(&t.text),
        _ => None,
    }
}

fn render_head(
    df: &Dockerfile,
    inst: &Instruction,
    head_end: usize,
    mode: Mode,
    posix: bool,
) -> Option<Vec<String>> {
    let esc = df.escape;
    let head = df.source.get(inst.span.start..head_end)?;
    let raw = split_lines(head);
    // content lines, each with its source offset and the comment lines before it
    let mut contents: Vec<(String, usize, Vec<String>)> = Vec::new();
    let mut pending = Vec::new();
    let mut line_start = inst.span.start;
    for (j, line) in raw.iter().enumerate() {
        if j > 0 && line.trim_start().starts_with('#') {
            pending.push(line.trim().to_string());
        } else if j > 0 && line.trim().is_empty() {
            // an empty line inside a continuation: BuildKit skips it
        } else {
            contents.push((line.clone(), line_start, std::mem::take(&mut pending)));
        }
        line_start = df.source[line_start..]
            .find('\n')
            .map_or(head_end, |i| line_start + i + 1);
    }
    if !pending.is_empty() {
        return None;
    }
    let n = contents.len();
    let mut texts = Vec::with_capacity(n);
    for (k, (line, from, comments)) in contents.into_iter().enumerate() {
        let text = if k + 1 < n {
            let keep = continuation(&line, esc)?;
            line.get(..keep)?.to_string()
        } else {
            if continuation(&line, esc).is_some() {
                return None;
            }
            line.trim_end().to_string()
        };
        texts.push((text, from, comments));
    }
    let first = texts.first_mut()?;
    let written_len = first.0.len();
    first.0 = keyword_line(&first.0, inst)?;
    // per content line: the source offset where its kept text ends, the joined offset where
    // it ends, its length (to map source offsets past the keyword to joined ones)
    let mut lines_at: Vec<(usize, usize, usize)> = Vec::with_capacity(n);

    // the joined text and its breaks
    let mut joined = String::new();
    let mut breaks = Vec::new();
    for (k, (text, from, comments)) in texts.into_iter().enumerate() {
        // the keyword line changed its length only before its first argument
        let shift = if k == 0 { written_len } else { text.len() };
        lines_at.push((from + shift, joined.len() + text.len(), text.len()));
        if k > 0 {
            breaks.push(Break {
                at: joined.len(),
                level: 1,
                free: false,
                comments,
                gap: None,
            });
        }
        joined.push_str(&text);
    }

    let mut runs = Vec::new();
    if mode == Mode::Full {
        let shell = shell_text(inst).and_then(|t| {
            let start = joined.len().checked_sub(t.len())?;
            (joined.get(start..) == Some(t)).then_some(start)
        });
        // the tree is only needed to move breaks, split a chain or collapse blanks
        let needs_tree = !breaks.is_empty()
            || joined.len() > WIDTH
            || joined.contains("  ")
            || joined.contains('\t');
        let tree = shell
            .filter(|_| posix && needs_tree)
            .and_then(|s| ShellTree::parse(joined.get(s..)?).map(|t| (s, t)));
        let verbatim_values = legacy_pairs(inst);
        for br in &mut breaks {
            br.free = match (&tree, shell) {
                _ if verbatim_values => false,
                (Some((s, t)), _) if br.at > *s => t.break_is_free(&joined[*s..], br.at - s),
                (None, Some(s)) if br.at > s => false,
                _ => chain::break_is_free_plain(&joined, br.at, df.escape),
            };
            if let Some((s, t)) = &tree
                && br.at > *s
            {
                let (depth, cont) = t.nesting(&joined[*s..], br.at - s);
                br.level = depth + usize::from(cont);
            }
        }
        let free_at = |at: usize| match (&tree, shell) {
            (Some((s, t)), _) if at > *s => t.break_is_free(&joined[*s..], at - s),
            (None, Some(s)) if at > s => false,
            _ => chain::break_is_free_plain(&joined, at, df.escape),
        };
        if !verbatim_values {
            runs = spaces_to_collapse(&joined, &breaks, free_at);
        } else {
            runs.extend(legacy_gap(inst, &joined, &breaks, &lines_at));
        }
        if !verbatim_values {
            let at: Option<Vec<usize>> = super::elements::starts(inst, head)
                .into_iter()
                .map(|p| to_joined(&lines_at, p))
                .collect();
            if let Some(at) = at
                && split_elements(&at, &mut breaks, free_at)
            {
                runs = spaces_to_collapse(&joined, &breaks, free_at);
            }
        }
        if let Some((s, t)) = &tree
            && matches!(inst.keyword, Keyword::Run | Keyword::Healthcheck)
            && inst.heredocs.is_empty()
        {
            let split = !breaks.is_empty() || joined.len() > WIDTH;
            let links = t.chain(&joined[*s..]).filter(|_| split);
            if wrap_commands(&joined, *s, t, links.as_deref(), &mut breaks, &runs) {
                // blanks where a break was are collapsible now, those at a new one are not
                runs = spaces_to_collapse(&joined, &breaks, free_at);
            }
            if let Some(links) = links {
                breaks = split_chain(&joined, *s, &links, breaks).unwrap_or_else(|b| b);
            }
        }
        for br in &mut breaks {
            br.level = br.level.max(1);
        }
    }
    Some(draw(&joined, breaks, &runs, esc))
}

/// The offset in the joined text of source offset `p` (past the keyword), from the content
/// lines' ends (source end, joined end, length).
fn to_joined(lines_at: &[(usize, usize, usize)], p: usize) -> Option<usize> {
    let &(src_end, joined_end, _) = lines_at
        .iter()
        .find(|&&(src_end, _, len)| p <= src_end && p + len >= src_end)?;
    joined_end.checked_sub(src_end - p)
}

/// Puts each element of a long instruction (joined offsets `at`, see [`super::elements`]) at
/// the start of a line, replacing the breaks between the first and the last (their comment
/// lines move to the next element's line); the first stays where it is. Nothing changes
/// (false) when a break among them is not free.
fn split_elements(at: &[usize], breaks: &mut Vec<Break>, free: impl Fn(usize) -> bool) -> bool {
    let (Some(&first), Some(&last)) = (at.first(), at.last()) else {
        return false;
    };
    let inside = |b: &Break| b.at > first && b.at <= last;
    if breaks.iter().any(|b| inside(b) && !b.free) || !at[1..].iter().all(|&a| free(a)) {
        return false;
    }
    let mut new: Vec<Break> = at[1..]
        .iter()
        .map(|&a| Break {
            at: a,
            level: 1,
            free: true,
            comments: Vec::new(),
            gap: None,
        })
        .collect();
    for old in breaks.extract_if(.., |b| inside(b)) {
        if let Some(next) = new.iter_mut().find(|n| n.at >= old.at) {
            next.comments.extend(old.comments);
        }
    }
    breaks.append(&mut new);
    breaks.sort_by_key(|b| b.at);
    true
}

/// Adds the breaks that wrap the long simple commands of a RUN body starting at byte `s` of
/// `joined` (see [`super::wrap`]); `chain` is its top-level chain when it is split. True when
/// it changed them.
fn wrap_commands(
    joined: &str,
    s: usize,
    tree: &ShellTree,
    chain: Option<&[chain::Link]>,
    breaks: &mut Vec<Break>,
    runs: &[(usize, usize)],
) -> bool {
    let text = &joined[s..];
    let width = |a: usize, b: usize| collapsed(joined, s + a, s + b, runs).trim().chars().count();
    // the column of the body's first command: after the last break before it, or the keyword
    let first = chain
        .and_then(|l| l.first().map(|l| l.start))
        .unwrap_or_else(|| text.len() - text.trim_start().len());
    let lead = breaks.iter().rev().find(|b| b.at <= s + first);
    let between = match lead {
        Some(b) => collapsed(joined, b.at, s + first, runs),
        None => collapsed(joined, 0, s + first, runs),
    };
    let between = between.trim();
    let first_prefix = match lead {
        Some(_) if between.is_empty() => INDENT.len(),
        Some(_) => INDENT.len() + between.chars().count() + 1,
        None => between.chars().count() + 1,
    };
    let mut changed = false;
    for slot in super::wrap::slots(tree, text, chain, first_prefix) {
        let (a, b) = (s + slot.start, s + slot.end);
        let inside: Vec<&Break> = breaks.iter().filter(|br| br.at > a && br.at < b).collect();
        if inside.iter().any(|br| !br.free || !br.comments.is_empty()) {
            continue;
        }
        let existing: Vec<usize> = inside.iter().map(|br| br.at - s).collect();
        let Some(new) = super::wrap::plan(tree, text, &slot, &existing, width) else {
            continue;
        };
        breaks.retain(|br| !(br.at > a && br.at < b));
        breaks.extend(new.into_iter().map(|at| Break {
            at: s + at,
            level: 1,
            free: true,
            comments: Vec::new(),
            gap: None,
        }));
        breaks.sort_by_key(|br| br.at);
        changed = true;
    }
    changed
}

/// ENV or LABEL in the legacy `KEY value` form: whitespace in the value is part of it.
fn legacy_pairs(inst: &Instruction) -> bool {
    match &inst.kind {
        InstructionKind::Env(kvs) | InstructionKind::Label(kvs) => kvs.iter().any(|kv| kv.legacy),
        InstructionKind::Onbuild(inner) => legacy_pairs(inner),
        _ => false,
    }
}

/// The blanks between the key and the value of a legacy `ENV key value` / `LABEL key value`
/// (not part of the value, which starts at its first non-blank), when they are more than one
/// space on one line.
fn legacy_gap(
    inst: &Instruction,
    joined: &str,
    breaks: &[Break],
    lines_at: &[(usize, usize, usize)],
) -> Option<(usize, usize)> {
    let (InstructionKind::Env(kvs) | InstructionKind::Label(kvs)) = &inst.kind else {
        return None;
    };
    let [kv] = kvs.as_slice() else { return None };
    let value = kv.value.as_ref()?;
    let a = to_joined(lines_at, kv.key.span.end)?;
    let b = to_joined(lines_at, value.span.start)?;
    let gap = joined.get(a..b)?;
    let blanks = !gap.is_empty() && gap.bytes().all(|c| matches!(c, b' ' | b'\t'));
    let broken = breaks.iter().any(|br| br.at >= a && br.at <= b);
    (kv.legacy && blanks && gap != " " && !broken).then_some((a, b))
}

/// The keyword upper-case and one space after it (and an ONBUILD trigger's keyword too).
fn keyword_line(line: &str, inst: &Instruction) -> Option<String> {
    let len = inst.keyword_span.len();
    let kw = line.get(..len)?;
    if inst.keyword == Keyword::Unknown || !kw.eq_ignore_ascii_case(inst.keyword.as_str()) {
        return Some(line.to_string());
    }
    let rest = &line[len..];
    let body = rest.trim_start();
    if body.is_empty() || body.len() == rest.len() {
        return Some(format!("{}{rest}", inst.keyword.as_str()));
    }
    let mut out = format!("{} ", inst.keyword.as_str());
    if inst.keyword == Keyword::Onbuild {
        // `onbuild run x` -> `ONBUILD RUN x` (only a trigger word followed by whitespace)
        if let Some(end) = body.find([' ', '\t'])
            && Keyword::parse(&body[..end]) != Keyword::Unknown
        {
            out.push_str(&body[..end].to_ascii_uppercase());
            out.push_str(&body[end..]);
            return Some(out);
        }
    }
    out.push_str(body);
    Some(out)
}

/// Breaks for a RUN whose top-level chain goes one command per line: a break after each
/// operator, the original breaks between commands dropped (their comments kept), the breaks
/// inside a command one level deeper. `Err` gives the breaks back when the text between two
/// commands is not just their operator.
fn split_chain(
    joined: &str,
    base: usize,
    links: &[chain::Link],
    breaks: Vec<Break>,
) -> Result<Vec<Break>, Vec<Break>> {
    let mut gaps: Vec<(usize, usize, &'static str, Vec<String>)> = Vec::new();
    for pair in links.windows(2) {
        let (a, b) = (base + pair[0].end, base + pair[1].start);
        let op = pair[0].op.unwrap_or("");
        if joined.get(a..b).map(str::trim) != Some(op) {
            return Err(breaks);
        }
        gaps.push((a, b, op, Vec::new()));
    }
    let first = base + links[0].start;
    let mut out = Vec::new();
    for mut br in breaks {
        if let Some(gap) = gaps.iter_mut().find(|g| br.at >= g.0 && br.at <= g.1) {
            gap.3.append(&mut br.comments);
            continue;
        }
        br.level = if br.at <= first { 1 } else { br.level + 1 };
        out.push(br);
    }
    for (a, b, op, comments) in gaps {
        out.push(Break {
            at: b,
            level: 1,
            free: true,
            comments,
            gap: Some((a, op)),
        });
    }
    out.sort_by_key(|b| b.at);
    Ok(out)
}

/// Runs of two or more blanks (or a tab) between words where whitespace is free, away from
/// the keyword and the line breaks: each becomes one space.
fn spaces_to_collapse(
    joined: &str,
    breaks: &[Break],
    free: impl Fn(usize) -> bool,
) -> Vec<(usize, usize)> {
    let bytes = joined.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b' ' | b'\t') {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let run = &joined[start..i];
        let near_break = breaks.iter().any(|b| b.at >= start && b.at <= i);
        if start > 0 && i < bytes.len() && run != " " && !near_break && free(start) {
            runs.push((start, i));
        }
    }
    runs
}

/// `joined[from..to]` with the collapsible runs inside it made one space each.
fn collapsed(joined: &str, from: usize, to: usize, runs: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(to.saturating_sub(from));
    let mut pos = from;
    for &(a, b) in runs {
        if a < from || b > to {
            continue;
        }
        out.push_str(joined.get(pos..a).unwrap_or(""));
        out.push(' ');
        pos = b;
    }
    out.push_str(joined.get(pos..to).unwrap_or(""));
    out
}

/// Lays the joined text out at its breaks.
fn draw(joined: &str, breaks: Vec<Break>, runs: &[(usize, usize)], esc: char) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut pos = 0;
    let mut trim_next = false;
    for br in breaks {
        if br.at < pos || br.at > joined.len() {
            continue;
        }
        let seg_text = collapsed(joined, pos, br.at, runs);
        let mut seg = seg_text.as_str();
        if trim_next {
            seg = seg.trim_start();
        }
        if let Some((from, op)) = br.gap
            && from >= pos
        {
            let before = collapsed(joined, pos, from, runs);
            cur.push_str(if trim_next {
                before.trim()
            } else {
                before.trim_end()
            });
            if op != ";" {
                cur.push(' ');
            }
            cur.push_str(op);
            cur.push(' ');
        } else if br.free {
            cur.push_str(seg.trim_end());
            if !cur.trim().is_empty() {
                cur.push(' ');
            }
        } else {
            cur.push_str(seg);
        }
        cur.push(esc);
        lines.push(std::mem::take(&mut cur));
        let indent = INDENT.repeat(br.level);
        for c in &br.comments {
            lines.push(format!("{indent}{c}"));
        }
        if br.free {
            cur = indent;
        }
        trim_next = br.free;
        pos = br.at;
    }
    let seg_text = collapsed(joined, pos, joined.len(), runs);
    let mut seg = seg_text.as_str();
    if trim_next {
        seg = seg.trim_start();
    }
    cur.push_str(seg);
    lines.push(cur);
    lines
}
