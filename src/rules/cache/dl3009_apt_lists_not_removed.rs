//! DL3009: `apt-get update` without removing /var/lib/apt/lists in the same RUN.

use super::mount::styled;
use super::{Leftover, append_fix, check_leftovers};
use crate::lint::index_readers::{IndexNeed, index_needed_after};
use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};
use crate::shell::pkg::{Index, IndexUse, invocation};
use crate::shell::run::{later, removed_later};

/// DL3009 `apt-lists-not-removed`.
pub struct AptListsNotRemoved;

const LISTS: &str = Index::AptLists.dir();

impl Rule for AptListsNotRemoved {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3009",
            name: "apt-lists-not-removed",
            severity: Severity::Info,
            summary: "Delete the apt lists after installing packages",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model, style) = (cx.dockerfile, cx.model(), cx.settings.fix_style);
        // one finding per RUN: a second `apt-get update` leaves the same lists
        let mut reported = std::collections::HashSet::new();
        check_leftovers(cx, |_, run, script, inv| {
            if inv.index_use() != Some((Index::AptLists, IndexUse::Refresh)) {
                return None;
            }
            // `apt-get dist-clean` (apt >= 2.7) removes the lists too.
            let dist_clean = later(script, inv.index, |c| {
                invocation(0, c).is_some_and(|i| i.clears_index(Index::AptLists))
            });
            if dist_clean
                || removed_later(script, inv.index, LISTS)
                || run.mount_covers(LISTS)
                || !reported.insert(run.index)
            {
                return None;
            }
            Some(Leftover {
                span: inv.cmd.span,
                message: format!(
                    "`{} update` leaves the package lists in {LISTS} in this layer; add \
                     `&& rm -rf {LISTS}/*` to the same RUN (or use a cache mount)",
                    inv.manager.as_str()
                ),
                // Removing the lists breaks a later RUN (of this stage or of any stage that
                // sees this layer) that installs without its own `apt-get update`: no fix
                // then; an unsafe one when a later RUN runs a script dlint cannot see into.
                fix: match index_needed_after(model, run, Index::AptLists) {
                    // the lone `apt-get update` RUN can move into the RUN that installs
                    IndexNeed::Yes => super::merge_update::merge_fix(model, run, script, inv),
                    need => styled(style, model, run, script, inv, || {
                        let f = append_fix(df, run, script, inv, &format!("rm -rf {LISTS}/*"))?;
                        Some(match need {
                            IndexNeed::No => f,
                            _ => Fix::unsafe_edit(f.description, f.edits),
                        })
                    }),
                },
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_update_without_cleanup() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
    }

    #[test]
    fn one_finding_per_run() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && \\\n  \
                   apt-get update && apt-get install -y git\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
    }

    #[test]
    fn cleanup_through_and_chain_counts() {
        let src = "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*\n";
        assert!(lines(&AptListsNotRemoved, src).is_empty());
    }

    #[test]
    fn cleanup_in_later_run_does_not_count() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
    }

    #[test]
    fn cleanup_before_update_does_not_count() {
        let src = "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
    }

    #[test]
    fn onbuild_run_is_checked() {
        let src = "FROM debian:12 AS base\nONBUILD RUN apt-get update && apt-get install -y x\nFROM debian:12\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
    }

    #[test]
    fn dist_clean_counts() {
        let src = "FROM debian:13\nRUN set -eux; apt-get update; apt-get install -y curl; apt-get dist-clean\n";
        assert!(lines(&AptListsNotRemoved, src).is_empty());
    }

    #[test]
    fn cache_mount_counts() {
        let src = "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n";
        assert!(lines(&AptListsNotRemoved, src).is_empty());
        let src = "FROM debian:12\nRUN --mount=type=bind,target=/var/lib/apt apt-get update\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
    }

    #[test]
    fn only_stages_in_the_final_image() {
        let src = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\n\
                   FROM debian:12\nCOPY --from=build /usr/bin/gcc /usr/bin/\n\
                   RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
        assert!(lines(&AptListsNotRemoved, src).is_empty());
        // A stage nothing uses is a build target (`--target build`): checked.
        let src = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\n\
                   FROM debian:12\nRUN echo hi\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
        // A stage the final stage is built FROM counts.
        let src = "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN echo hi\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
    }

    #[test]
    fn sh_c_and_sudo_are_seen() {
        let src = "FROM debian:12\nRUN sh -c 'sudo apt-get update && apt-get install -y x'\n";
        assert_eq!(lines(&AptListsNotRemoved, src), [2]);
        let src = "FROM debian:12\nRUN sh -c 'apt-get update && rm -rf /var/lib/apt/lists/*'\n";
        assert!(lines(&AptListsNotRemoved, src).is_empty());
    }
}

#[cfg(test)]
mod heredoc_tests {
    use super::*;
    use crate::lint::testing::{dockerfile, run as check};

    #[test]
    fn heredoc_scripts_are_analyzed_with_spans() {
        let src = "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\n";
        let d = check(&AptListsNotRemoved, src);
        assert_eq!(d.len(), 1);
        let df = dockerfile(src);
        assert_eq!(d[0].span.text(&df.source), "apt-get update");
        let clean = "FROM debian:12\nRUN <<EOF\napt-get update\nrm -rf /var/lib/apt/lists/*\nEOF\n";
        assert!(check(&AptListsNotRemoved, clean).is_empty());
        // A heredoc fed to another program is not shell.
        let py = "FROM debian:12\nRUN python3 <<EOF\nprint('apt-get update')\nEOF\n";
        assert!(check(&AptListsNotRemoved, py).is_empty());
        let exec = "FROM debian:12\nRUN [\"/bin/sh\", \"-c\", \"apt-get update && apt-get install -y x\"]\n";
        assert_eq!(check(&AptListsNotRemoved, exec).len(), 1);
        let exec = "FROM debian:12\nRUN [\"apt-get\", \"update\"]\n";
        assert_eq!(check(&AptListsNotRemoved, exec).len(), 1);
        let bash = "FROM debian:12\nRUN bash <<EOF\napt-get update\nEOF\n";
        assert_eq!(check(&AptListsNotRemoved, bash).len(), 1);
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    fn fix(src: &str) -> String {
        fixed(&AptListsNotRemoved, src)
    }

    #[test]
    fn appends_the_cleanup_after_the_last_command() {
        assert_eq!(
            fix("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"),
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        );
        let d = run(&AptListsNotRemoved, "FROM debian:12\nRUN apt-get update\n");
        assert_eq!(
            d[0].fix.as_ref().map(|f| f.applicability),
            Some(crate::lint::Applicability::Safe)
        );
    }

    #[test]
    fn continuation_lines_with_comments_crlf_and_escape() {
        assert_eq!(
            fix(
                "FROM debian:12\r\nRUN apt-get update \\\r\n    # refresh first\r\n    && apt-get install -y curl\r\nCMD [\"x\"]\r\n"
            ),
            "FROM debian:12\r\nRUN apt-get update \\\r\n    # refresh first\r\n    && apt-get install -y curl \\\r\n    && rm -rf /var/lib/apt/lists/*\r\nCMD [\"x\"]\r\n"
        );
        assert_eq!(
            fix(
                "# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y curl\n"
            ),
            "# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y curl && `\n    rm -rf /var/lib/apt/lists/*\n"
        );
    }

    #[test]
    fn set_e_chains_and_heredocs() {
        assert_eq!(
            fix(
                "FROM debian:12\nRUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y curl\n"
            ),
            "FROM debian:12\nRUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y curl; \\\n\trm -rf /var/lib/apt/lists/*\n"
        );
        assert_eq!(
            fix(
                "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\n"
            ),
            "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\n"
        );
        // without set -e a new line would hide a failed install: `&&`
        assert_eq!(
            fix("FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n"),
            "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl && rm -rf /var/lib/apt/lists/*\nEOF\n"
        );
    }

    #[test]
    fn no_fix_where_it_cannot_be_placed() {
        for src in [
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl # tools\n",
            "FROM debian:12\nRUN [\"apt-get\", \"update\"]\n",
        ] {
            let d = run(&AptListsNotRemoved, src);
            assert_eq!(d.len(), 1, "{src}");
            assert!(d[0].fix.is_none(), "{src}");
        }
        // inside `sh -c`: appended after the whole command, outside the string
        assert_eq!(
            fix("FROM debian:12\nRUN sh -c 'apt-get update && apt-get install -y x'\n"),
            "FROM debian:12\nRUN sh -c 'apt-get update && apt-get install -y x' && rm -rf /var/lib/apt/lists/*\n"
        );
    }

    #[test]
    fn no_fix_when_a_later_run_installs_without_updating() {
        // the next RUN of the stage: only the unsafe move of the update into it (merge_update)
        let d = run(
            &AptListsNotRemoved,
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
        );
        assert!(
            d[0].fix
                .as_ref()
                .is_some_and(|f| f.applicability == crate::lint::Applicability::Unsafe
                    && f.edits.iter().all(|e| !e.replacement.contains("rm -rf"))),
            "{d:?}"
        );
        // a stage built FROM this one: no move across stages
        let src =
            "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN apt-get install -y curl\n";
        let d = run(&AptListsNotRemoved, src);
        assert_eq!(d.len(), 1, "{src}");
        assert!(d[0].fix.is_none(), "{src}");
        // the later RUN is read through the package model: options before the sub-command,
        // wrappers, `apt-cache`, child stages and stages reading this one
        for later in [
            "RUN apt-get -o Acquire::Retries=3 install -y --no-install-recommends curl ca-certificates",
            "RUN apt-get -c /etc/apt/custom.conf install -y curl",
            "RUN apt-get -q install -y curl",
            "RUN apt-get -qq -o=Dpkg::Use-Pty=0 install -y curl",
            "RUN apt-get --option=Acquire::Retries=3 install -y curl",
            "RUN apt-get --option Acquire::Retries=3 install -y curl",
            "RUN sudo apt-get install -y curl",
            "RUN env DEBIAN_FRONTEND=noninteractive apt-get install -y curl",
            "RUN DEBIAN_FRONTEND=noninteractive apt-get install -y curl",
            "RUN command apt-get install -y curl",
            "RUN sudo -E env A=b nice -n 5 apt-get -y install curl",
            "RUN apt-cache policy curl",
            "RUN apt install -y curl",
            "RUN sh -c 'apt-get -o Acquire::Retries=3 install -y curl'",
            "RUN echo curl | xargs apt-get install -y",
        ] {
            let src = format!("FROM debian:12\nRUN apt-get update\n{later}\n");
            let d = run(&AptListsNotRemoved, &src);
            assert_eq!(d.len(), 1, "{src}");
            // never the removal; at most the unsafe move of the update into that RUN
            assert!(
                d[0].fix
                    .as_ref()
                    .is_none_or(|f| f.applicability == crate::lint::Applicability::Unsafe
                        && f.edits.iter().all(|e| !e.replacement.contains("rm -rf"))),
                "{src}: {:?}",
                d[0].fix
            );
        }
        for src in [
            // a child stage (FROM base AS x), a grandchild, an ONBUILD trigger
            "FROM debian:12 AS base\nRUN apt-get update\nFROM base AS x\nRUN apt-get -o Acquire::Retries=3 install -y curl\n",
            "FROM debian:12 AS base\nRUN apt-get update\nFROM base AS mid\nRUN echo\nFROM mid\nRUN apt-get install -y curl\n",
            "FROM debian:12\nRUN apt-get update\nONBUILD RUN apt-get install -y curl\n",
            // a stage mounting or copying this one
            "FROM debian:12 AS base\nRUN apt-get update\nFROM debian:12\nRUN --mount=from=base,source=/var/lib/apt/lists,target=/var/lib/apt/lists apt-get install -y curl\n",
            "FROM debian:12 AS base\nRUN apt-get update\nFROM scratch AS x\nCOPY --from=base / /\nRUN apt-get install -y curl\n",
        ] {
            let d = run(&AptListsNotRemoved, src);
            assert!(d.iter().all(|d| d.fix.is_none()), "{src}");
        }
        // a later RUN running a script dlint cannot see into: an unsafe fix
        for later in [
            "RUN ./install-deps.sh",
            "RUN sh /tmp/setup.sh",
            "RUN . ./env.sh && make",
        ] {
            let src =
                format!("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n{later}\n");
            let d = run(&AptListsNotRemoved, &src);
            assert_eq!(
                d[0].fix.as_ref().map(|f| f.applicability),
                Some(crate::lint::Applicability::Unsafe),
                "{src}"
            );
        }
        // removing or refreshing, or a sibling stage that does not see this layer: safe
        for src in [
            "FROM debian:12\nRUN apt-get update\nRUN apt-get -o Acquire::Retries=3 remove -y curl\n",
            "FROM debian:12\nRUN apt-get update\nRUN apt-get -o Acquire::Retries=3 update && apt-get install -y curl\n",
            "FROM debian:12 AS a\nRUN apt-get update\nFROM debian:12 AS b\nRUN apt-get install -y curl\n",
            "FROM debian:12\nRUN apt-get update\nRUN sh -c 'echo hi'\n",
            "FROM debian:12\nRUN apt-get update\nRUN . /etc/os-release && echo $ID\n",
        ] {
            let d = run(&AptListsNotRemoved, src);
            assert!(!d.is_empty(), "{src}");
            assert_eq!(
                d[0].fix.as_ref().map(|f| f.applicability),
                Some(crate::lint::Applicability::Safe),
                "{src}"
            );
        }
        // a later RUN with its own update is fine
        let src =
            "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n";
        assert!(
            run(&AptListsNotRemoved, src)
                .iter()
                .all(|d| d.fix.is_some())
        );
    }
}
