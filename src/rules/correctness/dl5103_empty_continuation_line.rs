//! DL5103 (BuildKit NoEmptyContinuation): an empty line inside a continued instruction.

use crate::dockerfile::Span;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// A blank line in the middle of a `\`-continued instruction: deprecated, a future error.
pub struct EmptyContinuationLine;

impl Rule for EmptyContinuationLine {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5103",
            name: "empty-continuation-line",
            severity: Severity::Warning,
            summary: "Empty line inside a continued instruction",
            fix: Some(Applicability::Safe),
            aliases: &["NoEmptyContinuation"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let src = df.source.as_str();
        for ins in &df.instructions {
            for &line in &ins.empty_continuation_lines {
                // the span covers the line's whitespace; delete it with its line break
                let rest = src.get(line.end..).unwrap_or("");
                let brk = if rest.starts_with("\r\n") {
                    2
                } else if rest.starts_with('\n') {
                    1
                } else {
                    0
                };
                let fix = Fix {
                    description: "remove the empty line".into(),
                    edits: vec![Edit {
                        span: Span::new(line.start, line.end + brk),
                        replacement: String::new(),
                    }],
                    applicability: crate::lint::Applicability::Safe,
                };
                cx.report_with_fix(
                    line,
                    format!(
                        "empty line inside a continued {}: BuildKit warns and will reject it in the future",
                        ins.keyword.as_str()
                    ),
                    Some(fix),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_and_removes_empty_continuation_lines() {
        let src = "FROM a\nRUN a \\\n\n    && b\n";
        assert_eq!(lines(&EmptyContinuationLine, src), vec![3]);
        assert_eq!(
            fixed(&EmptyContinuationLine, src),
            "FROM a\nRUN a \\\n    && b\n"
        );
    }

    #[test]
    fn comment_lines_and_plain_blank_lines_are_fine() {
        let src = "FROM a\n\nRUN a \\\n# note\n    && b\n\n";
        assert!(lines(&EmptyContinuationLine, src).is_empty());
    }
}
