//! Inline ignores: `# dlint ignore=ID,…` (or `hadolint`) on the comment lines directly above
//! an instruction, `# dlint stage ignore=…` for the following stage, `# dlint global ignore=…`
//! for the file, and BuildKit's `# check=skip=Name,…` (directive or comment above an
//! instruction) for the BuildKit check names that map to dlint rules.

use super::diagnostic::{Diagnostic, Severity};
use super::registry::{Registry, UNUSED_IGNORE_ID, UNUSED_IGNORE_NAME};
use crate::dockerfile::{Dockerfile, Span};
use std::collections::HashMap;

/// What an ignore comment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The instruction right below the comment block.
    Next,
    /// The stage of the next instruction.
    Stage,
    /// The whole file.
    Global,
}

/// A parsed ignore comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    pub scope: Scope,
    /// Codes as written (rule ids/names, or BuildKit check names).
    pub codes: Vec<String>,
    /// A BuildKit `check=skip=` directive rather than a dlint/hadolint comment.
    pub buildkit: bool,
    /// `check=skip=all`.
    pub all: bool,
}

/// Parses the text of a comment (after the `#`) as an ignore pragma.
pub fn parse_pragma(text: &str) -> Option<Pragma> {
    let text = text.trim();
    if let Some(rest) = strip_word(text, "dlint").or_else(|| strip_word(text, "hadolint")) {
        // a second `#` starts a free comment
        let rest = rest.split('#').next().unwrap_or("").trim();
        let (scope, rest) = if let Some(r) = strip_word(rest, "global") {
            (Scope::Global, r)
        } else if let Some(r) = strip_word(rest, "stage") {
            (Scope::Stage, r)
        } else {
            (Scope::Next, rest)
        };
        let rest = rest.trim_start().strip_prefix("ignore")?.trim_start();
        let list = rest.strip_prefix('=')?;
        let codes: Vec<String> = list
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        if codes.is_empty() {
            return None;
        }
        return Some(Pragma {
            scope,
            codes,
            buildkit: false,
            all: false,
        });
    }
    let value = text.strip_prefix("check")?.trim_start().strip_prefix('=')?;
    for part in value.split(';') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        if k.trim() == "skip" {
            let v = v.trim();
            let codes: Vec<String> = v
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            return Some(Pragma {
                scope: Scope::Next,
                all: v == "all",
                codes,
                buildkit: true,
            });
        }
    }
    None
}

fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = text
        .get(..word.len())
        .filter(|h| h.eq_ignore_ascii_case(word))
        .map(|_| &text[word.len()..])?;
    if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        Some(rest.trim_start())
    } else {
        None
    }
}

#[derive(Debug)]
struct Code {
    raw: String,
    ids: Vec<&'static str>,
    used: bool,
}

#[derive(Debug)]
struct Entry {
    span: Span,
    target: Target,
    codes: Vec<Code>,
    all: bool,
    used_all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    /// Instructions whose first line is this 1-based line.
    Line(usize),
    Stage(usize),
    Global,
}

/// The ignore comments of one file, tracking which ones suppressed something.
#[derive(Debug)]
pub struct Ignores {
    entries: Vec<Entry>,
    /// (start, end, first line, stage) of each top-level instruction.
    instructions: Vec<(usize, usize, usize, Option<usize>)>,
    /// 1-based line -> line of the instruction (or other anchor) the comment block above it reaches.
    anchor_of_comment_line: HashMap<usize, usize>,
    /// Ids of the rules that answer to a BuildKit check name (covered by `check=skip=all`).
    buildkit_named: Vec<&'static str>,
    /// Indexes into `entries` by target, so a finding only looks at the ignores that can
    /// apply to it (not at every ignore of the file).
    by_target: HashMap<Target, Vec<usize>>,
}

impl Ignores {
    /// Collects the ignore comments of `df`.
    pub fn new(df: &Dockerfile, registry: &Registry) -> Self {
        let line_of = |off: usize| df.lines.line_col(&df.source, off).line;
        let instructions: Vec<(usize, usize, usize, Option<usize>)> = df
            .instructions
            .iter()
            .map(|i| (i.span.start, i.span.end, line_of(i.span.start), i.stage))
            .collect();
        // comment lines outside instructions, by line
        let mut comment_lines: HashMap<usize, usize> = HashMap::new();
        for (k, c) in df.comments.iter().enumerate() {
            if !c.inside_instruction {
                comment_lines.insert(line_of(c.span.start), k);
            }
        }
        for d in &df.directives {
            comment_lines
                .entry(line_of(d.span.start))
                .or_insert(usize::MAX);
        }
        // each comment line -> the line right below its contiguous block (one bottom-up pass:
        // a block of n comment lines costs O(n), not O(n^2))
        let mut lines: Vec<usize> = comment_lines.keys().copied().collect();
        lines.sort_unstable_by(|a, b| b.cmp(a));
        let mut anchor_of_comment_line = HashMap::with_capacity(lines.len());
        let mut below_prev: Option<(usize, usize)> = None;
        for line in lines {
            let below = match below_prev {
                Some((l, anchor)) if l == line + 1 => anchor,
                _ => line + 1,
            };
            anchor_of_comment_line.insert(line, below);
            below_prev = Some((line, below));
        }
        let mut ig = Ignores {
            entries: Vec::new(),
            instructions,
            anchor_of_comment_line,
            buildkit_named: registry
                .infos()
                .iter()
                .filter(|i| i.buildkit_names().next().is_some())
                .map(|i| i.id)
                .collect(),
            by_target: HashMap::new(),
        };
        let mut seen_spans = Vec::new();
        for d in df.directives.iter().filter(|d| d.name == "check") {
            if let Some(p) = parse_pragma(&format!("check={}", d.value)) {
                seen_spans.push(d.span);
                ig.push(p, Target::Global, d.span, registry);
            }
        }
        for c in df.comments.iter().filter(|c| !c.inside_instruction) {
            if seen_spans
                .iter()
                .any(|s| s.start <= c.span.start && c.span.start < s.end.max(s.start + 1))
            {
                continue;
            }
            let Some(p) = parse_pragma(&c.text) else {
                continue;
            };
            let line = line_of(c.span.start);
            let target = match p.scope {
                Scope::Global => Target::Global,
                Scope::Next => Target::Line(
                    ig.anchor_of_comment_line
                        .get(&line)
                        .copied()
                        .unwrap_or(line + 1),
                ),
                Scope::Stage => {
                    // instructions are in file order: binary search, not a scan per comment
                    let next = ig
                        .instructions
                        .partition_point(|(s, ..)| *s <= c.span.start);
                    let stage = ig.instructions.get(next).and_then(|(.., st)| *st);
                    match stage {
                        Some(s) => Target::Stage(s),
                        None => continue,
                    }
                }
            };
            ig.push(p, target, c.span, registry);
        }
        ig
    }

    fn push(&mut self, p: Pragma, target: Target, span: Span, registry: &Registry) {
        let codes = p
            .codes
            .iter()
            .filter(|c| !(p.all && c.as_str() == "all"))
            .map(|raw| Code {
                ids: if p.buildkit {
                    registry.buildkit_rules(raw)
                } else {
                    registry.lookup(raw).map(|i| vec![i.id]).unwrap_or_default()
                },
                raw: raw.clone(),
                used: false,
            })
            .collect();
        self.by_target
            .entry(target)
            .or_default()
            .push(self.entries.len());
        self.entries.push(Entry {
            span,
            target,
            codes,
            all: p.all,
            used_all: false,
        });
    }

    /// The (first line, stage) of the instruction containing `offset`.
    fn locate(&self, offset: usize) -> Option<(usize, Option<usize>)> {
        let idx = self.instructions.partition_point(|(s, ..)| *s <= offset);
        let (_, end, line, stage) = *self.instructions.get(idx.checked_sub(1)?)?;
        (offset <= end).then_some((line, stage))
    }

    /// True when an ignore covers `d`; marks that ignore as used.
    pub fn suppresses(&mut self, d: &Diagnostic, df: &Dockerfile) -> bool {
        let (line, stage) = match self.locate(d.span.start) {
            Some(x) => x,
            None => (df.lines.line_col(&df.source, d.span.start).line, None),
        };
        let mut hit = false;
        let targets = [
            Some(Target::Global),
            Some(Target::Line(line)),
            stage.map(Target::Stage),
        ];
        let applicable: Vec<usize> = targets
            .into_iter()
            .flatten()
            .filter_map(|t| self.by_target.get(&t))
            .flatten()
            .copied()
            .collect();
        for i in applicable {
            let Some(e) = self.entries.get_mut(i) else {
                continue;
            };
            if e.all && self.buildkit_named.contains(&d.rule) {
                e.used_all = true;
                hit = true;
            }
            for c in &mut e.codes {
                // `--shellcheck` findings carry codes no rule of dlint has
                let external = d.name == super::external_shellcheck::NAME
                    && c.raw.eq_ignore_ascii_case(d.rule);
                if c.ids.contains(&d.rule) || external {
                    c.used = true;
                    hit = true;
                }
            }
        }
        hit
    }

    /// DL5100 findings for ignored codes that suppressed nothing. `active` says whether a rule
    /// id ran at all (an ignore of a disabled rule is not reported).
    pub fn unused(&self, active: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for e in &self.entries {
            for c in &e.codes {
                if c.used || c.ids.is_empty() || !c.ids.iter().any(|id| active(id)) {
                    continue;
                }
                let what = match e.target {
                    Target::Global => "in this file",
                    Target::Line(_) => "on the next instruction",
                    Target::Stage(_) => "in this stage",
                };
                out.push(Diagnostic {
                    rule: UNUSED_IGNORE_ID,
                    name: UNUSED_IGNORE_NAME,
                    severity: Severity::Warning,
                    message: format!(
                        "ignore of `{}` suppressed nothing: no such finding {what}",
                        c.raw
                    ),
                    span: e.span,
                    fix: None,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: &Pragma) -> Vec<&str> {
        p.codes.iter().map(String::as_str).collect()
    }

    #[test]
    fn parses_dlint_and_hadolint_pragmas() {
        let p = parse_pragma(" hadolint ignore=DL3003,SC1035").unwrap();
        assert_eq!(
            (p.scope, codes(&p)),
            (Scope::Next, vec!["DL3003", "SC1035"])
        );
        let p = parse_pragma(" dlint ignore = DL3008 , apt-lists-not-removed # because").unwrap();
        assert_eq!(codes(&p), vec!["DL3008", "apt-lists-not-removed"]);
        let p = parse_pragma("dlint global ignore=DL3059").unwrap();
        assert_eq!(p.scope, Scope::Global);
        let p = parse_pragma("hadolint stage ignore=DL3002").unwrap();
        assert_eq!(p.scope, Scope::Stage);
        assert_eq!(parse_pragma(" just a comment about dlint ignore=x"), None);
        assert_eq!(parse_pragma(" dlintignore=DL3008"), None);
        assert_eq!(parse_pragma(" dlint ignore="), None);
        assert_eq!(parse_pragma(" hadolint shell=powershell"), None);
    }

    #[test]
    fn parses_buildkit_check_skip() {
        let p = parse_pragma("check=skip=JSONArgsRecommended,StageNameCasing;error=true").unwrap();
        assert!(p.buildkit && !p.all);
        assert_eq!(codes(&p), vec!["JSONArgsRecommended", "StageNameCasing"]);
        assert!(parse_pragma("check=skip=all").unwrap().all);
        assert_eq!(parse_pragma("check=error=true"), None);
    }
}
