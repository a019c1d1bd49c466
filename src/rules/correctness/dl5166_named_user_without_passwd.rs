//! DL5166: a user or group given by name (`USER app`, `COPY --chown=app`) in a stage built
//! `FROM scratch` into which nothing copied an `/etc/passwd` (or `/etc/group`). Names are
//! looked up in those files: the COPY fails at build time ("unable to find user"), and a
//! container of the image does not start ("no matching entries in passwd file"). Numeric
//! ids need no lookup.

use crate::dockerfile::{Instruction, InstructionKind};
use crate::lint::helpers::{stage_from, stage_instructions};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5166 `named-user-without-passwd`.
pub struct NamedUserWithoutPasswd;

impl Rule for NamedUserWithoutPasswd {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5166",
            name: "named-user-without-passwd",
            severity: Severity::Error,
            summary: "USER or --chown names a user in a stage with no /etc/passwd (FROM scratch)",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        for stage in &df.stages {
            let chain = model.stage_chain(stage.index);
            let from_scratch = chain
                .last()
                .and_then(|&r| stage_from(df, r))
                .is_some_and(|f| {
                    matches!(&f.kind, InstructionKind::From { image, .. }
                        if image.value.eq_ignore_ascii_case("scratch"))
                });
            // a RUN or SHELL means tools were copied in that may have written the files
            if !from_scratch
                || chain.iter().any(|&s| {
                    stage_instructions(df, s).any(|i| {
                        writes_user_db(i)
                            || matches!(i.kind, InstructionKind::Run(_) | InstructionKind::Shell(_))
                    })
                })
            {
                continue;
            }
            for ins in stage_instructions(df, stage.index) {
                report(cx, ins);
            }
        }
    }
}

fn report(cx: &mut Context<'_>, ins: &Instruction) {
    let (word, span, what) = match &ins.kind {
        InstructionKind::User(w) => (
            w.value.as_str(),
            w.span,
            "a container of the image does not start",
        ),
        InstructionKind::Copy { .. } => match ins.flag("chown").and_then(|f| f.value.as_ref()) {
            Some(v) => (v.value.as_str(), v.span, "the build fails"),
            None => return,
        },
        _ => return,
    };
    let (user, group) = word.split_once(':').unwrap_or((word, ""));
    let named: Vec<&str> = [user, group]
        .into_iter()
        .filter(|p| !p.is_empty() && !p.contains('$') && !p.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let Some(first) = named.first() else { return };
    cx.report(
        span,
        format!(
            "`{first}` is a name, and this stage is built `FROM scratch` with no `/etc/passwd` or \
             `/etc/group` copied in to look it up: {what}; use a numeric id (`65532:65532`) or \
             copy the files from a stage that created the user"
        ),
    );
}

/// A COPY or ADD that may put `/etc/passwd` or `/etc/group` in place: into `/`, `/etc` or onto
/// the file, or copying a file of that name.
fn writes_user_db(ins: &Instruction) -> bool {
    let InstructionKind::Copy { sources, dest, .. } = &ins.kind else {
        return false;
    };
    let dest = dest.as_ref().map_or("", |d| d.value.trim_end_matches('/'));
    matches!(dest, "" | "/etc" | "/etc/passwd" | "/etc/group")
        || dest.contains('$')
        || sources.iter().any(|s| {
            let v = s.value.trim_end_matches('/');
            v.ends_with("passwd") || v.ends_with("group") || v == "/etc" || v.contains('$')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_names_on_scratch() {
        let src = "FROM golang:1.23 AS build\nRUN useradd app\nFROM scratch\nCOPY --from=build /app /app\nUSER app\n";
        assert_eq!(lines(&NamedUserWithoutPasswd, src), [5]);
        let chown = "FROM scratch\nCOPY --chown=app:app app /app\nUSER 1000:staff\n";
        assert_eq!(lines(&NamedUserWithoutPasswd, chown), [2, 3]);
    }

    #[test]
    fn numeric_ids_copied_passwd_and_other_bases_pass() {
        for src in [
            "FROM scratch\nCOPY app /app\nUSER 65532:65532\n",
            "FROM golang AS b\nFROM scratch\nCOPY --from=b /etc/passwd /etc/passwd\nUSER app\n",
            "FROM golang AS b\nFROM scratch\nCOPY --from=b /etc/ /etc/\nUSER app\n",
            "FROM scratch\nADD rootfs.tar.xz /\nUSER app\n",
            "FROM alpine\nUSER app\n",
            "FROM scratch\nARG UID\nUSER $UID\n",
        ] {
            assert!(lines(&NamedUserWithoutPasswd, src).is_empty(), "{src}");
        }
    }
}
