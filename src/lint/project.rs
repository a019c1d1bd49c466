//! Build files that name Dockerfiles: Docker Compose files (`compose.yaml`, …) and Docker Bake
//! files (`docker-bake.json`). Each service with a `build:` (each bake target) becomes a
//! [`Build`]: the Dockerfile (a file, or the inline text of `dockerfile_inline:`), its build
//! context, `target` and `args`, which [`lint_build`] lints as that build would run it (the
//! args are the ARG values, the target decides which stages are in the image).

mod bake;
mod compose;
mod inline;

pub use inline::InlineMap;

use super::{Config, LintedFile, Registry};
use crate::semantic::BuildArgs;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The largest build file read (a compose file is a few kilobytes).
const MAX_BYTES: u64 = 4 << 20;

/// Which build a linted Dockerfile belongs to: a compose service or a bake target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The compose or bake file, as given or found.
    pub file: PathBuf,
    /// `service` (compose) or `target` (bake).
    pub kind: &'static str,
    /// The service's or target's name.
    pub name: String,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} `{}` of {}",
            self.kind,
            self.name,
            self.file.display()
        )
    }
}

/// Where a build's Dockerfile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A Dockerfile on disk (`dockerfile:` resolved against the context).
    File(PathBuf),
    /// `dockerfile_inline:` (bake: `dockerfile-inline`): the text, and where its lines are in
    /// the build file when they can be found there verbatim.
    Inline {
        /// The Dockerfile text.
        text: String,
        /// Inline positions to build-file positions, when the text is a literal block.
        map: Option<InlineMap>,
    },
}

/// One build a compose service or bake target declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    /// The service or target.
    pub origin: Origin,
    /// Its Dockerfile.
    pub source: Source,
    /// The build context directory.
    pub context: PathBuf,
    /// `target:` (the stage built), if any.
    pub target: Option<String>,
    /// `args:` (values of ARGs).
    pub args: BuildArgs,
}

/// The builds of one compose or bake file, and notes on what was skipped.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// Builds in file order of their names (sorted).
    pub builds: Vec<Build>,
    /// Services or targets not linted, and why (printed as notes).
    pub notes: Vec<String>,
}

/// True for the names a directory walk picks up as build files: `compose.yaml`,
/// `compose.yml`, `docker-compose.yml`, `docker-compose.yaml`, `docker-bake.json`,
/// `docker-bake.hcl`.
pub fn is_build_file_name(name: &str) -> bool {
    matches!(
        name,
        "compose.yaml"
            | "compose.yml"
            | "docker-compose.yml"
            | "docker-compose.yaml"
            | "docker-bake.json"
            | "docker-bake.hcl"
    )
}

/// True for a path named on the command line that is a build file rather than a Dockerfile:
/// any `*.yaml`/`*.yml` (a Dockerfile is never YAML), and `docker-bake*.json`/`.hcl`.
pub fn is_build_file_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".yaml")
        || name.ends_with(".yml")
        || (name.starts_with("docker-bake") && (name.ends_with(".json") || name.ends_with(".hcl")))
}

/// Reads a compose or bake file (by its extension) and returns its builds. HCL bake files are
/// not read: `docker buildx bake --print` writes their JSON form.
pub fn load(path: &Path) -> Result<Project> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".hcl") {
        return Err(Error::Config {
            path: path.to_path_buf(),
            message: "HCL bake files are not read; write the JSON form with \
                      `docker buildx bake --print > docker-bake.json` and lint that"
                .into(),
        });
    }
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.len() > MAX_BYTES {
        return Err(Error::Config {
            path: path.to_path_buf(),
            message: format!("larger than {} MiB: not a build file", MAX_BYTES >> 20),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let dir = path.parent().unwrap_or(Path::new(""));
    if name.ends_with(".json") {
        bake::parse(&text, path, dir)
    } else {
        let env = compose::Interpolation::from_env_and_dotenv(dir);
        compose::parse(&text, path, dir, &env)
    }
}

/// Lints one build: its Dockerfile with `cfg` plus the build's target, context and args. The
/// result's path is the Dockerfile's (the build file's for inline text, with positions
/// mapped into it when its lines were found there, else `FILE#NAME` with positions in the
/// inline text).
pub fn lint_build(registry: &Registry, build: &Build, cfg: &Config) -> LintedFile {
    let mut cfg = cfg.clone();
    cfg.target.clone_from(&build.target);
    cfg.context = Some(build.context.clone());
    cfg.build_args
        .extend(build.args.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut linted = match &build.source {
        Source::File(path) => super::lint_path(registry, path, &cfg),
        Source::Inline { text, map } => {
            let df = crate::dockerfile::parse(text);
            let diagnostics = super::lint_with(registry, &df, &cfg);
            match map {
                Some(map) => LintedFile {
                    path: build.origin.file.clone(),
                    source: map.file_text().to_string(),
                    diagnostics: diagnostics.into_iter().map(|d| map.diagnostic(d)).collect(),
                    error: None,
                    origin: None,
                },
                None => LintedFile {
                    path: PathBuf::from(format!(
                        "{}#{}",
                        build.origin.file.display(),
                        build.origin.name
                    )),
                    source: text.clone(),
                    diagnostics,
                    error: None,
                    origin: None,
                },
            }
        }
    };
    linted.origin = Some(build.origin.clone());
    linted
}

/// Lints every build of `projects`, each with the config nearest to its Dockerfile (as
/// [`super::lint_files_nearest`]; `run_cfg` itself when `explicit`), `overrides` applied.
/// Sorted by path, then service/target name.
pub fn lint_builds(
    registry: &Registry,
    projects: &[Project],
    run_cfg: &Config,
    overrides: &super::config::Overrides,
    explicit: bool,
) -> Result<Vec<LintedFile>> {
    use rayon::prelude::*;
    let builds: Vec<&Build> = projects.iter().flat_map(|p| &p.builds).collect();
    let at = |b: &Build| match &b.source {
        Source::File(p) => p.clone(),
        Source::Inline { .. } => b.origin.file.clone(),
    };
    let mut configs: Vec<(Config, Vec<PathBuf>)> = Vec::new();
    if explicit {
        configs.push((run_cfg.clone(), builds.iter().map(|b| at(b)).collect()));
    } else {
        let cwd = std::env::current_dir().map_err(|source| Error::Io {
            path: PathBuf::from("."),
            source,
        })?;
        let paths: Vec<PathBuf> = builds.iter().map(|b| at(b)).collect();
        for (mut cfg, group) in Config::per_directory(&paths, &cwd, registry)? {
            if cfg.path == run_cfg.path {
                cfg = run_cfg.clone();
            } else {
                cfg.apply(overrides, registry)?;
            }
            configs.push((cfg, group));
        }
    }
    let mut out: Vec<LintedFile> = builds
        .par_iter()
        .map(|b| {
            let path = at(b);
            let cfg = configs
                .iter()
                .find(|(_, files)| files.contains(&path))
                .map_or(run_cfg, |(c, _)| c);
            lint_build(registry, b, cfg)
        })
        .collect();
    out.sort_by(|a, b| {
        let name = |f: &LintedFile| f.origin.as_ref().map(|o| o.name.clone());
        (&a.path, name(a)).cmp(&(&b.path, name(b)))
    });
    Ok(out)
}

/// The Dockerfiles on disk that `projects` lint as part of a build (a directory walk leaves
/// them to the build, so they are not linted twice).
pub fn build_dockerfiles(projects: &[Project]) -> Vec<PathBuf> {
    projects
        .iter()
        .flat_map(|p| &p.builds)
        .filter_map(|b| match &b.source {
            Source::File(p) => Some(p.clone()),
            Source::Inline { .. } => None,
        })
        .collect()
}

/// A compose/bake path resolved against the file's directory (`dir`); absolute ones stay.
fn resolve(dir: &Path, p: &str) -> PathBuf {
    let joined = dir.join(p);
    // `./x` under `dir` as `dir/x`
    joined
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect()
}

/// True for a build context that is not a directory (a git or HTTP URL, `docker-image://`):
/// such builds are skipped with a note.
fn is_remote_context(context: &str) -> bool {
    context.contains("://") || context.starts_with("git@")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_build_file_name("compose.yaml"));
        assert!(is_build_file_name("docker-bake.hcl"));
        assert!(!is_build_file_name("compose.override.yaml"));
        assert!(is_build_file_path(Path::new("ci/compose.prod.yml")));
        assert!(is_build_file_path(Path::new("docker-bake.override.json")));
        assert!(!is_build_file_path(Path::new("Dockerfile")));
        assert!(!is_build_file_path(Path::new("package.json")));
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve(Path::new("a"), "./b"), PathBuf::from("a/b"));
        assert_eq!(resolve(Path::new(""), "."), PathBuf::from(""));
        assert!(is_remote_context("https://github.com/x/y.git#main"));
        assert!(!is_remote_context("../api"));
    }
}
