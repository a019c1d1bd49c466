//! DL3002: the final image should not run as root.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{stage_instructions, unquote};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// The last USER in effect for the final stage is `root` (or UID 0).
pub struct LastUserRoot;

/// True for `root`, `0`, `root:group`, `0:0`.
pub fn is_root(user: &str) -> bool {
    let u = unquote(user);
    let name = u.split(':').next().unwrap_or("");
    name == "root" || name == "0"
}

impl Rule for LastUserRoot {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3002",
            name: "last-user-root",
            severity: Severity::Warning,
            summary: "Last USER should not be root",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let Some(last) = df.stages.len().checked_sub(1) else {
            return;
        };
        // the USER in effect: the last one in the final stage, else in the stages it builds on
        let user = cx.model().stage_chain(last).into_iter().find_map(|s| {
            stage_instructions(df, s)
                .filter_map(|i| match &i.kind {
                    InstructionKind::User(w) => Some(w),
                    _ => None,
                })
                .last()
        });
        if let Some(w) = user
            && is_root(&w.value)
        {
            cx.report(
                w.span,
                format!(
                    "the final image runs as `{}`: switch to an unprivileged USER at the end",
                    w.value
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
    fn flags_root_as_last_user_of_final_image() {
        assert_eq!(
            lines(&LastUserRoot, "FROM a\nUSER app\nRUN x\nUSER root\n"),
            vec![4]
        );
        assert_eq!(
            lines(
                &LastUserRoot,
                "FROM a AS base\nUSER 0:0\nFROM base\nRUN x\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn unprivileged_or_build_stage_root_is_fine() {
        assert!(
            lines(
                &LastUserRoot,
                "FROM a AS build\nUSER root\nFROM b\nUSER app\n"
            )
            .is_empty()
        );
        assert!(lines(&LastUserRoot, "FROM a AS build\nUSER root\nFROM b\n").is_empty());
        assert!(lines(&LastUserRoot, "FROM a\nUSER root\nRUN x\nUSER 1000\n").is_empty());
    }
}
