//! DL3033: Pin versions in `yum install`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3033 `yum-unpinned`.
pub struct YumUnpinned;

impl Rule for YumUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3033",
            name: "yum-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in `yum install`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::unpinned(
            cx,
            &[Manager::Yum],
            // `yum module install` (yum is dnf on RHEL 8+) pins a module by its stream
            |inv| !matches!(inv.sub(), "install" | "module"),
            |inv, p| {
                if inv.sub() == "module" {
                    format!(
                        "pin the stream of module `{}` in `yum module install` (`{}:<stream>`)",
                        p.name, p.name
                    )
                } else {
                    format!(
                        "pin the version of `{}` in `yum install` (`{}-<version>`)",
                        p.name, p.name
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
        let src = "FROM centos:7\nRUN yum install -y httpd-2.4.6 gcc-c++ @development\n";
        let d = crate::lint::testing::run(&YumUnpinned, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("gcc-c++") && !d[0].message.contains("development"));
        let src = "FROM centos:7\nRUN yum install -y a b c d e f g h\n";
        let d = crate::lint::testing::run(&YumUnpinned, src);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("`b`") && d[0].message.ends_with("and 2 more"),
            "{}",
            d[0].message
        );
        assert!(
            lines(
                &YumUnpinned,
                "FROM centos:7\nRUN yum install -y httpd-2.4.6\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn module_streams() {
        let d = crate::lint::testing::run(
            &YumUnpinned,
            "FROM rockylinux:9\nRUN yum module install -y nodejs && yum clean all\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("nodejs:<stream>"), "{}", d[0].message);
        for src in [
            "FROM rockylinux:9\nRUN yum module install -y nodejs:18 && yum clean all\n",
            "FROM rockylinux:9\nRUN yum module install -y nodejs:18/minimal\n",
            "FROM rockylinux:9\nRUN yum module enable -y nodejs\n",
        ] {
            assert!(lines(&YumUnpinned, src).is_empty(), "{src}");
        }
    }
}
