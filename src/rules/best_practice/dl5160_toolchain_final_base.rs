//! DL5160: the stage that becomes the image is built on a toolchain image (`golang`, `rust`, a
//! JDK, `maven`, `gradle`) and compiles its program there (`go build`, `cargo build`,
//! `mvn package`, `gradle build`): the compiler, the standard library sources and the build
//! caches ship with the program, which needs none of them to run.

use crate::dockerfile::{Dockerfile, InstructionKind, Keyword, ShellOrExec};
use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::rules::packages::dl5159_redundant_bundler_install::root_image;
use crate::shell::pkg::{Toolchain, builds, image_toolchain};

/// DL5160 `toolchain-final-base`.
pub struct ToolchainFinalBase;

impl Rule for ToolchainFinalBase {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5160",
            name: "toolchain-final-base",
            severity: Severity::Warning,
            summary: "The final stage runs on a build toolchain image (golang, rust, a JDK, \
                      maven, gradle) to ship a compiled program",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let Some(last) = model.final_stage() else {
            return;
        };
        if df
            .stages
            .get(last)
            .is_some_and(|s| s.name.as_deref().is_some_and(|n| DEV_STAGES.contains(&n)))
            || model.is_windows_stage(last)
        {
            return;
        }
        let Some(base) = root_image(model, last) else {
            return;
        };
        let Some(tc) = image_toolchain(base) else {
            return;
        };
        let (Some(what), Some(runtime)) = (what(tc), runtime(tc)) else {
            return;
        };
        let chain = model.stage_chain(last);
        // the image runs the toolchain itself (`go run`, `mvn spring-boot:run`): not a
        // compiled program's image
        if chain.iter().any(|&s| runs_toolchain(df, s, tc)) {
            return;
        }
        let a = cx.analysis();
        let build = chain.iter().rev().find_map(|&s| {
            a.stage_runs(s).find_map(|run| {
                let script = run.script.as_ref()?;
                let b = builds(script, &|n| model.var(run.index, n))
                    .into_iter()
                    .find(|b| b.toolchain() == tc)?;
                Some((run.index, b.cmd))
            })
        });
        let Some((index, cmd)) = build else { return };
        if tc.launcher().is_some() && !chain.iter().any(|&s| runs_launcher(df, s, tc)) {
            return;
        }
        let Some(from) = stage_from(df, last) else {
            return;
        };
        // the tool and its sub-command or goal (`go build`, `mvn package`)
        let words: Vec<&str> = cmd
            .argv()
            .iter()
            .map(|w| w.value.as_str())
            .enumerate()
            .filter(|(k, w)| *k == 0 || !w.starts_with('-'))
            .map(|(_, w)| w)
            .take(2)
            .collect();
        let line = df
            .lines
            .line_col(&df.source, df.instructions[index].span.start)
            .line;
        let tag = base
            .tag
            .as_deref()
            .map_or(String::new(), |t| format!(":{t}"));
        cx.report(
            from.span,
            format!(
                "the image is built on `{}{tag}`, {}, to ship what `{}` builds at line {line}: \
                 build in a stage of its own and copy the result into {}",
                base.name,
                what,
                words.join(" "),
                runtime
            ),
        );
    }
}

/// Stage names that say the stage is for development.
const DEV_STAGES: &[&str] = &["dev", "development", "test", "testing", "ci", "debug"];

/// What the toolchain image carries besides the program.
fn what(tc: Toolchain) -> Option<&'static str> {
    match tc {
        Toolchain::Go => Some("the Go toolchain (compiler, standard library sources, build tools)"),
        Toolchain::Rust => {
            Some("the Rust toolchain (rustc, cargo, the standard library, build tools)")
        }
        Toolchain::Jdk => Some("a JDK (compiler, jmods, tools) where a JRE runs the program"),
        Toolchain::Dotnet | Toolchain::Node | Toolchain::C => None,
    }
}

/// Where the program runs instead.
fn runtime(tc: Toolchain) -> Option<&'static str> {
    match tc {
        Toolchain::Go => {
            Some("`scratch` or `gcr.io/distroless/static` (with CGO_ENABLED=0) or a slim image")
        }
        Toolchain::Rust => Some("`gcr.io/distroless/cc` or a slim image (`debian:*-slim`)"),
        Toolchain::Jdk => Some("a JRE image (`eclipse-temurin:21-jre`) or a jlink runtime"),
        Toolchain::Dotnet | Toolchain::Node | Toolchain::C => None,
    }
}

/// The words of the stage's CMD and ENTRYPOINT (exec form, or shell form split on blanks).
fn entry_words(df: &Dockerfile, stage: usize) -> Vec<String> {
    let Some(st) = df.stages.get(stage) else {
        return Vec::new();
    };
    st.instructions
        .iter()
        .filter_map(|&i| df.instructions.get(i))
        .filter(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
        .flat_map(|i| match &i.kind {
            InstructionKind::Cmd(s) | InstructionKind::Entrypoint(s) => match s {
                ShellOrExec::Exec(w) => w.iter().map(|w| w.value.clone()).collect(),
                ShellOrExec::Shell(t) => t.text.split_whitespace().map(str::to_string).collect(),
            },
            _ => Vec::new(),
        })
        .collect()
}

/// The stage's CMD or ENTRYPOINT runs the toolchain (`go run`, `cargo run`, `mvn`, `gradle`).
fn runs_toolchain(df: &Dockerfile, stage: usize, tc: Toolchain) -> bool {
    entry_words(df, stage)
        .iter()
        .any(|x| tc.programs().contains(&crate::shell::basename(x)))
}

/// The stage's CMD or ENTRYPOINT starts the toolchain's launcher (`java` for the built jar,
/// which then runs on the JDK).
fn runs_launcher(df: &Dockerfile, stage: usize, tc: Toolchain) -> bool {
    let Some(launcher) = tc.launcher() else {
        return false;
    };
    entry_words(df, stage)
        .iter()
        .any(|x| crate::shell::basename(x) == launcher)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_final_stages_on_toolchains_that_build() {
        for src in [
            "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n",
            "FROM rust:1.79\nCOPY . .\nRUN cargo build --release\nCMD [\"./target/release/app\"]\n",
            "FROM maven:3.9-eclipse-temurin-21\nCOPY . .\nRUN mvn -B package\nCMD java -jar target/app.jar\n",
            "FROM golang:1.22 AS base\nRUN go install ./cmd/server\nFROM base\nCMD [\"server\"]\n",
        ] {
            assert_eq!(lines(&ToolchainFinalBase, src), [last_from(src)], "{src}");
        }
    }

    fn last_from(src: &str) -> usize {
        src.lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("FROM"))
            .last()
            .map_or(0, |(k, _)| k + 1)
    }

    #[test]
    fn accepts_multi_stage_tools_and_runtime_toolchains() {
        for src in [
            "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n",
            "FROM golang:1.22\nRUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.59.1\n",
            "FROM golang:1.22\nCOPY . .\nRUN go build ./...\nCMD [\"go\", \"run\", \".\"]\n",
            "FROM golang:1.22 AS dev\nRUN go build -o /app .\n",
            "FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
            "FROM maven:3.9\nCOPY . .\nRUN mvn package\nCMD [\"mvn\", \"spring-boot:run\"]\n",
            "FROM maven:3.9\nCOPY . .\nRUN mvn -B package\n",
            "FROM debian:12\nRUN apt-get install -y golang && go build -o /app .\n",
        ] {
            assert!(lines(&ToolchainFinalBase, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn wrapped_and_variable_builds() {
        for src in [
            "FROM golang:1.22\nCOPY . .\nRUN sh -c 'go build -o /app .'\nCMD [\"/app\"]\n",
            "FROM golang:1.22\nCOPY . .\nRUN /usr/local/go/bin/go build -o /app .\nCMD [\"/app\"]\n",
            "FROM rust:1.79\nCOPY . .\nRUN cargo +stable build --release\nCMD [\"/app\"]\n",
            "FROM maven:3.9\nARG GOALS=\"clean package\"\nCOPY . .\nRUN mvn -B $GOALS\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
            "FROM gradle:8-jdk21\nCOPY . .\nRUN gradle :app:bootJar\nCMD java -jar app.jar\n",
        ] {
            assert_eq!(lines(&ToolchainFinalBase, src), [1], "{src}");
        }
        // a build for another toolchain than the image's is not this rule's
        assert!(
            lines(
                &ToolchainFinalBase,
                "FROM golang:1.22\nRUN cargo build --release\nCMD [\"/app\"]\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn the_built_stage_is_the_target() {
        let src = "FROM golang:1.22 AS build\nRUN go build -o /app .\nCMD [\"/app\"]\n\
                   FROM scratch\nCOPY --from=build /app /app\n";
        assert!(lines(&ToolchainFinalBase, src).is_empty());
        let df = crate::dockerfile::parse(src);
        let model = crate::semantic::SemanticModel::with_target(&df, Some("build"));
        assert_eq!(model.final_stage(), Some(0));
        assert_eq!(
            crate::semantic::SemanticModel::new(&df).final_stage(),
            Some(1)
        );
    }
}
