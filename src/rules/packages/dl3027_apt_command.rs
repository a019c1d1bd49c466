//! DL3027: Do not use `apt`; use `apt-get` or `apt-cache`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3027 `apt-command`.
pub struct AptCommand;

impl Rule for AptCommand {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3027",
            name: "apt-command",
            severity: Severity::Warning,
            summary: "Do not use `apt`; use `apt-get` or `apt-cache`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::each_invocation(cx, &[Manager::Apt], |inv| {
            vec![(
                inv.cmd.span,
                format!(
                    "`apt {}` is meant for interactive use and has no stable CLI; use `apt-get` or \
                     `apt-cache`",
                    inv.sub()
                ),
            )]
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn apt() {
        assert_eq!(
            lines(
                &AptCommand,
                "FROM debian:12\nRUN apt update && apt install -y x\n"
            ),
            [2, 2]
        );
        assert!(lines(&AptCommand, "FROM debian:12\nRUN apt-get update\n").is_empty());
    }
}
