//! DL3042: `pip install` without `--no-cache-dir`.

use super::mount::styled;
use super::{Leftover, check_leftovers, option_fix};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::{Manager, cleans_cache};
use crate::shell::run::{later, removed_later, truthy};

/// DL3042 `pip-cache-left`.
pub struct PipCacheLeft;

impl Rule for PipCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3042",
            name: "pip-cache-left",
            severity: Severity::Warning,
            summary: "Use `pip install --no-cache-dir` so the wheel cache stays out of the layer",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (df, model, style) = (cx.dockerfile, cx.model(), cx.settings.fix_style);
        check_leftovers(cx, |_, run, script, inv| {
            if inv.manager != Manager::Pip || inv.sub() != "install" {
                return None;
            }
            // `uv pip install` has its own cache (DL5003).
            if inv.is_uv() || inv.has(&["--no-cache-dir"]) {
                return None;
            }
            let no_cache_env = |v: &str| {
                v.strip_prefix("PIP_NO_CACHE_DIR=")
                    .is_some_and(|x| truthy(x.trim_matches(['"', '\''])))
            };
            let set_inline = inv.cmd.assignments.iter().any(|a| no_cache_env(a))
                || script.commands.iter().take(inv.index).any(|c| {
                    c.name() == Some("export") && c.args().iter().any(|w| no_cache_env(&w.value))
                });
            let set_env = model
                .var(run.index, "PIP_NO_CACHE_DIR")
                .is_some_and(|v| truthy(&v));
            let cache_dir = inv.value(&["--cache-dir"]);
            // the cache is in the home of the user the RUN runs as; `~/.cache/pip` in an
            // `rm` reads as /root's
            let home = model.home_at(run.index);
            let cache = home.join(".cache/pip");
            if set_inline
                || set_env
                || cache_dir
                    .is_some_and(|d| d == "/dev/null" || removed_later(script, inv.index, d))
                || removed_later(script, inv.index, &cache)
                || removed_later(script, inv.index, "/root/.cache/pip")
                || later(script, inv.index, |c| {
                    cleans_cache(c, &[Manager::Pip])
                        || (c.name().is_some_and(|n| n.starts_with("python"))
                            && c.args().iter().any(|w| w.value == "purge"))
                })
                || run.mount_covers(&cache)
                || run.mounts.iter().any(|m| {
                    m.kind == "cache"
                        && m.target
                            .as_deref()
                            .is_some_and(|t| t.trim_end_matches('/').ends_with(".cache/pip"))
                })
            {
                return None;
            }
            Some(Leftover {
                span: inv.cmd.span,
                message: format!(
                    "`pip install` without `--no-cache-dir` leaves downloaded wheels in {cache} \
                     in this layer; add `--no-cache-dir` (or set PIP_NO_CACHE_DIR=1)"
                ),
                fix: styled(style, model, run, script, inv, || {
                    option_fix(df, inv, "--no-cache-dir")
                }),
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_missing_option() {
        let src = "FROM python:3.12\nRUN pip install -r requirements.txt\n";
        assert_eq!(lines(&PipCacheLeft, src), [2]);
        let src = "FROM python:3.12\nRUN python3 -m pip install flask\n";
        assert_eq!(lines(&PipCacheLeft, src), [2]);
    }

    #[test]
    fn accepted_forms() {
        for src in [
            "FROM python:3.12\nRUN pip install --no-cache-dir flask\n",
            "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n",
            "FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n",
            "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n",
            "FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache/pip\n",
            "FROM python:3.12\nRUN pip install flask && pip cache purge\n",
            "FROM python:3.12\nRUN pip download flask\n",
        ] {
            assert!(lines(&PipCacheLeft, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn env_is_inherited_from_base_stage_only() {
        let src =
            "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask\n";
        assert!(lines(&PipCacheLeft, src).is_empty());
        let src = "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install flask\n";
        assert_eq!(lines(&PipCacheLeft, src), [4]);
        // An ARG ends with its stage: the child's pip does not see it.
        let src =
            "FROM python:3.12 AS base\nARG PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask\n";
        assert_eq!(lines(&PipCacheLeft, src), [4]);
    }

    #[test]
    fn final_stage_clean_builder_not_checked() {
        let src = "FROM python:3.12 AS build\nRUN pip install --prefix /install flask\n\
                   FROM python:3.12-slim\nCOPY --from=build /install /usr/local\n";
        assert!(lines(&PipCacheLeft, src).is_empty());
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn adds_no_cache_dir() {
        assert_eq!(
            fixed(
                &PipCacheLeft,
                "FROM python:3\nRUN pip install flask && python3 -m pip install \\\n    requests\n"
            ),
            "FROM python:3\nRUN pip install --no-cache-dir flask && python3 -m pip install --no-cache-dir \\\n    requests\n"
        );
        // inside an sh -c string the option cannot be placed exactly
        let d = run(
            &PipCacheLeft,
            "FROM python:3\nRUN sh -c 'pip install flask'\n",
        );
        assert!(d[0].fix.is_none());
    }
}
