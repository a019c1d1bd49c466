//! DL3037: Pin versions in `zypper install`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3037 `zypper-unpinned`.
pub struct ZypperUnpinned;

impl Rule for ZypperUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3037",
            name: "zypper-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in `zypper install`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::unpinned(
            cx,
            &[Manager::Zypper],
            |_| false,
            |_, p| {
                format!(
                    "pin the version of `{}` in `zypper install` (`{}=<version>`)",
                    p.name, p.name
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn pins() {
        assert_eq!(
            lines(
                &ZypperUnpinned,
                "FROM opensuse/leap\nRUN zypper -n in curl\n"
            ),
            [2]
        );
        assert!(
            lines(
                &ZypperUnpinned,
                "FROM opensuse/leap\nRUN zypper -n in curl=8.0 \"git>=2\"\n"
            )
            .is_empty()
        );
    }
}
