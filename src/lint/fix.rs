//! Applying the fixes rules attach to their findings.

use super::{Config, Diagnostic, Edit, Registry};

/// Applies the fixes of `diags` to `source`: fixes are taken in position order and a fix whose
/// edits overlap an already accepted edit is skipped (it can apply in a later round).
/// Returns the new text and the number of fixes applied.
pub fn apply(source: &str, diags: &[Diagnostic]) -> (String, usize) {
    let mut fixes: Vec<&super::Fix> = diags.iter().filter_map(|d| d.fix.as_ref()).collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min().unwrap_or(0));
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let valid = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= source.len()
                && source.is_char_boundary(e.span.start)
                && source.is_char_boundary(e.span.end)
        });
        let clashes = fix.edits.iter().enumerate().any(|(i, e)| {
            accepted.iter().any(|a| overlaps(a, e)) || fix.edits[..i].iter().any(|o| overlaps(o, e))
        });
        if fix.edits.is_empty() || !valid || clashes {
            continue;
        }
        accepted.extend(fix.edits.iter());
        applied += 1;
    }
    accepted.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
    let mut out = source.to_string();
    for e in accepted {
        out.replace_range(e.span.start..e.span.end, &e.replacement);
    }
    (out, applied)
}

/// Two edits conflict when their ranges intersect or both insert at the same point.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    if a.is_empty() || b.is_empty() {
        return a.start == b.start
            || (a.start > b.start && a.start < b.end)
            || (b.start > a.start && b.start < a.end);
    }
    a.start < b.end && b.start < a.end
}

/// The result of fixing one file.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The text after all rounds.
    pub source: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
    /// Findings left after fixing.
    pub remaining: Vec<Diagnostic>,
}

/// Lints (with the rules of `registry`) and fixes `source` repeatedly until no fix applies (at
/// most 10 rounds).
pub fn fix_source(registry: &Registry, source: &str, config: &Config) -> Fixed {
    let mut text = source.to_string();
    let mut applied = 0;
    for _ in 0..10 {
        let diags = super::lint_source(registry, &text, config);
        let (next, n) = apply(&text, &diags);
        if n == 0 || next == text {
            return Fixed {
                source: text,
                applied,
                remaining: diags,
            };
        }
        applied += n;
        text = next;
    }
    let remaining = super::lint_source(registry, &text, config);
    Fixed {
        source: text,
        applied,
        remaining,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::Span;
    use crate::lint::{Fix, Severity};

    fn diag(edits: &[(usize, usize, &str)]) -> Diagnostic {
        Diagnostic {
            rule: "DL0000",
            name: "test",
            severity: Severity::Info,
            message: String::new(),
            span: Span::new(0, 0),
            fix: Some(Fix {
                description: String::new(),
                edits: edits
                    .iter()
                    .map(|&(s, e, r)| Edit {
                        span: Span::new(s, e),
                        replacement: r.into(),
                    })
                    .collect(),
                applicability: crate::lint::Applicability::Safe,
            }),
        }
    }

    #[test]
    fn applies_non_overlapping_fixes_and_skips_clashes() {
        let src = "abcdef";
        let (out, n) = apply(
            src,
            &[
                diag(&[(0, 1, "A")]),
                diag(&[(0, 2, "XY")]),
                diag(&[(3, 3, "-"), (5, 6, "F")]),
            ],
        );
        assert_eq!((out.as_str(), n), ("Abc-deF", 2));
        // out-of-range or non-boundary edits are ignored rather than panicking
        let (out, n) = apply("é", &[diag(&[(1, 2, "x")]), diag(&[(0, 9, "x")])]);
        assert_eq!((out.as_str(), n), ("é", 0));
    }
}
