//! DL5145 (opt-in): a single-stage Dockerfile builds software (compiler toolchain installed,
//! `go build`, `cargo build`, `npm run build`, `make` ...) and ships the toolchain with it.

use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::{BUILD_PACKAGES, builds, invocations};

/// DL5145 `single-stage-build`.
pub struct SingleStageBuild;

impl Rule for SingleStageBuild {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5145",
            name: "single-stage-build",
            severity: Severity::Info,
            summary: "A single-stage build that compiles: a multi-stage build would leave the \
                      toolchain out of the image",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        if df.stages.len() != 1 || cx.model().is_windows_stage(0) {
            return;
        }
        let model = cx.model();
        let mut reason: Option<String> = None;
        for run in cx.analysis().stage_runs(0) {
            let Some(script) = &run.script else { continue };
            // build dependencies installed and purged in one RUN (the official images' way)
            // do not stay in the image
            if removes_packages(script) {
                continue;
            }
            for inv in invocations(script).iter().filter(|i| i.is_install()) {
                if let Some(p) = inv
                    .packages()
                    .into_iter()
                    .find(|p| BUILD_PACKAGES.contains(&p.name.as_str()))
                {
                    reason = Some(format!("installs the build tool `{}`", p.name));
                    break;
                }
            }
            if reason.is_some() {
                break;
            }
            if let Some(b) = builds(script, &|n| model.var(run.index, n)).first() {
                let words: Vec<&str> = b
                    .cmd
                    .argv()
                    .iter()
                    .take(3)
                    .map(|w| w.value.as_str())
                    .collect();
                reason = Some(format!("builds with `{}`", words.join(" ")));
                break;
            }
        }
        let (Some(reason), Some(from)) = (reason, stage_from(df, 0)) else {
            return;
        };
        cx.report(
            from.span,
            format!(
                "this single-stage build {reason}, so the compiler and sources ship in the image: \
                 build in a first stage and `COPY --from` only the result into a slim runtime stage"
            ),
        );
    }
}

/// The script removes packages again (`apt-get purge`, `apk del`, `dnf remove` ...), as the
/// package model reads removals.
fn removes_packages(script: &crate::shell::Script) -> bool {
    invocations(script).iter().any(|i| i.removal().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_single_stage_builds() {
        assert_eq!(
            lines(
                &SingleStageBuild,
                "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n"
            ),
            [1]
        );
        assert_eq!(
            lines(
                &SingleStageBuild,
                "FROM debian:12\nRUN apt-get update && apt-get install -y build-essential\n"
            ),
            [1]
        );
    }

    #[test]
    fn multi_stage_or_no_build_passes() {
        for src in [
            "FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM alpine\nCOPY --from=b /app /app\n",
            "FROM python:3\nRUN pip install flask\n",
            "FROM node:20\nRUN npm ci\n",
            "FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y gcc\n",
        ] {
            assert!(lines(&SingleStageBuild, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn builds_seen_through_the_model() {
        // full paths, wrappers, `sh -c`, `mvnw` without `./`, goals given by a variable:
        // the build model's facts, not the command's spelling
        for src in [
            "FROM debian:12\nRUN /usr/local/go/bin/go build -o /app .\n",
            "FROM debian:12\nRUN sh -c 'cargo build --release'\n",
            "FROM debian:12\nRUN sudo -E mvnw -B verify\n",
            "FROM debian:12\nRUN /src/gradlew :app:bootJar\n",
            "FROM debian:12\nARG GOALS=\"clean package\"\nRUN mvn -B $GOALS\n",
            "FROM node:20\nRUN npm --prefix web run build\n",
            "FROM debian:12\nRUN dotnet build -c Release\n",
        ] {
            assert_eq!(lines(&SingleStageBuild, src), [1], "{src}");
        }
        for src in [
            "FROM debian:12\nRUN mvn dependency:go-offline\n",
            "FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest\n",
            "FROM node:20\nRUN npm run test\n",
        ] {
            assert!(lines(&SingleStageBuild, src).is_empty(), "{src}");
        }
    }
}
