//! Build toolchains: the commands that compile a program (`go build`, `cargo build`,
//! `mvn package`, `./gradlew bootJar`, `dotnet publish`, `npm run build`, `make`), which
//! toolchain each needs, the base images that carry a toolchain and the packages that bring one.
//!
//! Commands are recognised as package-manager invocations are (wrappers such as `sudo`, `env`,
//! `sh -c` and full paths through the shell parser and [`super::invocation`]); a sub-command
//! or goal given as one variable (`mvn $GOALS`) is expanded with the value assigned earlier in
//! the script or given by the caller's lookup (an ENV/ARG in scope), as packages are.

use super::vars::sole_reference;
use super::{Manager, assigned_before, invocation};
use crate::dockerfile::ImageRef;
use crate::shell::{Command, Script, basename};

/// A toolchain a program is compiled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Toolchain {
    /// Go (`go`)
    Go,
    /// Rust (`cargo`, `rustc`)
    Rust,
    /// A JDK (`javac`, driven by Maven or Gradle)
    Jdk,
    /// The .NET SDK (`dotnet`)
    Dotnet,
    /// A JavaScript runtime and bundler (`npm`/`yarn`/`pnpm`/`bun run build`)
    Node,
    /// A C/C++ toolchain (`make`)
    C,
}

impl Toolchain {
    /// The programs of the toolchain that compile or run sources (not the built program):
    /// an image whose CMD starts one of them runs the toolchain itself.
    pub fn programs(self) -> &'static [&'static str] {
        match self {
            Toolchain::Go => &["go"],
            Toolchain::Rust => &["cargo", "rustc"],
            Toolchain::Jdk => &["mvn", "mvnw", "gradle", "gradlew", "javac", "jshell"],
            Toolchain::Dotnet => &["dotnet"],
            Toolchain::Node => &["npm", "yarn", "pnpm", "bun", "node"],
            Toolchain::C => &["make", "gcc", "cc", "g++", "clang"],
        }
    }

    /// The program that runs what the toolchain built, when it is not a native binary
    /// (`java` for a jar).
    pub fn launcher(self) -> Option<&'static str> {
        match self {
            Toolchain::Jdk => Some("java"),
            Toolchain::Dotnet => Some("dotnet"),
            Toolchain::Node => Some("node"),
            Toolchain::Go | Toolchain::Rust | Toolchain::C => None,
        }
    }
}

/// A tool that runs a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuildTool {
    Go,
    Cargo,
    Rustc,
    Maven,
    Gradle,
    Dotnet,
    Npm,
    Yarn,
    Pnpm,
    Bun,
    Make,
}

impl BuildTool {
    /// The toolchain its builds compile with.
    pub fn toolchain(self) -> Toolchain {
        match self {
            BuildTool::Go => Toolchain::Go,
            BuildTool::Cargo | BuildTool::Rustc => Toolchain::Rust,
            BuildTool::Maven | BuildTool::Gradle => Toolchain::Jdk,
            BuildTool::Dotnet => Toolchain::Dotnet,
            BuildTool::Npm | BuildTool::Yarn | BuildTool::Pnpm | BuildTool::Bun => Toolchain::Node,
            BuildTool::Make => Toolchain::C,
        }
    }

    /// The build tool a package manager of the model is, if any.
    fn of_manager(m: Manager) -> Option<BuildTool> {
        Some(match m {
            Manager::Go => BuildTool::Go,
            Manager::Cargo => BuildTool::Cargo,
            Manager::Maven => BuildTool::Maven,
            Manager::Gradle => BuildTool::Gradle,
            Manager::Npm => BuildTool::Npm,
            Manager::Yarn => BuildTool::Yarn,
            Manager::Pnpm => BuildTool::Pnpm,
            Manager::Bun => BuildTool::Bun,
            _ => return None,
        })
    }

    /// The build tools that are no package manager, by command name (a full path's basename).
    fn of_name(name: &str) -> Option<BuildTool> {
        match name {
            "dotnet" => Some(BuildTool::Dotnet),
            "rustc" => Some(BuildTool::Rustc),
            "make" => Some(BuildTool::Make),
            _ => None,
        }
    }
}

/// One command that compiles a program.
#[derive(Debug, Clone)]
pub struct Build<'a> {
    pub tool: BuildTool,
    /// Index of the command in [`Script::commands`].
    pub index: usize,
    pub cmd: &'a Command,
}

impl Build<'_> {
    /// The toolchain the build needs.
    pub fn toolchain(&self) -> Toolchain {
        self.tool.toolchain()
    }
}

/// The sub-command and operands of `cmd` as `tool` sees them (options and their values left
/// out), each word that is one variable reference replaced by the words of its value when
/// `lookup` knows it.
fn steps(
    tool: BuildTool,
    index: usize,
    cmd: &Command,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    let words: Vec<&crate::shell::Word> = match invocation(index, cmd) {
        Some(inv) if BuildTool::of_manager(inv.manager) == Some(tool) => {
            inv.sub.into_iter().chain(inv.operands).collect()
        }
        _ => cmd
            .args()
            .iter()
            .filter(|w| !w.value.starts_with('-'))
            .collect(),
    };
    let mut out = Vec::new();
    for w in words {
        let value = (!w.is_static)
            .then(|| sole_reference(&w.value))
            .flatten()
            .and_then(lookup);
        match value {
            Some(v) => out.extend(v.split_whitespace().map(str::to_string)),
            None => out.push(w.value.clone()),
        }
    }
    out
}

/// The tool of a command that may build, before its sub-command is read.
fn tool_of(index: usize, cmd: &Command) -> Option<BuildTool> {
    match invocation(index, cmd) {
        Some(inv) => BuildTool::of_manager(inv.manager),
        None => cmd
            .argv()
            .first()
            .filter(|w| w.is_static)
            .and_then(|w| BuildTool::of_name(basename(&w.value))),
    }
}

/// Command `index` of a script as a build, when it compiles a program: `go build`, `go
/// install` of a local package (`go install tool@v1` fetches a tool), `cargo build`, `cargo
/// install --path`, `rustc main.rs`, `mvn package|install|verify|deploy`, `gradle
/// build|assemble|jar|bootJar|installDist ...` (`:app:bootJar` too), `dotnet publish|build`,
/// `npm|yarn|pnpm|bun run build` (`yarn build`, `pnpm build`), `make`. `lookup` gives the
/// value of a variable that the sub-command or goal is written as.
pub fn build<'a>(
    index: usize,
    cmd: &'a Command,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<Build<'a>> {
    let tool = tool_of(index, cmd)?;
    let s = steps(tool, index, cmd, lookup);
    let first = s.first().map(String::as_str);
    let rest = s.get(1..).unwrap_or(&[]);
    let compiles = match tool {
        BuildTool::Go => match first {
            Some("build") => true,
            Some("install") => !rest.iter().any(|w| w.contains('@')),
            _ => false,
        },
        BuildTool::Cargo => {
            // `cargo +nightly build` picks a toolchain first
            let first = match first {
                Some(t) if t.starts_with('+') => rest.first().map(String::as_str),
                f => f,
            };
            match first {
                Some("build" | "b" | "rustc") => true,
                Some("install") => cmd
                    .args()
                    .iter()
                    .any(|w| w.value == "--path" || w.value.starts_with("--path=")),
                _ => false,
            }
        }
        BuildTool::Rustc => s.iter().any(|w| w.ends_with(".rs")),
        BuildTool::Maven => s
            .iter()
            .any(|w| matches!(w.as_str(), "package" | "install" | "verify" | "deploy")),
        BuildTool::Gradle => s.iter().any(|w| {
            matches!(
                w.rsplit(':').next().unwrap_or(w),
                "build"
                    | "assemble"
                    | "jar"
                    | "war"
                    | "bootJar"
                    | "bootWar"
                    | "shadowJar"
                    | "installDist"
            )
        }),
        BuildTool::Dotnet => matches!(first, Some("publish" | "build")),
        BuildTool::Npm | BuildTool::Bun => {
            matches!(first, Some("run" | "run-script"))
                && rest.first().is_some_and(|w| w == "build")
        }
        BuildTool::Yarn | BuildTool::Pnpm => match first {
            Some("build") => true,
            Some("run") => rest.first().is_some_and(|w| w == "build"),
            _ => false,
        },
        BuildTool::Make => true,
    };
    compiles.then_some(Build { tool, index, cmd })
}

/// Every build of `script`, in order; `var` gives the value of an ENV/ARG in scope (a value
/// assigned earlier in the script comes first).
pub fn builds<'a>(script: &'a Script, var: &dyn Fn(&str) -> Option<String>) -> Vec<Build<'a>> {
    script
        .commands
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let lookup = |name: &str| assigned_before(script, i, name).or_else(|| var(name));
            build(i, c, &lookup)
        })
        .collect()
}

/// The toolchain a base image carries, by its Docker Hub name: `golang`, `rust`, `maven`,
/// `gradle`, and the JDK images (`eclipse-temurin`, `openjdk`, `amazoncorretto` ... unless the
/// tag says `jre` or is a variable). Images of other registries are not known.
pub fn image_toolchain(image: &ImageRef) -> Option<Toolchain> {
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

/// The image is a `golang` image with gcc (any registry; the alpine variants have none), so
/// cgo is on by default there.
pub fn go_image_with_gcc(image: &ImageRef) -> bool {
    let n = image.name.to_ascii_lowercase();
    (n == "golang" || n == "library/golang") && !image.raw.to_ascii_lowercase().contains("alpine")
}

/// Packages that only a build needs: compilers, build tools and language toolchains.
pub const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "build-base",
    "gcc",
    "g++",
    "gcc-c++",
    "clang",
    "make",
    "cmake",
    "autoconf",
    "automake",
    "libtool",
    "musl-dev",
    "golang",
    "golang-go",
    "go",
    "rust",
    "cargo",
    "maven",
    "gradle",
    "default-jdk",
];

/// Packages that bring a C compiler (with what it needs to link: alpine's `musl-dev`).
pub const C_COMPILER_PACKAGES: &[&str] = &[
    "gcc",
    "build-base",
    "build-essential",
    "musl-dev",
    "clang",
    "gcc-c++",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Mapping;

    fn parse(src: &str) -> Script {
        let map = crate::dockerfile::SourceMap::identity(0, src.len());
        crate::shell::parse_script(src, Mapping::Map { map: &map, base: 0 })
    }

    /// The tools of the builds in `src`, with `vars` as the ENV/ARG in scope.
    fn tools_with(src: &str, vars: &[(&str, &str)]) -> Vec<BuildTool> {
        let s = parse(src);
        let var = |n: &str| {
            vars.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        };
        builds(&s, &var).iter().map(|b| b.tool).collect()
    }

    fn tools(src: &str) -> Vec<BuildTool> {
        tools_with(src, &[])
    }

    #[test]
    fn go() {
        for src in [
            "go build -o /app .",
            "/usr/local/go/bin/go build -o /app .",
            "sh -c 'go build -o /app .'",
            "sudo -E go build ./...",
            "env CGO_ENABLED=0 go build .",
            "go -C cmd/server build",
            "go install ./cmd/...",
            "cd src && go install",
        ] {
            assert_eq!(tools(src), [BuildTool::Go], "{src}");
        }
        for src in [
            "go install golang.org/x/tools/gopls@latest",
            "go mod download",
            "go test ./...",
            "go version",
            "gofmt -l .",
        ] {
            assert!(tools(src).is_empty(), "{src}");
        }
        assert_eq!(BuildTool::Go.toolchain(), Toolchain::Go);
    }

    #[test]
    fn rust() {
        for src in [
            "cargo build --release",
            "/root/.cargo/bin/cargo build --release --locked",
            "cargo +nightly build",
            "cargo install --path .",
            "cargo install --locked --path=crates/cli",
            "bash -c \"cargo build\"",
            "rustc -O main.rs",
        ] {
            assert_eq!(tools(src).len(), 1, "{src}");
            let s = parse(src);
            let b = builds(&s, &|_| None);
            assert_eq!(b.first().map(Build::toolchain), Some(Toolchain::Rust));
        }
        for src in [
            "cargo install ripgrep",
            "cargo fetch",
            "cargo test",
            "rustc --version",
        ] {
            assert!(tools(src).is_empty(), "{src}");
        }
    }

    #[test]
    fn jdk() {
        for (src, tool) in [
            ("mvn -B package", BuildTool::Maven),
            ("./mvnw -DskipTests clean install", BuildTool::Maven),
            ("mvnw verify", BuildTool::Maven),
            (
                "/opt/maven/bin/mvn -s settings.xml deploy",
                BuildTool::Maven,
            ),
            ("./gradlew build -x test", BuildTool::Gradle),
            ("gradle --no-daemon bootJar", BuildTool::Gradle),
            ("./gradlew :app:installDist", BuildTool::Gradle),
            ("sh -c './gradlew assemble'", BuildTool::Gradle),
        ] {
            assert_eq!(tools(src), [tool], "{src}");
            assert_eq!(tool.toolchain(), Toolchain::Jdk);
        }
        for src in [
            "mvn dependency:go-offline",
            "mvn -B dependency:resolve",
            "./gradlew dependencies",
            "gradle --version",
        ] {
            assert!(tools(src).is_empty(), "{src}");
        }
    }

    #[test]
    fn dotnet_node_and_make() {
        for (src, tool) in [
            ("dotnet publish -c Release -o /out", BuildTool::Dotnet),
            ("/usr/share/dotnet/dotnet build", BuildTool::Dotnet),
            ("npm run build", BuildTool::Npm),
            ("npm --prefix web run build", BuildTool::Npm),
            ("yarn build", BuildTool::Yarn),
            ("yarn --cwd web run build", BuildTool::Yarn),
            ("pnpm build", BuildTool::Pnpm),
            ("bun run build", BuildTool::Bun),
            ("make -j\"$(nproc)\"", BuildTool::Make),
            ("make -C /usr/src/redis install", BuildTool::Make),
        ] {
            assert_eq!(tools(src), [tool], "{src}");
        }
        for src in [
            "dotnet restore",
            "npm ci",
            "npm run test",
            "yarn install",
            "pnpm test",
        ] {
            assert!(tools(src).is_empty(), "{src}");
        }
        assert_eq!(BuildTool::Npm.toolchain(), Toolchain::Node);
        assert_eq!(BuildTool::Make.toolchain(), Toolchain::C);
        assert_eq!(BuildTool::Dotnet.toolchain(), Toolchain::Dotnet);
    }

    #[test]
    fn variables_are_resolved() {
        assert_eq!(
            tools("GOALS='clean package' && mvn -B $GOALS"),
            [BuildTool::Maven]
        );
        assert_eq!(
            tools_with("./gradlew ${TASKS}", &[("TASKS", "clean bootJar")]),
            [BuildTool::Gradle]
        );
        assert_eq!(
            tools_with("go ${CMD} .", &[("CMD", "build")]),
            [BuildTool::Go]
        );
        // the script's own assignment wins over the ENV/ARG value
        assert!(tools_with("CMD=vet; go $CMD .", &[("CMD", "build")]).is_empty());
        // unknown: not a build
        assert!(tools("mvn $GOALS").is_empty());
        assert!(tools("go install example.com/tool@${V}").is_empty());
    }

    fn image(raw: &str) -> ImageRef {
        ImageRef::parse(raw)
    }

    #[test]
    fn images() {
        for (raw, tc) in [
            ("golang:1.22", Some(Toolchain::Go)),
            ("docker.io/library/golang:1.22-alpine", Some(Toolchain::Go)),
            ("rust:1.79-slim", Some(Toolchain::Rust)),
            ("maven:3.9-eclipse-temurin-21", Some(Toolchain::Jdk)),
            ("eclipse-temurin:21-jdk", Some(Toolchain::Jdk)),
            ("eclipse-temurin:21-jre", None),
            ("openjdk:${V}", None),
            ("ghcr.io/example/golang:1", None),
            ("debian:12", None),
        ] {
            assert_eq!(image_toolchain(&image(raw)), tc, "{raw}");
        }
        assert!(go_image_with_gcc(&image("golang:1.22")));
        assert!(!go_image_with_gcc(&image("golang:1.22-alpine")));
        assert!(!go_image_with_gcc(&image("rust:1")));
    }
}
