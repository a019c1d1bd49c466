//! DL3035: Do not use `zypper dist-upgrade`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3035 `zypper-dist-upgrade`.
pub struct ZypperDistUpgrade;

impl Rule for ZypperDistUpgrade {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3035",
            name: "zypper-dist-upgrade",
            severity: Severity::Warning,
            summary: "Do not use `zypper dist-upgrade`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::each_invocation(cx, &[Manager::Zypper], |inv| {
            if !matches!(inv.sub(), "dist-upgrade" | "dup") {
                return Vec::new();
            }
            vec![(
                inv.cmd.span,
                format!(
                    "`zypper {}` upgrades the whole distribution; pin a newer base image instead",
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
    fn dup() {
        assert_eq!(
            lines(
                &ZypperDistUpgrade,
                "FROM opensuse/leap\nRUN zypper dup -y\n"
            ),
            [2]
        );
        assert!(lines(&ZypperDistUpgrade, "FROM opensuse/leap\nRUN zypper up -y\n").is_empty());
    }
}
