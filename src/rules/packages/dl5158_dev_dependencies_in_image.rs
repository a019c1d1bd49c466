//! DL5158: a project install (`npm ci`, `yarn install`, `pnpm install`, `composer install`,
//! `bundle install`, `poetry install`, `uv sync`) or a pip install of development requirements
//! (`-r requirements-dev.txt`, `.[dev]`) in a stage that ends up in the image, keeping the development dependencies:
//! no `--omit=dev`/`--production`/`--prod`/`--no-dev`/`--without`, no `NODE_ENV=production`,
//! `COMPOSER_NO_DEV`, `BUNDLE_WITHOUT` (or `bundle config set without`), and no later prune.
//! Test frameworks, linters and debuggers ship in the image, with their size and attack surface.
//!
//! A JavaScript install followed in the stage by a build or test step (`npm run build`,
//! `yarn test` ...) needs them; that is DL5145's single-stage build, not reported here. Stages
//! named `dev`, `development`, `test`, `testing`, `ci` or `debug` are not reported.

use crate::dockerfile::Dockerfile;
use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};
use crate::semantic::SemanticModel;
use crate::shell::pkg::{Family, Invocation, Manager, invocations, omit_dev_vars};

/// DL5158 `dev-dependencies-in-image`.
pub struct DevDependenciesInImage;

impl Rule for DevDependenciesInImage {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5158",
            name: "dev-dependencies-in-image",
            severity: Severity::Warning,
            summary: "A project install in a stage of the image keeps the development \
                      dependencies (no --omit=dev, --no-dev, BUNDLE_WITHOUT ...)",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let a = cx.analysis();
        for stage in &df.stages {
            if !model.in_final_image(Some(stage.index))
                || stage
                    .name
                    .as_deref()
                    .is_some_and(|n| DEV_STAGES.contains(&n))
                // a dev container (`mcr.microsoft.com/devcontainers/python`) is for development
                || stage.base.name.contains("devcontainers/")
            {
                continue;
            }
            let runs: Vec<_> = a.stage_runs(stage.index).filter(|r| !r.onbuild).collect();
            for (k, run) in runs.iter().enumerate() {
                let Some(script) = &run.script else { continue };
                let invs = invocations(script);
                for inv in &invs {
                    if let Some(req) = inv.dev_requirements() {
                        cx.report(
                            inv.cmd.span,
                            format!(
                                "`{req}` installs development requirements into the image (test \
                                 frameworks, linters, debuggers): install them in a build or \
                                 test stage only"
                            ),
                        );
                        continue;
                    }
                    if !inv.installs_project()
                        || inv.omits_dev()
                        // options in a variable (`bundle install $BUNDLER_ARGS`) may omit them
                        || inv.cmd.args().iter().any(|w| !w.is_static)
                        || set_by_env(model, run.index, inv)
                        || inv
                            .cmd
                            .assignments
                            .iter()
                            .any(|x| assigns_omit(x, inv.manager))
                    {
                        continue;
                    }
                    // Later in this RUN, then in the stage's later RUNs.
                    let later_here = script.commands.iter().skip(inv.index + 1);
                    let later_runs = runs
                        .iter()
                        .skip(k + 1)
                        .filter_map(|r| r.script.as_ref())
                        .flat_map(|s| s.commands.iter());
                    let earlier_config = script.commands.iter().take(inv.index).chain(
                        runs.iter()
                            .take(k)
                            .filter_map(|r| r.script.as_ref())
                            .flat_map(|s| s.commands.iter()),
                    );
                    if later_here.chain(later_runs).any(|c| undoes(c, inv.manager))
                        || earlier_config
                            .into_iter()
                            .any(|c| bundle_without(c, inv.manager))
                    {
                        continue;
                    }
                    let (message, fix) = finding(df, inv);
                    cx.report_with_fix(inv.cmd.span, message, fix);
                }
            }
        }
    }
}

/// Stage names that say the stage is for development.
const DEV_STAGES: &[&str] = &["dev", "development", "test", "testing", "ci", "debug"];

/// An ENV/ARG in scope at the RUN leaves the development dependencies out.
fn set_by_env(model: &SemanticModel<'_>, index: usize, inv: &Invocation<'_>) -> bool {
    omit_dev_vars(inv.manager).iter().any(|(name, want)| {
        model.var(index, name).is_some_and(|v| match want {
            Some(w) => v.eq_ignore_ascii_case(w),
            None => !v.is_empty(),
        })
    })
}

/// `NODE_ENV=production npm ci`: an assignment on the command itself.
fn assigns_omit(assignment: &str, manager: Manager) -> bool {
    let Some((name, value)) = assignment.split_once('=') else {
        return false;
    };
    let value = value.trim_matches(['"', '\'']);
    omit_dev_vars(manager).iter().any(|(n, want)| {
        *n == name
            && match want {
                Some(w) => value.eq_ignore_ascii_case(w),
                None => !value.is_empty(),
            }
    })
}

/// A later command that drops the development dependencies again (`npm prune --omit=dev`,
/// `composer install --no-dev`, `bundle install --without ...`) or needs them (a JavaScript
/// build or test step, DL5145's concern).
fn undoes(c: &crate::shell::Command, manager: Manager) -> bool {
    let Some(inv) = crate::shell::pkg::invocation(0, c) else {
        return is_js_tool(c) && manager.family() == Family::Npm;
    };
    if inv.manager.family() != manager.family() {
        return false;
    }
    if inv.omits_dev() {
        return true;
    }
    manager.family() == Family::Npm
        && matches!(
            inv.sub(),
            "run" | "run-script" | "build" | "test" | "t" | "exec" | "dlx" | "rebuild" | "pack"
        )
}

/// JavaScript build tools run directly (they need the development dependencies).
fn is_js_tool(c: &crate::shell::Command) -> bool {
    matches!(
        c.name(),
        Some(
            "npx"
                | "tsc"
                | "ng"
                | "webpack"
                | "vite"
                | "next"
                | "nuxt"
                | "gulp"
                | "grunt"
                | "turbo"
                | "nx"
        )
    )
}

/// `bundle config set --local without 'development test'` (or `bundle config without ...`).
fn bundle_without(c: &crate::shell::Command, manager: Manager) -> bool {
    manager == Manager::Bundle
        && crate::shell::pkg::invocation(0, c).is_some_and(|i| {
            i.manager == Manager::Bundle
                && i.sub() == "config"
                && i.operands.iter().any(|w| {
                    matches!(w.value.as_str(), "without" | "only" | "deployment")
                        || w.value.starts_with("BUNDLE_WITHOUT")
                })
        })
}

fn finding(df: &Dockerfile, inv: &Invocation<'_>) -> (String, Option<Fix>) {
    let cmd: Vec<&str> = inv
        .cmd
        .argv()
        .iter()
        .take(2)
        .map(|w| w.value.as_str())
        .collect();
    let cmd = cmd.join(" ");
    let (how, option) = match inv.manager {
        Manager::Npm => (
            "add `--omit=dev` or set `NODE_ENV=production`",
            Some("--omit=dev"),
        ),
        Manager::Yarn => (
            "add `--production` (Yarn 1), use `yarn workspaces focus --production` (Yarn 2+) \
             or set `NODE_ENV=production`",
            None,
        ),
        Manager::Pnpm => ("add `--prod`", Some("--prod")),
        Manager::Composer => ("add `--no-dev`", Some("--no-dev")),
        Manager::Poetry => ("add `--without dev` (or `--only main`)", None),
        Manager::Uv => ("add `--no-dev`", Some("--no-dev")),
        _ => (
            "set `ENV BUNDLE_WITHOUT=\"development:test\"` before it",
            None,
        ),
    };
    let fix = option.and_then(|o| {
        crate::shell::edit::insert_option(df, inv, o).map(|e| {
            Fix::unsafe_edit(
                format!("add `{o}` (check that the program needs none of the development dependencies at run time)"),
                vec![e],
            )
        })
    });
    (
        format!(
            "`{cmd}` installs the development dependencies into the image (test frameworks, \
             linters, debuggers): {how}"
        ),
        fix,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_installs_that_keep_dev_dependencies() {
        let src = "FROM node:22\n\
                   COPY package*.json ./\n\
                   RUN npm ci\n\
                   FROM php:8.3-fpm\n\
                   RUN composer install --no-interaction --optimize-autoloader\n\
                   FROM ruby:3.3\n\
                   RUN bundle install -j4\n\
                   FROM python:3.12\n\
                   RUN pip install -r requirements.txt -r requirements-dev.txt\n\
                   RUN poetry install --no-root && uv sync --locked\n\
                   FROM mcr.microsoft.com/devcontainers/python:3.12\n\
                   RUN pip install -r requirements-dev.txt\n\
                   FROM ruby:3.3\n\
                   ARG BUNDLER_ARGS=\"--without development test\"\n\
                   RUN bundle install $BUNDLER_ARGS\n";
        assert_eq!(lines(&DevDependenciesInImage, src), [3, 5, 7, 9, 10, 10]);
    }

    #[test]
    fn accepts_omitted_pruned_built_and_builder_stages() {
        let src = "FROM node:22 AS build\n\
                   RUN npm ci\n\
                   FROM node:22 AS test\n\
                   RUN npm ci && npm test\n\
                   FROM node:22\n\
                   ENV NODE_ENV=production\n\
                   RUN npm ci\n\
                   RUN NODE_ENV=production yarn install\n\
                   RUN npm ci && npm run build && npm prune --omit=dev\n\
                   RUN pnpm install && pnpm run build\n\
                   COPY --from=build /app /app\n\
                   FROM php:8.3\n\
                   RUN composer install --no-dev\n\
                   ENV COMPOSER_NO_DEV=1\n\
                   RUN composer install\n\
                   FROM ruby:3.3\n\
                   RUN bundle config set --local without 'development test'\n\
                   RUN bundle install\n\
                   FROM ruby:3.3\n\
                   ENV BUNDLE_WITHOUT=development\n\
                   RUN bundle install\n";
        assert!(lines(&DevDependenciesInImage, src).is_empty());
    }

    #[test]
    fn fix_adds_the_option() {
        let src = "FROM php:8.3\nRUN composer install -o\n";
        assert_eq!(
            fixed(&DevDependenciesInImage, src),
            "FROM php:8.3\nRUN composer install --no-dev -o\n"
        );
    }
}
