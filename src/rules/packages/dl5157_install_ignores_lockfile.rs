//! DL5157: `npm install`, `yarn install` or `pnpm install` of a project whose lockfile an
//! earlier COPY brought in, without the option that installs exactly the lockfile's versions
//! (`npm ci`, `yarn --frozen-lockfile`/`--immutable`, `pnpm --frozen-lockfile`): the build may
//! resolve other versions than the ones tested, and rewrites the lockfile instead of failing when
//! it is out of date.

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::helpers::unquote;
use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};
use crate::shell::pkg::{Invocation, Manager, invocations, names_lockfile};

/// DL5157 `install-ignores-lockfile`.
pub struct InstallIgnoresLockfile;

impl Rule for InstallIgnoresLockfile {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5157",
            name: "install-ignores-lockfile",
            severity: Severity::Info,
            summary: "npm install / yarn install / pnpm install where a lockfile is copied: the \
                      install may resolve other versions than the lockfile's",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let a = cx.analysis();
        for stage in &df.stages {
            // COPY sources of the stages this one is built on, then of this one so far.
            let mut sources: Vec<&str> = Vec::new();
            for s in model.stage_chain(stage.index).into_iter().skip(1) {
                if let Some(st) = df.stages.get(s) {
                    sources.extend(st.instructions.iter().flat_map(|&i| copy_sources(df, i)));
                }
            }
            for &i in &stage.instructions {
                sources.extend(copy_sources(df, i));
                if df.instructions.get(i).map(|x| x.keyword) != Some(Keyword::Run) {
                    continue;
                }
                let Some(script) = a.run_at(i).and_then(|r| r.script.as_ref()) else {
                    continue;
                };
                for inv in invocations(script) {
                    if !inv.installs_project() || exact(&inv) {
                        continue;
                    }
                    let Some(lock) = sources.iter().find(|s| names_lockfile(inv.manager, s)) else {
                        continue;
                    };
                    let (message, fix) = finding(df, &inv, lock);
                    cx.report_with_fix(inv.cmd.span, message, fix);
                }
            }
        }
    }
}

/// The install already installs exactly the lockfile's versions.
fn exact(inv: &Invocation<'_>) -> bool {
    match inv.manager {
        Manager::Npm => inv.sub() == "ci",
        Manager::Yarn => inv.has(&["--frozen-lockfile", "--immutable"]),
        Manager::Pnpm => inv.has(&["--frozen-lockfile"]),
        _ => true,
    }
}

fn finding(
    df: &crate::dockerfile::Dockerfile,
    inv: &Invocation<'_>,
    lock: &str,
) -> (String, Option<Fix>) {
    match inv.manager {
        Manager::Npm => {
            let fix = inv
                .sub
                .filter(|w| w.is_static && !inv.cmd.from_sh_c)
                .and_then(|w| {
                    (w.span.text(&df.source) == w.value).then(|| {
                        Fix::unsafe_edit(
                            "use `npm ci` (fails when package.json and the lockfile disagree)",
                            vec![crate::dockerfile::Edit {
                                span: w.span,
                                replacement: "ci".into(),
                            }],
                        )
                    })
                });
            (
                format!(
                    "`npm {}` with `{lock}` copied may install other versions than the \
                     lockfile's and rewrites it: `npm ci` installs exactly the locked tree",
                    inv.sub()
                ),
                fix,
            )
        }
        Manager::Yarn => (
            format!(
                "`yarn install` with `{lock}` copied updates the lockfile instead of failing \
                 when it is out of date: add `--frozen-lockfile` (Yarn 1) or `--immutable` \
                 (Yarn 2+)"
            ),
            None,
        ),
        _ => (
            format!(
                "`pnpm install` with `{lock}` copied updates the lockfile instead of failing \
                 when it is out of date: add `--frozen-lockfile`"
            ),
            crate::shell::edit::insert_option(df, inv, "--frozen-lockfile")
                .map(|e| Fix::unsafe_edit("add `--frozen-lockfile`", vec![e])),
        ),
    }
}

/// The sources of a COPY/ADD instruction (`--from` copies included: a lockfile is a lockfile).
fn copy_sources(df: &crate::dockerfile::Dockerfile, i: usize) -> Vec<&str> {
    match df.instructions.get(i).map(|x| &x.kind) {
        Some(InstructionKind::Copy { sources, .. }) => {
            sources.iter().map(|w| unquote(&w.value)).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_installs_that_ignore_a_copied_lockfile() {
        let src = "FROM node:22 AS deps\n\
                   WORKDIR /app\n\
                   COPY package.json package-lock.json ./\n\
                   RUN npm install\n\
                   FROM deps\n\
                   RUN npm i --omit=dev\n\
                   FROM node:22\n\
                   COPY package.json yarn.lock ./\n\
                   RUN yarn install && yarn --frozen-lockfile\n\
                   COPY pnpm-lock.yaml ./\n\
                   RUN pnpm install\n";
        assert_eq!(lines(&InstallIgnoresLockfile, src), [4, 6, 9, 11]);
    }

    #[test]
    fn accepts_ci_frozen_packages_and_no_lockfile() {
        let src = "FROM node:22\n\
                   COPY package.json ./\n\
                   RUN npm install\n\
                   COPY . .\n\
                   RUN npm install\n\
                   COPY package*.json ./\n\
                   RUN npm ci && npm install -g pm2 && npm install express\n\
                   COPY yarn.lock ./\n\
                   RUN yarn install --immutable\n";
        assert!(lines(&InstallIgnoresLockfile, src).is_empty());
    }

    #[test]
    fn fix_uses_npm_ci() {
        let src = "FROM node:22\nCOPY package*.json ./\nRUN npm install --omit=dev\n";
        assert_eq!(
            fixed(&InstallIgnoresLockfile, src),
            "FROM node:22\nCOPY package*.json ./\nRUN npm ci --omit=dev\n"
        );
    }
}
