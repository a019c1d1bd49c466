//! DL5004's fix for a later RUN that removes packages an earlier RUN installed: the removal
//! moves to the end of the installing RUN (see [`package_move_fix`]).

use super::dl5004_removed_in_later_run::{line, move_whole};
use crate::dockerfile::{InstructionKind, Keyword, ShellOrExec, Span};
use crate::lint::removals::{LaterRemoval, Origin};
use crate::lint::{Edit, Fix, SemanticModel};
use crate::shell::pkg::invocation;
use crate::shell::{Command, edit};

/// Moves a removal of packages RUN `earlier` installed (`apt-get purge`, `remove`, the
/// `autoremove` of what such a removal orphaned, `dpkg -P`, `apk del`, `dnf remove`, `zypper
/// rm`) to the end of that RUN, after every command of it, keeping in the later RUN the
/// operands it did not install. Only when nothing can use the packages in between: no RUN
/// between the two, and only deletes and removals or cleans of the same manager family
/// before it in its own RUN. An `autoremove` moves only once the removal that orphaned
/// the packages is in the installing RUN.
pub(super) fn package_move_fix(
    model: &SemanticModel<'_>,
    r: &LaterRemoval,
    earlier: usize,
) -> Option<Fix> {
    let df = model.dockerfile();
    let a = model.analysis();
    let (erun, lrun) = (a.run_at(earlier)?, a.run_at(r.later)?);
    let (escript, lscript) = (erun.script.as_ref()?, lrun.script.as_ref()?);
    let cmd = lscript.commands.get(r.command)?;
    let inv = invocation(r.command, cmd)?;
    let removal = inv.removal()?;
    let linst = edit::run_instruction(df, lrun)?;
    if cmd.nested
        || cmd.from_sh_c
        || lscript.tolerant
        || escript.tolerant
        || !linst.heredocs.is_empty()
        || !matches!(linst.kind, InstructionKind::Run(ShellOrExec::Shell(_)))
        || r.matches.iter().any(|m| {
            matches!(
                m.origin,
                Origin::Orphaned {
                    removed_there: false,
                    ..
                }
            ) || !m.origin.is_package()
        })
    {
        return None;
    }
    let stage = df.stages.get(linst.stage?)?;
    if stage.instructions.iter().any(|&i| {
        earlier < i
            && i < r.later
            && df
                .instructions
                .get(i)
                .is_none_or(|x| matches!(x.keyword, Keyword::Run | Keyword::Onbuild))
    }) {
        return None;
    }
    let harmless = |(j, c): (usize, &Command)| {
        crate::lint::removals::delete_operands(c).is_some()
            || matches!(c.name(), Some("set" | "true" | ":"))
            || invocation(j, c).is_some_and(|i| {
                i.manager.family() == inv.manager.family()
                    && (i.removal().is_some() || i.is_clean())
            })
    };
    if !lscript
        .commands
        .get(..r.command)?
        .iter()
        .enumerate()
        .all(harmless)
    {
        return None;
    }
    let installed: Vec<&str> = r
        .matches
        .iter()
        .filter(|m| matches!(m.origin, Origin::Installed(_)))
        .map(|m| m.path.as_str())
        .collect();
    let new = inv.removal_command(&installed)?;
    if r.all_matched {
        return move_whole(model, r, earlier, &new, linst.span);
    }
    // split: the packages the earlier RUN installed move, the others stay
    let last = escript
        .commands
        .iter()
        .rposition(|c| !c.nested && !c.from_sh_c)?;
    let mut edits = vec![edit::append_command(df, erun, escript, last, &new)?];
    for p in removal.packages.iter().flatten() {
        if !installed.contains(&p.name.as_str()) {
            continue;
        }
        let before = df.source.get(..p.span.start)?;
        let start = before.trim_end_matches([' ', '\t']).len();
        if start == p.span.start || p.span.text(&df.source) != p.raw {
            return None;
        }
        edits.push(Edit {
            span: Span::new(start, p.span.end),
            replacement: String::new(),
        });
    }
    Some(Fix::unsafe_edit(
        format!(
            "move `{new}` to the end of the RUN on line {} and keep the other packages here \
             (unsafe: the packages go in that layer's RUN, before the instructions in between)",
            line(df, earlier)
        ),
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{fixed, lines, run as check};
    use crate::rules::layers::dl5004_removed_in_later_run::RemovedInLaterRun;

    #[test]
    fn purge_of_what_an_earlier_run_installed_moves_after_its_last_use() {
        let head = "FROM debian:12\nCOPY hi.c /src/\nRUN apt-get update && apt-get install -y gcc libc6-dev && gcc -o /usr/local/bin/hi /src/hi.c\n";
        let src = format!(
            "{head}RUN apt-get purge -y gcc libc6-dev && apt-get autoremove -y && echo ok > /etc/hi\n"
        );
        let d = check(&RemovedInLaterRun, &src);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].message.contains("gcc, libc6-dev, which line 3"),
            "{}",
            d[0].message
        );
        assert!(
            d[1].message.contains("dependencies line 3"),
            "{}",
            d[1].message
        );
        // the autoremove waits until the purge is in the installing RUN
        assert!(d[1].fix.is_none());
        let once = fixed(&RemovedInLaterRun, &src);
        assert_eq!(
            once,
            format!(
                "{}&& apt-get purge -y gcc libc6-dev\nRUN apt-get autoremove -y && echo ok > /etc/hi\n",
                head.trim_end_matches('\n').to_string() + " "
            )
        );
        let twice = fixed(&RemovedInLaterRun, &once);
        assert!(twice.contains("/src/hi.c && apt-get purge -y gcc libc6-dev && apt-get autoremove -y\nRUN echo ok > /etc/hi\n"), "{twice}");
        assert!(check(&RemovedInLaterRun, &twice).is_empty());
        // split: a package the earlier RUN did not install stays
        let src = format!("{head}RUN apt-get remove --purge -y gcc e2fsprogs\n");
        assert!(
            fixed(&RemovedInLaterRun, &src).ends_with("/src/hi.c && apt-get remove -y --purge gcc\nRUN apt-get remove --purge -y e2fsprogs\n"),
            "{}",
            fixed(&RemovedInLaterRun, &src)
        );
        // no fix where something could still use the packages first
        for tail in [
            "RUN make -C /src\nRUN apt-get purge -y gcc\n",
            "RUN make -C /src && apt-get purge -y gcc\n",
            "ONBUILD RUN make\nRUN apt-get purge -y gcc\n",
        ] {
            let src = format!("{head}{tail}");
            let d = check(&RemovedInLaterRun, &src);
            assert_eq!(d.len(), 1, "{src}");
            assert!(d[0].fix.is_none(), "{src}");
        }
        for src in [
            // removed in the RUN that installed it
            "FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y gcc && apt-get autoremove -y\nRUN apt-get autoremove -y\n",
            // not installed by this stage, or only simulated
            "FROM debian:12\nRUN apt-get purge -y e2fsprogs\n",
            "FROM debian:12\nRUN apt-get install -y gcc\nRUN apt-get -s purge gcc\n",
            // installed again by the removing RUN first
            "FROM debian:12\nRUN apt-get install -y gcc\nRUN apt-get install -y gcc && apt-get purge -y gcc\n",
        ] {
            assert!(lines(&RemovedInLaterRun, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn removals_of_apk_dnf_dpkg_and_zypper_move_the_same_way() {
        for (src, want) in [
            (
                "FROM alpine:3.19\nRUN apk add --virtual .build-deps gcc musl-dev && gcc -o /usr/local/bin/hi /src/hi.c\nRUN apk del .build-deps && echo ok > /etc/hi\n",
                "FROM alpine:3.19\nRUN apk add --virtual .build-deps gcc musl-dev && gcc -o /usr/local/bin/hi /src/hi.c && apk del .build-deps\nRUN echo ok > /etc/hi\n",
            ),
            (
                "FROM fedora:40\nRUN dnf install -y gcc && gcc -o /hi /hi.c\nRUN dnf remove -y gcc vim-minimal\n",
                "FROM fedora:40\nRUN dnf install -y gcc && gcc -o /hi /hi.c && dnf remove -y gcc\nRUN dnf remove -y vim-minimal\n",
            ),
            (
                "FROM debian:12\nRUN apt-get update && apt-get install -y gcc && gcc -o /hi /hi.c\nRUN dpkg -P gcc\n",
                "FROM debian:12\nRUN apt-get update && apt-get install -y gcc && gcc -o /hi /hi.c && dpkg --purge gcc\n",
            ),
            (
                "FROM opensuse/leap\nRUN zypper -n in gcc && gcc -o /hi /hi.c\nRUN rm -rf /tmp/x && zypper -n rm gcc\n",
                "FROM opensuse/leap\nRUN zypper -n in gcc && gcc -o /hi /hi.c && zypper --non-interactive rm gcc\nRUN rm -rf /tmp/x\n",
            ),
        ] {
            assert_eq!(lines(&RemovedInLaterRun, src), [3], "{src}");
            assert_eq!(fixed(&RemovedInLaterRun, src), want, "{src}");
            assert!(check(&RemovedInLaterRun, want).is_empty(), "{want}");
        }
        for src in [
            // another family's install, or one the removal cannot name
            "FROM debian:12\nRUN apt-get install -y gcc\nRUN apk del gcc\n",
            "FROM debian:12\nRUN dpkg -i /tmp/gcc.deb\nRUN dpkg -r gcc\n",
            "FROM alpine:3.19\nRUN apk add gcc\nRUN apk del $DEPS\n",
            // removed in the installing RUN already
            "FROM alpine:3.19\nRUN apk add --virtual .d gcc && make && apk del .d\nRUN echo ok\n",
        ] {
            assert!(lines(&RemovedInLaterRun, src).is_empty(), "{src}");
        }
        // something in the removing RUN may still use the package first: no fix
        let src =
            "FROM alpine:3.19\nRUN apk add --virtual .d gcc\nRUN make -C /src && apk del .d\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
    }
}
