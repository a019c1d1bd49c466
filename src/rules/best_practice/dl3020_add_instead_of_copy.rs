//! DL3020: use COPY instead of ADD for files and folders.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::unquote;
use crate::lint::helpers::with_onbuild;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

use super::dl3010_copy_archive_then_extract::is_tar_archive;

/// `ADD src/ /app/`: ADD's URL fetching and archive extraction are surprises when all you
/// want is a copy.
pub struct AddInsteadOfCopy;

/// True for what only ADD handles: URLs and git repositories.
pub fn is_remote(src: &str) -> bool {
    let s = unquote(src).to_ascii_lowercase();
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("git@")
        || s.starts_with("git://")
        || s.starts_with("ssh://")
}

/// Extensions of single-file compressed archives ADD also decompresses.
const COMPRESSED: &[&str] = &[".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma", ".z"];

impl Rule for AddInsteadOfCopy {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3020",
            name: "add-instead-of-copy",
            severity: Severity::Error,
            summary: "Use COPY instead of ADD for files and folders",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in with_onbuild(df) {
            if ins.keyword != Keyword::Add {
                continue;
            }
            let InstructionKind::Copy { sources, .. } = &ins.kind else {
                continue;
            };
            let special = |s: &str| {
                let l = unquote(s).to_ascii_lowercase();
                is_remote(s)
                    || is_tar_archive(&l)
                    || COMPRESSED.iter().any(|e| l.ends_with(e))
                    || s.contains('$')
            };
            if sources.is_empty() || sources.iter().any(|s| special(&s.value)) {
                continue;
            }
            // COPY has no --checksum / --keep-git-dir / --unpack
            let fixable = ins.flags.iter().all(|f| {
                matches!(
                    f.name.as_str(),
                    "chown" | "chmod" | "link" | "exclude" | "parents"
                )
            });
            let kw = ins.keyword_span.text(&df.source);
            let fix = fixable.then(|| Fix {
                description: "replace ADD with COPY".into(),
                edits: vec![Edit {
                    span: ins.keyword_span,
                    replacement: super::same_case("COPY", kw),
                }],
                applicability: crate::lint::Applicability::Safe,
            });
            let names: Vec<&str> = sources.iter().map(|s| s.value.as_str()).collect();
            cx.report_with_fix(
                ins.keyword_span,
                format!(
                    "ADD of local `{}`: use COPY (ADD is for URLs and tar archives)",
                    names.join(" ")
                ),
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_and_fixes_plain_add() {
        let src = "FROM a\nADD src/ /app/\nadd --chown=1:1 a.txt /b\n";
        assert_eq!(lines(&AddInsteadOfCopy, src), vec![2, 3]);
        assert_eq!(
            fixed(&AddInsteadOfCopy, "FROM a\nONBUILD ADD x /x\n"),
            "FROM a\nONBUILD COPY x /x\n"
        );
        assert_eq!(
            fixed(&AddInsteadOfCopy, src),
            "FROM a\nCOPY src/ /app/\ncopy --chown=1:1 a.txt /b\n"
        );
    }

    #[test]
    fn urls_archives_and_variables_are_fine() {
        let src = "FROM a\nADD https://x.io/a /a\nADD app.tar.gz /opt/\nADD git@github.com:a/b.git /src\nADD $SRC /d\nADD a.gz /d/\n";
        assert!(lines(&AddInsteadOfCopy, src).is_empty());
    }
}
