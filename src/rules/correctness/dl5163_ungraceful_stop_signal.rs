//! DL5163: `STOPSIGNAL SIGKILL` (or `9`, `KILL`) or `SIGSTOP`: `docker stop` then kills the
//! process without a chance to flush or close anything, or only suspends it until the stop
//! timeout ends in a SIGKILL anyway.

use crate::dockerfile::InstructionKind;
use crate::lint::stop_signal::{canonical, replace_stop_signal};
use crate::lint::{Applicability, Context, Rule, RuleMeta, Severity};

/// DL5163 `ungraceful-stop-signal`.
pub struct UngracefulStopSignal;

impl Rule for UngracefulStopSignal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5163",
            name: "ungraceful-stop-signal",
            severity: Severity::Warning,
            summary: "STOPSIGNAL SIGKILL or SIGSTOP: the process gets no chance to shut down cleanly",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        for ins in &df.instructions {
            let InstructionKind::Stopsignal(w) = &ins.kind else {
                continue;
            };
            // Windows delivers no signals: DL5169 reports any STOPSIGNAL there
            if ins.stage.is_some_and(|s| model.is_windows_stage(s)) {
                continue;
            }
            let why = match canonical(&w.value).as_deref() {
                Some("SIGKILL") => {
                    "SIGKILL cannot be caught: the process is killed at once, with no chance to \
                     finish requests, flush data or remove its lock files (and `docker stop` \
                     sends SIGKILL after its timeout anyway)"
                }
                Some("SIGSTOP") => {
                    "SIGSTOP suspends the process instead of ending it: the container only stops \
                     when the stop timeout ends in a SIGKILL"
                }
                _ => continue,
            };
            let fix = replace_stop_signal(w, "SIGTERM");
            cx.report_with_fix(
                w.span,
                format!(
                    "`STOPSIGNAL {}`: {why}; use SIGTERM or the signal the program shuts down on",
                    w.value
                ),
                Some(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_kill_and_stop_in_any_spelling() {
        let src = "FROM alpine\nSTOPSIGNAL SIGKILL\nFROM alpine\nSTOPSIGNAL 9\nFROM alpine\nSTOPSIGNAL stop\n";
        assert_eq!(lines(&UngracefulStopSignal, src), [2, 4, 6]);
        assert_eq!(
            fixed(&UngracefulStopSignal, "FROM alpine\nSTOPSIGNAL KILL\n"),
            "FROM alpine\nSTOPSIGNAL SIGTERM\n"
        );
    }

    #[test]
    fn graceful_signals_variables_and_windows_pass() {
        for src in [
            "FROM alpine\nSTOPSIGNAL SIGTERM\n",
            "FROM nginx\nSTOPSIGNAL SIGQUIT\n",
            "FROM alpine\nARG SIG=SIGKILL\nSTOPSIGNAL $SIG\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSTOPSIGNAL SIGKILL\n",
        ] {
            assert!(lines(&UngracefulStopSignal, src).is_empty(), "{src}");
        }
    }
}
