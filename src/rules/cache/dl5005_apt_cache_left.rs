//! DL5005: apt's package cache (`/var/cache/apt`) left in the layer of the RUN that filled it.
//!
//! `apt-get update` writes `pkgcache.bin` and `srcpkgcache.bin` (tens of MB each) and
//! `apt-get install` keeps the downloaded `.deb`s in `/var/cache/apt/archives`, unless the base
//! image's apt configuration removes them (the official Debian and Ubuntu images ship a
//! `docker-clean` hook that does; images made with debootstrap, mmdebstrap or from other
//! distributions' rootfs do not). `apt-get clean` in the same RUN empties the cache. Opt-in,
//! as most bases are the official images.

use super::mount::styled;
use super::{Leftover, append_fix, check_leftovers};
use crate::lint::fix::FixStyle;
use crate::lint::{Applicability, Context, Rule, RuleMeta, SemanticModel, Severity};
use crate::shell::pkg::{Invocation, Manager, invocations};
use crate::shell::pkg::{clean_command, cleans_cache};
use crate::shell::run::{Run, later};
use crate::shell::{Command, Script};

/// DL5005 `apt-cache-left`.
pub struct AptCacheLeft;

/// The cache directory apt fills and `apt-get clean` empties.
const CACHE: &str = crate::shell::pkg::download_cache_of(Manager::AptGet);

/// apt sub-commands that write the cache (the package index caches or downloaded `.deb`s).
const FILLS: &[&str] = &[
    "update",
    "install",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "build-dep",
    "reinstall",
];

impl Rule for AptCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5005",
            name: "apt-cache-left",
            severity: Severity::Info,
            summary: "Clean apt's package cache in the RUN that fills it",
            fix: Some(Applicability::Safe),
            // The official Debian and Ubuntu images (and the images built on them) clean the
            // cache themselves: on for bases that do not (`override: {info: [DL5005]}`).
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (model, style) = (cx.model(), cx.settings.fix_style);
        check_leftovers(cx, |_, run, script, inv| {
            check_one(model, style, run, script, inv)
        });
    }
}

fn is_apt(inv: &Invocation<'_>) -> bool {
    matches!(inv.manager, Manager::AptGet | Manager::Apt) && FILLS.contains(&inv.sub())
}

fn check_one(
    model: &SemanticModel<'_>,
    style: FixStyle,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
) -> Option<Leftover> {
    if !is_apt(inv) {
        return None;
    }
    // One finding per RUN: on its last apt command that fills the cache.
    if invocations(script)
        .iter()
        .any(|o| o.index > inv.index && is_apt(o))
    {
        return None;
    }
    let cleaned = later(script, inv.index, |c: &Command| {
        cleans_cache(c, &[Manager::AptGet, Manager::Apt])
    });
    if cleaned || super::cache_cleared(model, run, script, inv, CACHE) {
        return None;
    }
    let df = model.dockerfile();
    Some(Leftover {
        span: inv.cmd.span,
        message: format!(
            "`{} {}` leaves apt's package cache in {CACHE} (pkgcache.bin, downloaded .debs) in \
             this layer unless the base image's apt configuration deletes it (the official \
             Debian and Ubuntu images do); add `&& apt-get clean` to the same RUN",
            inv.manager.as_str(),
            inv.sub()
        ),
        // A later RUN that reads the downloaded .debs (`dpkg -i /var/cache/apt/archives/...`)
        // would lose them: no fix then.
        fix: if later_runs_use_cache(model, run) || inv.has(&["-d", "--download-only"]) {
            None
        } else {
            styled(style, model, run, script, inv, || {
                append_fix(df, run, script, inv, clean_command(inv.manager)?)
            })
        },
    })
}

/// True when a RUN after `run`, in its stage or a stage built `FROM` it, names the cache in a
/// command other than a delete (`rm -rf /var/cache/apt/*` later does not need it).
fn later_runs_use_cache(model: &SemanticModel<'_>, run: &Run) -> bool {
    let Some(stage) = run.stage else {
        return false;
    };
    model
        .analysis()
        .runs
        .iter()
        .filter(|r| r.index > run.index)
        .filter(|r| r.stage.is_some_and(|s| model.descends_from(s, stage)))
        .filter_map(|r| r.script.as_ref())
        .any(|s| {
            s.commands
                .iter()
                .filter(|c| c.name() != Some("rm"))
                .any(|c| c.words.iter().any(|w| w.value.contains(CACHE)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_an_install_without_clean_once_per_run() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(lines(&AptCacheLeft, src), [2]);
        assert_eq!(
            fixed(&AptCacheLeft, src),
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/* && apt-get clean\n"
        );
        // an update alone writes pkgcache.bin too
        assert_eq!(
            lines(&AptCacheLeft, "FROM debian:12\nRUN apt-get update\n"),
            [2]
        );
    }

    #[test]
    fn accepts_a_cleaned_cache() {
        for src in [
            "FROM debian:12\nRUN apt-get update && apt-get install -y jq && apt-get clean\n",
            "FROM debian:12\nRUN apt-get update && apt-get install -y jq && rm -rf /var/cache/apt/* /var/lib/apt/lists/*\n",
            "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y jq\n",
            "FROM debian:12\nRUN apt-get update && apt-get install -y jq && apt-get dist-clean\n",
            // not a command that fills the cache
            "FROM debian:12\nRUN apt-get remove -y jq\n",
            // a builder stage
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /x /x\n",
        ] {
            assert!(lines(&AptCacheLeft, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn no_fix_when_a_later_run_reads_the_debs() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y --download-only jq\nRUN dpkg -i /var/cache/apt/archives/*.deb\n";
        assert_eq!(fixed(&AptCacheLeft, src), src);
        // a later delete of the cache is no use of it
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y jq\nRUN rm -rf /var/cache/apt/* /usr/share/doc\n";
        assert_eq!(
            fixed(&AptCacheLeft, src),
            "FROM debian:12\nRUN apt-get update && apt-get install -y jq && apt-get clean\nRUN rm -rf /var/cache/apt/* /usr/share/doc\n"
        );
    }
}
