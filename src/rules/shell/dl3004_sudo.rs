//! DL3004: Do not use sudo.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL3004 `sudo`.
pub struct Sudo;

impl Rule for Sudo {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3004",
            name: "sudo",
            severity: Severity::Error,
            summary: "Do not use sudo",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::each_command(cx, |c| {
            let uses = c
                .words
                .get(..c.start.max(1))?
                .iter()
                .any(|w| crate::shell::basename(&w.value) == "sudo");
            if !uses {
                return None;
            }
            Some((
                c.span,
                "`sudo` in a build has unpredictable TTY and signal behaviour; RUN already runs as \
                 the current USER (switch with `USER`)"
                    .into(),
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn sudo() {
        assert_eq!(lines(&Sudo, "FROM debian\nRUN sudo apt-get update\n"), [2]);
        assert_eq!(lines(&Sudo, "FROM debian\nRUN sudo -u app make\n"), [2]);
        assert!(lines(&Sudo, "FROM debian\nRUN apt-get install -y sudo\n").is_empty());
    }
}
