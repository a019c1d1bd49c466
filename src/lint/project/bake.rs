//! Docker Bake files in their JSON form (`docker-bake.json`, or what `docker buildx bake
//! --print` writes): `target.<name>` with `context`, `dockerfile`, `dockerfile-inline`,
//! `target`, `args` and `inherits` (the parents' attributes, the target's own winning). The
//! targets linted are those of the `default` group (groups nest) when there is one, as `docker
//! buildx bake` builds; else every target. An inline Dockerfile is a JSON string, so positions
//! of its findings are in the inline text.

use super::{Build, Origin, Project, Source, is_remote_context, resolve};
use crate::semantic::BuildArgs;
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The most `inherits` hops followed (a cycle ends there).
const MAX_INHERITS: usize = 16;

#[derive(Deserialize)]
struct BakeFile {
    #[serde(default)]
    group: BTreeMap<String, Group>,
    #[serde(default)]
    target: BTreeMap<String, Target>,
}

#[derive(Deserialize, Default)]
struct Group {
    #[serde(default)]
    targets: Vec<String>,
}

/// The targets `docker buildx bake` builds without arguments: the `default` group's (groups
/// expanded), or all when there is no such group.
fn default_targets(file: &BakeFile) -> Vec<String> {
    if !file.group.contains_key("default") {
        return file.target.keys().cloned().collect();
    }
    let mut out = std::collections::BTreeSet::new();
    let mut todo = vec![("default".to_string(), 0)];
    while let Some((name, depth)) = todo.pop() {
        match file.group.get(&name) {
            Some(g) if depth < MAX_INHERITS => {
                todo.extend(g.targets.iter().map(|t| (t.clone(), depth + 1)));
            }
            Some(_) => {}
            None => {
                out.insert(name);
            }
        }
    }
    out.into_iter().collect()
}

#[derive(Deserialize, Default, Clone)]
struct Target {
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    dockerfile: Option<String>,
    #[serde(default, rename = "dockerfile-inline")]
    dockerfile_inline: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    args: BTreeMap<String, Option<String>>,
    #[serde(default)]
    inherits: Vec<String>,
}

impl Target {
    /// `self` over `parent`: unset fields and args come from the parent.
    fn over(mut self, parent: &Target) -> Target {
        self.context = self.context.or_else(|| parent.context.clone());
        self.dockerfile = self.dockerfile.or_else(|| parent.dockerfile.clone());
        self.dockerfile_inline = self
            .dockerfile_inline
            .or_else(|| parent.dockerfile_inline.clone());
        self.target = self.target.or_else(|| parent.target.clone());
        for (k, v) in &parent.args {
            self.args.entry(k.clone()).or_insert_with(|| v.clone());
        }
        self
    }
}

/// The builds of the bake file `path` (JSON text `text`, in directory `dir`).
pub(super) fn parse(text: &str, path: &Path, dir: &Path) -> Result<Project> {
    let file: BakeFile = serde_json::from_str(text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        message: format!("not a bake file: {e}"),
    })?;
    let mut project = Project::default();
    for name in default_targets(&file) {
        let origin = Origin {
            file: path.to_path_buf(),
            kind: "target",
            name: name.clone(),
        };
        let Some(own) = file.target.get(&name) else {
            project
                .notes
                .push(format!("{origin} is in a group but not defined: skipped"));
            continue;
        };
        let target = flatten(own, &file.target, 0);
        let context = target.context.as_deref().unwrap_or(".");
        if is_remote_context(context) {
            project.notes.push(format!(
                "{origin} builds from `{context}`, not a directory: skipped"
            ));
            continue;
        }
        let context = resolve(dir, context);
        let source = match target.dockerfile_inline {
            Some(inline) => Source::Inline {
                map: None,
                text: inline,
            },
            None => Source::File(resolve(
                &context,
                target.dockerfile.as_deref().unwrap_or("Dockerfile"),
            )),
        };
        let args: BuildArgs = target
            .args
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect();
        project.builds.push(Build {
            origin,
            source,
            context,
            target: target.target,
            args,
        });
    }
    Ok(project)
}

/// `t` with its `inherits` applied, in order (a later parent wins over an earlier one).
fn flatten(t: &Target, all: &BTreeMap<String, Target>, depth: usize) -> Target {
    if depth >= MAX_INHERITS {
        return t.clone();
    }
    let mut merged = Target::default();
    for parent in &t.inherits {
        if let Some(p) = all.get(parent) {
            merged = flatten(p, all, depth + 1).over(&merged);
        }
    }
    let mut own = t.clone();
    own.inherits.clear();
    own.over(&merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_with_inherits() {
        let text = r#"{
          "group": {"default": {"targets": ["all"]}, "all": {"targets": ["app", "tools", "loop"]}},
          "target": {
            "_common": {"args": {"BASE": "alpine:3.20", "X": "1"}, "context": "svc"},
            "app": {"inherits": ["_common"], "dockerfile": "app.Dockerfile", "args": {"X": "2"}, "target": "prod"},
            "tools": {"dockerfile-inline": "FROM alpine\n", "context": "https://example.com/x.git"},
            "loop": {"inherits": ["loop"]}
          }
        }"#;
        let p = parse(text, Path::new("docker-bake.json"), Path::new("")).expect("parses");
        let app = p
            .builds
            .iter()
            .find(|b| b.origin.name == "app")
            .expect("app");
        assert_eq!(app.source, Source::File("svc/app.Dockerfile".into()));
        assert_eq!(app.args.get("X").map(String::as_str), Some("2"));
        assert_eq!(
            app.args.get("BASE").map(String::as_str),
            Some("alpine:3.20")
        );
        assert_eq!(app.target.as_deref(), Some("prod"));
        assert!(
            p.notes.iter().any(|n| n.contains("`tools`")),
            "{:?}",
            p.notes
        );
        assert!(p.builds.iter().any(|b| b.origin.name == "loop"));
    }
}
