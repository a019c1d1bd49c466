//! DL5168: `RUN --mount` in a Windows stage. Windows images are built by the classic builder,
//! which rejects the flag (it is BuildKit's), and BuildKit's Windows support, experimental,
//! does not offer cache, secret or ssh mounts there either.

use crate::dockerfile::InstructionKind;
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5168 `windows-run-mount`.
pub struct WindowsRunMount;

impl Rule for WindowsRunMount {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5168",
            name: "windows-run-mount",
            severity: Severity::Warning,
            summary: "RUN --mount on a Windows stage, which Windows builds do not support",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        // `is_windows_stage` reads the stage's instructions: asked once per stage, and only
        // for RUNs with a mount, so a long stage stays linear
        let mut windows: std::collections::HashMap<usize, bool> = Default::default();
        for ins in &df.instructions {
            if !matches!(ins.kind, InstructionKind::Run(_))
                || !ins.flags.iter().any(|f| f.name == "mount")
            {
                continue;
            }
            let Some(stage) = ins.stage else { continue };
            if !*windows
                .entry(stage)
                .or_insert_with(|| model.is_windows_stage(stage))
            {
                continue;
            }
            for flag in ins.flags.iter().filter(|f| f.name == "mount") {
                cx.report(
                    flag.span,
                    "`RUN --mount` on a Windows stage: the classic builder, which builds Windows \
                     images, rejects the flag, and BuildKit does not support mounts for Windows \
                     containers; copy what the RUN needs instead",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_mounts_on_windows_stages() {
        let src = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN --mount=type=cache,target=C:/cache --mount=type=secret,id=t choco install git\n";
        assert_eq!(lines(&WindowsRunMount, src), [3, 3]);
    }

    #[test]
    fn linux_stages_and_plain_runs_pass() {
        for src in [
            "FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk apk add git\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN choco install git\n",
        ] {
            assert!(lines(&WindowsRunMount, src).is_empty(), "{src}");
        }
    }
}
