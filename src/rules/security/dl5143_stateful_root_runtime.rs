//! DL5143 (opt-in): the final image runs as root and keeps state: a VOLUME, or a data
//! directory (`/data`, `/srv`, `/var/lib/...`, `/var/log/...`) it works in, copies to or creates.

use crate::dockerfile::{InstructionKind, Span};
use crate::lint::helpers::{stage_instructions, unquote};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5143 `stateful-root-runtime`.
pub struct StatefulRootRuntime;

impl Rule for StatefulRootRuntime {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5143",
            name: "stateful-root-runtime",
            severity: Severity::Info,
            summary: "The final image runs as root and keeps state in a volume or data directory",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let Some((_, chain)) = super::final_root_chain(cx) else {
            return;
        };
        let df = cx.dockerfile;
        let mut signal: Option<(Span, String)> = None;
        'stages: for &s in chain.iter().rev() {
            for i in stage_instructions(df, s) {
                let found = match &i.kind {
                    InstructionKind::Volume { paths, .. } => paths
                        .first()
                        .map(|p| format!("VOLUME {}", unquote(&p.value))),
                    InstructionKind::Workdir(w) if is_state_dir(unquote(&w.value)) => {
                        Some(format!("WORKDIR {}", unquote(&w.value)))
                    }
                    InstructionKind::Copy { dest: Some(d), .. }
                        if is_state_dir(unquote(&d.value)) =>
                    {
                        Some(format!("{} to {}", i.keyword.as_str(), unquote(&d.value)))
                    }
                    _ => None,
                };
                if let Some(what) = found {
                    signal = Some((i.span, what));
                    break 'stages;
                }
            }
            for run in cx.analysis().stage_runs(s) {
                let Some(script) = &run.script else { continue };
                if let Some(c) = script.commands.iter().find(|c| {
                    c.name() == Some("mkdir") && c.operands().any(|w| is_state_dir(&w.value))
                }) {
                    signal = Some((c.span, "`mkdir` of a data directory".into()));
                    break 'stages;
                }
            }
        }
        if let Some((span, what)) = signal {
            cx.report(
                span,
                format!(
                    "{what}: the final image runs as root and keeps state there, so a compromise \
                     can rewrite persistent data; add a non-root `USER` (owning that directory)"
                ),
            );
        }
    }
}

/// `/data`, `/srv` and the state directories under `/var` (and anything below them).
fn is_state_dir(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    let under = |root: &str| p == root || p.strip_prefix(root).is_some_and(|r| r.starts_with('/'));
    under("/data")
        || under("/srv")
        || [
            "/var/lib/",
            "/var/log/",
            "/var/cache/",
            "/var/run/",
            "/var/spool/",
        ]
        .iter()
        .any(|r| p.strip_prefix(r).is_some_and(|rest| !rest.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_root_with_state() {
        assert_eq!(
            lines(
                &StatefulRootRuntime,
                "FROM debian:12\nVOLUME /data\nCMD [\"x\"]\n"
            ),
            [2]
        );
        assert_eq!(
            lines(
                &StatefulRootRuntime,
                "FROM debian:12\nRUN mkdir -p /var/lib/app\n"
            ),
            [2]
        );
        assert_eq!(
            lines(&StatefulRootRuntime, "FROM debian:12\nWORKDIR /srv/app\n"),
            [2]
        );
    }

    #[test]
    fn non_root_drop_or_no_state_passes() {
        for src in [
            "FROM debian:12\nVOLUME /data\nUSER 1000\n",
            "FROM debian:12\nVOLUME /data\nENTRYPOINT [\"gosu\", \"app\", \"x\"]\n",
            "FROM debian:12\nWORKDIR /app\nCOPY . .\n",
            "FROM debian:12\nRUN mkdir /var/lib\n",
            "FROM gcr.io/distroless/static:nonroot\nVOLUME /data\n",
        ] {
            assert!(lines(&StatefulRootRuntime, src).is_empty(), "{src}");
        }
    }
}
