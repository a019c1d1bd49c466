//! DL5154: a misspelled `# syntax=` parser directive: a misspelled name (`# sytnax=`) is a plain
//! comment, so the frontend it names is silently not used; a misspelled frontend image
//! (`docker/dokcerfile:1`) fails the build.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5154 `syntax-directive-typo`.
pub struct SyntaxDirectiveTypo;

/// The frontends people mean.
const FRONTENDS: &[&str] = &["docker/dockerfile", "docker.io/docker/dockerfile"];

impl Rule for SyntaxDirectiveTypo {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5154",
            name: "syntax-directive-typo",
            severity: Severity::Error,
            summary: "A misspelled `# syntax=` directive",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        // directives are the comment lines before the first instruction
        let first = df.instructions.first().map_or(usize::MAX, |i| i.span.start);
        let mut found = Vec::new();
        for c in df.comments.iter().filter(|c| c.span.start < first) {
            let Some((name, value)) = c.text.split_once('=') else {
                continue;
            };
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim();
            if name.is_empty() || name.contains(char::is_whitespace) || value.is_empty() {
                continue;
            }
            if name != "syntax" {
                if !matches!(name.as_str(), "escape" | "check")
                    && strsim::levenshtein(&name, "syntax") <= 2
                {
                    found.push((
                        c.span,
                        format!(
                            "`# {name}=` is not a parser directive, so this comment is ignored: \
                             write `# syntax={value}`"
                        ),
                    ));
                }
                continue;
            }
            let image = value.split(['@', ':']).next().unwrap_or(value);
            if FRONTENDS.contains(&image) {
                continue;
            }
            if let Some(meant) = FRONTENDS
                .iter()
                .find(|f| (1..=2).contains(&strsim::levenshtein(image, f)))
            {
                found.push((
                    c.span,
                    format!(
                        "`{image}` is no frontend image; `{meant}` is meant, and the build fails \
                         pulling this one"
                    ),
                ));
            }
        }
        for (span, msg) in found {
            cx.report(span, msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_misspellings() {
        assert_eq!(
            lines(
                &SyntaxDirectiveTypo,
                "# sytnax=docker/dockerfile:1\nFROM alpine\n"
            ),
            [1]
        );
        assert_eq!(
            lines(
                &SyntaxDirectiveTypo,
                "# syntax=docker/dokcerfile:1.7\nFROM alpine\n"
            ),
            [1]
        );
    }

    #[test]
    fn correct_directives_and_comments_pass() {
        for src in [
            "# syntax=docker/dockerfile:1\nFROM alpine\n",
            "# syntax=docker.io/docker/dockerfile:1.7@sha256:abc\nFROM alpine\n",
            "# syntax=tonistiigi/dockerfile:master\nFROM alpine\n",
            "# escape=`\nFROM alpine\n",
            "FROM alpine\n# sytnax=docker/dockerfile:1\n",
            "# a comment about syntax = things\nFROM alpine\n",
        ] {
            assert!(lines(&SyntaxDirectiveTypo, src).is_empty(), "{src}");
        }
    }
}
