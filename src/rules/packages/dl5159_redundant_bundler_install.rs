//! DL5159: `gem install bundler` (no version) in a stage built on an official `ruby` image.
//! Those images ship Bundler (a default gem since Ruby 2.6, installed by the image's own
//! Dockerfile before that), so the install downloads it again and replaces the image's copy with
//! whatever version is newest that day. A pinned install (`-v 2.4.22`, `bundler:2.4.22`) is
//! left alone: the lockfile's `BUNDLED WITH` may need that version.

use crate::dockerfile::{Dockerfile, ImageRef};
use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};
use crate::semantic::SemanticModel;
use crate::shell::Script;
use crate::shell::edit::{delete_instruction, remove_command, remove_last_command};
use crate::shell::pkg::{Invocation, Manager, invocations};
use crate::shell::run::Run;

/// DL5159 `redundant-bundler-install`.
pub struct RedundantBundlerInstall;

impl Rule for RedundantBundlerInstall {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5159",
            name: "redundant-bundler-install",
            severity: Severity::Info,
            summary: "`gem install bundler` on an official ruby image, which ships Bundler already",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let a = cx.analysis();
        for stage in &df.stages {
            let Some(base) = root_image(model, stage.index) else {
                continue;
            };
            if !is_official_ruby(base) {
                continue;
            }
            for run in a.stage_runs(stage.index) {
                let Some(script) = &run.script else { continue };
                for inv in invocations(script) {
                    if !installs_latest_bundler(&inv) {
                        continue;
                    }
                    let tag = base
                        .tag
                        .as_deref()
                        .map_or(String::new(), |t| format!(":{t}"));
                    let message = format!(
                        "`gem install bundler` on `{}{tag}`, which ships Bundler already: the \
                         install downloads it again and replaces the image's version with the \
                         newest one; drop it (`bundle install` switches to the lockfile's \
                         `BUNDLED WITH` version itself)",
                        base.name
                    );
                    cx.report_with_fix(inv.cmd.span, message, removal(df, run, script, &inv));
                }
            }
        }
    }
}

/// The image the stage is built on at the root of its chain of stages (`FROM ruby AS base`,
/// `FROM base`), as written.
pub(crate) fn root_image<'d>(model: &SemanticModel<'d>, stage: usize) -> Option<&'d ImageRef> {
    let df = model.dockerfile();
    let root = *model.stage_chain(stage).last()?;
    df.stages.get(root).map(|s| &s.base)
}

/// `ruby`, `library/ruby` or `docker.io/library/ruby`: the Docker Official Image, which ships
/// Bundler (not `jruby`, `bitnami/ruby` or a `ruby` of another registry).
pub(crate) fn is_official_ruby(image: &ImageRef) -> bool {
    let hub = image
        .registry
        .as_deref()
        .is_none_or(|r| matches!(r, "docker.io" | "index.docker.io" | "registry-1.docker.io"));
    let name = image.name.to_ascii_lowercase();
    hub && matches!(name.as_str(), "ruby" | "library/ruby")
}

/// `gem install bundler` without a version (`-v`, `--version`, `bundler:2.4.22`).
fn installs_latest_bundler(inv: &Invocation<'_>) -> bool {
    inv.manager == Manager::Gem
        && inv.is_install()
        && !inv.has(&["-v", "--version"])
        && inv
            .packages()
            .iter()
            .any(|p| p.name == "bundler" && p.version.is_none() && p.is_static)
}

/// Deleting the install: the whole RUN when it is all there is, else the command out of its
/// `&&` chain. `None` when other gems are installed with it.
fn removal(df: &Dockerfile, run: &Run, script: &Script, inv: &Invocation<'_>) -> Option<Fix> {
    if inv.packages().len() != 1 || inv.cmd.nested || inv.cmd.from_sh_c {
        return None;
    }
    let top: Vec<usize> = (0..script.commands.len())
        .filter(|&k| !script.commands[k].nested)
        .collect();
    let edit = if top == [inv.index] {
        if run.onbuild {
            return None;
        }
        delete_instruction(df, run.inst(df)?.span)?
    } else if top.last() == Some(&inv.index) {
        remove_last_command(df, script, inv.index)?
    } else {
        remove_command(df, script, inv.index)?
    };
    Some(Fix::unsafe_edit(
        "remove `gem install bundler` (the build then uses the image's Bundler, or the \
         lockfile's version that `bundle install` switches to)",
        vec![edit],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_unpinned_installs_on_ruby_images() {
        let src = "FROM ruby:3.3-slim AS base\n\
                   RUN gem install bundler\n\
                   FROM base\n\
                   RUN gem update --system && gem install bundler && bundle install\n\
                   FROM docker.io/library/ruby:3.2\n\
                   RUN gem install bundler --no-document\n";
        assert_eq!(lines(&RedundantBundlerInstall, src), [2, 4, 6]);
    }

    #[test]
    fn accepts_pins_and_other_bases() {
        let src = "FROM ruby:3.3\n\
                   RUN gem install bundler -v 2.4.22\n\
                   RUN gem install bundler:2.5.6\n\
                   RUN gem install rails\n\
                   FROM debian:12\n\
                   RUN apt-get install -y ruby && gem install bundler\n\
                   FROM jruby:9.4\n\
                   RUN gem install bundler\n\
                   FROM bitnami/ruby:3.3\n\
                   RUN gem install bundler\n";
        assert!(lines(&RedundantBundlerInstall, src).is_empty());
    }

    #[test]
    fn fix_removes_the_install() {
        assert_eq!(
            fixed(
                &RedundantBundlerInstall,
                "FROM ruby:3.3\nRUN gem install bundler\nRUN bundle install\n"
            ),
            "FROM ruby:3.3\nRUN bundle install\n"
        );
        assert_eq!(
            fixed(
                &RedundantBundlerInstall,
                "FROM ruby:3.3\nRUN gem install bundler && bundle install\n"
            ),
            "FROM ruby:3.3\nRUN bundle install\n"
        );
        assert_eq!(
            fixed(
                &RedundantBundlerInstall,
                "FROM ruby:3.3\nRUN bundle config set without test && gem install bundler\n"
            ),
            "FROM ruby:3.3\nRUN bundle config set without test\n"
        );
        // other gems installed with it: no edit
        let src = "FROM ruby:3.3\nRUN gem install bundler foreman\n";
        assert_eq!(fixed(&RedundantBundlerInstall, src), src);
    }
}
