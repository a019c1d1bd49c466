//! DL3015: `apt-get install` without `--no-install-recommends`.

use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;
use crate::shell::pkg::invocations;

/// DL3015 `apt-install-recommends`.
pub struct AptInstallRecommends;

impl Rule for AptInstallRecommends {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3015",
            name: "apt-install-recommends",
            severity: Severity::Info,
            summary: "Avoid additional packages by specifying `--no-install-recommends`",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let a = cx.analysis();
        // Stages where an earlier RUN configured apt to skip recommends.
        let mut configured: Vec<Option<usize>> = Vec::new();
        for run in &a.runs {
            let Some(script) = &run.script else { continue };
            let configures = script.commands.iter().any(|c| {
                !crate::shell::pkg::invocation(0, c)
                    .is_some_and(|i| matches!(i.manager, Manager::AptGet | Manager::Apt))
                    && c.args().iter().any(|w| {
                        w.value.contains("Install-Recommends") && !w.value.contains("true")
                    })
            });
            for inv in invocations(script) {
                if !matches!(inv.manager, Manager::AptGet | Manager::Apt) || !inv.is_install() {
                    continue;
                }
                if inv.has(&["--no-install-recommends"])
                    || inv.options.iter().any(|o| {
                        o.value.as_deref().is_some_and(|v| {
                            v.contains("Install-Recommends")
                                && (v.ends_with("false") || v.ends_with('0'))
                        })
                    })
                    || configured.contains(&run.stage)
                    || configures
                {
                    continue;
                }
                // Unsafe: a package the build or the program needs may have come in only as a
                // recommendation.
                let fix = crate::shell::edit::insert_option(
                    cx.dockerfile,
                    &inv,
                    "--no-install-recommends",
                )
                .map(|e| {
                    Fix::unsafe_edit(
                        format!(
                            "add `--no-install-recommends` to `{} install` (check that nothing \
                             needed came in as a recommendation)",
                            inv.manager.as_str()
                        ),
                        vec![e],
                    )
                });
                cx.report_with_fix(
                    inv.cmd.span,
                    format!(
                        "`{} install` without `--no-install-recommends` also installs \
                         recommended packages",
                        inv.manager.as_str()
                    ),
                    fix,
                );
            }
            if configures {
                configured.push(run.stage);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_missing_option() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n";
        assert_eq!(lines(&AptInstallRecommends, src), [2]);
        let src = "FROM debian:12\nRUN apt install curl\n";
        assert_eq!(lines(&AptInstallRecommends, src), [2]);
    }

    #[test]
    fn accepts_option_and_apt_config() {
        let src = "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n";
        assert!(lines(&AptInstallRecommends, src).is_empty());
        let src = "FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n";
        assert!(lines(&AptInstallRecommends, src).is_empty());
        let src = "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/norec\nRUN apt-get install -y curl\n";
        assert!(lines(&AptInstallRecommends, src).is_empty());
    }

    #[test]
    fn update_alone_is_fine() {
        let src = "FROM debian:12\nRUN apt-get update\n";
        assert!(lines(&AptInstallRecommends, src).is_empty());
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn adds_the_option_as_an_unsafe_fix() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y curl \\\n    git\n";
        assert_eq!(
            fixed(&AptInstallRecommends, src),
            "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl \\\n    git\n"
        );
        let d = run(&AptInstallRecommends, src);
        assert_eq!(
            d[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::lint::Applicability::Unsafe)
        );
        // heredoc body lines are located exactly too
        assert_eq!(
            fixed(
                &AptInstallRecommends,
                "FROM debian:12\nRUN <<EOF\napt-get install -y curl\nEOF\n"
            ),
            "FROM debian:12\nRUN <<EOF\napt-get install --no-install-recommends -y curl\nEOF\n"
        );
    }
}
