//! DL3008: Pin versions in `apt-get install`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3008 `apt-get-unpinned`.
pub struct AptUnpinned;

impl Rule for AptUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3008",
            name: "apt-get-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in `apt-get install`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::unpinned(
            cx,
            &[Manager::AptGet, Manager::Apt],
            |_| false,
            |inv, p| {
                format!(
                    "pin the version of `{}` in `{} install` (`{}=<version>`)",
                    p.name,
                    inv.manager.as_str(),
                    p.name
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
        let src =
            "FROM debian:12\nRUN apt-get install -y curl=7.88 \\\n git ./local.deb \"$PKG\"\n";
        assert_eq!(lines(&AptUnpinned, src), [3]);
        assert!(lines(&AptUnpinned, "FROM debian:12\nRUN apt-get update\n").is_empty());
    }

    #[test]
    fn a_word_no_variable_can_pin_is_unpinned() {
        let src = "FROM debian:12\nRUN apt-get install -y php${VERSION}-phpdbg\n";
        assert_eq!(lines(&AptUnpinned, src), [2]);
        let src = "FROM debian:12\nRUN apt-get install -y curl=${V} ${PKG} php${V}\n";
        assert!(lines(&AptUnpinned, src).is_empty());
    }
}
