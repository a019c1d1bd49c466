//! What `dlint fix` really delivers: the fix loop run in memory over all its rounds, once with
//! the safe fixes and once with `--unsafe-fixes`, and each priced finding classed by the first
//! mode whose fixed file no longer leaves its bytes. A finding is followed into the fixed file
//! through the edits of every round (a RUN merged into another one is followed into it), so a
//! finding whose own fix is missing but that another fix resolves (`apt-get update` merged into
//! the RUN that installs, then cleaned there) is priced as fixable, and a finding whose fix the
//! loop never applies (it clashes, or a later round undoes the reason) stays manual.

use super::{Finding, FixKind, SIZE_RULES, Status, line_of};
use crate::dockerfile::{self, Dockerfile};
use crate::lint::fix::{FixMode, Fixed, fix_with, map_offset};
use crate::lint::{Config, Diagnostic};
use serde::Serialize;

/// Bytes the fixes remove, by how they are applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Fixable {
    /// Removed by `dlint fix`.
    pub safe: u64,
    /// Removed by `dlint fix --unsafe-fixes` on top of `safe`.
    #[serde(rename = "unsafe")]
    pub unsafe_: u64,
    /// Left for a person to remove.
    pub manual: u64,
}

/// One mode's fix loop: the fixed file and the findings left in it.
struct Outcome {
    fixed: Fixed,
    df: Dockerfile,
}

impl Outcome {
    fn run(source: &str, config: &Config, unsafe_fixes: bool) -> Outcome {
        let fixed = fix_with(
            crate::rules::registry(),
            source,
            config,
            FixMode { unsafe_fixes },
        );
        let df = dockerfile::parse(&fixed.source);
        Outcome { fixed, df }
    }

    /// The instruction of the fixed file that holds what the original's instruction at
    /// `offset` became.
    fn follow(&self, offset: usize) -> Option<usize> {
        let o = self
            .fixed
            .rounds
            .iter()
            .fold(offset, |o, edits| map_offset(o, edits));
        super::instruction_at(&self.df, o)
    }

    /// True when the fixed file has no finding of `rule` on `ins`.
    fn resolved(&self, rule: &str, ins: usize) -> bool {
        !self.fixed.remaining.iter().any(|d: &Diagnostic| {
            d.rule == rule && super::instruction_at(&self.df, d.span.start) == Some(ins)
        })
    }
}

/// Classes the measured findings of a lint rule by the fix loop that removes them (the
/// optimizer's own kinds, which no fix addresses, stay manual) and returns the totals.
pub(super) fn classify(df: &Dockerfile, config: &Config, findings: &mut [Finding]) -> Fixable {
    let measured = |f: &Finding| f.status == Status::Measured && f.bytes.is_some();
    let mut totals = Fixable::default();
    if !findings.iter().any(measured) {
        return totals;
    }
    let safe = Outcome::run(&df.source, config, false);
    let unsafe_ = Outcome::run(&df.source, config, true);
    for f in findings.iter_mut() {
        if measured(f) && SIZE_RULES.contains(&f.rule.as_str()) {
            let start = f.line.and_then(|l| {
                df.instructions
                    .iter()
                    .find(|i| {
                        line_of(df, i.span.start) <= l
                            && l <= line_of(df, i.span.end.saturating_sub(1).max(i.span.start))
                    })
                    .map(|i| i.span.start)
            });
            f.fix = match start {
                Some(o) if safe.follow(o).is_some_and(|i| safe.resolved(&f.rule, i)) => {
                    FixKind::Safe
                }
                Some(o)
                    if unsafe_
                        .follow(o)
                        .is_some_and(|i| unsafe_.resolved(&f.rule, i)) =>
                {
                    FixKind::Unsafe
                }
                _ => FixKind::Manual,
            };
        }
        if measured(f) {
            let b = f.bytes.unwrap_or(0);
            match f.fix {
                FixKind::Safe => totals.safe += b,
                FixKind::Unsafe => totals.unsafe_ += b,
                FixKind::Manual => totals.manual += b,
            }
        }
    }
    totals
}
