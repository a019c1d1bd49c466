//! DL5160: the stage that becomes the image is built on a toolchain image (`golang`, `rust`, a
//! JDK, `maven`, `gradle`) and compiles its program there (`go build`, `cargo build`,
//! `mvn package`, `gradle build`): the compiler, the standard library sources and the build
//! caches ship with the program, which needs none of them to run.

use crate::dockerfile::{Dockerfile, ImageRef, InstructionKind, Keyword, ShellOrExec};
use crate::lint::helpers::stage_from;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::rules::packages::dl5159_redundant_bundler_install::root_image;
use crate::shell::Command;

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
        let Some(last) = model
            .build_target()
            .or_else(|| df.stages.len().checked_sub(1))
        else {
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
        let Some(tc) = toolchain_of(base) else { return };
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
                let c = script.commands.iter().find(|c| builds(c, tc))?;
                Some((run.index, c))
            })
        });
        let Some((index, cmd)) = build else { return };
        if tc == Toolchain::Jdk && !chain.iter().any(|&s| runs_java(df, s)) {
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
                tc.what(),
                words.join(" "),
                tc.runtime()
            ),
        );
    }
}

/// Stage names that say the stage is for development.
const DEV_STAGES: &[&str] = &["dev", "development", "test", "testing", "ci", "debug"];

/// The toolchain a base image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Toolchain {
    Go,
    Rust,
    Jdk,
}

impl Toolchain {
    fn what(self) -> &'static str {
        match self {
            Toolchain::Go => "the Go toolchain (compiler, standard library sources, build tools)",
            Toolchain::Rust => {
                "the Rust toolchain (rustc, cargo, the standard library, build tools)"
            }
            Toolchain::Jdk => "a JDK (compiler, jmods, tools) where a JRE runs the program",
        }
    }

    fn runtime(self) -> &'static str {
        match self {
            Toolchain::Go => {
                "`scratch` or `gcr.io/distroless/static` (with CGO_ENABLED=0) or a slim image"
            }
            Toolchain::Rust => "`gcr.io/distroless/cc` or a slim image (`debian:*-slim`)",
            Toolchain::Jdk => "a JRE image (`eclipse-temurin:21-jre`) or a jlink runtime",
        }
    }
}

/// The toolchain `image` is, by its Docker Hub name: `golang`, `rust`, `maven`, `gradle`, and
/// JDK images (`eclipse-temurin`, `openjdk`, `amazoncorretto` ... unless the tag says `jre`).
pub(crate) fn toolchain_of(image: &ImageRef) -> Option<Toolchain> {
    let name = image.name.to_ascii_lowercase();
    let repo = name.strip_prefix("library/").unwrap_or(&name);
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let hub = image
        .registry
        .as_deref()
        .is_none_or(|r| matches!(r, "docker.io" | "index.docker.io" | "registry-1.docker.io"));
    if !hub {
        return None;
    }
    match repo {
        "golang" => Some(Toolchain::Go),
        "rust" | "rustlang/rust" => Some(Toolchain::Rust),
        "maven" | "gradle" => Some(Toolchain::Jdk),
        "eclipse-temurin"
        | "openjdk"
        | "amazoncorretto"
        | "azul/zulu-openjdk"
        | "ibm-semeru-runtimes"
        | "sapmachine"
            if !tag.contains("jre") && !tag.contains('$') =>
        {
            Some(Toolchain::Jdk)
        }
        _ => None,
    }
}

/// A command that compiles the project with the toolchain: `go build`, `go install` of a
/// local package (`go install tool@v1` installs a tool), `cargo build`, `cargo install
/// --path`, `mvn`/`gradle` with a packaging goal.
pub(crate) fn builds(c: &Command, tc: Toolchain) -> bool {
    let a: Vec<&str> = c.argv().iter().map(|w| w.value.as_str()).collect();
    let name = a.first().map(|n| crate::shell::basename(n));
    match (tc, name, a.get(1..).unwrap_or(&[])) {
        (Toolchain::Go, Some("go"), ["build", ..]) => true,
        (Toolchain::Go, Some("go"), ["install", rest @ ..]) => {
            !rest.iter().any(|w| w.contains('@'))
        }
        (Toolchain::Rust, Some("cargo"), ["build", ..]) => true,
        (Toolchain::Rust, Some("cargo"), ["install", rest @ ..]) => rest.contains(&"--path"),
        (Toolchain::Jdk, Some("mvn" | "mvnw"), rest) => rest
            .iter()
            .any(|w| matches!(*w, "package" | "install" | "verify")),
        (Toolchain::Jdk, Some("gradle" | "gradlew"), rest) => rest.iter().any(|w| {
            matches!(
                w.trim_start_matches(':'),
                "build" | "assemble" | "bootJar" | "jar" | "shadowJar" | "installDist"
            )
        }),
        _ => false,
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
    let w = entry_words(df, stage);
    let tools: &[&str] = match tc {
        Toolchain::Go => &["go"],
        Toolchain::Rust => &["cargo", "rustc"],
        Toolchain::Jdk => &["mvn", "mvnw", "gradle", "gradlew", "javac", "jshell"],
    };
    w.iter().any(|x| tools.contains(&crate::shell::basename(x)))
}

/// The stage's CMD or ENTRYPOINT starts `java` (the built jar runs on the JDK).
fn runs_java(df: &Dockerfile, stage: usize) -> bool {
    entry_words(df, stage)
        .iter()
        .any(|x| crate::shell::basename(x) == "java")
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
}
