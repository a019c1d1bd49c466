//! DL5003: npm, pnpm, bun, gem, bundler, conda, go, composer and uv caches left in the layer.

use super::mount::styled;
use super::{Leftover, append_fix, check_leftovers, option_fix};
use crate::lint::fix::FixStyle;
use crate::lint::{Applicability, Context, Rule, RuleMeta, SemanticModel, Severity};
use crate::shell::pkg::{Invocation, Manager, cleans_cache};
use crate::shell::pkg::{clean_command, invocation};
use crate::shell::run::{Run, later, truthy};
use crate::shell::{Command, Script};

/// DL5003 `package-cache-left`.
pub struct PackageCacheLeft;

impl Rule for PackageCacheLeft {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5003",
            name: "package-cache-left",
            severity: Severity::Warning,
            summary: "Remove the npm/pnpm/bun/gem/bundler/conda/go/composer/uv cache in the RUN that fills it",
            fix: Some(Applicability::Safe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let (model, style) = (cx.model(), cx.settings.fix_style);
        check_leftovers(cx, |_, run, script, inv| {
            check_one(model, style, run, script, inv)
        });
    }
}

/// How a leftover cache is fixed.
enum Remedy {
    /// Run this command at the end of the RUN.
    Append(String),
    /// Add this option after the sub-command.
    Option(&'static str),
    /// No automatic fix.
    Manual,
}

/// Cache directory and the fix for one invocation, if it leaves a cache.
fn check_one(
    model: &SemanticModel<'_>,
    style: FixStyle,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
) -> Option<Leftover> {
    let df = model.dockerfile();
    let env = |name: &str| model.var(run.index, name);
    // per-user caches live in the home of the user the RUN runs as
    let home = model.home_at(run.index);
    let in_home = |rel: &str| home.join(rel);
    let cleared = |dir: &str| super::cache_cleared(model, run, script, inv, dir);
    let cleaned_by =
        |managers: &[Manager]| later(script, inv.index, |c: &Command| cleans_cache(c, managers));
    // A name or path safe to paste into a command unquoted.
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
    };
    let (dir, fix, remedy): (String, &str, Remedy) = match inv.manager {
        Manager::Npm if inv.is_install() => {
            let dir = inv
                .value(&["--cache"])
                .map(str::to_string)
                .or_else(|| env("npm_config_cache"))
                .or_else(|| env("NPM_CONFIG_CACHE"))
                .unwrap_or_else(|| in_home(".npm"));
            if cleaned_by(&[Manager::Npm]) || cleared(&dir) {
                return None;
            }
            let remedy = match inv.value(&["--cache"]) {
                None => {
                    clean_command(Manager::Npm).map_or(Remedy::Manual, |c| Remedy::Append(c.into()))
                }
                Some(c) if plain(c) => {
                    Remedy::Append(format!("npm cache clean --force --cache {c}"))
                }
                Some(_) => Remedy::Manual,
            };
            (
                if dir.starts_with("~/") {
                    in_home(".npm/_cacache")
                } else {
                    format!("{dir}/_cacache")
                },
                "add `&& npm cache clean --force` to the same RUN",
                remedy,
            )
        }
        Manager::Pnpm if inv.is_install() => {
            let dir = in_home(".local/share/pnpm/store");
            if cleaned_by(&[Manager::Pnpm])
                || cleared(&dir)
                || inv.value(&["--store-dir"]).is_some()
            {
                return None;
            }
            (
                dir,
                "add `&& pnpm store prune` to the same RUN or use a cache mount",
                clean_command(Manager::Pnpm).map_or(Remedy::Manual, |c| Remedy::Append(c.into())),
            )
        }
        Manager::Bun if inv.is_install() && !inv.has(&["--no-cache"]) => {
            // the model's directory (~/.bun/install/cache), moved by `--cache-dir`,
            // BUN_INSTALL_CACHE_DIR or BUN_INSTALL
            let table = crate::shell::pkg::dirs_of(Manager::Bun).find_map(|d| d.home_rel());
            let dir = inv
                .value(&["--cache-dir"])
                .map(str::to_string)
                .or_else(|| env("BUN_INSTALL_CACHE_DIR"))
                .or_else(|| {
                    env("BUN_INSTALL").map(|b| format!("{}/install/cache", b.trim_end_matches('/')))
                })
                .or_else(|| table.map(in_home))?;
            if cleaned_by(&[Manager::Bun]) || cleared(&dir) {
                return None;
            }
            // `bun pm cache rm` empties the configured cache (ENV included), not a
            // `--cache-dir` given to the install only
            let remedy = match (inv.value(&["--cache-dir"]), clean_command(Manager::Bun)) {
                (None, Some(c)) => Remedy::Append(c.into()),
                _ => Remedy::Manual,
            };
            (
                dir,
                "add `&& bun pm cache rm` (or `--no-cache`) to the same RUN, or use a cache mount",
                remedy,
            )
        }
        Manager::Gem if inv.is_install() => {
            let base = df
                .stages
                .get(run.stage?)
                .map(|s| s.base.name.to_ascii_lowercase())
                .unwrap_or_default();
            // The official ruby images set `gem: --no-document` in /usr/local/etc/gemrc.
            let gemrc = script.commands.iter().any(|c| {
                c.args()
                    .iter()
                    .any(|w| w.value.contains("--no-document") || w.value.contains("--no-rdoc"))
            });
            if inv.has(&["--no-document", "-N", "--no-rdoc"])
                || inv.value(&["--document"]).is_some()
                || base.contains("ruby")
                || gemrc
            {
                return None;
            }
            (
                "the gem directory's doc/ (rdoc and ri)".to_string(),
                "add `--no-document` to `gem install`",
                Remedy::Option("--no-document"),
            )
        }
        Manager::Conda if inv.is_install() => {
            let dir = "/opt/conda/pkgs".to_string();
            if cleaned_by(&[Manager::Conda]) || cleared(&dir) {
                return None;
            }
            let remedy = match inv.cmd.name() {
                Some(n) => Remedy::Append(format!("{n} clean -afy")),
                None => Remedy::Manual,
            };
            (dir, "add `&& conda clean -afy` to the same RUN", remedy)
        }
        Manager::Go if matches!(inv.sub(), "build" | "install") => {
            let dir = env("GOCACHE").unwrap_or_else(|| in_home(".cache/go-build"));
            let go_clean = later(script, inv.index, |c| cleans_cache(c, &[Manager::Go]));
            if go_clean || cleared(&dir) || dir == "off" {
                return None;
            }
            (
                dir,
                "add `&& go clean -cache` to the same RUN, use a cache mount, or build in an earlier stage",
                clean_command(Manager::Go).map_or(Remedy::Manual, |c| Remedy::Append(c.into())),
            )
        }
        Manager::Composer if matches!(inv.sub(), "install" | "require" | "update") => {
            if inv.has(&["--no-cache"]) {
                return None;
            }
            if env("COMPOSER_CACHE_DIR").is_some_and(|d| d == "/dev/null") {
                return None;
            }
            let dir = env("COMPOSER_CACHE_DIR").unwrap_or_else(|| match env("COMPOSER_HOME") {
                Some(h) => format!("{}/cache", h.trim_end_matches('/')),
                None => in_home(".composer/cache"),
            });
            let cleaned = later(script, inv.index, |c| {
                invocation(0, c).is_some_and(|i| i.clears_cache())
            });
            if cleaned || cleared(&dir) {
                return None;
            }
            (
                dir,
                "add `--no-cache` or `&& composer clear-cache` to the same RUN",
                if inv.cmd.name() == Some(Manager::Composer.as_str()) {
                    clean_command(Manager::Composer)
                        .map_or(Remedy::Manual, |c| Remedy::Append(c.into()))
                } else {
                    Remedy::Manual
                },
            )
        }
        Manager::Bundle if inv.installs_project() => {
            let set = |name: &str| env(name).filter(|v| !v.is_empty() && plain(v));
            // `--deployment`/`--path` without BUNDLE_PATH install under the project
            // (vendor/bundle), whose place the Dockerfile may not say
            if set("BUNDLE_PATH").is_none()
                && (inv.has(&["--deployment", "--path"])
                    || env("BUNDLE_DEPLOYMENT").is_some_and(|v| !v.is_empty()))
            {
                return None;
            }
            // `bundle config path DIR` puts the gems under DIR/<engine>/<version>: where is
            // not known here
            if configures_path(model, run, script, inv.index) {
                return None;
            }
            let official = stage_on_official_ruby(model, run.stage?);
            let dir = match (set("BUNDLE_PATH"), set("GEM_HOME")) {
                (Some(p), _) => format!("{}/ruby/*/cache", p.trim_end_matches('/')),
                (None, Some(h)) => format!("{}/cache", h.trim_end_matches('/')),
                // the ruby images set GEM_HOME=/usr/local/bundle
                (None, None) if official => "/usr/local/bundle/cache".to_string(),
                _ => return None,
            };
            let removes_cache = |c: &Command| {
                c.name() == Some("rm")
                    && c.operands().any(|w| {
                        let v = w.value.as_str();
                        crate::shell::path_covers(v, &dir)
                            || (v.contains("cache")
                                && ["bundle", "BUNDLE_PATH", "GEM_HOME"]
                                    .iter()
                                    .any(|k| v.contains(k)))
                    })
            };
            if later(script, inv.index, removes_cache) || run.mount_covers(&dir) {
                return None;
            }
            let remedy = Remedy::Append(format!("rm -rf {dir}"));
            (
                dir,
                "add `&& rm -rf` of it to the same RUN (Bundler does not need the .gem files \
                 once the gems are installed)",
                remedy,
            )
        }
        Manager::Pip | Manager::Uv
            if inv.is_uv() && (inv.is_install() || inv.sub() == "install") =>
        {
            let dir = env("UV_CACHE_DIR").unwrap_or_else(|| in_home(".cache/uv"));
            if inv.has(&["--no-cache", "-n"])
                || env("UV_NO_CACHE").is_some_and(|v| truthy(&v))
                || inv
                    .cmd
                    .assignments
                    .iter()
                    .any(|a| a.starts_with("UV_NO_CACHE="))
                || cleaned_by(&[Manager::Uv])
                || cleared(&dir)
            {
                return None;
            }
            (
                dir,
                "add `--no-cache` (or UV_NO_CACHE=1) or use a cache mount",
                Remedy::Option("--no-cache"),
            )
        }
        _ => return None,
    };
    let cmd = inv
        .cmd
        .argv()
        .iter()
        .take(3)
        .map(|w| w.value.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some(Leftover {
        span: inv.cmd.span,
        message: format!("`{cmd}` leaves its cache in {dir} in this layer; {fix}"),
        fix: match remedy {
            Remedy::Append(c) => styled(style, model, run, script, inv, || {
                append_fix(df, run, script, inv, &c)
            }),
            Remedy::Option(o) => styled(style, model, run, script, inv, || option_fix(df, inv, o)),
            Remedy::Manual => None,
        },
    })
}

/// A `bundle config [set] [--global|--local] path ...` before command `before` of the RUN, in
/// it or in an earlier RUN of its stage.
fn configures_path(model: &SemanticModel<'_>, run: &Run, script: &Script, before: usize) -> bool {
    let sets_path = |c: &Command| {
        invocation(0, c).is_some_and(|i| {
            i.manager == Manager::Bundle
                && i.sub() == "config"
                && i.operands.iter().any(|w| w.value == "path")
        })
    };
    let earlier_runs = run.stage.into_iter().flat_map(|s| {
        model
            .analysis()
            .stage_runs(s)
            .filter(|r| r.index < run.index)
            .filter_map(|r| r.script.as_ref())
            .flat_map(|sc| sc.commands.iter())
    });
    script.commands.iter().take(before).any(sets_path) || earlier_runs.into_iter().any(sets_path)
}

/// The stage's chain starts from the official `ruby` image, which sets
/// `GEM_HOME=/usr/local/bundle`.
fn stage_on_official_ruby(model: &SemanticModel<'_>, stage: usize) -> bool {
    crate::rules::packages::dl5159_redundant_bundler_install::root_image(model, stage)
        .is_some_and(crate::rules::packages::dl5159_redundant_bundler_install::is_official_ruby)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{lines, run as check};

    #[test]
    fn caches_are_in_the_home_of_the_user() {
        let msg = |src: &str| check(&PackageCacheLeft, src).remove(0).message;
        let m = msg("FROM node:22\nRUN useradd -m app\nUSER app\nRUN npm ci\n");
        assert!(m.contains("/home/app/.npm/_cacache"), "{m}");
        let m = msg("FROM node:22\nUSER node\nRUN npm ci\n");
        assert!(
            m.contains("~/.npm/_cacache (in the home directory of user `node`)"),
            "{m}"
        );
        let m = msg("FROM golang:1.23\nUSER 1000\nENV HOME=/work\nRUN go build ./...\n");
        assert!(m.contains("/work/.cache/go-build"), "{m}");
        for src in [
            "FROM node:22\nUSER node\nRUN npm ci && rm -rf ~/.npm\n",
            "FROM node:22\nRUN useradd -m app\nUSER app\nRUN npm ci && rm -rf $HOME/.npm\n",
            "FROM node:22\nRUN useradd -m app\nUSER app\nRUN npm ci && rm -rf /home/app/.npm\n",
        ] {
            assert!(check(&PackageCacheLeft, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn npm() {
        let d = check(&PackageCacheLeft, "FROM node:20\nRUN npm ci\n");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("/root/.npm/_cacache"),
            "{}",
            d[0].message
        );
        for src in [
            "FROM node:20\nRUN npm ci && npm cache clean --force\n",
            "FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\n",
            "FROM node:20\nRUN npm ci && rm -rf ~/.npm\n",
            "FROM node:20\nRUN npm run build\n",
        ] {
            assert!(lines(&PackageCacheLeft, src).is_empty(), "{src}");
        }
        assert_eq!(
            lines(
                &PackageCacheLeft,
                "FROM node:20\nRUN npm ci\nRUN npm cache clean --force\n"
            ),
            [2]
        );
    }

    #[test]
    fn bun() {
        let msg = |src: &str| check(&PackageCacheLeft, src).remove(0).message;
        let m = msg("FROM oven/bun:1\nRUN bun install --frozen-lockfile\n");
        assert!(m.contains("/root/.bun/install/cache"), "{m}");
        let m = msg("FROM oven/bun:1\nRUN useradd -m app\nUSER app\nRUN bun add zod\n");
        assert!(m.contains("/home/app/.bun/install/cache"), "{m}");
        let m = msg("FROM oven/bun:1\nENV BUN_INSTALL=/opt/bun\nRUN bun i\n");
        assert!(m.contains("/opt/bun/install/cache"), "{m}");
        let m = msg("FROM oven/bun:1\nENV BUN_INSTALL_CACHE_DIR=/bc\nRUN bun install\n");
        assert!(m.contains("in /bc in"), "{m}");
        for src in [
            "FROM oven/bun:1\nRUN bun install && bun pm cache rm\n",
            "FROM oven/bun:1\nRUN bun install --no-cache\n",
            "FROM oven/bun:1\nRUN bun install && rm -rf ~/.bun/install/cache\n",
            "FROM oven/bun:1\nRUN --mount=type=cache,target=/root/.bun/install/cache bun install\n",
            "FROM oven/bun:1\nRUN --mount=type=cache,target=/tmp/bc bun install --cache-dir /tmp/bc\n",
            "FROM oven/bun:1\nRUN bun run build\n",
            "FROM oven/bun:1 AS deps\nRUN bun install\nFROM oven/bun:1\nCOPY --from=deps /app/node_modules /app/node_modules\n",
        ] {
            assert!(lines(&PackageCacheLeft, src).is_empty(), "{src}");
        }
        assert_eq!(
            lines(
                &PackageCacheLeft,
                "FROM oven/bun:1\nRUN bun install\nRUN bun pm cache rm\n"
            ),
            [2]
        );
    }

    #[test]
    fn go_build_only_in_final_image() {
        let d = check(
            &PackageCacheLeft,
            "FROM golang:1.22\nRUN go build -o /app .\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("/root/.cache/go-build"));
        let src = "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert!(lines(&PackageCacheLeft, src).is_empty());
        let src = "FROM golang:1.22\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n";
        assert!(lines(&PackageCacheLeft, src).is_empty());
        let src = "FROM golang:1.22\nRUN go build -o /app . && go clean -cache\n";
        assert!(lines(&PackageCacheLeft, src).is_empty());
    }

    #[test]
    fn bundler_cache_where_the_gem_directory_is_known() {
        let msg = |src: &str| check(&PackageCacheLeft, src).remove(0).message;
        let m = msg("FROM ruby:3.3-slim\nRUN bundle install --jobs 4\n");
        assert!(m.contains("/usr/local/bundle/cache"), "{m}");
        let m = msg("FROM ruby:3.3\nENV BUNDLE_PATH=/usr/local/bundle\nRUN bundle install\n");
        assert!(m.contains("/usr/local/bundle/ruby/*/cache"), "{m}");
        let m = msg("FROM debian:12\nENV GEM_HOME=/gems\nRUN bundle install\n");
        assert!(m.contains("/gems/cache"), "{m}");
        for src in [
            "FROM ruby:3.3\nENV BUNDLE_PATH=/usr/local/bundle\nRUN bundle install \\\n && rm -rf ~/.bundle/ \"${BUNDLE_PATH}\"/ruby/*/cache\n",
            "FROM ruby:3.3\nRUN bundle install && rm -rf /usr/local/bundle/cache/*.gem\n",
            "FROM ruby:3.3\nRUN --mount=type=cache,target=/usr/local/bundle/cache bundle install\n",
            "FROM ruby:3.3\nRUN bundle install --deployment\n",
            "FROM ruby:3.3\nRUN bundle config set --local path vendor/bundle\nRUN bundle install\n",
            "FROM debian:12\nRUN apt-get install -y ruby-bundler && bundle install\n",
            "FROM ruby:3.3 AS gems\nRUN bundle install\nFROM ruby:3.3-slim\nCOPY --from=gems /usr/local/bundle /usr/local/bundle\n",
        ] {
            assert!(lines(&PackageCacheLeft, src).is_empty(), "{src}");
        }
        assert_eq!(
            crate::lint::testing::fixed(&PackageCacheLeft, "FROM ruby:3.3\nRUN bundle install\n"),
            "FROM ruby:3.3\nRUN bundle install && rm -rf /usr/local/bundle/cache\n"
        );
    }

    #[test]
    fn gem_conda_composer_uv() {
        assert_eq!(
            lines(&PackageCacheLeft, "FROM debian:12\nRUN gem install rake\n"),
            [2]
        );
        assert!(
            lines(
                &PackageCacheLeft,
                "FROM debian:12\nRUN gem install --no-document rake\n"
            )
            .is_empty()
        );
        assert!(lines(&PackageCacheLeft, "FROM ruby:3.3\nRUN gem install rake\n").is_empty());
        assert_eq!(
            lines(
                &PackageCacheLeft,
                "FROM continuumio/miniconda3\nRUN conda install -y numpy\n"
            ),
            [2]
        );
        assert!(
            lines(
                &PackageCacheLeft,
                "FROM continuumio/miniconda3\nRUN conda install -y numpy && conda clean -afy\n"
            )
            .is_empty()
        );
        let d = check(
            &PackageCacheLeft,
            "FROM php:8\nENV COMPOSER_HOME=/tmp\nRUN composer install\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("/tmp/cache"), "{}", d[0].message);
        assert!(
            lines(
                &PackageCacheLeft,
                "FROM php:8\nRUN composer install --no-cache\n"
            )
            .is_empty()
        );
        assert_eq!(
            lines(
                &PackageCacheLeft,
                "FROM python:3.12\nRUN uv pip install --system flask\n"
            ),
            [2]
        );
        assert!(
            lines(
                &PackageCacheLeft,
                "FROM python:3.12\nRUN uv sync --no-cache\n"
            )
            .is_empty()
        );
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::lint::testing::{fixed, run};

    #[test]
    fn each_manager_gets_its_cleanup() {
        for (src, want) in [
            (
                "FROM node:20\nRUN npm ci\n",
                "FROM node:20\nRUN npm ci && npm cache clean --force\n",
            ),
            (
                "FROM node:20\nRUN pnpm install\n",
                "FROM node:20\nRUN pnpm install && pnpm store prune\n",
            ),
            (
                "FROM debian:12\nRUN gem install rake\n",
                "FROM debian:12\nRUN gem install --no-document rake\n",
            ),
            (
                "FROM continuumio/miniconda3\nRUN mamba install -y numpy\n",
                "FROM continuumio/miniconda3\nRUN mamba install -y numpy && mamba clean -afy\n",
            ),
            (
                "FROM golang:1.22\nRUN go build -o /app .\n",
                "FROM golang:1.22\nRUN go build -o /app . && go clean -cache\n",
            ),
            (
                "FROM php:8\nRUN composer install\n",
                "FROM php:8\nRUN composer install && composer clear-cache\n",
            ),
            (
                "FROM python:3.12\nRUN uv pip install --system flask\n",
                "FROM python:3.12\nRUN uv pip install --no-cache --system flask\n",
            ),
            (
                "FROM oven/bun:1\nRUN bun install --frozen-lockfile\n",
                "FROM oven/bun:1\nRUN bun install --frozen-lockfile && bun pm cache rm\n",
            ),
            (
                "FROM python:3.12\nRUN uv sync\n",
                "FROM python:3.12\nRUN uv sync --no-cache\n",
            ),
        ] {
            assert_eq!(fixed(&PackageCacheLeft, src), want, "{src}");
        }
        // `php composer.phar install`: no fix (no `composer` command to call)
        let d = run(
            &PackageCacheLeft,
            "FROM php:8\nRUN php composer.phar install\n",
        );
        assert!(d[0].fix.is_none());
        // a cache directory given to the install only: no fix
        let d = run(
            &PackageCacheLeft,
            "FROM oven/bun:1\nRUN bun install --cache-dir /tmp/bc\n",
        );
        assert!(d[0].message.contains("/tmp/bc"), "{}", d[0].message);
        assert!(d[0].fix.is_none());
    }
}
