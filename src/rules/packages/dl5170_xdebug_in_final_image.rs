//! DL5170: Xdebug installed or enabled (`pecl install xdebug`, `docker-php-ext-enable xdebug`,
//! `install-php-extensions xdebug`, a `php-xdebug` package) in a stage that ends up in the
//! image. Xdebug is a debugger and profiler: loaded, it slows every request, and its step
//! debugger listens for a client. Stages named `dev`, `development`, `test`, `testing`, `ci` or
//! `debug` are for development and are not reported.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5170 `xdebug-in-final-image`.
pub struct XdebugInFinalImage;

/// Stage names that say the stage is for development.
const DEV_STAGES: &[&str] = &["dev", "development", "test", "testing", "ci", "debug"];

/// Commands that install or enable PHP extensions or packages.
const INSTALLERS: &[&str] = &[
    "pecl",
    "docker-php-ext-enable",
    "docker-php-ext-install",
    "install-php-extensions",
    "apt-get",
    "apt",
    "apk",
    "yum",
    "dnf",
    "microdnf",
];

impl Rule for XdebugInFinalImage {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5170",
            name: "xdebug-in-final-image",
            severity: Severity::Warning,
            summary: "Xdebug installed or enabled in a stage of the image",
            fix: None,
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
            {
                continue;
            }
            for run in a.stage_runs(stage.index).filter(|r| !r.onbuild) {
                let Some(script) = &run.script else { continue };
                for c in &script.commands {
                    let Some(name) = c.name() else { continue };
                    if !INSTALLERS.contains(&name) {
                        continue;
                    }
                    let Some(arg) = c.args().iter().find(|w| is_xdebug(name, &w.value)) else {
                        continue;
                    };
                    cx.report(
                        arg.span,
                        format!(
                            "`{name} {}` puts Xdebug in the image: a debugger and profiler that \
                             slows every request when loaded; install it in a `dev` stage built \
                             on this one",
                            arg.value
                        ),
                    );
                }
            }
        }
    }
}

/// `xdebug`, `xdebug-3.4.0`, `xdebug@3.3` for the PHP tools; a package name with `xdebug` in it
/// (`php-xdebug`, `php83-pecl-xdebug`) for the system package managers.
fn is_xdebug(installer: &str, arg: &str) -> bool {
    let a = arg.to_ascii_lowercase();
    match installer {
        "pecl" | "docker-php-ext-enable" | "docker-php-ext-install" | "install-php-extensions" => {
            a == "xdebug" || a.starts_with("xdebug-") || a.starts_with("xdebug@")
        }
        _ => !a.starts_with('-') && a.contains("xdebug"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_xdebug_in_the_final_stage() {
        let src = "FROM php:8.3-fpm\nRUN pecl install xdebug-3.3.2 \\\n && docker-php-ext-enable xdebug\n";
        assert_eq!(lines(&XdebugInFinalImage, src), [2, 3]);
        let apk = "FROM alpine:3.20\nRUN apk add --no-cache php83 php83-pecl-xdebug\n";
        assert_eq!(lines(&XdebugInFinalImage, apk), [2]);
    }

    #[test]
    fn dev_stages_builders_and_other_extensions_pass() {
        for src in [
            "FROM php:8.3-fpm AS app\nRUN docker-php-ext-install pdo_mysql\nFROM app AS dev\nRUN pecl install xdebug\n",
            "FROM php:8.3 AS build\nRUN pecl install xdebug\nFROM php:8.3\nCOPY --from=build /app /app\n",
            "FROM php:8.3\nRUN pecl install redis && docker-php-ext-enable redis\n",
        ] {
            assert!(lines(&XdebugInFinalImage, src).is_empty(), "{src}");
        }
    }
}
