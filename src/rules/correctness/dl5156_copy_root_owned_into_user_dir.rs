//! DL5156: a COPY/ADD after a non-root `USER`, without `--chown`, creates a directory (owned by
//! root, as everything COPY creates) that a later RUN of that user works in and writes to:
//! `npm ci`, `composer install`, `bundle install` there, or a relative `mkdir`/`touch`/redirect.
//! The RUN fails with "permission denied" (EACCES). `COPY --chown=<user>` gives the user the
//! directory and the files.
//!
//! Only directories the COPY itself creates count: a WORKDIR before the COPY creates its
//! directory as the user in effect (BuildKit), and the user's home and the web roots the PHP
//! images give `www-data` are the user's already.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::unquote;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::invocations;
use crate::shell::{Script, path_covers};

/// DL5156 `copy-root-owned-into-user-dir`.
pub struct CopyRootOwnedIntoUserDir;

impl Rule for CopyRootOwnedIntoUserDir {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5156",
            name: "copy-root-owned-into-user-dir",
            severity: Severity::Warning,
            summary: "COPY/ADD after a non-root USER, without --chown, creates a root-owned \
                      directory that user then writes in",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let a = cx.analysis();
        for stage in &df.stages {
            let mut workdir: Option<String> = model.base(stage.index).is_none().then(|| "/".into());
            // Directories known to exist before (WORKDIR, mkdir, chown).
            let mut existing: Vec<String> = Vec::new();
            // (instruction, user, directory the COPY created).
            let mut created: Vec<(usize, String, String)> = Vec::new();
            for &i in &stage.instructions {
                let Some(inst) = df.instructions.get(i) else {
                    continue;
                };
                match (&inst.kind, inst.keyword) {
                    (InstructionKind::Workdir(w), _) => {
                        workdir = join(workdir.as_deref(), unquote(&w.value));
                        if let Some(w) = &workdir
                            && !created.iter().any(|(_, _, d)| d == w)
                        {
                            existing.push(w.clone());
                        }
                    }
                    (
                        InstructionKind::Copy {
                            sources,
                            dest: Some(d),
                            ..
                        },
                        Keyword::Copy | Keyword::Add,
                    ) => {
                        if inst.flag("chown").is_some() {
                            continue;
                        }
                        let Some(user) = model.user_at(i) else {
                            continue;
                        };
                        let d = unquote(&d.value);
                        let is_dir = d.ends_with('/')
                            || d == "."
                            || sources.len() > 1
                            || sources.iter().any(|s| {
                                let s = unquote(&s.value);
                                s == "." || s == "./" || s.ends_with('/')
                            });
                        let Some(dest) = join(workdir.as_deref(), d) else {
                            continue;
                        };
                        let dir = if is_dir {
                            dest
                        } else {
                            match dest.rsplit_once('/') {
                                Some(("", _)) | None => continue,
                                Some((p, _)) => p.to_string(),
                            }
                        };
                        let home = model.home_at(i);
                        let owned = home.dir() == Some(dir.as_str())
                            || USER_DIRS.contains(&dir.as_str())
                            || existing
                                .iter()
                                .any(|e| e == &dir || e.starts_with(&format!("{dir}/")))
                            || dir == "/";
                        if !owned {
                            created.push((i, user, dir));
                        }
                    }
                    (_, Keyword::Run) => {
                        let Some(script) = a.run_at(i).and_then(|r| r.script.as_ref()) else {
                            continue;
                        };
                        // chown/mkdir by any user settle the directory
                        created.retain(|(_, _, d)| !settles(script, d));
                        let (Some(cwd), Some(user)) = (&workdir, model.user_at(i)) else {
                            continue;
                        };
                        let Some(what) = writes_cwd(script) else {
                            continue;
                        };
                        if let Some(pos) =
                            created.iter().position(|(_, u, d)| *u == user && d == cwd)
                        {
                            let (ci, u, d) = created.remove(pos);
                            let Some(copy) = df.instructions.get(ci) else {
                                continue;
                            };
                            let line = df.lines.line_col(&df.source, inst.span.start).line;
                            cx.report(
                                crate::lint::helpers::head_span(df, copy),
                                format!(
                                    "this COPY creates `{d}` owned by root, and `{what}` on line \
                                     {line} runs as `{u}` there and writes to it (permission \
                                     denied): add `--chown={u}`"
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Directories the official images give their service user (`www-data` in the PHP images).
const USER_DIRS: &[&str] = &["/var/www/html", "/var/www"];

/// `path` resolved against `workdir`, normalised (no trailing `/`, no `./`); `None` with a
/// variable or an unknown working directory.
fn join(workdir: Option<&str>, path: &str) -> Option<String> {
    if path.contains('$') {
        return None;
    }
    let abs = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{}", workdir?.trim_end_matches('/'), path)
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in abs.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// The script creates or re-owns `dir` (or a parent): `mkdir`, `chown`, `chmod`.
fn settles(script: &Script, dir: &str) -> bool {
    script.commands.iter().any(|c| {
        matches!(c.name(), Some("chown" | "chmod" | "chgrp" | "mkdir"))
            && c.operands()
                .any(|o| o.value.starts_with('/') && path_covers(&o.value, dir))
    })
}

/// What in the script writes to the working directory: a project install (`npm ci`,
/// `composer install` ...), or a relative `mkdir`, `touch` or output redirect.
fn writes_cwd(script: &Script) -> Option<String> {
    if let Some(inv) = invocations(script)
        .into_iter()
        .find(|i| i.installs_project())
    {
        let words: Vec<&str> = inv
            .cmd
            .argv()
            .iter()
            .take(2)
            .map(|w| w.value.as_str())
            .collect();
        return Some(words.join(" "));
    }
    for c in &script.commands {
        let relative = |v: &str| !v.starts_with(['/', '$', '~', '-']) && !v.is_empty();
        if matches!(c.name(), Some("mkdir" | "touch"))
            && c.operands().any(|o| o.is_static && relative(&o.value))
        {
            return c.name().map(str::to_string);
        }
        if c.writes
            .iter()
            .any(|w| w.is_static && relative(&w.value) && !w.value.starts_with('&'))
        {
            return Some(format!("{} > …", c.name().unwrap_or("a redirect")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_a_copy_that_creates_the_users_workdir() {
        let src = "FROM node:22\n\
                   USER node\n\
                   COPY package.json package-lock.json /srv/app/\n\
                   WORKDIR /srv/app\n\
                   RUN npm ci\n";
        assert_eq!(lines(&CopyRootOwnedIntoUserDir, src), [3]);
        let src = "FROM python:3.12\n\
                   RUN useradd -m app\n\
                   USER app\n\
                   ADD app.tar.gz /opt/app/\n\
                   WORKDIR /opt/app\n\
                   RUN mkdir logs\n";
        assert_eq!(lines(&CopyRootOwnedIntoUserDir, src), [4]);
    }

    #[test]
    fn accepts_chown_workdir_first_home_and_root() {
        for src in [
            // --chown
            "FROM node:22\nUSER node\nCOPY --chown=node . /srv/app\nWORKDIR /srv/app\nRUN npm ci\n",
            // WORKDIR before the COPY creates the directory as the user
            "FROM node:22\nUSER node\nWORKDIR /srv/app\nCOPY . .\nRUN npm ci\n",
            // the user's home
            "FROM node:22\nRUN useradd -m app\nUSER app\nCOPY . /home/app/\nWORKDIR /home/app\nRUN npm ci\n",
            // the install runs as root
            "FROM node:22\nUSER node\nCOPY . /srv/app\nWORKDIR /srv/app\nUSER root\nRUN npm ci\n",
            // the directory is chowned first
            "FROM node:22\nUSER node\nCOPY . /srv/app\nUSER root\nRUN chown -R node /srv/app\nUSER node\nWORKDIR /srv/app\nRUN npm ci\n",
            // nothing writes there
            "FROM node:22\nUSER node\nCOPY . /srv/app\nWORKDIR /srv/app\nRUN node --version\n",
            // root copies
            "FROM node:22\nCOPY . /srv/app\nWORKDIR /srv/app\nRUN npm ci\n",
        ] {
            assert!(lines(&CopyRootOwnedIntoUserDir, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(join(Some("/app"), "./x/../y/").as_deref(), Some("/app/y"));
        assert_eq!(join(None, "x"), None);
        assert_eq!(join(None, "/x/").as_deref(), Some("/x"));
    }
}
