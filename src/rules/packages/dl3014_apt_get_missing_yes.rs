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
            // apt's quiet level adds up over `-q`s (`-qq`, `-q -q`, `-q --quiet`); `-q=N` sets it.
            // Level 2 implies `-y`.
            let quiet_level: u32 = inv
                .options
                .iter()
                .map(|o| match (o.name.as_str(), o.value.as_deref()) {
                    ("-q" | "--quiet", Some(v)) => v.parse().unwrap_or(0),
                    ("--quiet", None) => 1,
                    (n, _) if n.starts_with('-') && !n.starts_with("--") => {
                        u32::try_from(n.matches('q').count()).unwrap_or(0)
                    }
                    _ => 0,
                })
                .sum();
            let quiet2 = quiet_level >= 2;
            let assume = inv.options.iter().any(|o| {
                o.value
                    .as_deref()
                    .is_some_and(|v| v.contains("Assume-Yes=true") || v.contains("Assume-Yes=1"))
            });
            if !inv.is_install()
                || inv.has(&["-y", "--yes", "--assume-yes", "--force-yes"])
                || quiet2
                || assume
            {
                return None;
            }
            let fix = crate::shell::edit::insert_option(df, inv, "-y")
                .map(|e| crate::lint::Fix::safe("add `-y` to `apt-get install`", vec![e]));
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
