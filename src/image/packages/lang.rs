//! Language packages: Python (`*.dist-info/METADATA` + `RECORD`, `*.egg-info`), node
//! (`node_modules/**/package.json`) and Ruby (`specifications/*.gemspec`).

use super::{Ecosystem, FileSizes, LangPackage};
use std::collections::BTreeMap;

/// True for a Python metadata path: `…/site-packages/X.dist-info/METADATA` (or `RECORD`), or an
/// `…/X.egg-info/PKG-INFO` / `X.egg-info` file in `site-packages` or `dist-packages`.
pub fn is_python_meta(path: &str) -> bool {
    let in_site = path.contains("site-packages/") || path.contains("dist-packages/");
    in_site
        && (path.ends_with(".dist-info/METADATA")
            || path.ends_with(".dist-info/RECORD")
            || path.ends_with(".egg-info/PKG-INFO")
            || path.ends_with(".egg-info"))
}

/// True for `…/node_modules/NAME/package.json` and `…/node_modules/@scope/NAME/package.json`.
pub fn is_node_manifest(path: &str) -> bool {
    node_package_dir(path).is_some()
}

/// True for `…/specifications/NAME-VERSION.gemspec`.
pub fn is_gemspec(path: &str) -> bool {
    path.ends_with(".gemspec")
        && path
            .rsplit_once('/')
            .is_some_and(|(dir, _)| dir.ends_with("/specifications") || dir == "specifications")
}

/// For a node manifest path, the package directory (`…/node_modules/NAME`).
fn node_package_dir(path: &str) -> Option<&str> {
    let dir = path.strip_suffix("/package.json")?;
    let (parent, last) = dir.rsplit_once('/')?;
    if last.is_empty() || last.starts_with('.') {
        return None;
    }
    if parent.ends_with("node_modules")
        && (parent == "node_modules" || parent.ends_with("/node_modules"))
    {
        return (!last.starts_with('@')).then_some(dir);
    }
    let (grand, scope) = parent.rsplit_once('/')?;
    (scope.starts_with('@') && (grand == "node_modules" || grand.ends_with("/node_modules")))
        .then_some(dir)
}

/// Sum of the sizes of the files under `dir/`, skipping nested `node_modules` when `skip_nested`.
fn dir_bytes(files: &dyn FileSizes, dir: &str, skip_nested: bool) -> u64 {
    let prefix = format!("{dir}/");
    let nested = format!("{dir}/node_modules/");
    files
        .starting_with(&prefix)
        .filter(|(p, _)| !(skip_nested && p.starts_with(&nested)))
        .map(|(_, s)| s)
        .sum()
}

/// Reads `Name:` and `Version:` from RFC 822 style Python metadata (stops at the body).
fn python_name_version(text: &str) -> Option<(String, String)> {
    let (mut name, mut version) = (None, None);
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Name:") {
            name.get_or_insert_with(|| v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("Version:") {
            version.get_or_insert_with(|| v.trim().to_string());
        }
    }
    Some((name?, version.unwrap_or_default()))
}

/// Normalises a Python project name (PEP 503): lowercase, runs of `-_.` become `-`.
pub fn normalize_python(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Joins a RECORD entry (relative to site-packages, may contain `..`) onto `base`.
fn resolve(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    if rel.starts_with('/') {
        parts.clear();
    }
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Bytes of the files a RECORD lists, measured in the final filesystem (files deleted after
/// installation count as 0); the RECORD's own size column is used only when the file is absent
/// from `files` because the caller passed no filesystem.
fn record_bytes(record: &str, site: &str, files: &dyn FileSizes) -> u64 {
    let mut total = 0u64;
    for line in record.lines() {
        // path,hash,size ; paths with commas are quoted (csv); take the path up to the last 2 commas
        let mut it = line.rsplitn(3, ',');
        let (size, _hash, path) = (it.next(), it.next(), it.next());
        let Some(path) = path else { continue };
        let path = path.trim_matches('"');
        let Some(full) = resolve(site, path) else {
            continue;
        };
        total += match files.size(&full) {
            Some(s) => s,
            None if files.is_empty() => size.and_then(|s| s.trim().parse().ok()).unwrap_or(0),
            None => 0,
        };
    }
    total
}

/// Splits `name-1.2.3` or `name-1.2.3-x86_64-linux` into name and version (the version is the
/// first dash-separated part starting with a digit).
fn split_gem_file(stem: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = stem.split('-').collect();
    let i = parts
        .iter()
        .position(|p| p.starts_with(|c: char| c.is_ascii_digit()))
        .filter(|&i| i > 0)?;
    Some((parts[..i].join("-"), parts[i..].join("-")))
}

/// Reads `s.name = "x"` / `s.version = "y"` from a gemspec's Ruby source.
fn gemspec_field(text: &str, field: &str) -> Option<String> {
    for line in text.lines() {
        let l = line.trim();
        let Some(rest) = l.split_once('.').map(|(_, r)| r) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(field) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let start = rest.find(['"', '\''])?;
        let q = rest[start..].chars().next()?;
        let body = &rest[start + 1..];
        let end = body.find(q)?;
        return Some(body[..end].to_string());
    }
    None
}

/// Finds the language packages among the captured files. `files` is the final filesystem
/// (regular files, path without leading `/` -> size) used to measure each package's bytes.
pub fn find(captured: &BTreeMap<String, Vec<u8>>, files: &dyn FileSizes) -> Vec<LangPackage> {
    let mut out: Vec<LangPackage> = Vec::new();
    for (path, bytes) in captured {
        let text = String::from_utf8_lossy(bytes);
        if is_python_meta(path) && !path.ends_with("/RECORD") {
            let Some((name, version)) = python_name_version(&text) else {
                continue;
            };
            let meta_dir = path
                .strip_suffix("/METADATA")
                .or(path.strip_suffix("/PKG-INFO"));
            let bytes = match meta_dir {
                Some(dir) if dir.ends_with(".dist-info") => {
                    let site = dir.rsplit_once('/').map_or("", |(s, _)| s);
                    captured
                        .get(&format!("{dir}/RECORD"))
                        .map(|r| record_bytes(&String::from_utf8_lossy(r), site, files))
                }
                _ => None,
            };
            out.push(LangPackage {
                ecosystem: Ecosystem::Python,
                key: normalize_python(&name),
                name,
                version,
                bytes,
                path: path.clone(),
            });
        } else if let Some(dir) = node_package_dir(path) {
            let Ok(json) = serde_json::from_slice::<serde_json::Value>(bytes) else {
                continue;
            };
            let Some(name) = json.get("name").and_then(|v| v.as_str()) else {
                continue;
            };
            let version = json.get("version").and_then(|v| v.as_str()).unwrap_or("");
            out.push(LangPackage {
                ecosystem: Ecosystem::Node,
                key: name.to_string(),
                name: name.to_string(),
                version: version.to_string(),
                bytes: Some(dir_bytes(files, dir, true)),
                path: path.clone(),
            });
        } else if is_gemspec(path) {
            let Some((spec_dir, file)) = path.rsplit_once('/') else {
                continue;
            };
            let Some(stem) = file.strip_suffix(".gemspec") else {
                continue;
            };
            let from_file = split_gem_file(stem);
            let name =
                gemspec_field(&text, "name").or_else(|| from_file.as_ref().map(|f| f.0.clone()));
            let version =
                gemspec_field(&text, "version").or_else(|| from_file.as_ref().map(|f| f.1.clone()));
            let Some(name) = name else { continue };
            let root = spec_dir.strip_suffix("specifications").unwrap_or(spec_dir);
            let bytes = dir_bytes(files, &format!("{root}gems/{stem}"), false);
            out.push(LangPackage {
                ecosystem: Ecosystem::Ruby,
                key: name.clone(),
                name,
                version: version.unwrap_or_default(),
                bytes: Some(bytes),
                path: path.clone(),
            });
        }
    }
    out.sort_by(|a, b| (a.ecosystem, &a.key, &a.version).cmp(&(b.ecosystem, &b.key, &b.version)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map<V: Clone>(items: &[(&str, V)]) -> BTreeMap<String, V> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn capture_predicates() {
        assert!(is_python_meta(
            "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"
        ));
        assert!(is_python_meta(
            "usr/local/lib/python3.12/site-packages/pip-24.0.dist-info/RECORD"
        ));
        assert!(!is_python_meta("usr/share/doc/x.dist-info/METADATA"));
        assert!(is_node_manifest("app/node_modules/express/package.json"));
        assert!(is_node_manifest("node_modules/@types/node/package.json"));
        assert!(is_node_manifest(
            "a/node_modules/x/node_modules/y/package.json"
        ));
        assert!(!is_node_manifest(
            "app/node_modules/express/lib/package.json"
        ));
        assert!(!is_node_manifest("app/package.json"));
        assert!(!is_node_manifest("node_modules/@types/package.json"));
        assert!(is_gemspec(
            "usr/local/bundle/specifications/rack-3.0.8.gemspec"
        ));
        assert!(!is_gemspec("app/rack.gemspec"));
    }

    #[test]
    fn python_with_record_measured_in_final_fs() {
        let site = "usr/lib/python3.12/site-packages";
        let captured = map(&[
            (
                &format!("{site}/Requests-2.31.0.dist-info/METADATA") as &str,
                b"Metadata-Version: 2.1\nName: Requests\nVersion: 2.31.0\n\nName: body\n".to_vec(),
            ),
            (
                &format!("{site}/Requests-2.31.0.dist-info/RECORD"),
                b"requests/__init__.py,sha256=x,100\nrequests/api.py,sha256=y,50\n../../../bin/req,sha256=z,7\nrequests-2.31.0.dist-info/RECORD,,\n".to_vec(),
            ),
        ]);
        let files = map(&[
            (&format!("{site}/requests/__init__.py") as &str, 120u64),
            ("usr/bin/req", 7),
            ("usr/lib/other", 1000),
        ]);
        let p = find(&captured, &files);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].name, "Requests");
        assert_eq!(p[0].key, "requests");
        assert_eq!(p[0].version, "2.31.0");
        // api.py was deleted later: only the files still present count.
        assert_eq!(p[0].bytes, Some(127));
    }

    #[test]
    fn node_bytes_exclude_nested_packages() {
        let captured = map(&[
            (
                "app/node_modules/a/package.json",
                br#"{"name":"a","version":"1.0.0"}"#.to_vec(),
            ),
            (
                "app/node_modules/a/node_modules/b/package.json",
                br#"{"name":"b","version":"2.0.0"}"#.to_vec(),
            ),
            (
                "app/node_modules/@s/c/package.json",
                br#"{"name":"@s/c","version":"3.0.0"}"#.to_vec(),
            ),
            ("app/node_modules/bad/package.json", b"{not json".to_vec()),
        ]);
        let files = map(&[
            ("app/node_modules/a/package.json", 30u64),
            ("app/node_modules/a/index.js", 70),
            ("app/node_modules/a/node_modules/b/package.json", 30),
            ("app/node_modules/a/node_modules/b/b.js", 500),
            ("app/node_modules/@s/c/package.json", 33),
            ("app/node_modules/ab/x.js", 9999),
        ]);
        let p = find(&captured, &files);
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.bytes))
            .collect();
        assert_eq!(
            got,
            vec![
                ("@s/c", "3.0.0", Some(33)),
                ("a", "1.0.0", Some(100)),
                ("b", "2.0.0", Some(530))
            ]
        );
    }

    #[test]
    fn gems_from_spec_and_gem_dir() {
        let captured = map(&[
            (
                "usr/local/bundle/specifications/nokogiri-1.16.0-x86_64-linux.gemspec",
                b"Gem::Specification.new do |s|\n  s.name = \"nokogiri\".freeze\n  s.version = \"1.16.0\"\nend\n".to_vec(),
            ),
            ("usr/local/bundle/specifications/rack-3.0.8.gemspec", b"# no fields\n".to_vec()),
        ]);
        let files = map(&[
            (
                "usr/local/bundle/gems/nokogiri-1.16.0-x86_64-linux/lib/n.rb",
                400u64,
            ),
            ("usr/local/bundle/gems/rack-3.0.8/lib/rack.rb", 50),
        ]);
        let p = find(&captured, &files);
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.bytes))
            .collect();
        assert_eq!(
            got,
            vec![
                ("nokogiri", "1.16.0", Some(400)),
                ("rack", "3.0.8", Some(50))
            ]
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(normalize_python("Foo__Bar.baz"), "foo-bar-baz");
        assert_eq!(resolve("a/b/c", "../../x"), Some("a/x".into()));
        assert_eq!(resolve("a", "../../x"), None);
        assert_eq!(
            split_gem_file("net-http-0.4.1"),
            Some(("net-http".into(), "0.4.1".into()))
        );
        assert_eq!(split_gem_file("1.0"), None);
    }
}
