//! DL3021: COPY with several sources needs a destination directory ending in `/`.

use crate::dockerfile::{InstructionKind, Keyword, Span};
use crate::lint::helpers::unquote;
use crate::lint::helpers::with_onbuild;
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};

/// `COPY a b /dest` — the destination must be a directory, written with a trailing `/`.
pub struct CopyDestNotDirectory;

impl Rule for CopyDestNotDirectory {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3021",
            name: "copy-dest-not-directory",
            severity: Severity::Error,
            summary: "COPY with more than one source needs a destination ending in /",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in with_onbuild(df) {
            if ins.keyword != Keyword::Copy {
                continue;
            }
            let InstructionKind::Copy {
                sources,
                dest: Some(dest),
                ..
            } = &ins.kind
            else {
                continue;
            };
            let d = unquote(&dest.value);
            if sources.len() < 2
                || d.ends_with('/')
                || d.ends_with('\\')
                || d.contains('$')
                || d == "."
                || d == ".."
            {
                continue;
            }
            // Insert the slash inside the closing quote of a quoted destination. A quote that
            // is not closed (or not opened) gets no fix: no placement of the slash would make
            // the check pass, and each run would add another one.
            let raw = dest.span.text(&df.source);
            let quoted = raw.len() >= 2
                && ((raw.starts_with('"') && raw.ends_with('"'))
                    || (raw.starts_with('\'') && raw.ends_with('\'')));
            let at = if quoted {
                Some(dest.span.end - 1)
            } else if raw.contains(['"', '\'']) {
                None
            } else {
                Some(dest.span.end)
            };
            let fix = at.map(|at| {
                Fix::safe(
                    format!("write the destination as `{d}/`"),
                    vec![Edit {
                        span: Span::new(at, at),
                        replacement: "/".into(),
                    }],
                )
            });
            cx.report_with_fix(
                dest.span,
                format!(
                    "COPY with {} sources: destination `{d}` must be a directory ending in `/`",
                    sources.len()
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
    fn flags_multi_source_copy_to_non_directory() {
        let src = "FROM a\nCOPY a b /app\nCOPY [\"a\", \"b\", \"/x\"]\n";
        assert_eq!(lines(&CopyDestNotDirectory, src), vec![2, 3]);
        assert_eq!(
            fixed(&CopyDestNotDirectory, src),
            "FROM a\nCOPY a b /app/\nCOPY [\"a\", \"b\", \"/x/\"]\n"
        );
    }

    #[test]
    fn accepts_directory_destinations_and_single_sources() {
        let src = "FROM a\nCOPY a b /app/\nCOPY a /app\nCOPY --link a b c/\nCOPY a b $DEST\nCOPY a b .\nADD a b c\n";
        assert!(lines(&CopyDestNotDirectory, src).is_empty());
    }

    #[test]
    fn unbalanced_quotes_get_no_fix_and_fixing_converges() {
        // each of these once made every round add another `/`
        for src in [
            "FROM a\nCOPY a b /x\"\n",
            "FROM a\nCOPY a b '/x\"\n",
            "FROM a\nCOPY a b \"/x\n",
        ] {
            let cfg = crate::lint::Config::default();
            let f = crate::lint::fix::fix_source(crate::rules::registry(), src, &cfg);
            assert!(f.converged, "{src:?}");
            assert!(
                f.source.matches('/').count() <= 2,
                "{src:?} -> {:?}",
                f.source
            );
            let again = crate::lint::fix::fix_source(crate::rules::registry(), &f.source, &cfg);
            assert_eq!(again.source, f.source, "{src:?}");
        }
        assert_eq!(
            fixed(&CopyDestNotDirectory, "FROM a\nCOPY a b '/x'\n"),
            "FROM a\nCOPY a b '/x/'\n"
        );
    }
}
