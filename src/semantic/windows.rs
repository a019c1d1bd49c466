//! Which stages run Windows: the one notion the rules and the shell analysis share.

use super::SemanticModel;
use crate::dockerfile::{Dockerfile, InstructionKind};

/// True for a Windows base image: `mcr.microsoft.com/windows/...`, `nanoserver`, `servercore`,
/// tags such as `golang:1.23-windowsservercore` or `powershell:nanoserver`.
pub fn is_windows_image(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["windows", "nanoserver", "servercore"]
        .iter()
        .any(|w| name.contains(w))
}

/// True for a Windows shell program (`pwsh`, `powershell`, `cmd`, with or without `.exe`).
pub fn is_windows_shell(program: &str) -> bool {
    let base = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base);
    matches!(base, "pwsh" | "powershell" | "cmd")
}

/// True when `text` holds a drive-letter path (`C:\`, `c:/`) as a word or value of its own.
pub fn has_drive_path(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(3).enumerate().any(|(i, w)| {
        w[0].is_ascii_alphabetic()
            && w[1] == b':'
            && matches!(w[2], b'\\' | b'/')
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'"' | b'\'' | b'=' | b'[' | b','))
    })
}

impl SemanticModel<'_> {
    /// True when `stage` runs Windows: it (or a stage it is built on) starts from a Windows
    /// image, sets a PowerShell or cmd `SHELL`, or uses drive-letter paths (`C:\app`).
    pub fn is_windows_stage(&self, stage: usize) -> bool {
        // rules ask per instruction: one answer per stage, computed once per file
        self.windows
            .get_or_init(|| {
                (0..self.dockerfile().stages.len())
                    .map(|s| self.compute_is_windows_stage(s))
                    .collect()
            })
            .get(stage)
            .copied()
            .unwrap_or(false)
    }

    fn compute_is_windows_stage(&self, stage: usize) -> bool {
        let df = self.dockerfile();
        if self.base_facts(stage).is_some_and(|f| f.is_windows()) {
            return true;
        }
        self.stage_chain(stage)
            .into_iter()
            .any(|s| stage_looks_windows(df, s))
    }
}

fn stage_looks_windows(df: &Dockerfile, stage: usize) -> bool {
    let Some(st) = df.stages.get(stage) else {
        return false;
    };
    is_windows_image(&st.base.name)
        || st
            .instructions
            .iter()
            .filter_map(|&i| df.instructions.get(i))
            .any(|inst| match &inst.kind {
                InstructionKind::Shell(words) => {
                    words.first().is_some_and(|w| is_windows_shell(&w.value))
                }
                _ => has_drive_path(&inst.args.text),
            })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parse;

    #[test]
    fn windows_images_shells_and_paths() {
        assert!(is_windows_image("mcr.microsoft.com/windows/servercore"));
        assert!(is_windows_image("golang:1.23-windowsservercore-ltsc2022"));
        assert!(!is_windows_image("debian"));
        assert!(is_windows_shell("C:\\Program Files\\PowerShell\\pwsh.exe"));
        assert!(is_windows_shell("cmd"));
        assert!(!is_windows_shell("/bin/bash"));
        assert!(has_drive_path("C:\\zabbix"));
        assert!(has_drive_path("PATH=\"c:/tools;%PATH%\""));
        assert!(!has_drive_path("https://example.com/a"));
        let stage_windows = |src: &str| {
            let df = parse(src);
            let model = SemanticModel::new(&df);
            (0..df.stages.len())
                .map(|s| model.is_windows_stage(s))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            stage_windows("FROM a\nSHELL [\"pwsh\", \"-Command\"]\nUSER zabbix\n"),
            [true]
        );
        assert_eq!(stage_windows("FROM a\nWORKDIR C:\\\\zabbix\n"), [true]);
        assert_eq!(
            stage_windows("FROM mcr.microsoft.com/windows/nanoserver AS w\nFROM w\nFROM b\n"),
            [true, true, false]
        );
    }
}
