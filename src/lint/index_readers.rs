//! Later readers of a package index: whether deleting an index (apt's lists, apk's index) at
//! the end of one RUN can break a later RUN of the file. Fix safety is a property of the whole
//! file: every later RUN of the stage, of every stage built `FROM` it (directly or not) and of
//! every stage that reads it (`COPY --from`, `RUN --mount=from=`) is looked at, through the
//! package model ([`crate::shell::pkg`]), so `sudo`, `env`, `apt-get -o X=Y install` and the
//! like are understood as they are by the rules.

use crate::lint::SemanticModel;
use crate::shell::pkg::{Index, IndexUse, invocation};
use crate::shell::run::Run;
use crate::shell::{Command, Script, basename, is_posix_shell};

/// Whether a later RUN needs an index that a fix would delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IndexNeed {
    /// No later RUN reads it before refreshing it: deleting it is safe.
    No,
    /// A later RUN runs something dlint cannot see into (a script file, a script too large to
    /// analyse, an exec-form command): deleting it may break the build.
    Maybe,
    /// A later RUN reads it without refreshing it first: deleting it breaks the build.
    Yes,
}

/// The stages that see what `stage` leaves in its filesystem: itself, the stages built on it
/// and the stages reading it, transitively.
fn observers(model: &SemanticModel<'_>, stage: usize) -> Vec<usize> {
    let mut seen = vec![stage];
    let mut todo = vec![stage];
    while let Some(s) = todo.pop() {
        for &d in model
            .stage(s)
            .map(|f| f.dependants.as_slice())
            .unwrap_or(&[])
        {
            if !seen.contains(&d) {
                seen.push(d);
                todo.push(d);
            }
        }
    }
    seen
}

/// Whether a RUN after `run` (in the stages that see its layer, ONBUILD RUNs included: they
/// run in child images) needs `index` without refreshing it first.
pub fn index_needed_after(model: &SemanticModel<'_>, run: &Run, index: Index) -> IndexNeed {
    let stages = match run.stage {
        Some(s) => observers(model, s),
        // Before any FROM nothing runs.
        None => return IndexNeed::No,
    };
    model
        .analysis()
        .runs
        .iter()
        .filter(|r| r.index > run.index && r.stage.is_some_and(|s| stages.contains(&s)))
        .map(|r| match &r.script {
            Some(script) if script.limit.is_none() => script_need(script, index),
            _ => IndexNeed::Maybe,
        })
        .max()
        .unwrap_or(IndexNeed::No)
}

/// Whether one script reads `index` before refreshing it.
pub fn script_need(script: &Script, index: Index) -> IndexNeed {
    let mut need = IndexNeed::No;
    for (i, c) in script.commands.iter().enumerate() {
        if let Some(inv) = invocation(i, c) {
            match inv.index_use() {
                Some((ix, IndexUse::Refresh)) if ix == index => return need,
                Some((ix, IndexUse::Read)) if ix == index => return IndexNeed::Yes,
                _ if inv.clears_index(index) => return need,
                _ => {}
            }
        } else if runs_unseen_script(c) {
            need = IndexNeed::Maybe;
        }
    }
    need
}

/// True when the command runs a script file whose commands dlint does not see: `./setup.sh`,
/// `/tmp/install.sh`, `sh install.sh`, `. ./env.sh`.
fn runs_unseen_script(c: &Command) -> bool {
    let Some(first) = c.argv().first() else {
        return false;
    };
    let name = first.value.as_str();
    let is_script_file =
        |v: &str| v.ends_with(".sh") || v.ends_with(".bash") || v.starts_with("./");
    if matches!(name, "." | "source") {
        // sourcing the system's settings (`. /etc/os-release`) installs nothing
        return !c
            .args()
            .first()
            .is_some_and(|w| w.is_static && w.value.starts_with("/etc/"));
    }
    if is_posix_shell(basename(name)) {
        // `sh -c '...'` is parsed inline; `sh file.sh` is not.
        let inline = c.args().iter().any(|w| {
            w.value.starts_with('-') && !w.value.starts_with("--") && w.value.contains('c')
        });
        return !inline
            && c.args()
                .iter()
                .find(|w| !w.value.starts_with('-'))
                .is_some_and(|w| is_script_file(&w.value) || w.value.contains('/'));
    }
    is_script_file(name)
}
