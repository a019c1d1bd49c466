//! The shell each instruction runs with, computed in one pass over the file: the stage's last
//! `SHELL` so far, inherited from the base stage, else the `# hadolint shell=` / `# dlint
//! shell=` pragma's program, else `/bin/sh -c` (no checked shell for Windows images).

use super::bases::StageBases;
use super::distro::sh_is_dash;
use super::stages::StageGraph;
use super::windows::is_windows_image;
use crate::dockerfile::{Dockerfile, InstructionKind, Word};
use crate::shell::builtin_checks::Dialect;

/// The shell in effect at one instruction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShellInEffect<'a> {
    /// The words of the `SHELL` instruction in effect (in the stage or the stages it is built
    /// on); `None` when there is none.
    pub words: Option<&'a [Word]>,
    /// The program the file's shell pragma names, when no `SHELL` instruction is in effect.
    pub pragma: Option<&'a str>,
    /// The base image's `SHELL` (from its config), when neither a `SHELL` instruction nor the
    /// pragma is in effect.
    pub image: Option<&'a [String]>,
    /// The dialect shell-form bodies run in; `None` for shells ShellCheck does not check
    /// (PowerShell, cmd, ...), and for a stage built on a Windows image without a `SHELL`.
    pub dialect: Option<Dialect>,
    /// The shell is dash (`sh` of a Debian or Ubuntu image, or `dash` itself): its `echo`
    /// expands backslash escapes.
    pub dash: bool,
}

impl ShellInEffect<'_> {
    /// The shell program: the `SHELL`'s first word, else the pragma's program; `None` for the
    /// default `/bin/sh`.
    pub fn program(&self) -> Option<&str> {
        match self.words {
            Some(words) => words.first().map(|w| w.value.as_str()),
            None => self
                .pragma
                .or_else(|| self.image.and_then(|w| w.first()).map(String::as_str)),
        }
    }
}

/// Indexed like [`Dockerfile::instructions`].
pub(super) fn shells<'a>(
    df: &'a Dockerfile,
    graph: &StageGraph,
    bases: &'a StageBases,
) -> Vec<ShellInEffect<'a>> {
    let mut at = vec![ShellInEffect::default(); df.instructions.len()];
    let mut at_end: Vec<ShellInEffect<'a>> = Vec::with_capacity(df.stages.len());
    // per stage: the image's `sh` is dash (inherited through `FROM <stage>`)
    let mut image_dash: Vec<bool> = Vec::with_capacity(df.stages.len());
    // `# hadolint shell=powershell` (or `# dlint shell=bash`) sets the shell of every stage
    // without a SHELL of its own, as hadolint's pragma does
    let pragma = df.comments.iter().find_map(|c| shell_pragma(&c.text));
    for (s, stage) in df.stages.iter().enumerate() {
        let base = graph.base(s).filter(|&b| b < s);
        let facts = base.is_none().then(|| bases.get(s)).flatten();
        let windows = facts.map_or_else(
            || {
                is_windows_image(&stage.base.name)
                    || stage.base.name.to_ascii_lowercase().contains("powershell")
            },
            |f| f.is_windows(),
        );
        let image_shell = facts.and_then(|f| f.shell.as_deref());
        let sh_dash = match base {
            Some(b) => image_dash.get(b).copied().unwrap_or(false),
            None => sh_is_dash(&stage.base),
        };
        let is_dash = |program: &str| match crate::shell::basename(program) {
            "dash" => true,
            "sh" => sh_dash,
            _ => false,
        };
        let inherited = base.and_then(|b| at_end.get(b).copied());
        let mut current = match (inherited, pragma) {
            (Some(base), _) => base,
            (None, Some(program)) => ShellInEffect {
                words: None,
                pragma: Some(program),
                image: None,
                dialect: Dialect::of_program(program),
                dash: is_dash(program),
            },
            (None, None) => match image_shell.and_then(|w| Some((w, w.first()?))) {
                Some((words, program)) => ShellInEffect {
                    words: None,
                    pragma: None,
                    image: Some(words),
                    dialect: Dialect::of_program(program),
                    dash: is_dash(program),
                },
                None => ShellInEffect {
                    words: None,
                    pragma: None,
                    image: None,
                    dialect: (!windows).then_some(Dialect::Sh),
                    dash: sh_dash && !windows,
                },
            },
        };
        if let Some(slot) = at.get_mut(stage.from) {
            *slot = current;
        }
        for &i in &stage.instructions {
            let Some(inst) = df.instructions.get(i) else {
                continue;
            };
            // the shell when the instruction runs: a SHELL applies from the next one on
            if let Some(slot) = at.get_mut(i) {
                *slot = current;
            }
            if let InstructionKind::Shell(words) = &inst.kind {
                current = ShellInEffect {
                    words: Some(words),
                    pragma: None,
                    image: None,
                    dialect: words.first().and_then(|w| Dialect::of_program(&w.value)),
                    dash: words.first().is_some_and(|w| is_dash(&w.value)),
                };
            }
        }
        at_end.push(current);
        image_dash.push(sh_dash);
    }
    at
}

/// The program of a `# hadolint shell=NAME` / `# dlint shell=NAME` comment (its text after `#`).
fn shell_pragma(comment: &str) -> Option<&str> {
    let mut words = comment.split_whitespace();
    let tool = words.next()?;
    if !tool.eq_ignore_ascii_case("hadolint") && !tool.eq_ignore_ascii_case("dlint") {
        return None;
    }
    let program = words.next()?.strip_prefix("shell=")?;
    (!program.is_empty()).then_some(program)
}
