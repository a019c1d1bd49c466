//! DL3045: COPY to a relative destination before any WORKDIR in the stage.

use crate::dockerfile::{Instruction, InstructionKind, Keyword};
use crate::lint::helpers::{is_absolute_path, stage_instructions};
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
        let df = cx.dockerfile;
        // Instructions before any FROM (an invalid file, DL3061) have no WORKDIR either.
        let before_from = df.instructions.iter().take_while(|i| i.stage.is_none());
        report_until_workdir(cx, before_from);
        for stage in 0..df.stages.len() {
            let inherited = cx
                .model()
                .stage_chain(stage)
                .into_iter()
                .skip(1)
                .any(|s| stage_instructions(df, s).any(|i| i.keyword == Keyword::Workdir));
            if !inherited {
                report_until_workdir(cx, stage_instructions(df, stage));
            }
        }
    }
}

/// Reports every COPY to a relative destination among `instructions` up to the first WORKDIR.
fn report_until_workdir<'d>(
    cx: &mut Context<'_>,
    instructions: impl Iterator<Item = &'d Instruction>,
) {
    for ins in instructions {
        if ins.keyword == Keyword::Workdir {
            break;
        }
        if let (Keyword::Copy, InstructionKind::Copy { dest: Some(d), .. }) =
            (ins.keyword, &ins.kind)
            && !is_absolute_path(&d.value)
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
}
