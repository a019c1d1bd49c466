//! DL5002: a `#` comment inside a continued RUN line swallows the commands after it.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5002 `comment-swallows-commands`.
pub struct CommentSwallowsCommands;

impl Rule for CommentSwallowsCommands {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5002",
            name: "comment-swallows-commands",
            severity: Severity::Error,
            summary: "A `#` comment in a continued RUN line turns the following lines into comment text",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let a = cx.analysis();
        for run in &a.runs {
            let Some(script) = &run.script else { continue };
            for c in &script.comments {
                let first = df.lines.line_col(&df.source, c.span.start).line;
                let last = df
                    .lines
                    .line_col(&df.source, c.span.end.saturating_sub(1).max(c.span.start))
                    .line;
                if last <= first {
                    continue;
                }
                // The text that came from the continuation lines.
                let next_line = df.lines.line_start(first + 1).unwrap_or(c.span.end);
                let swallowed: String = df
                    .source
                    .get(next_line..c.span.end)
                    .unwrap_or("")
                    .lines()
                    .map(|l| l.trim().trim_end_matches('\\').trim())
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .collect::<Vec<_>>()
                    .join(" ");
                if swallowed.is_empty() {
                    continue;
                }
                cx.report(
                    c.span,
                    format!(
                        "this `#` comment ends with a line continuation, so the shell also treats \
                         line{} {}-{last} as comment: `{}` never runs",
                        if last > first + 1 { "s" } else { "" },
                        first + 1,
                        truncate(&swallowed, 80)
                    ),
                );
            }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{lines, run as check};

    #[test]
    fn comment_swallows_next_line() {
        let src = "FROM alpine\nRUN apk add --virtual .build-deps gcc \\\n && pip install -r requirements.txt #&& \\\n    apk del .build-deps\n";
        let d = check(&CommentSwallowsCommands, src);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("apk del .build-deps"),
            "{}",
            d[0].message
        );
        assert_eq!(lines(&CommentSwallowsCommands, src), [3]);
    }

    #[test]
    fn comment_lines_and_trailing_comments_are_fine() {
        for src in [
            "FROM alpine\nRUN apk add gcc \\\n# a comment line\n && echo ok\n",
            "FROM alpine\nRUN echo ok # trailing\n",
            "FROM alpine\nRUN echo a#b \\\n && echo c\n",
        ] {
            assert!(lines(&CommentSwallowsCommands, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn heredoc_comments_are_fine() {
        let src = "FROM alpine\nRUN <<EOF\n# setup\napk add gcc\nEOF\n";
        assert!(lines(&CommentSwallowsCommands, src).is_empty());
    }
}
