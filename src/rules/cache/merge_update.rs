//! DL3009's fix for an `apt-get update` in a RUN of its own whose lists a later RUN installs
//! from: the update moves to the front of that RUN (where DL3009 then cleans the lists), and
//! the RUN it leaves is deleted.

use crate::dockerfile::{InstructionKind, Keyword, ShellOrExec};
use crate::lint::{Fix, SemanticModel};
use crate::shell::edit;
use crate::shell::pkg::{Index, IndexUse, Invocation, index_use};
use crate::shell::run::Run;
use crate::shell::{Command, Script};

/// Commands whose effect ends with the RUN (they may go with the update's RUN).
fn transient(c: &Command) -> bool {
    matches!(c.name(), Some("cd" | "export" | "set" | "true" | ":"))
}

/// True when the command reads apt's package lists (the model's [`IndexUse::Read`]:
/// `apt-get install`, `apt-cache policy` ..., not `update`, `clean` or `purge`).
fn needs_lists(k: usize, c: &Command) -> bool {
    index_use(k, c) == Some((Index::AptLists, IndexUse::Read))
}

/// The unsafe fix moving `inv` (an `apt-get update` alone in its RUN, with at most `cd`/`export`
/// around it) to the front of the next RUN of the stage that uses the lists. `None` when an
/// instruction in between may change what the update sees or does (`USER`, `SHELL`, `ONBUILD`,
/// a RUN), the next RUN is not plain shell form, or the texts cannot be edited exactly.
pub(super) fn merge_fix(
    model: &SemanticModel<'_>,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
) -> Option<Fix> {
    let df = model.dockerfile();
    let a = model.analysis();
    if script.tolerant
        || !run.mounts.is_empty()
        || inv.cmd.nested
        || inv.cmd.from_sh_c
        || script
            .commands
            .iter()
            .enumerate()
            .any(|(k, c)| k != inv.index && (c.nested || c.from_sh_c || !transient(c)))
    {
        return None;
    }
    let this = edit::run_instruction(df, run)?;
    if !this.heredocs.is_empty() {
        return None;
    }
    let stage = df.stages.get(run.stage?)?;
    let mut next = None;
    for &i in stage.instructions.iter().filter(|&&i| i > run.index) {
        let ins = df.instructions.get(i)?;
        match ins.keyword {
            Keyword::Run => {
                next = Some(i);
                break;
            }
            Keyword::Env
            | Keyword::Arg
            | Keyword::Label
            | Keyword::Expose
            | Keyword::Workdir
            | Keyword::Copy
            | Keyword::Add => {}
            _ => return None,
        }
    }
    let nrun = a.run_at(next?)?;
    let nscript = nrun.script.as_ref()?;
    let ninst = edit::run_instruction(df, nrun)?;
    if nrun.onbuild
        || nscript.tolerant
        || !ninst.heredocs.is_empty()
        || !matches!(ninst.kind, InstructionKind::Run(ShellOrExec::Shell(_)))
        || !nscript
            .commands
            .iter()
            .enumerate()
            .any(|(k, c)| needs_lists(k, c))
    {
        return None;
    }
    let first = nscript.commands.first()?;
    if first.nested || first.from_sh_c {
        return None;
    }
    let update = inv.cmd.span.text(&df.source);
    if update.contains('\n') || update.contains(df.escape) {
        return None;
    }
    let insert = crate::dockerfile::Edit {
        span: crate::dockerfile::Span::new(first.span.start, first.span.start),
        replacement: format!("{update} && "),
    };
    let delete = edit::delete_instruction(df, this.span)?;
    Some(Fix::unsafe_edit(
        format!(
            "move `{update}` into the RUN on line {} that installs, where the lists can be \
             deleted (unsafe: the update runs after the instructions in between)",
            df.lines.line_col(&df.source, ninst.span.start).line
        ),
        vec![delete, insert],
    ))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::fixed as fixed_unsafe;
    use crate::rules::cache::dl3009_apt_lists_not_removed::AptListsNotRemoved;

    #[test]
    fn moves_a_lone_update_into_the_installing_run() {
        let src = "FROM debian:12\nWORKDIR /app\nRUN cd /tmp && apt-get update\nCOPY a /a\nRUN apt-get install -y jq && touch marker\n";
        assert_eq!(
            fixed_unsafe(&AptListsNotRemoved, src),
            "FROM debian:12\nWORKDIR /app\nCOPY a /a\nRUN apt-get update && apt-get install -y jq && touch marker\n"
        );
        // apt's options go along
        let src =
            "FROM debian:12\nRUN apt-get -o Acquire::Retries=3 update\nRUN apt-get install -y jq\n";
        assert_eq!(
            fixed_unsafe(&AptListsNotRemoved, src),
            "FROM debian:12\nRUN apt-get -o Acquire::Retries=3 update && apt-get install -y jq\n"
        );
    }

    #[test]
    fn no_merge_when_unsure() {
        for src in [
            // the RUN does more than the update
            "FROM debian:12\nRUN apt-get update && mkdir /x\nRUN apt-get install -y jq\n",
            // another user installs
            "FROM debian:12\nRUN apt-get update\nUSER app\nRUN apt-get install -y jq\n",
            // the next RUN is exec form
            "FROM debian:12\nRUN apt-get update\nRUN [\"apt-get\", \"install\", \"-y\", \"jq\"]\n",
        ] {
            assert_eq!(fixed_unsafe(&AptListsNotRemoved, src), src, "{src}");
        }
    }

    #[test]
    fn the_lists_are_needed_as_the_model_says() {
        let needs = |src: &str| {
            let map = crate::dockerfile::SourceMap::identity(0, src.len());
            let s =
                crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 });
            s.commands
                .iter()
                .enumerate()
                .any(|(k, c)| super::needs_lists(k, c))
        };
        for src in [
            "apt-get install -y jq",
            "apt-get -o Acquire::Retries=3 install -y jq",
            "sudo apt-get build-dep -y foo",
            "apt-cache policy jq",
            "apt upgrade -y",
        ] {
            assert!(needs(src), "{src}");
        }
        for src in [
            "apt-get update",
            "apt-get clean",
            "apt-get dist-clean",
            "apt-get purge -y jq",
            "apt-get autoremove -y",
            "dpkg -i x.deb",
        ] {
            assert!(!needs(src), "{src}");
        }
    }
}
