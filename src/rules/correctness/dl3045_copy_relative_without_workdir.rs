//! DL3045: COPY to a relative destination before any WORKDIR in the stage.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::is_absolute_path;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `COPY app.py .` with no WORKDIR set: the file lands in whatever directory the base image chose.
pub struct CopyRelativeWithoutWorkdir;

impl Rule for CopyRelativeWithoutWorkdir {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3045",
            name: "copy-relative-without-workdir",
            severity: Severity::Warning,
            summary: "COPY to a relative destination without WORKDIR set",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let model = cx.model();
        for (i, ins) in cx.dockerfile.instructions.iter().enumerate() {
            if let (Keyword::Copy, InstructionKind::Copy { dest: Some(d), .. }) =
                (ins.keyword, &ins.kind)
                && !is_absolute_path(&d.value)
                && !model.workdir_set(i)
            {
                cx.report(
                    d.span,
                    format!(
                        "COPY to relative `{}` before any WORKDIR: set WORKDIR or use an absolute path",
                        d.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_relative_copy_before_workdir() {
        let src = "FROM a\nCOPY app.py .\nCOPY x app/\nWORKDIR /app\nCOPY y .\n";
        assert_eq!(lines(&CopyRelativeWithoutWorkdir, src), vec![2, 3]);
    }

    #[test]
    fn absolute_or_after_workdir_or_inherited_is_fine() {
        let src = "FROM a AS base\nWORKDIR /app\nFROM base\nCOPY . .\nFROM b\nCOPY x /app/\nCOPY y $DIR\n";
        assert!(lines(&CopyRelativeWithoutWorkdir, src).is_empty());
    }

    #[test]
    fn inherited_through_a_chain_of_stages_but_not_from_a_sibling() {
        let src =
            "FROM a AS one\nWORKDIR /app\nFROM one AS two\nFROM two\nCOPY . .\nFROM a\nCOPY y .\n";
        assert_eq!(lines(&CopyRelativeWithoutWorkdir, src), vec![7]);
        // before any FROM (an invalid file): up to the first WORKDIR
        let src = "COPY a .\nWORKDIR /w\nCOPY b .\nFROM x\nCOPY c .\n";
        assert_eq!(lines(&CopyRelativeWithoutWorkdir, src), vec![1, 5]);
    }
}
