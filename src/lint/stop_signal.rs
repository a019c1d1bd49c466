//! STOPSIGNAL values and the program a stage runs as PID 1: what the signal rules
//! (DL5163-DL5165, DL5169) read.

use crate::dockerfile::{Dockerfile, Instruction, InstructionKind, ShellOrExec, Span, Word};
use crate::lint::helpers::stage_instructions;
use crate::lint::{Applicability, Edit, Fix};
use crate::semantic::SemanticModel;

/// A STOPSIGNAL value in canonical form (`SIGKILL`, `SIGRTMIN+3`), from any spelling Docker
/// accepts: a number, a name with or without `SIG`, any case. `None` for a variable or a value
/// that is no signal.
pub fn canonical(value: &str) -> Option<String> {
    let v = value.trim().trim_matches(['"', '\'']);
    if v.is_empty() || v.contains('$') {
        return None;
    }
    if let Ok(n) = v.parse::<u32>() {
        return by_number(n);
    }
    let upper = v.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if let Some(rest) = name.strip_prefix("RTMIN") {
        let off = rest.strip_prefix('+').unwrap_or(rest);
        return match off {
            "" => Some("SIGRTMIN".into()),
            _ => off
                .parse::<u32>()
                .ok()
                .filter(|&n| n <= 30)
                .map(|n| format!("SIGRTMIN+{n}")),
        };
    }
    NAMES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(_, n)| format!("SIG{n}"))
}

/// Linux signal numbers (x86 and arm) of the names Docker accepts.
const NAMES: &[(u32, &str)] = &[
    (1, "HUP"),
    (2, "INT"),
    (3, "QUIT"),
    (4, "ILL"),
    (5, "TRAP"),
    (6, "ABRT"),
    (7, "BUS"),
    (8, "FPE"),
    (9, "KILL"),
    (10, "USR1"),
    (11, "SEGV"),
    (12, "USR2"),
    (13, "PIPE"),
    (14, "ALRM"),
    (15, "TERM"),
    (16, "STKFLT"),
    (17, "CHLD"),
    (18, "CONT"),
    (19, "STOP"),
    (20, "TSTP"),
    (21, "TTIN"),
    (22, "TTOU"),
    (23, "URG"),
    (24, "XCPU"),
    (25, "XFSZ"),
    (26, "VTALRM"),
    (27, "PROF"),
    (28, "WINCH"),
    (29, "IO"),
    (30, "PWR"),
    (31, "SYS"),
];

fn by_number(n: u32) -> Option<String> {
    if (34..=64).contains(&n) {
        return Some(match n - 34 {
            0 => "SIGRTMIN".into(),
            k => format!("SIGRTMIN+{k}"),
        });
    }
    NAMES
        .iter()
        .find(|(k, _)| *k == n)
        .map(|(_, name)| format!("SIG{name}"))
}

/// The last STOPSIGNAL of `stage` or of the stages it is built on (the one in effect), with
/// its value word.
pub fn stop_signal<'a>(model: &SemanticModel<'a>, stage: usize) -> Option<&'a Word> {
    let df = model.dockerfile();
    model.stage_chain(stage).into_iter().find_map(|s| {
        stage_instructions(df, s)
            .filter_map(|i| match &i.kind {
                InstructionKind::Stopsignal(w) => Some(w),
                _ => None,
            })
            .last()
    })
}

/// The program the container runs as PID 1, as far as the file says, with the index of the
/// ENTRYPOINT or CMD naming it: the exec-form ENTRYPOINT's program, or past an init or
/// entrypoint wrapper (`tini --`, `dumb-init`, `docker-entrypoint.sh`, which exec their
/// arguments) the program after it or the CMD's; with no ENTRYPOINT, the exec-form CMD's.
/// ENTRYPOINT and CMD are looked up in `stage` and the stages it is built on (an ENTRYPOINT
/// drops the CMD of the stages below it). `None` for a shell form (the shell is PID 1).
pub fn pid1_program<'a>(model: &SemanticModel<'a>, stage: usize) -> Option<(usize, &'a Word)> {
    let df: &'a Dockerfile = model.dockerfile();
    let mut entrypoint: Option<(usize, &'a ShellOrExec)> = None;
    let mut cmd: Option<(usize, &'a ShellOrExec)> = None;
    for s in model.stage_chain(stage) {
        let Some(st) = df.stages.get(s) else { continue };
        let set_entrypoint_below = entrypoint.is_some();
        for &i in st.instructions.iter().rev() {
            match df.instructions.get(i).map(|ins| &ins.kind) {
                Some(InstructionKind::Entrypoint(f)) if entrypoint.is_none() => {
                    entrypoint = Some((i, f));
                }
                Some(InstructionKind::Cmd(f)) if cmd.is_none() && !set_entrypoint_below => {
                    cmd = Some((i, f));
                }
                _ => {}
            }
        }
    }
    let exec = |f: Option<(usize, &'a ShellOrExec)>| match f {
        Some((i, ShellOrExec::Exec(words))) if !words.is_empty() => Some((i, words.as_slice())),
        _ => None,
    };
    let (i, words) = match entrypoint {
        Some(e) => exec(Some(e))?,
        None => return exec(cmd).and_then(|(i, w)| w.first().map(|p| (i, p))),
    };
    let first = words.first()?;
    if !is_wrapper(program(first)) {
        return Some((i, first));
    }
    let rest = words.get(1..).unwrap_or(&[]);
    let after = rest
        .iter()
        .position(|w| w.value == "--")
        .map_or(rest, |k| rest.get(k + 1..).unwrap_or(&[]));
    match after.iter().find(|w| !w.value.starts_with('-')) {
        Some(w) => Some((i, w)),
        None => exec(cmd).and_then(|(i, w)| w.first().map(|p| (i, p))),
    }
}

/// An init or entrypoint script that execs the command it is given.
fn is_wrapper(name: &str) -> bool {
    matches!(name, "tini" | "tini-static" | "dumb-init")
        || name.ends_with("entrypoint.sh")
        || name == "docker-entrypoint"
}

/// The basename of a program path (`/usr/sbin/nginx` -> `nginx`).
pub fn program(word: &Word) -> &str {
    word.value.rsplit('/').next().unwrap_or(&word.value)
}

/// A fix that puts `STOPSIGNAL <signal>` on its own line above `ins`, indented as it is
/// (unsafe: the image then stops another way).
pub fn insert_stop_signal(ins: &Instruction, source: &str, signal: &str) -> Fix {
    let line_start = source
        .get(..ins.span.start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let indent = source.get(line_start..ins.span.start).unwrap_or("");
    let eol = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Fix {
        description: format!("add STOPSIGNAL {signal}"),
        edits: vec![Edit {
            span: Span::new(ins.span.start, ins.span.start),
            replacement: format!("STOPSIGNAL {signal}{eol}{indent}"),
        }],
        applicability: Applicability::Unsafe,
    }
}

/// A fix that replaces the STOPSIGNAL value `value` with `signal` (unsafe).
pub fn replace_stop_signal(value: &Word, signal: &str) -> Fix {
    Fix {
        description: format!("stop with {signal}"),
        edits: vec![Edit {
            span: value.span,
            replacement: signal.to_string(),
        }],
        applicability: Applicability::Unsafe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_normalise() {
        for (v, want) in [
            ("SIGKILL", "SIGKILL"),
            ("kill", "SIGKILL"),
            ("9", "SIGKILL"),
            ("sigquit", "SIGQUIT"),
            ("SIGRTMIN+3", "SIGRTMIN+3"),
            ("RTMIN+3", "SIGRTMIN+3"),
            ("37", "SIGRTMIN+3"),
            ("15", "SIGTERM"),
        ] {
            assert_eq!(canonical(v).as_deref(), Some(want), "{v}");
        }
        for v in ["$SIG", "SIGFOO", "0", "99", ""] {
            assert_eq!(canonical(v), None, "{v}");
        }
    }
}
