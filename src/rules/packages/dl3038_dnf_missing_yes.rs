//! DL3038: Use the `-y` switch with `dnf install`.

use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3038 `dnf-missing-yes`.
pub struct DnfMissingYes;

impl Rule for DnfMissingYes {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3038",
            name: "dnf-missing-yes",
            severity: Severity::Warning,
            summary: "Use the `-y` switch with `dnf install`",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::missing_yes(cx, &[Manager::Dnf], |inv| {
            format!(
                "`dnf {}` without `-y` waits for confirmation and fails the build",
                inv.sub()
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn yes() {
        assert_eq!(
            lines(&DnfMissingYes, "FROM fedora\nRUN dnf install git\n"),
            [2]
        );
        assert!(lines(&DnfMissingYes, "FROM fedora\nRUN dnf install -y git\n").is_empty());
        assert!(lines(&DnfMissingYes, "FROM fedora\nRUN microdnf install git\n").is_empty());
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn adds_yes_safely() {
        assert_eq!(
            fixed(
                &DnfMissingYes,
                "FROM fedora\nRUN set -e; dnf install git; dnf clean all\n"
            ),
            "FROM fedora\nRUN set -e; dnf install -y git; dnf clean all\n"
        );
        let d = run(
            &DnfMissingYes,
            "FROM fedora\nRUN set -e; dnf install git; dnf clean all\n",
        );
        assert_eq!(
            d[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::lint::Applicability::Safe)
        );
    }
}
