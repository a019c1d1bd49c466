//! DL5169: STOPSIGNAL in a Windows stage. Windows processes get no POSIX signals: `docker
//! stop` sends them a shutdown event (CTRL_SHUTDOWN_EVENT) whatever the image says, so the
//! instruction does nothing.

use crate::dockerfile::InstructionKind;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5169 `windows-stop-signal`.
pub struct WindowsStopSignal;

impl Rule for WindowsStopSignal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5169",
            name: "windows-stop-signal",
            severity: Severity::Warning,
            summary: "STOPSIGNAL on a Windows stage, where it has no effect",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        for ins in &df.instructions {
            if !matches!(ins.kind, InstructionKind::Stopsignal(_))
                || !ins.stage.is_some_and(|s| model.is_windows_stage(s))
            {
                continue;
            }
            cx.report(
                ins.span,
                "STOPSIGNAL on a Windows stage does nothing: Windows processes get no POSIX \
                 signals, and `docker stop` sends them a shutdown event whatever the image says",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_stopsignal_on_windows_stages() {
        let src = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSTOPSIGNAL SIGINT\nCMD [\"C:\\\\app\\\\app.exe\"]\n";
        assert_eq!(lines(&WindowsStopSignal, src), [2]);
    }

    #[test]
    fn linux_stages_pass() {
        assert!(lines(&WindowsStopSignal, "FROM alpine\nSTOPSIGNAL SIGINT\n").is_empty());
    }
}
