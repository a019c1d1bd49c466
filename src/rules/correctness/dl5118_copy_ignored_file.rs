//! DL5118: COPY/ADD of a path the build context's .dockerignore excludes (BuildKit's
//! CopyIgnoredFile).

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::{unquote, with_onbuild};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5118 `copy-ignored-file`.
pub struct CopyIgnoredFile;

impl Rule for CopyIgnoredFile {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5118",
            name: "copy-ignored-file",
            severity: Severity::Warning,
            summary: "COPY/ADD of a path the build context's .dockerignore excludes",
            aliases: &["CopyIgnoredFile"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some(ignore) = cx.settings.dockerignore.clone() else {
            return;
        };
        // As BuildKit: with `!` exceptions the outcome depends on the context's contents.
        if ignore.has_exclusions() {
            return;
        }
        let df = cx.dockerfile;
        for ins in with_onbuild(df) {
            if !matches!(ins.keyword, Keyword::Copy | Keyword::Add)
                || ins.flag_value("from").is_some()
            {
                continue;
            }
            let InstructionKind::Copy { sources, .. } = &ins.kind else {
                continue;
            };
            for src in sources {
                let path = unquote(&src.value);
                let heredoc = path.starts_with("<<");
                let remote = path.contains("://") || path.starts_with("git@");
                if heredoc || remote || path.contains('$') {
                    continue;
                }
                let cleaned = path.trim_start_matches("./").trim_start_matches('/');
                let whole = cleaned.is_empty() || cleaned == ".";
                let excluded = if whole {
                    ignore.excludes_everything()
                } else {
                    ignore.excludes(cleaned)
                };
                if excluded {
                    cx.report(
                        src.span,
                        format!(
                            "`{path}` is excluded by .dockerignore: the build sends no such file \
                             (the {} fails or copies nothing)",
                            ins.keyword.as_str()
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::dockerignore::Dockerignore;
    use crate::lint::RuleSettings;
    use crate::lint::testing::lines_with;
    use std::sync::Arc;

    fn with(ignore: &str) -> RuleSettings {
        RuleSettings {
            dockerignore: Some(Arc::new(Dockerignore::parse(ignore))),
            ..RuleSettings::default()
        }
    }

    #[test]
    fn flags_sources_the_ignore_file_excludes() {
        let src = "FROM node:22\nCOPY package.json ./\nCOPY node_modules/ ./node_modules/\n\
                   ADD logs/app.log /tmp/\nCOPY --from=build /app/node_modules /x\n";
        let s = with("node_modules\n**/*.log\n");
        assert_eq!(lines_with(&CopyIgnoredFile, src, &s), [3, 4]);
    }

    #[test]
    fn whole_context_only_when_everything_is_excluded() {
        let src = "FROM node:22\nCOPY . .\n";
        assert!(lines_with(&CopyIgnoredFile, src, &with("node_modules\n")).is_empty());
        assert_eq!(lines_with(&CopyIgnoredFile, src, &with("**\n")), [2]);
    }

    #[test]
    fn quiet_with_exceptions_or_without_an_ignore_file() {
        let src = "FROM node:22\nCOPY dist/app.js /app/\n";
        assert!(lines_with(&CopyIgnoredFile, src, &with("*\n!dist\n")).is_empty());
        assert!(lines_with(&CopyIgnoredFile, src, &RuleSettings::default()).is_empty());
        assert_eq!(lines_with(&CopyIgnoredFile, src, &with("dist\n")), [2]);
    }
}
