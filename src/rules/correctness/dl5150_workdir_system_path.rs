//! DL5150: WORKDIR under `/proc`, `/sys`, `/dev` or `/boot`: the runtime mounts kernel
//! filesystems over the first three, and `/boot` belongs to the host's kernel.

use crate::dockerfile::InstructionKind;
use crate::lint::helpers::{unquote, with_onbuild};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5150 `workdir-system-path`.
pub struct WorkdirSystemPath;

impl Rule for WorkdirSystemPath {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5150",
            name: "workdir-system-path",
            severity: Severity::Warning,
            summary: "WORKDIR under /proc, /sys, /dev or /boot",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for i in with_onbuild(cx.dockerfile) {
            let InstructionKind::Workdir(w) = &i.kind else {
                continue;
            };
            let path = unquote(&w.value);
            if let Some(root) = ["/proc", "/sys", "/dev", "/boot"].into_iter().find(|r| {
                let p = path.trim_end_matches('/');
                p == *r || p.strip_prefix(r).is_some_and(|rest| rest.starts_with('/'))
            }) {
                found.push((w.span, root));
            }
        }
        for (span, root) in found {
            let why = if root == "/boot" {
                "holds the host's kernel and boot loader, not files of a container"
            } else {
                "is a kernel filesystem the runtime mounts over the image, hiding what is written there"
            };
            cx.report(span, format!("WORKDIR under `{root}`, which {why}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_system_paths() {
        assert_eq!(
            lines(&WorkdirSystemPath, "FROM debian\nWORKDIR /proc/self\n"),
            [2]
        );
        assert_eq!(
            lines(&WorkdirSystemPath, "FROM debian\nWORKDIR /dev\n"),
            [2]
        );
        assert_eq!(
            lines(&WorkdirSystemPath, "FROM debian\nWORKDIR \"/boot/efi\"\n"),
            [2]
        );
    }

    #[test]
    fn other_paths_pass() {
        for src in [
            "FROM debian\nWORKDIR /devel\n",
            "FROM debian\nWORKDIR /srv/sys\n",
        ] {
            assert!(lines(&WorkdirSystemPath, src).is_empty(), "{src}");
        }
    }
}
