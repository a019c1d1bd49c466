//! DL3034: Use a non-interactive switch with `zypper install`.

use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3034 `zypper-missing-yes`.
pub struct ZypperMissingYes;

impl Rule for ZypperMissingYes {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3034",
            name: "zypper-missing-yes",
            severity: Severity::Warning,
            summary: "Use a non-interactive switch with `zypper install`",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::missing_yes(cx, &[Manager::Zypper], |inv| {
            format!(
                "`zypper {}` without `-n`/`-y` waits for confirmation",
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
            lines(
                &ZypperMissingYes,
                "FROM opensuse/leap\nRUN zypper install curl\n"
            ),
            [2]
        );
        assert!(
            lines(
                &ZypperMissingYes,
                "FROM opensuse/leap\nRUN zypper -n install curl\n"
            )
            .is_empty()
        );
        assert!(
            lines(
                &ZypperMissingYes,
                "FROM opensuse/leap\nRUN zypper in -y curl\n"
            )
            .is_empty()
        );
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
                &ZypperMissingYes,
                "FROM opensuse/leap\nRUN zypper install curl\n"
            ),
            "FROM opensuse/leap\nRUN zypper install -y curl\n"
        );
        let d = run(
            &ZypperMissingYes,
            "FROM opensuse/leap\nRUN zypper install curl\n",
        );
        assert_eq!(
            d[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::lint::Applicability::Safe)
        );
    }
}
