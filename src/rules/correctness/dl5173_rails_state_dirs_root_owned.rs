//! DL5173: the final stage of a Rails image copies the app (`COPY . .`) without `--chown` and
//! runs as a non-root `USER`, with no `chown`/`chmod` after the copy. COPY makes everything
//! root-owned, so the app's `tmp/` (pid file, caches), `log/`, `storage/` and `db/` (SQLite)
//! are not writable by the user the server runs as, and Rails fails on its first write.

use crate::dockerfile::{Dockerfile, Edit, InstructionKind, Keyword, ShellOrExec, Span};
use crate::lint::helpers::unquote;
use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};

/// DL5173 `rails-state-dirs-root-owned`.
pub struct RailsStateDirsRootOwned;

impl Rule for RailsStateDirsRootOwned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5173",
            name: "rails-state-dirs-root-owned",
            severity: Severity::Warning,
            summary: "A Rails app copied without --chown into an image that runs as a non-root \
                      USER: tmp/, log/ and storage/ stay root-owned",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let Some(last) = df.stages.last() else {
            return;
        };
        // the final stage's instructions with those of the stages it is built on, in order
        let chain: Vec<usize> = model
            .stage_chain(last.index)
            .into_iter()
            .rev()
            .filter_map(|s| df.stages.get(s))
            .flat_map(|s| s.instructions.iter().copied())
            .collect();
        let Some(&end) = chain.last() else { return };
        let Some(user) = runtime_user(df, model, end) else {
            return;
        };
        if !is_rails(df, model, &chain, end) {
            return;
        }
        let a = cx.analysis();
        for (k, &i) in chain.iter().enumerate() {
            let Some(inst) = df.instructions.get(i) else {
                continue;
            };
            let InstructionKind::Copy { sources, .. } = &inst.kind else {
                continue;
            };
            let whole_context = sources
                .iter()
                .any(|s| matches!(unquote(&s.value), "." | "./"));
            if !whole_context || inst.flag("chown").is_some() || inst.flag("from").is_some() {
                continue;
            }
            // a later chown/chmod (of the app, its tmp/ or log/) settles the ownership
            let settled = chain[k + 1..].iter().any(|&j| {
                a.run_at(j)
                    .and_then(|r| r.script.as_ref())
                    .is_some_and(|s| {
                        s.commands
                            .iter()
                            .any(|c| matches!(c.name(), Some("chown" | "chmod" | "chgrp")))
                    })
            });
            if settled {
                continue;
            }
            let fix = Fix::unsafe_edit(
                format!("copy with `--chown={user}`"),
                vec![Edit {
                    span: Span::new(inst.keyword_span.end, inst.keyword_span.end),
                    replacement: format!(" --chown={user}"),
                }],
            );
            cx.report_with_fix(
                inst.span,
                format!(
                    "the app is copied owned by root and the image runs as `{user}`: Rails \
                     cannot write its `tmp/` (server pid, caches), `log/` or `storage/`; copy \
                     it with `--chown={user}` (or `chown` those directories after the copy)"
                ),
                Some(fix),
            );
        }
    }
}

/// The user the image runs as, as written (`rails:rails`, `1000`, `${APP_USER}`); `None` for
/// root.
fn runtime_user(
    df: &Dockerfile,
    model: &crate::semantic::SemanticModel<'_>,
    end: usize,
) -> Option<String> {
    let raw = match df.instructions.get(end).map(|i| &i.kind) {
        // a USER as the last instruction is not in effect "at" it: read it directly
        Some(InstructionKind::User(w)) => unquote(&w.value).to_string(),
        _ => {
            let resolved = model.user_at(end)?;
            // keep the USER as written (a variable stays a variable for `--chown`)
            let written = df.instructions[..end]
                .iter()
                .rev()
                .find_map(|i| match &i.kind {
                    InstructionKind::User(w) => Some(unquote(&w.value).to_string()),
                    _ => None,
                });
            written.unwrap_or(resolved)
        }
    };
    let name = raw.split(':').next().unwrap_or("").trim();
    (!name.is_empty() && name != "root" && name != "0").then_some(raw)
}

/// The image runs a Rails app: `RAILS_ENV` is set, or a CMD/ENTRYPOINT or RUN calls `rails`.
fn is_rails(
    df: &Dockerfile,
    model: &crate::semantic::SemanticModel<'_>,
    chain: &[usize],
    end: usize,
) -> bool {
    if model.var(end, "RAILS_ENV").is_some() {
        return true;
    }
    let calls_rails = |text: &str| {
        text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']'))
            .any(|w| w.rsplit('/').next() == Some("rails"))
    };
    chain
        .iter()
        .filter_map(|&i| df.instructions.get(i))
        .any(|inst| match (&inst.kind, inst.keyword) {
            (InstructionKind::Cmd(c) | InstructionKind::Entrypoint(c), _) => match c {
                ShellOrExec::Shell(t) => calls_rails(&t.text),
                ShellOrExec::Exec(words) => words.iter().any(|w| calls_rails(&w.value)),
            },
            (_, Keyword::Run) => calls_rails(&inst.args.text),
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_a_root_owned_app_run_as_a_user() {
        let src = "FROM ruby:3.3-slim\n\
                   WORKDIR /rails\n\
                   RUN useradd rails\n\
                   COPY . .\n\
                   USER rails:rails\n\
                   CMD [\"bin/rails\", \"server\"]\n";
        assert_eq!(lines(&RailsStateDirsRootOwned, src), [4]);
        let src = "FROM ruby:3.3 AS base\n\
                   ENV RAILS_ENV=production\n\
                   USER app\n\
                   FROM base\n\
                   COPY ./ /app\n\
                   CMD bundle exec puma\n";
        assert_eq!(lines(&RailsStateDirsRootOwned, src), [5]);
    }

    #[test]
    fn accepts_chown_root_other_apps_and_build_stages() {
        for src in [
            "FROM ruby:3.3\nCOPY --chown=rails:rails . .\nUSER rails\nCMD [\"rails\", \"s\"]\n",
            "FROM ruby:3.3\nCOPY . .\nRUN chown -R rails:rails db log storage tmp\nUSER rails\nCMD [\"rails\", \"s\"]\n",
            "FROM ruby:3.3\nCOPY . .\nCMD [\"rails\", \"s\"]\n",
            "FROM ruby:3.3\nCOPY . .\nUSER app\nCMD [\"ruby\", \"app.rb\"]\n",
            "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nUSER rails\nCMD [\"rails\", \"s\"]\n",
            "FROM ruby:3.3 AS build\nCOPY . .\nUSER rails\nRUN bin/rails assets:precompile\nFROM ruby:3.3\nCOPY --from=build /app /app\nCMD [\"rails\", \"s\"]\n",
            "FROM ruby:3.3\nCOPY . .\nUSER rails\nUSER root\nCMD [\"rails\", \"s\"]\n",
        ] {
            assert!(lines(&RailsStateDirsRootOwned, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_adds_chown_of_the_runtime_user() {
        let src = "FROM ruby:3.3\nENV RAILS_ENV=production\nCOPY . .\nUSER rails:rails\n";
        assert_eq!(
            fixed(&RailsStateDirsRootOwned, src),
            "FROM ruby:3.3\nENV RAILS_ENV=production\nCOPY --chown=rails:rails . .\nUSER rails:rails\n"
        );
    }
}
