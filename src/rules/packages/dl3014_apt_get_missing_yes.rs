//! DL3014: Use the `-y` switch with `apt-get install`.

use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3014 `apt-get-missing-yes`.
pub struct AptMissingYes;

impl Rule for AptMissingYes {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3014",
            name: "apt-get-missing-yes",
            severity: Severity::Warning,
            summary: "Use the `-y` switch with `apt-get install`",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        super::each_invocation_fixed(cx, &[Manager::AptGet], |inv| {
            if !inv.is_install() || inv.answers_yes() {
                return None;
            }
            let yes = inv.manager.yes_option()?;
            let fix = crate::shell::edit::insert_option(df, inv, yes).map(|e| {
                crate::lint::Fix::safe(format!("add `{yes}` to `apt-get install`"), vec![e])
            });
            Some((
                inv.cmd.span,
                "`apt-get install` without `-y` waits for confirmation and fails the build".into(),
                fix,
            ))
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
            lines(&AptMissingYes, "FROM debian:12\nRUN apt-get install curl\n"),
            [2]
        );
        for src in [
            "FROM debian:12\nRUN apt-get install -y curl\n",
            "FROM debian:12\nRUN apt-get -qy install curl\n",
            "FROM debian:12\nRUN apt-get install --yes curl\n",
            "FROM debian:12\nRUN apt-get -qq install curl\n",
            "FROM debian:12\nRUN apt-get update\n",
        ] {
            assert!(lines(&AptMissingYes, src).is_empty(), "{src}");
        }
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
                &AptMissingYes,
                "FROM debian\r\nRUN apt-get update \\\r\n && apt-get install curl\r\n"
            ),
            "FROM debian\r\nRUN apt-get update \\\r\n && apt-get install -y curl\r\n"
        );
        let d = run(
            &AptMissingYes,
            "FROM debian\r\nRUN apt-get update \\\r\n && apt-get install curl\r\n",
        );
        assert_eq!(
            d[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::lint::Applicability::Safe)
        );
    }
}
