//! Project manifests (DL5001's table): which files each ecosystem's install reads
//! (`package.json` and its lock file, `requirements*.txt`, `go.mod`/`go.sum`, `Gemfile`, ...),
//! which invocations install from them, and which manifests can be copied alone first.

use super::{Invocation, Manager};

/// Dependency ecosystems: the managers that install a project's dependencies from its
/// manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eco {
    Node,
    Python,
    Ruby,
    Go,
    Rust,
    Maven,
    Gradle,
    Php,
}

/// Every ecosystem, in the order DL5001 reports them.
pub const ECOS: &[Eco] = &[
    Eco::Node,
    Eco::Python,
    Eco::Ruby,
    Eco::Go,
    Eco::Rust,
    Eco::Maven,
    Eco::Gradle,
    Eco::Php,
];

fn basename(s: &str) -> &str {
    s.trim_end_matches('/').rsplit('/').next().unwrap_or(s)
}

/// True when the COPY source `source` names a manifest of `eco` (`package*.json`,
/// `requirements*.txt`, `go.mod`, `Gemfile*`, ...).
pub fn is_manifest(eco: Eco, source: &str) -> bool {
    let b = basename(source).to_ascii_lowercase();
    let glob = |prefix: &str, suffix: &str| b.starts_with(prefix) && b.ends_with(suffix);
    match eco {
        Eco::Node => {
            glob("package", ".json")
                || matches!(
                    b.as_str(),
                    "yarn.lock"
                        | "pnpm-lock.yaml"
                        | "npm-shrinkwrap.json"
                        | ".npmrc"
                        | ".yarnrc"
                        | ".yarnrc.yml"
                )
        }
        Eco::Python => {
            glob("requirements", ".txt")
                || glob("requirements", ".in")
                || matches!(
                    b.as_str(),
                    "pyproject.toml"
                        | "poetry.lock"
                        | "pipfile"
                        | "pipfile.lock"
                        | "uv.lock"
                        | "setup.py"
                        | "setup.cfg"
                )
        }
        Eco::Ruby => glob("gemfile", "") || b.ends_with(".gemspec"),
        Eco::Go => matches!(b.as_str(), "go.mod" | "go.sum" | "go.work" | "go.work.sum"),
        Eco::Rust => matches!(b.as_str(), "cargo.toml" | "cargo.lock"),
        Eco::Maven => b == "pom.xml",
        Eco::Gradle => {
            glob("build.gradle", "") || glob("settings.gradle", "") || b == "gradle.properties"
        }
        Eco::Php => glob("composer", ".json") || b == "composer.lock",
    }
}

/// An install that reads manifests from the copied context, with the manifests to copy first.
pub fn context_install(inv: &Invocation<'_>) -> Option<(Eco, String)> {
    let no_operands = inv.operands.is_empty();
    let sub = inv.sub();
    match inv.manager {
        Manager::Npm if matches!(sub, "ci" | "install" | "i") && no_operands => {
            Some((Eco::Node, "package.json and package-lock.json".into()))
        }
        Manager::Yarn if matches!(sub, "" | "install") => {
            Some((Eco::Node, "package.json and yarn.lock".into()))
        }
        Manager::Pnpm if matches!(sub, "install" | "i") && no_operands => {
            Some((Eco::Node, "package.json and pnpm-lock.yaml".into()))
        }
        Manager::Pip if matches!(sub, "install" | "sync") => {
            let reqs: Vec<&str> = inv
                .options
                .iter()
                .filter(|o| matches!(o.name.as_str(), "-r" | "--requirement"))
                .filter_map(|o| o.value.as_deref())
                .collect();
            if !reqs.is_empty() {
                return Some((Eco::Python, reqs.join(" and ")));
            }
            let local = inv.operands.iter().any(|w| w.value.starts_with('.'))
                || inv
                    .value(&["-e", "--editable"])
                    .is_some_and(|v| v.starts_with('.'));
            local.then(|| (Eco::Python, "pyproject.toml (or setup.py)".into()))
        }
        Manager::Poetry if sub == "install" => {
            Some((Eco::Python, "pyproject.toml and poetry.lock".into()))
        }
        Manager::Pipenv if matches!(sub, "install" | "sync") && no_operands => {
            Some((Eco::Python, "Pipfile and Pipfile.lock".into()))
        }
        Manager::Uv if sub == "sync" => Some((Eco::Python, "pyproject.toml and uv.lock".into())),
        Manager::Bundle if matches!(sub, "" | "install") => {
            Some((Eco::Ruby, "Gemfile and Gemfile.lock".into()))
        }
        Manager::Go => {
            let download =
                sub == "mod" && inv.operands.first().is_some_and(|w| w.value == "download");
            let build = matches!(sub, "build" | "install" | "test" | "vet")
                && !inv.operands.iter().any(|w| w.value.contains('@'));
            (download || build).then(|| (Eco::Go, "go.mod and go.sum".into()))
        }
        Manager::Cargo
            if matches!(sub, "build" | "fetch" | "test")
                || (sub == "install" && inv.value(&["--path"]).is_some()) =>
        {
            Some((Eco::Rust, "Cargo.toml and Cargo.lock".into()))
        }
        Manager::Maven if !sub.is_empty() => Some((Eco::Maven, "pom.xml".into())),
        Manager::Gradle if !sub.is_empty() => Some((
            Eco::Gradle,
            "build.gradle(.kts) and settings.gradle(.kts)".into(),
        )),
        Manager::Composer if matches!(sub, "install" | "update") => {
            Some((Eco::Php, "composer.json and composer.lock".into()))
        }
        _ => None,
    }
}

/// The manifests an install reads, as COPY sources relative to its working directory, when
/// they are known exactly (`*` keeps a lock file that may not exist from failing the COPY).
/// `None` for installs that also read the sources (`pip install .`, `go build`, a
/// `poetry install` of the project itself, composer scripts, yarn berry's `.yarn/`).
pub fn known_manifests(inv: &Invocation<'_>, dest: &str) -> Option<Vec<String>> {
    let sub = inv.sub();
    let none = inv.operands.is_empty();
    let list = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect());
    match inv.manager {
        Manager::Npm if matches!(sub, "ci" | "install" | "i") && none => list(&["package*.json"]),
        Manager::Yarn if matches!(sub, "" | "install") && !inv.has(&["--immutable"]) => {
            list(&["package.json", "yarn.lock*"])
        }
        Manager::Pnpm if matches!(sub, "install" | "i") && none => {
            list(&["package.json", "pnpm-lock.yaml*"])
        }
        Manager::Pip if sub == "install" && none => {
            let reqs: Vec<&str> = inv
                .options
                .iter()
                .filter(|o| matches!(o.name.as_str(), "-r" | "--requirement"))
                .filter_map(|o| o.value.as_deref())
                .collect();
            let other_inputs = inv.options.iter().any(|o| {
                matches!(
                    o.name.as_str(),
                    "-e" | "--editable" | "-c" | "--constraint" | "-f" | "--find-links"
                )
            });
            if reqs.is_empty() || other_inputs {
                return None;
            }
            let dest = dest.trim_end_matches('/');
            reqs.iter()
                .map(|r| {
                    let rel = match r.strip_prefix('/') {
                        Some(_) => r.strip_prefix(dest)?.strip_prefix('/')?,
                        None => r.strip_prefix("./").unwrap_or(r),
                    };
                    let plain = !rel.is_empty()
                        && !rel.split('/').any(|c| c == ".." || c.is_empty())
                        && rel
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
                    plain.then(|| rel.to_string())
                })
                .collect()
        }
        Manager::Pipenv if matches!(sub, "install" | "sync") && none => {
            list(&["Pipfile", "Pipfile.lock*"])
        }
        Manager::Poetry if sub == "install" && inv.has(&["--no-root"]) => {
            list(&["pyproject.toml", "poetry.lock*"])
        }
        Manager::Uv if sub == "sync" && inv.has(&["--no-install-project"]) => {
            list(&["pyproject.toml", "uv.lock*"])
        }
        Manager::Bundle if matches!(sub, "" | "install") && none => {
            list(&["Gemfile", "Gemfile.lock*"])
        }
        Manager::Go
            if sub == "mod" && inv.operands.first().is_some_and(|w| w.value == "download") =>
        {
            list(&["go.mod", "go.sum*"])
        }
        Manager::Composer
            if sub == "install" && inv.has(&["--no-scripts"]) && inv.has(&["--no-autoloader"]) =>
        {
            list(&["composer.json", "composer.lock*"])
        }
        _ => None,
    }
}
