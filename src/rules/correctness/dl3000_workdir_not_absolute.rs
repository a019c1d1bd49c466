//! DL3000: WORKDIR must be an absolute path.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::is_absolute_path;
use crate::lint::helpers::with_onbuild;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// WORKDIR with a relative path depends on whatever WORKDIR the base image set.
pub struct WorkdirNotAbsolute;

impl Rule for WorkdirNotAbsolute {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3000",
            name: "workdir-not-absolute",
            severity: Severity::Error,
            summary: "WORKDIR must be an absolute path",
            fix: None,
            aliases: &["WorkdirRelativePath"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in with_onbuild(df) {
            if let InstructionKind::Workdir(w) = &ins.kind
                && !w.value.trim().is_empty()
                && !is_absolute_path(&w.value)
            {
                cx.report(
                    w.span,
                    format!("WORKDIR `{}` is relative; use an absolute path", w.value),
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
    fn flags_relative_workdir() {
        assert_eq!(
            lines(&WorkdirNotAbsolute, "FROM a\nWORKDIR app\nWORKDIR ./x\n"),
            vec![2, 3]
        );
    }

    #[test]
    fn accepts_absolute_variables_and_windows() {
        let src = "FROM a\nWORKDIR /app\nWORKDIR $HOME/x\nWORKDIR ${DIR}\nWORKDIR \"/q\"\nWORKDIR C:\\\\app\nWORKDIR c:/app\n";
        assert!(lines(&WorkdirNotAbsolute, src).is_empty());
    }
}
