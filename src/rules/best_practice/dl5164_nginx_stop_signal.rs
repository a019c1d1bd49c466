//! DL5164: an image whose PID 1 is nginx (or openresty) that stops with another signal than
//! SIGQUIT. On SIGTERM, Docker's default, nginx shuts down fast and drops the connections it is
//! serving; SIGQUIT is its graceful shutdown. The official `nginx` and `openresty` images set
//! `STOPSIGNAL SIGQUIT` themselves, so an image built on them is reported only when the file
//! sets another signal.

use crate::dockerfile::ImageRef;
use crate::lint::stop_signal::{
    canonical, insert_stop_signal, pid1_program, program, replace_stop_signal, stop_signal,
};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};

/// DL5164 `nginx-stop-signal`.
pub struct NginxStopSignal;

impl Rule for NginxStopSignal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5164",
            name: "nginx-stop-signal",
            severity: Severity::Info,
            summary: "nginx runs as PID 1 without STOPSIGNAL SIGQUIT, so a stop drops open connections",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        for st in model.stages() {
            if !st.is_target || model.is_windows_stage(st.index) {
                continue;
            }
            let Some((at, prog)) = pid1_program(model, st.index) else {
                continue;
            };
            let name = program(prog);
            if name != "nginx" && name != "openresty" {
                continue;
            }
            match stop_signal(model, st.index) {
                Some(w) => {
                    let Some(sig) = canonical(&w.value) else {
                        continue;
                    };
                    if sig == "SIGQUIT" {
                        continue;
                    }
                    let fix = replace_stop_signal(w, "SIGQUIT");
                    cx.report_with_fix(
                        w.span,
                        format!(
                            "{name} runs as PID 1 and stops on {sig}, its fast shutdown that drops \
                             open connections; `STOPSIGNAL SIGQUIT` lets it finish them"
                        ),
                        Some(fix),
                    );
                }
                None => {
                    let root = model.stage_chain(st.index).last().copied();
                    let base = root.and_then(|r| df.stages.get(r)).map(|s| &s.base);
                    if base.is_some_and(sets_sigquit) {
                        continue;
                    }
                    let Some(ins) = df.instructions.get(at) else {
                        continue;
                    };
                    cx.report_with_fix(
                        ins.keyword_span,
                        format!(
                            "{name} runs as PID 1 with the default stop signal, SIGTERM, its fast \
                             shutdown that drops open connections; add `STOPSIGNAL SIGQUIT` for \
                             a graceful one"
                        ),
                        Some(insert_stop_signal(ins, &df.source, "SIGQUIT")),
                    );
                }
            }
        }
    }
}

/// The official images whose config says `STOPSIGNAL SIGQUIT`.
fn sets_sigquit(base: &ImageRef) -> bool {
    let official = matches!(base.registry.as_deref(), None | Some("docker.io"));
    let name = base.name.strip_prefix("library/").unwrap_or(&base.name);
    official
        && matches!(
            name,
            "nginx" | "nginxinc/nginx-unprivileged" | "openresty/openresty"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_nginx_installed_on_another_base_and_a_wrong_signal() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y nginx\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
        assert_eq!(lines(&NginxStopSignal, src), [3]);
        assert_eq!(
            fixed(
                &NginxStopSignal,
                "FROM alpine\nENTRYPOINT [\"/usr/sbin/nginx\"]\n"
            ),
            "FROM alpine\nSTOPSIGNAL SIGQUIT\nENTRYPOINT [\"/usr/sbin/nginx\"]\n"
        );
        let wrong =
            "FROM nginx:1.27\nSTOPSIGNAL SIGTERM\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
        assert_eq!(lines(&NginxStopSignal, wrong), [2]);
        let tini = "FROM alpine\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"openresty\"]\n";
        assert_eq!(lines(&NginxStopSignal, tini), [3]);
    }

    #[test]
    fn official_bases_sigquit_shell_form_and_other_programs_pass() {
        for src in [
            "FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
            "FROM openresty/openresty:alpine\nCMD [\"openresty\", \"-g\", \"daemon off;\"]\n",
            "FROM alpine\nSTOPSIGNAL QUIT\nCMD [\"nginx\"]\n",
            "FROM alpine\nCMD nginx -g 'daemon off;'\n",
            "FROM alpine\nCMD [\"nginx-debug\"]\n",
            "FROM alpine\nENTRYPOINT [\"/app\"]\nCMD [\"nginx\"]\n",
            "FROM alpine AS web\nCMD [\"nginx\"]\nFROM web\nENTRYPOINT [\"/app\"]\n",
        ] {
            assert!(lines(&NginxStopSignal, src).is_empty(), "{src}");
        }
    }
}
