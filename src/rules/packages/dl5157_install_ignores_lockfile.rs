//! DL5157: `npm install`, `yarn install`, `pnpm install` or `bundle install` of a project whose
//! lockfile an earlier COPY brought in, without the option that installs exactly the lockfile's
//! versions (`npm ci`, `yarn --frozen-lockfile`/`--immutable`, `pnpm --frozen-lockfile`,
//! Bundler's `frozen` or `deployment` setting): the build may resolve other versions than the
//! ones tested, and rewrites the lockfile instead of failing when it is out of date.

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
            summary: "npm install / yarn install / pnpm install / bundle install where a lockfile \
                      is copied: the install may resolve other versions than the lockfile's",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let a = cx.analysis();
        for stage in &df.stages {
            // COPY sources of the stages this one is built on, then of this one so far; the
            // `bundle config` commands of their RUNs likewise.
            let mut sources: Vec<&str> = Vec::new();
            let mut configured = false;
            for s in model.stage_chain(stage.index).into_iter().skip(1) {
                if let Some(st) = df.stages.get(s) {
                    sources.extend(st.instructions.iter().flat_map(|&i| copy_sources(df, i)));
                    configured |= a
                        .stage_runs(s)
                        .filter_map(|r| r.script.as_ref())
                        .any(|sc| sc.commands.iter().any(sets_frozen));
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
                        configured |= sets_frozen(inv.cmd);
                        continue;
                    }
                    if inv.manager == Manager::Bundle
                        && (configured
                            || bundle_frozen(model, i, script, &inv)
                            // options in a variable (`bundle install $BUNDLE_ARGS`) may set it;
                            // an option's value in one (`--binstubs="$DIR"`) cannot
                            || inv
                                .cmd
                                .args()
                                .iter()
                                .any(|w| !w.is_static && !w.value.starts_with('-')))
                    {
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
        // the deprecated options (DL5172 reports them) still freeze the install
        Manager::Bundle => inv.cmd.args().iter().any(|w| {
            let name = w.value.split('=').next().unwrap_or("");
            matches!(name, "--deployment" | "--frozen")
        }),
        _ => true,
    }
}

/// The variables that, set to a true value, make `bundle install` install exactly the
/// lockfile or fail (Bundler's `frozen` and `deployment` settings).
const BUNDLE_FROZEN_VARS: &[&str] = &["BUNDLE_FROZEN", "BUNDLE_DEPLOYMENT"];

/// A value Bundler reads as true: anything but empty, `false` and `0`.
fn truthy(value: &str) -> bool {
    let v = value.trim_matches(['"', '\'']);
    !(v.is_empty() || v.eq_ignore_ascii_case("false") || v == "0")
}

/// `BUNDLE_FROZEN`/`BUNDLE_DEPLOYMENT` in effect for this `bundle install`: an ENV or ARG in
/// scope, an assignment on the command, or an earlier `NAME=...`/`export` in the script.
fn bundle_frozen(
    model: &crate::semantic::SemanticModel<'_>,
    index: usize,
    script: &crate::shell::Script,
    inv: &Invocation<'_>,
) -> bool {
    BUNDLE_FROZEN_VARS.iter().any(|name| {
        model.var(index, name).is_some_and(|v| truthy(&v))
            || inv.cmd.assignments.iter().any(|a| {
                a.split_once('=')
                    .is_some_and(|(n, v)| n == *name && truthy(v))
            })
            || crate::shell::pkg::assigned_before(script, inv.index, name)
                .is_some_and(|v| truthy(&v))
    })
}

/// `bundle config [set] [--local|--global] frozen|deployment VALUE` with a true value.
fn sets_frozen(c: &crate::shell::Command) -> bool {
    let Some((Manager::Bundle, start)) = crate::shell::pkg::manager_of(c) else {
        return false;
    };
    let words: Vec<&str> = c
        .argv()
        .get(start..)
        .unwrap_or_default()
        .iter()
        .map(|w| w.value.as_str())
        .filter(|w| !w.starts_with('-'))
        .collect();
    let rest = match words.as_slice() {
        ["config", "set", rest @ ..] | ["config", rest @ ..] => rest,
        _ => return false,
    };
    matches!(rest, [key, value, ..] if matches!(*key, "frozen" | "deployment") && truthy(value))
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
        Manager::Bundle => (
            format!(
                "`bundle install` with `{lock}` copied re-resolves and rewrites the lockfile \
                 when the Gemfile disagrees with it: set `BUNDLE_FROZEN=true` (or \
                 `ENV BUNDLE_DEPLOYMENT=1`, which also installs into `vendor/bundle` unless \
                 `BUNDLE_PATH` is set)"
            ),
            prefix_assignment(df, inv, "BUNDLE_FROZEN=true")
                .map(|e| Fix::unsafe_edit("run it with `BUNDLE_FROZEN=true`", vec![e])),
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

/// An edit putting `assignment` in front of the command (`BUNDLE_FROZEN=true bundle install`);
/// `None` behind a wrapper (`sudo`, `rbenv exec` may not pass it on) or inside `sh -c`.
fn prefix_assignment(
    df: &crate::dockerfile::Dockerfile,
    inv: &Invocation<'_>,
    assignment: &str,
) -> Option<crate::dockerfile::Edit> {
    let name = inv.cmd.words.first()?;
    if inv.cmd.from_sh_c || inv.cmd.start != 0 || name.span.text(&df.source) != name.value {
        return None;
    }
    Some(crate::dockerfile::Edit {
        span: crate::dockerfile::Span::new(name.span.start, name.span.start),
        replacement: format!("{assignment} "),
    })
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
    fn flags_bundle_installs_that_are_not_frozen() {
        let src = "FROM ruby:3.3 AS base\n\
                   WORKDIR /app\n\
                   COPY Gemfile Gemfile.lock ./\n\
                   RUN bundle install -j4\n\
                   FROM ruby:3.3\n\
                   ENV BUNDLE_FROZEN=false\n\
                   COPY Gemfile* ./\n\
                   RUN bundle config set --local without test && bundle install\n\
                   RUN bundle check || bundle install --binstubs=\"$BUNDLE_BIN\"\n";
        assert_eq!(lines(&InstallIgnoresLockfile, src), [4, 8, 9]);
    }

    #[test]
    fn accepts_frozen_or_deployment_bundles() {
        for src in [
            "FROM ruby:3.3\nENV BUNDLE_DEPLOYMENT=1\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\n",
            "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN BUNDLE_FROZEN=true bundle install\n",
            "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install --deployment\n",
            "FROM ruby:3.3\nRUN bundle config --global frozen 1\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\n",
            "FROM ruby:3.3 AS base\nRUN bundle config set --local deployment 'true'\nFROM base\nADD Gemfile* ./\nRUN bundle install --no-cache\n",
            "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN export BUNDLE_FROZEN=1 && bundle install\n",
            "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install -j4 $BUNDLE_OPTS\n",
            "FROM ruby:3.3\nCOPY Gemfile ./\nRUN bundle install\n",
        ] {
            assert!(lines(&InstallIgnoresLockfile, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn bundle_fix_freezes_the_install() {
        let src = "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install -j4\n";
        assert_eq!(
            fixed(&InstallIgnoresLockfile, src),
            "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN BUNDLE_FROZEN=true bundle install -j4\n"
        );
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
