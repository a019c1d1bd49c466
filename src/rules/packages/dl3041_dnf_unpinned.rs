//! DL3041: Pin versions in `dnf install`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3041 `dnf-unpinned`.
pub struct DnfUnpinned;

impl Rule for DnfUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3041",
            name: "dnf-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in `dnf install`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::unpinned(
            cx,
            &[Manager::Dnf, Manager::Microdnf],
            |_| false,
            |inv, p| {
                if inv.sub() == "module" {
                    format!(
                        "pin the stream of module `{}` in `{} module install` (`{}:<stream>`)",
                        p.name,
                        inv.manager.as_str(),
                        p.name
                    )
                } else {
                    format!(
                        "pin the version of `{}` in `{} {}` (`{}-<version>`)",
                        p.name,
                        inv.manager.as_str(),
                        inv.sub(),
                        p.name
                    )
                }
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
                &DnfUnpinned,
                "FROM fedora\nRUN dnf install -y git python3-devel-3.12.1\n"
            ),
            [2]
        );
        assert!(lines(&DnfUnpinned, "FROM fedora\nRUN dnf install -y git-2.43.0\n").is_empty());
        assert!(
            lines(
                &DnfUnpinned,
                "FROM fedora\nRUN dnf module install -y nodejs:18/common\n"
            )
            .len()
                <= 1
        );
    }
}
