//! Docker Compose files: `services.<name>.build` (a context path, or `context`, `dockerfile`,
//! `dockerfile_inline`, `target`, `args`) as [`Build`]s. Values are interpolated as Compose
//! does (`${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR`, `$$`) from the environment and
//! the `.env` file beside the compose file; the inline Dockerfile text is taken as written.

use super::{Build, InlineMap, Origin, Project, Source, is_remote_context, resolve};
use crate::semantic::BuildArgs;
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Deserialize)]
struct ComposeFile {
    #[serde(default)]
    services: Option<BTreeMap<String, Option<Service>>>,
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    build: Option<BuildSpec>,
    #[serde(default)]
    image: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum BuildSpec {
    Context(String),
    Full(BuildSection),
}

#[derive(Deserialize, Default)]
struct BuildSection {
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    dockerfile: Option<String>,
    #[serde(default)]
    dockerfile_inline: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    args: Option<Args>,
}

/// `args:` as a mapping (`NAME: value`, a null value taken from the environment) or a list
/// (`NAME=value`, or `NAME` from the environment).
#[derive(Deserialize)]
#[serde(untagged)]
enum Args {
    Map(BTreeMap<String, Option<serde_json::Value>>),
    List(Vec<String>),
}

/// The variables Compose interpolates with: the environment, then the `.env` file.
#[derive(Debug, Default, Clone)]
pub(super) struct Interpolation {
    vars: HashMap<String, String>,
}

impl Interpolation {
    /// The `.env` file in `dir` (`NAME=value` lines, `#` comments, optional quotes), with the
    /// process environment winning.
    pub(super) fn from_env_and_dotenv(dir: &Path) -> Self {
        let mut vars = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(dir.join(".env")) {
            for line in text.lines().map(str::trim) {
                let line = line.strip_prefix("export ").unwrap_or(line);
                if line.starts_with('#') {
                    continue;
                }
                if let Some((k, v)) = line.split_once('=') {
                    let v = v.trim();
                    let v = v
                        .strip_prefix('"')
                        .and_then(|x| x.strip_suffix('"'))
                        .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
                        .unwrap_or(v);
                    vars.insert(k.trim().to_string(), v.to_string());
                }
            }
        }
        vars.extend(std::env::vars());
        Interpolation { vars }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// `s` with Compose's variable forms replaced; an unset variable without default is empty.
    pub(super) fn apply(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            if let Some(tail) = after.strip_prefix('$') {
                out.push('$');
                rest = tail;
            } else if let Some(body) = after.strip_prefix('{')
                && let Some(end) = body.find('}')
            {
                out.push_str(&self.braced(&body[..end]));
                rest = &body[end + 1..];
            } else {
                let len = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                if len == 0 {
                    out.push('$');
                } else {
                    out.push_str(self.get(&after[..len]).unwrap_or(""));
                }
                rest = &after[len..];
            }
        }
        out.push_str(rest);
        out
    }

    /// `NAME`, `NAME:-default`, `NAME-default` (the `?` error forms as their name).
    fn braced(&self, body: &str) -> String {
        let len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let (name, op) = body.split_at(len);
        let value = self.get(name);
        if let Some(default) = op.strip_prefix(":-") {
            return match value {
                Some(v) if !v.is_empty() => v.to_string(),
                _ => self.apply(default),
            };
        }
        if let Some(default) = op.strip_prefix('-') {
            return value.map_or_else(|| self.apply(default), str::to_string);
        }
        value.unwrap_or("").to_string()
    }
}

/// The builds of the compose file `path` (text `text`, in directory `dir`).
pub(super) fn parse(text: &str, path: &Path, dir: &Path, vars: &Interpolation) -> Result<Project> {
    let file_text = text;
    let file: ComposeFile = serde_saphyr::from_str(text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        message: format!("not a compose file: {e}"),
    })?;
    let mut project = Project::default();
    let mut inline_seen: HashMap<String, usize> = HashMap::new();
    for (name, service) in file.services.unwrap_or_default() {
        let origin = Origin {
            file: path.to_path_buf(),
            kind: "service",
            name: name.clone(),
        };
        let Some(service) = service else { continue };
        let section = match service.build {
            None => {
                let what = match &service.image {
                    Some(image) => format!("uses the image `{image}` and has no `build:`"),
                    None => "has no `build:`".into(),
                };
                project.notes.push(format!("{origin} {what}: skipped"));
                continue;
            }
            Some(BuildSpec::Context(c)) => BuildSection {
                context: Some(c),
                ..BuildSection::default()
            },
            Some(BuildSpec::Full(s)) => s,
        };
        let context = vars.apply(section.context.as_deref().unwrap_or("."));
        if is_remote_context(&context) {
            project.notes.push(format!(
                "{origin} builds from `{context}`, not a directory: skipped"
            ));
            continue;
        }
        let context = resolve(dir, &context);
        let source = match section.dockerfile_inline {
            Some(text) => {
                let nth = inline_seen.entry(text.clone()).or_default();
                let map = InlineMap::find(file_text, "dockerfile_inline", &text, *nth);
                *nth += 1;
                Source::Inline { text, map }
            }
            None => {
                let df = vars.apply(section.dockerfile.as_deref().unwrap_or("Dockerfile"));
                Source::File(resolve(&context, &df))
            }
        };
        project.builds.push(Build {
            origin,
            source,
            context,
            target: section
                .target
                .map(|t| vars.apply(&t))
                .filter(|t| !t.is_empty()),
            args: section.args.map(|a| args(a, vars)).unwrap_or_default(),
        });
    }
    Ok(project)
}

/// The build arguments of `args:`; one without a value takes the environment's, or is unset.
fn args(a: Args, vars: &Interpolation) -> BuildArgs {
    let mut out = BuildArgs::new();
    match a {
        Args::Map(m) => {
            for (k, v) in m {
                let value = match v {
                    None | Some(serde_json::Value::Null) => vars.get(&k).map(str::to_string),
                    Some(serde_json::Value::String(s)) => Some(vars.apply(&s)),
                    Some(other) => Some(other.to_string()),
                };
                if let Some(v) = value {
                    out.insert(k, v);
                }
            }
        }
        Args::List(l) => {
            for item in l {
                match item.split_once('=') {
                    Some((k, v)) => {
                        out.insert(k.to_string(), vars.apply(v));
                    }
                    None => {
                        if let Some(v) = vars.get(&item) {
                            out.insert(item.clone(), v.to_string());
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Interpolation {
        Interpolation {
            vars: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn interpolates_like_compose() {
        let v = vars(&[("TAG", "3.20"), ("EMPTY", "")]);
        assert_eq!(v.apply("alpine:${TAG}"), "alpine:3.20");
        assert_eq!(v.apply("$TAG-x"), "3.20-x");
        assert_eq!(v.apply("${NOPE:-1.0}"), "1.0");
        assert_eq!(v.apply("${EMPTY:-d}/${EMPTY-d}"), "d/");
        assert_eq!(v.apply("$$HOME ${NOPE}"), "$HOME ");
    }

    #[test]
    fn reads_services_builds_and_args() {
        let text = "services:\n  web:\n    build:\n      context: ./web\n      dockerfile: Dockerfile.prod\n      target: runtime\n      args:\n        VERSION: ${TAG:-1}\n        DEBUG: 0\n  api:\n    build: ../api\n  db:\n    image: postgres:16\n  worker:\n    build:\n      args: [\"A=b\", \"FROM_ENV\"]\n";
        let p = parse(
            text,
            Path::new("app/compose.yaml"),
            Path::new("app"),
            &vars(&[("FROM_ENV", "e")]),
        )
        .expect("parses");
        let names: Vec<_> = p.builds.iter().map(|b| b.origin.name.as_str()).collect();
        assert_eq!(names, ["api", "web", "worker"]);
        let web = &p.builds[1];
        assert_eq!(web.source, Source::File("app/web/Dockerfile.prod".into()));
        assert_eq!(web.target.as_deref(), Some("runtime"));
        assert_eq!(web.args.get("VERSION").map(String::as_str), Some("1"));
        assert_eq!(web.args.get("DEBUG").map(String::as_str), Some("0"));
        assert_eq!(
            p.builds[0].source,
            Source::File("app/../api/Dockerfile".into())
        );
        assert_eq!(
            p.builds[2].args.get("FROM_ENV").map(String::as_str),
            Some("e")
        );
        assert_eq!(p.notes.len(), 1, "{:?}", p.notes);
        assert!(p.notes[0].contains("postgres:16"));
    }

    #[test]
    fn a_bad_file_is_one_error() {
        let e = parse(
            "services: [",
            Path::new("c.yaml"),
            Path::new(""),
            &vars(&[]),
        );
        assert!(e.is_err());
    }
}
