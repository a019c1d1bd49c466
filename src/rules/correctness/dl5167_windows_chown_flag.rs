//! DL5167: `COPY --chown` / `ADD --chown` in a Windows stage. Windows files carry ACLs, not a
//! Linux owner and group, and the names are looked up in `/etc/passwd`, which a Windows image
//! does not have: Docker's reference limits the flag to Linux containers.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5167 `windows-chown-flag`.
pub struct WindowsChownFlag;

impl Rule for WindowsChownFlag {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5167",
            name: "windows-chown-flag",
            severity: Severity::Warning,
            summary: "COPY/ADD --chown on a Windows stage, where files have no Linux owner",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        for ins in &df.instructions {
            let Some(flag) = ins.flag("chown") else {
                continue;
            };
            if !ins.stage.is_some_and(|s| model.is_windows_stage(s)) {
                continue;
            }
            cx.report(
                flag.span,
                "`--chown` on a Windows stage: Windows files have ACLs, not a Linux owner, and \
                 Docker supports the flag for Linux containers only; set permissions with \
                 `icacls` in a RUN, or drop the flag",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_chown_on_windows_stages() {
        let src = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY --chown=ContainerUser app/ C:/app/\n";
        assert_eq!(lines(&WindowsChownFlag, src), [2]);
        let chain = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base\nFROM base\nADD --chown=1000 a.zip C:/a.zip\n";
        assert_eq!(lines(&WindowsChownFlag, chain), [3]);
    }

    #[test]
    fn linux_stages_pass() {
        let src = "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\nFROM alpine\nCOPY --chown=app:app . /app\n";
        assert!(lines(&WindowsChownFlag, src).is_empty());
    }
}
