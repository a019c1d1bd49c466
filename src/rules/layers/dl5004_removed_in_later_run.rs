//! DL5004: files deleted by a later RUN than the one (or the COPY/ADD) that stored them.
//!
//! Each RUN, COPY and ADD makes a layer; a file a layer stored stays in the image even when a
//! later layer deletes it. The check follows each stage of the final image in order, remembers
//! what each instruction stored (downloads, clones, `mkdir`, `cp`/`mv` targets, COPY/ADD
//! destinations, the caches the package managers fill) and reports an `rm` (or a plain
//! `find DIR -delete`) of a later RUN that covers one of them. Paths relative to the working
//! directory are resolved only when the stage set it with a plain `WORKDIR` (or `cd`); anything
//! with a variable is skipped. The bookkeeping is [`crate::lint::removals`] (the optimizer
//! prices its findings with it too); this file words the finding and builds the fix.

use crate::dockerfile::{Dockerfile, InstructionKind, Keyword, ShellOrExec, Span};
use crate::lint::removals::{LaterRemoval, Origin, later_removals};
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, SemanticModel, Severity};
use crate::shell::pkg::{Family, Manager, clean_command, invocation};
use crate::shell::{Command, basename, edit};

/// DL5004 `removed-in-later-run`.
pub struct RemovedInLaterRun;

impl Rule for RemovedInLaterRun {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5004",
            name: "removed-in-later-run",
            severity: Severity::Warning,
            summary: "Delete files in the RUN that creates them, not in a later one",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let model = cx.model();
        let df = model.dockerfile();
        let found: Vec<(Span, String, Option<Fix>)> = later_removals(model)
            .into_iter()
            .map(|r| {
                let msg = message(df, &r);
                let fix = move_fix(model, &r);
                (r.span, msg, fix)
            })
            .collect();
        for (span, msg, fix) in found {
            cx.report_with_fix(span, msg, fix);
        }
    }
}

pub(super) fn line(df: &Dockerfile, i: usize) -> usize {
    df.instructions
        .get(i)
        .map_or(0, |x| df.lines.line_col(&df.source, x.span.start).line)
}

fn message(df: &Dockerfile, r: &LaterRemoval) -> String {
    let m = r.matches.first();
    let earlier = m.map_or(0, |m| m.earlier);
    let kw = df
        .instructions
        .get(earlier)
        .map_or("RUN", |i| i.keyword.as_str());
    let mut paths: Vec<&str> = Vec::new();
    for m in &r.matches {
        if !paths.contains(&m.path.as_str()) {
            paths.push(&m.path);
        }
    }
    let shown = paths.iter().take(3).copied().collect::<Vec<_>>().join(", ");
    let path = match paths.len() {
        n if n > 3 => format!("{shown} and {} more", n - 3),
        _ => shown,
    };
    let mut lines: Vec<usize> = r.matches.iter().map(|m| line(df, m.earlier)).collect();
    lines.dedup();
    if let (Some(m), [l]) = (m.filter(|m| m.origin.is_package()), lines.as_slice()) {
        let what = match m.origin {
            Origin::Orphaned { .. } => format!(
                "the dependencies line {l}'s RUN installed for {path}, which a removal left behind"
            ),
            _ => format!("{path}, which line {l}'s RUN installed"),
        };
        return format!(
            "this removes {what}: that layer keeps their files and the image does not get \
             smaller; remove them in the RUN that installs them, after their last use"
        );
    }
    let how = match (m.map(|m| &m.origin), lines.as_slice()) {
        (Some(Origin::Package(mgr)), [l]) => format!("`{}` in line {l}'s RUN filled", mgr.as_str()),
        (_, [l]) => format!("line {l}'s {kw} stored"),
        _ => format!(
            "lines {} stored",
            lines
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let remedy = if kw == "RUN" {
        "delete it in the RUN that creates it"
    } else {
        "delete it before it is copied (a multi-stage build, .dockerignore) or in a RUN that fetches and deletes it"
    };
    format!(
        "this deletes {path}, which {how}: {} the bytes and the image does not get \
         smaller; {remedy}",
        if lines.len() > 1 {
            "those layers keep"
        } else {
            "that layer keeps"
        }
    )
}

/// Moves the delete to the end of the RUN that stored what it deletes: only when all of it
/// concerns that one RUN, nothing in between uses the paths, and both RUNs can be edited.
fn move_fix(model: &SemanticModel<'_>, r: &LaterRemoval) -> Option<Fix> {
    let df = model.dockerfile();
    let a = model.analysis();
    let earlier = r.matches.first()?.earlier;
    if r.matches.iter().any(|m| m.earlier != earlier) {
        return None;
    }
    let (erun, lrun) = (a.run_at(earlier)?, a.run_at(r.later)?);
    let (escript, lscript) = (erun.script.as_ref()?, lrun.script.as_ref()?);
    let cmd = lscript.commands.get(r.command)?;
    if r.matches.iter().any(|m| m.origin.is_package()) {
        return super::package_move::package_move_fix(model, r, earlier);
    }
    let apt_clean = invocation(r.command, cmd)
        .is_some_and(|i| i.manager.family() == Family::Apt && i.is_clean());
    if cmd.nested
        || cmd.from_sh_c
        || !(cmd.name() == Some("rm") || apt_clean)
        || lscript.tolerant
        || escript.tolerant
    {
        return None;
    }
    // The operands that delete what the earlier RUN stored move; the others stay (split).
    let moved: Vec<bool> = r
        .operands
        .iter()
        .map(|o| {
            o.as_deref().is_some_and(|o| {
                r.matches
                    .iter()
                    .any(|m| crate::lint::removals::operand_covers(o, &m.path))
            })
        })
        .collect();
    let split = !apt_clean && !r.all_matched;
    if split && !moved.iter().any(|m| *m) {
        return None;
    }
    let linst = edit::run_instruction(df, lrun)?;
    if !linst.heredocs.is_empty()
        || !matches!(linst.kind, InstructionKind::Run(ShellOrExec::Shell(_)))
    {
        return None;
    }
    // Nothing between the two may use what moves earlier.
    let stage = df.stages.get(linst.stage?)?;
    let uses = |c: &Command| {
        r.matches.iter().any(|m| match m.origin {
            Origin::Package(mgr) => {
                // managers that share a cache count as one (the package model's families)
                invocation(0, c).is_some_and(|i| i.manager.family() == mgr.family())
            }
            Origin::File | Origin::Dir => {
                let base = basename(&m.path);
                c.words.iter().chain(&c.writes).any(|w| {
                    !w.is_static
                        || w.value.contains(m.path.as_str())
                        || (base.len() >= 3 && w.value.contains(base))
                })
            }
            // handled by `package_move_fix`
            Origin::Installed(_) | Origin::Orphaned { .. } => true,
        })
    };
    for &i in stage
        .instructions
        .iter()
        .filter(|&&i| earlier < i && i < r.later)
    {
        let inst = df.instructions.get(i)?;
        match inst.keyword {
            Keyword::Run => {
                let s = a.run_at(i)?.script.as_ref()?;
                if s.tolerant || s.commands.iter().any(uses) {
                    return None;
                }
            }
            Keyword::Workdir | Keyword::Copy | Keyword::Add | Keyword::Onbuild
                if r.matches
                    .iter()
                    .any(|m| inst.args.text.contains(basename(&m.path))) =>
            {
                return None;
            }
            _ => {}
        }
    }
    if lscript.commands.get(..r.command)?.iter().any(uses) {
        return None;
    }
    // The command moves with absolute paths (the working directories differ).
    let ops: Vec<&str> = r
        .operands
        .iter()
        .zip(&moved)
        .filter(|(_, m)| !split || **m)
        .map(|(o, _)| o.as_deref())
        .collect::<Option<_>>()?;
    if ops.iter().any(|o| {
        !o.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-*+@:,=".contains(c))
    }) {
        return None;
    }
    let recursive = cmd.has_option(Some('r'), Some("recursive")) || cmd.has_option(Some('R'), None);
    let new = if apt_clean {
        clean_command(Manager::AptGet)?.to_string()
    } else {
        format!(
            "rm -{}f {}",
            if recursive { "r" } else { "" },
            ops.join(" ")
        )
    };
    if split {
        // Keep the command with the operands that stay: delete the moved operand words.
        let words = crate::lint::removals::delete_operands(cmd)?;
        if words.len() != moved.len() {
            return None;
        }
        let last = escript
            .commands
            .iter()
            .rposition(|c| !c.nested && !c.from_sh_c)?;
        let mut edits = vec![edit::append_command(df, erun, escript, last, &new)?];
        for (w, _) in words.iter().zip(&moved).filter(|(_, m)| **m) {
            let before = df.source.get(..w.span.start)?;
            let start = before.trim_end_matches([' ', '\t']).len();
            // a word with a variable may name another file at build time (`--build-arg`)
            if start == w.span.start || !w.is_static || w.span.text(&df.source) != w.value {
                return None;
            }
            edits.push(Edit {
                span: Span::new(start, w.span.end),
                replacement: String::new(),
            });
        }
        return Some(Fix::unsafe_edit(
            format!(
                "move `{new}` to the end of the RUN on line {} and keep the rest of the delete \
                 here (unsafe: the files go in that layer's RUN, before the instructions in \
                 between run)",
                line(df, earlier)
            ),
            edits,
        ));
    }
    move_whole(model, r, earlier, &new, linst.span)
}

/// Moves command `r.command` whole, as `new`, to the end of RUN `earlier` (the later RUN goes
/// when it was its only command).
pub(super) fn move_whole(
    model: &SemanticModel<'_>,
    r: &LaterRemoval,
    earlier: usize,
    new: &str,
    later_span: Span,
) -> Option<Fix> {
    let df = model.dockerfile();
    let a = model.analysis();
    let (erun, lrun) = (a.run_at(earlier)?, a.run_at(r.later)?);
    let (escript, lscript) = (erun.script.as_ref()?, lrun.script.as_ref()?);
    let last = escript
        .commands
        .iter()
        .rposition(|c| !c.nested && !c.from_sh_c)?;
    let append = edit::append_command(df, erun, escript, last, new)?;
    let top = lscript
        .commands
        .iter()
        .filter(|c| !c.nested && !c.from_sh_c)
        .count();
    let remove = if top == 1 && lscript.commands.len() == 1 {
        edit::delete_instruction(df, later_span)?
    } else {
        edit::remove_command(df, lscript, r.command)
            .or_else(|| edit::remove_last_command(df, lscript, r.command))?
    };
    Some(Fix::unsafe_edit(
        format!(
            "move `{new}` to the end of the RUN on line {} (unsafe: the files go in that layer's RUN, \
             before the instructions in between run)",
            line(df, earlier)
        ),
        vec![append, remove],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{dockerfile, fixed, lines, run as check};

    #[test]
    fn download_then_delete_later() {
        let src = "FROM debian:12\nRUN curl -fsSL -o /tmp/x.tar.gz https://e.com/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt\nRUN rm /tmp/x.tar.gz\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("/tmp/x.tar.gz"), "{}", d[0].message);
        assert!(d[0].message.contains("line 2"), "{}", d[0].message);
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN curl -fsSL -o /tmp/x.tar.gz https://e.com/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt && rm -f /tmp/x.tar.gz\n"
        );
    }

    #[test]
    fn apt_lists_and_globs() {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN echo hi && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(lines(&RemovedInLaterRun, src), [3]);
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN echo hi\n"
        );
        let src = "FROM debian:12\nRUN wget -P /tmp https://e.com/a.tar.gz\nRUN rm -f /tmp/*.tar.gz && echo ok\n";
        assert_eq!(lines(&RemovedInLaterRun, src), [3]);
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN wget -P /tmp https://e.com/a.tar.gz && rm -f /tmp/*.tar.gz\nRUN echo ok\n"
        );
        // a hidden file is not matched by `*`
        let src = "FROM debian:12\nRUN curl -o /tmp/.x https://e.com/x\nRUN rm -rf /tmp/*\n";
        assert!(lines(&RemovedInLaterRun, src).is_empty());
    }

    #[test]
    fn splits_a_delete_that_also_removes_other_files() {
        let src = "FROM debian:12\nRUN curl -o /tmp/x.tgz https://e.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt\nRUN rm -rf /tmp/x.tgz /usr/share/doc && echo ok\n";
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN curl -o /tmp/x.tgz https://e.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt && rm -rf /tmp/x.tgz\nRUN rm -rf /usr/share/doc && echo ok\n"
        );
        // `apt-get clean` moves whole, when apt keeps the .debs
        let src = "FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get clean && echo ok\n";
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN apt-get update && apt-get install -y gcc && apt-get clean\nRUN echo ok\n"
        );
        // nothing moves before a command in between that uses the files
        let src = "FROM debian:12\nRUN curl -o /tmp/x.tgz https://e.com/x.tgz\nRUN tar -xzf /tmp/x.tgz -C /opt\nRUN rm -rf /tmp/x.tgz /usr/share/doc\n";
        assert_eq!(fixed(&RemovedInLaterRun, src), src);
    }

    #[test]
    fn copy_is_a_layer_too() {
        let src = "FROM debian:12\nCOPY big.tar /tmp/\nRUN tar -xf /tmp/big.tar -C /opt && rm /tmp/big.tar\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
        assert!(d[0].message.contains("COPY"), "{}", d[0].message);
    }

    #[test]
    fn workdir_relative_paths() {
        let src =
            "FROM debian:12\nWORKDIR /src\nRUN git clone https://e.com/r.git\nRUN rm -rf r/.git\n";
        assert_eq!(lines(&RemovedInLaterRun, src), [4]);
        // unknown working directory: no finding
        let src = "FROM debian:12\nRUN git clone https://e.com/r.git\nRUN rm -rf r/.git\n";
        assert!(lines(&RemovedInLaterRun, src).is_empty());
    }

    #[test]
    fn per_user_caches_are_in_the_users_home() {
        // pip run as `app` fills /home/app/.cache/pip, which the later RUN deletes
        let src = "FROM python:3.12\nRUN useradd -m app\nUSER app\nRUN pip install --user flask\nRUN rm -rf ~/.cache/pip\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("line 4"), "{}", d[0].message);
        // root's cache is not the one a non-root user fills, nor the other way round
        for src in [
            "FROM python:3.12\nRUN useradd -m app\nUSER app\nRUN pip install --user flask\nRUN rm -rf /root/.cache/pip\n",
            "FROM python:3.12\nRUN pip install flask\nRUN useradd -m app\nUSER app\nRUN rm -rf ~/.cache/pip\n",
            // a user whose home the file does not tell: no guess
            "FROM node:20\nUSER node\nRUN npm install\nRUN rm -rf ~/.npm\n",
        ] {
            assert!(lines(&RemovedInLaterRun, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn not_when_it_is_not_a_later_layer() {
        for src in [
            // same RUN
            "FROM debian:12\nRUN curl -o /tmp/x https://e.com/x && rm /tmp/x\n",
            // the later RUN stores it again itself first
            "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
            // a cache mount kept it out of the layer
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n",
            "FROM debian:12\nRUN --mount=type=tmpfs,target=/tmp curl -o /tmp/x https://e.com/x\nRUN rm /tmp/x\n",
            // another stage
            "FROM debian:12 AS a\nRUN curl -o /tmp/x https://e.com/x\nFROM debian:12\nRUN rm /tmp/x\n",
            // a build stage not in the final image
            "FROM debian:12 AS build\nRUN curl -o /tmp/x https://e.com/x\nRUN rm /tmp/x\nFROM scratch\nCOPY --from=build /opt /opt\n",
            // variables: unsure
            "FROM debian:12\nRUN curl -o /tmp/$V https://e.com/x\nRUN rm /tmp/$V\n",
            // a filtered find
            "FROM debian:12\nRUN mkdir -p /app/x\nRUN find /app -name '*.pyc' -delete\n",
            // not created by anything we know
            "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/*\n",
            // an empty directory made by mkdir
            "FROM debian:12\nRUN mkdir -p /data\nRUN rm -rf /data\n",
            // a directory the deleting RUN (its package install) filled first
            "FROM debian:12\nRUN mkdir -p /var/www/html && chown www-data /var/www/html\nRUN apt-get update && apt-get install -y apache2 && rm -rf /var/www/html/*\n",
            // moved away before the delete
            "FROM debian:12\nCOPY a.sh b.sh /tmp/\nRUN mv /tmp/a.sh /usr/bin/ && rm /tmp/a.sh\n",
            // pip without a cache
            "FROM python:3.12\nRUN pip install --no-cache-dir flask\nRUN rm -rf /root/.cache/pip\n",
        ] {
            assert!(lines(&RemovedInLaterRun, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn no_fix_when_something_in_between_uses_it() {
        for src in [
            // the next RUN extracts the download
            "FROM debian:12\nRUN curl -o /tmp/x.tgz https://e.com/x\nRUN tar -xzf /tmp/x.tgz -C /opt\nRUN rm /tmp/x.tgz\n",
            // the deleting RUN uses it first
            "FROM debian:12\nRUN curl -o /tmp/x.tgz https://e.com/x\nRUN tar -xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz\n",
            // apt lists used by a later install
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
            // operands from two RUNs
            "FROM debian:12\nRUN curl -o /tmp/a https://e.com/a\nRUN curl -o /tmp/b https://e.com/b\nRUN rm /tmp/a /tmp/b\n",
        ] {
            let d = check(&RemovedInLaterRun, src);
            assert!(!d.is_empty(), "{src}");
            assert!(d.iter().all(|d| d.fix.is_none()), "{src}");
        }
    }

    #[test]
    fn fixes_keep_continuations_and_reparse() {
        let src = "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\nRUN echo a \\\n    && rm -rf /var/lib/apt/lists/* \\\n    && echo b\n";
        let out = fixed(&RemovedInLaterRun, src);
        assert_eq!(
            out,
            "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nRUN echo a \\\n    && echo b\n"
        );
        let df = dockerfile(&out);
        assert_eq!(df.instructions.len(), 3);
        assert!(check(&RemovedInLaterRun, &out).is_empty());
        // a RUN left with nothing is deleted
        let src = "FROM debian:12\nRUN mkdir /build && cd /build && make\nRUN rm -rf /build\nCMD [\"x\"]\n";
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN mkdir /build && cd /build && make && rm -rf /build\nCMD [\"x\"]\n"
        );
    }

    #[test]
    fn arg_and_env_values_are_substituted() {
        let src = "FROM python:3.6\nENV BUILD_DIR /usr/src\nADD https://e.com/v1.tar.gz ${BUILD_DIR}/\nRUN cd ${BUILD_DIR} && tar -xf v1.tar.gz\nRUN rm -rf ${BUILD_DIR}/*\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("/usr/src/v1.tar.gz"),
            "{}",
            d[0].message
        );
        let src = "FROM debian:12\nARG V=1.2\nRUN curl -o /tmp/a-$V.tgz https://e.com/a\nRUN rm /tmp/a-${V}.tgz\n";
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nARG V=1.2\nRUN curl -o /tmp/a-$V.tgz https://e.com/a && rm -f /tmp/a-1.2.tgz\n"
        );
        // the RUN sets the name itself: unsure
        let src = "FROM debian:12\nARG V=1.2\nRUN curl -o /tmp/a-$V.tgz https://e.com/a\nRUN V=3 && rm /tmp/a-$V.tgz\n";
        assert!(lines(&RemovedInLaterRun, src).is_empty());
    }

    #[test]
    fn redirect_targets_are_stored() {
        // the case a buildah-built image showed: a mkdir'ed directory filled by a redirect
        let src = "FROM debian:12\nRUN mkdir -p /tmp/build && head -c 300000 /dev/zero > /tmp/build/blob.bin\nRUN rm -rf /tmp/build\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        // the directory counts as used: the file in it is one path with it
        assert!(
            d[0].message.contains("deletes /tmp/build, which"),
            "{}",
            d[0].message
        );
        assert!(d[0].message.contains("line 2"), "{}", d[0].message);
        assert_eq!(
            fixed(&RemovedInLaterRun, src),
            "FROM debian:12\nRUN mkdir -p /tmp/build && head -c 300000 /dev/zero > /tmp/build/blob.bin && rm -rf /tmp/build\n"
        );
        // a plain file, relative to WORKDIR, appended to, and an ARG in the target
        let src = "FROM debian:12\nWORKDIR /srv\nARG LOG=/var/log/setup.log\nRUN echo hi >> notes.txt && ./setup &> ${LOG}\nRUN rm notes.txt /var/log/setup.log\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("/srv/notes.txt"), "{}", d[0].message);
        assert!(
            d[0].message.contains("/var/log/setup.log"),
            "{}",
            d[0].message
        );
        // an RUN in between that reads the file: no fix
        let src = "FROM debian:12\nRUN echo a > /tmp/list\nRUN xargs -a /tmp/list echo\nRUN rm /tmp/list\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
        for src in [
            // devices, duplications, deleted in the same RUN, dynamic targets
            "FROM debian:12\nRUN make > /dev/null 2>&1\nRUN rm -rf /dev/null\n",
            "FROM debian:12\nRUN make > /tmp/log && rm /tmp/log\nRUN rm -f /tmp/log\n",
            "FROM debian:12\nRUN echo x > /tmp/$NAME\nRUN rm /tmp/$NAME\n",
            // an input redirect reads
            "FROM debian:12\nRUN wc -l < /tmp/in\nRUN rm /tmp/in\n",
            // a mkdir whose directory nothing writes into
            "FROM debian:12\nRUN mkdir -p /tmp/b && echo > /tmp/other\nRUN rm -rf /tmp/b\n",
        ] {
            assert!(lines(&RemovedInLaterRun, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn apt_clean_later_when_apt_keeps_debs() {
        // docker-clean removed: the install's .debs stay in its layer
        let src = "FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get clean && rm -rf /var/lib/apt/lists/*\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("/var/cache/apt"), "{}", d[0].message);
        assert!(d[0].message.contains("line 3"), "{}", d[0].message);
        let src = "FROM ubuntu:24.04\nRUN echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep\nRUN apt update && apt install -y gcc\nRUN apt clean\n";
        assert_eq!(lines(&RemovedInLaterRun, src), [4]);
        for src in [
            // docker-clean deletes them after each install: nothing to report
            "FROM debian:12\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get clean\n",
            // kept only from after the install on
            "FROM debian:12\nRUN apt-get update && apt-get install -y gcc\nRUN rm /etc/apt/apt.conf.d/docker-clean\nRUN apt-get clean\n",
            // cleaned in the same RUN, then once more later
            "FROM debian:12\nRUN rm /etc/apt/apt.conf.d/docker-clean && apt-get install -y gcc && apt-get clean\nRUN apt-get clean && rm -rf /var/cache/apt/*\n",
            // a cache mount
            "FROM debian:12\nRUN rm /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y gcc\nRUN apt-get clean\n",
            // the later RUN installs again first
            "FROM debian:12\nRUN rm /etc/apt/apt.conf.d/docker-clean && apt-get install -y gcc\nRUN apt-get install -y make && apt-get clean\n",
        ] {
            assert!(lines(&RemovedInLaterRun, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn tar_extracts_into_a_directory() {
        for src in [
            "FROM debian:12\nRUN curl -fsSL https://e.com/a.tgz | tar -xz -C /opt/tool\nRUN rm -rf /opt/tool\n",
            "FROM debian:12\nWORKDIR /srv\nRUN tar xzf /x/a.tgz\nRUN rm -rf /srv/*\n",
            "FROM debian:12\nRUN tar --extract --file=/x/a.tar --directory=/opt/t\nRUN rm -rf /opt\n",
        ] {
            let d = check(&RemovedInLaterRun, src);
            assert_eq!(d.len(), 1, "{src}");
        }
        // two RUNs that extracted into the same directory: both layers keep a part
        let src = "FROM debian:12\nWORKDIR /tmp/p\nRUN tar xzf a.tgz && make -C a\nRUN tar xzf b.tgz\nWORKDIR /\nRUN rm -r /tmp/p/\n";
        let d = check(&RemovedInLaterRun, src);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("lines 3, 4"), "{}", d[0].message);
        for src in [
            // what exactly the archive held is unknown: a path inside is not matched
            "FROM debian:12\nRUN tar -xzf /x/a.tgz -C /opt/tool\nRUN rm -rf /opt/tool/docs\n",
            // listing or creating an archive stores nothing there
            "FROM debian:12\nRUN tar -tzf /x/a.tgz -C /opt/tool\nRUN rm -rf /opt/tool\n",
            // into / or an unknown directory
            "FROM debian:12\nRUN tar -xzf /x/a.tgz -C /\nRUN rm -rf /opt\n",
            "FROM debian:12\nRUN tar -xzf /x/a.tgz\nRUN rm -rf /opt\n",
            "FROM debian:12\nRUN tar -xzf /x/a.tgz -C$D\nRUN rm -rf /opt\n",
            // the deleting RUN fills the directory again first
            "FROM debian:12\nRUN tar -xzf /x/a.tgz -C /opt/t\nRUN apt-get install -y x && rm -rf /opt/t/*\n",
        ] {
            assert!(lines(&RemovedInLaterRun, src).is_empty(), "{src}");
        }
    }
}
