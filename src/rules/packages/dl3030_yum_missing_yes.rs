//! DL3030: Use the `-y` switch with `yum install`.

use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3030 `yum-missing-yes`.
pub struct YumMissingYes;

impl Rule for YumMissingYes {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3030",
            name: "yum-missing-yes",
            severity: Severity::Warning,
            summary: "Use the `-y` switch with `yum install`",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::missing_yes(cx, &[Manager::Yum], |inv| {
            format!(
                "`yum {}` without `-y` waits for confirmation and fails the build",
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
            lines(&YumMissingYes, "FROM centos:7\nRUN yum install httpd\n"),
            [2]
        );
        assert!(lines(&YumMissingYes, "FROM centos:7\nRUN yum install -y httpd\n").is_empty());
        assert!(lines(&YumMissingYes, "FROM centos:7\nRUN yum -y install httpd\n").is_empty());
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
                &YumMissingYes,
                "FROM centos\nRUN yum install httpd && yum clean all\n"
            ),
            "FROM centos\nRUN yum install -y httpd && yum clean all\n"
        );
        let d = run(
            &YumMissingYes,
            "FROM centos\nRUN yum install httpd && yum clean all\n",
        );
        assert_eq!(
            d[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::lint::Applicability::Safe)
        );
    }
}
