//! An open document: its text, where it lives, and the findings of its last lint.

use super::position::LineMap;
use crate::dockerfile::{self, Dockerfile};
use crate::lint::{self, Config, Registry, config};
use std::path::{Path, PathBuf};

/// One open Dockerfile and the result of linting its current text.
#[derive(Debug)]
pub struct Document {
    /// The file the URI names (`None` for non-`file:` URIs such as unsaved buffers).
    pub path: Option<PathBuf>,
    pub text: String,
    pub lines: LineMap,
    pub ast: Dockerfile,
    pub findings: Vec<lint::Diagnostic>,
}

impl Document {
    /// Parses and lints `text`, with the config that `dlint lint <path>` would use for it.
    /// A config that does not load is returned as an error message beside the default config's
    /// findings.
    pub fn new(
        registry: &Registry,
        path: Option<PathBuf>,
        text: String,
        fallback_dir: &Path,
    ) -> (Self, Option<String>) {
        let (cfg, error) = match config_for(path.as_deref(), fallback_dir, registry) {
            Ok(c) => (c, None),
            Err(e) => (Config::default(), Some(e.to_string())),
        };
        let ast = dockerfile::parse(&text);
        let findings = match &path {
            Some(p) => lint::lint_text_at(registry, p, &ast, &cfg),
            None => lint::lint_with(registry, &ast, &cfg),
        };
        let lines = LineMap::new(&text);
        let doc = Document {
            path,
            text,
            lines,
            ast,
            findings,
        };
        (doc, error)
    }
}

/// The config `dlint lint` uses for a file: the nearest `.dlint.yaml` / `.hadolint.yaml` from
/// its directory up to the repository root, then the user-level files ([`config::find_config`]);
/// from `fallback_dir` for documents that are not files.
pub fn config_for(
    path: Option<&Path>,
    fallback_dir: &Path,
    registry: &Registry,
) -> crate::Result<Config> {
    let dir = path
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(fallback_dir);
    match config::find_config(dir, &config::UserDirs::from_env()) {
        Some(p) => Config::load(&p, registry),
        None => Ok(Config::default()),
    }
}

/// The local path of a `file:` URI (percent-decoded); `None` for other schemes.
pub fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // an authority (host) before the path: `file://host/path`; `localhost` or empty on Unix
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    let path = String::from_utf8(out).ok()?;
    // Windows: `file:///C:/x` -> `C:/x`
    let windows_drive = path.len() > 2
        && path.as_bytes().get(2) == Some(&b':')
        && path.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic);
    Some(PathBuf::from(if windows_drive {
        &path[1..]
    } else {
        &path[..]
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            uri_path("file:///home/a%20b/Docker%C3%A9file"),
            Some(PathBuf::from("/home/a b/Dockeréfile"))
        );
        assert_eq!(
            uri_path("file://localhost/x/Dockerfile"),
            Some(PathBuf::from("/x/Dockerfile"))
        );
        assert_eq!(
            uri_path("file:///C:/src/Dockerfile"),
            Some(PathBuf::from("C:/src/Dockerfile"))
        );
        assert_eq!(uri_path("untitled:Untitled-1"), None);
        assert_eq!(uri_path("file://"), None);
        assert_eq!(uri_path("file:///x%zz%"), Some(PathBuf::from("/x%zz%")));
        assert_eq!(uri_path("file:///%FF"), None);
    }
}
