//! DL5165: an image whose PID 1 is systemd (`/sbin/init`, `/lib/systemd/systemd` ...) that
//! stops with another signal than SIGRTMIN+3. systemd takes SIGTERM as "isolate rescue.target",
//! not as a shutdown, so `docker stop` waits out its timeout and kills every service with
//! SIGKILL; SIGRTMIN+3 asks systemd to halt, stopping the services in order.

use crate::lint::stop_signal::{
    canonical, insert_stop_signal, pid1_program, replace_stop_signal, stop_signal,
};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};

/// DL5165 `systemd-stop-signal`.
pub struct SystemdStopSignal;

/// The program paths that are systemd as PID 1.
const SYSTEMD: &[&str] = &[
    "systemd",
    "/sbin/init",
    "/usr/sbin/init",
    "/lib/systemd/systemd",
    "/usr/lib/systemd/systemd",
    "/bin/systemd",
    "/usr/bin/systemd",
];

impl Rule for SystemdStopSignal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5165",
            name: "systemd-stop-signal",
            severity: Severity::Warning,
            summary: "systemd runs as PID 1 without STOPSIGNAL SIGRTMIN+3, so a stop does not shut it down",
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
            if !SYSTEMD.contains(&prog.value.as_str()) {
                continue;
            }
            let what = "systemd takes it as a request to isolate rescue.target, not to shut down, \
                        so `docker stop` waits out its timeout and kills every service";
            match stop_signal(model, st.index) {
                Some(w) => {
                    let Some(sig) = canonical(&w.value) else {
                        continue;
                    };
                    if sig == "SIGRTMIN+3" {
                        continue;
                    }
                    cx.report_with_fix(
                        w.span,
                        format!(
                            "`{}` runs as PID 1 and stops on {sig}: {what}; systemd halts on \
                             SIGRTMIN+3",
                            prog.value
                        ),
                        Some(replace_stop_signal(w, "SIGRTMIN+3")),
                    );
                }
                None => {
                    let Some(ins) = df.instructions.get(at) else {
                        continue;
                    };
                    cx.report_with_fix(
                        ins.keyword_span,
                        format!(
                            "`{}` runs as PID 1 with the default stop signal, SIGTERM: {what}; \
                             add `STOPSIGNAL SIGRTMIN+3`",
                            prog.value
                        ),
                        Some(insert_stop_signal(ins, &df.source, "SIGRTMIN+3")),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_systemd_without_or_with_another_signal() {
        let src = "FROM fedora:40\nRUN dnf -y install httpd && systemctl enable httpd\nCMD [\"/sbin/init\"]\n";
        assert_eq!(lines(&SystemdStopSignal, src), [3]);
        assert_eq!(
            fixed(
                &SystemdStopSignal,
                "FROM fedora:40\nENTRYPOINT [\"/usr/sbin/init\"]\n"
            ),
            "FROM fedora:40\nSTOPSIGNAL SIGRTMIN+3\nENTRYPOINT [\"/usr/sbin/init\"]\n"
        );
        let wrong = "FROM centos:stream9\nSTOPSIGNAL SIGTERM\nCMD [\"/usr/lib/systemd/systemd\", \"--system\"]\n";
        assert_eq!(lines(&SystemdStopSignal, wrong), [2]);
    }

    #[test]
    fn the_right_signal_shell_form_and_other_inits_pass() {
        for src in [
            "FROM fedora:40\nSTOPSIGNAL SIGRTMIN+3\nCMD [\"/sbin/init\"]\n",
            "FROM fedora:40\nSTOPSIGNAL RTMIN+3\nCMD [\"/sbin/init\"]\n",
            "FROM fedora:40\nCMD /sbin/init\n",
            "FROM alpine\nENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD [\"/app\"]\n",
            "FROM alpine\nCMD [\"/usr/bin/init.sh\"]\n",
        ] {
            assert!(lines(&SystemdStopSignal, src).is_empty(), "{src}");
        }
    }
}
