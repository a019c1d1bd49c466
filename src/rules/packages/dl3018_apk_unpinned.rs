//! DL3018: Pin versions in `apk add`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3018 `apk-unpinned`.
pub struct ApkUnpinned;

impl Rule for ApkUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3018",
            name: "apk-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in `apk add`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::unpinned(
            cx,
            &[Manager::Apk],
            |_| false,
            |_, p| {
                format!(
                    "pin the version of `{}` in `apk add` (`{}=<version>`)",
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
        let src = "FROM alpine:3\nRUN apk add --no-cache --virtual .deps curl=8.5.0-r0 git\n";
        assert_eq!(lines(&ApkUnpinned, src), [2]);
        assert_eq!(crate::lint::testing::run(&ApkUnpinned, src).len(), 1);
        assert!(
            lines(
                &ApkUnpinned,
                "FROM alpine:3\nRUN apk add --no-cache curl=8.5.0-r0\n"
            )
            .is_empty()
        );
    }
}
