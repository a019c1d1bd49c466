//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! Rule metadata (name, short and full description, help URI, default level) goes into
//! `tool.driver.rules`; columns count Unicode code points (`columnKind`), regions are 1-based
//! with exclusive end columns, and each result carries a stable `partialFingerprints` entry
//! (the same hash as the GitLab report).

use super::gitlab::{display_path, fingerprints};
use super::{FileReport, RenderOptions};
use crate::lint::Severity;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::io::{self, Write};

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// Percent-encodes a path into a URI reference (`/` kept; `\` becomes `/`); absolute paths
/// become `file://` URIs.
pub(super) fn path_to_uri(path: &str) -> String {
    let path = display_path(path).replace('\\', "/");
    let mut out = String::with_capacity(path.len() + 8);
    let absolute = path.starts_with('/');
    if absolute {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'+'
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn region(f: &FileReport, span: crate::dockerfile::Span) -> Value {
    let ((sl, sc), (el, ec)) = f.positions(span);
    json!({ "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec })
}

pub(super) fn write(
    files: &[FileReport],
    opts: &RenderOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut rules: Vec<Value> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in opts.rules {
        let mut rule = Map::new();
        rule.insert("id".into(), json!(r.id));
        rule.insert("name".into(), json!(r.name));
        let short = if r.summary.is_empty() {
            &r.name
        } else {
            &r.summary
        };
        rule.insert("shortDescription".into(), json!({ "text": short }));
        if !r.description.is_empty() {
            rule.insert("fullDescription".into(), json!({ "text": r.description }));
        }
        if !r.help_uri.is_empty() {
            rule.insert("helpUri".into(), json!(r.help_uri));
        }
        if !r.help_markdown.is_empty() {
            // the page is Markdown, which reads as plain text too
            rule.insert(
                "help".into(),
                json!({ "text": r.help_markdown, "markdown": r.help_markdown }),
            );
        } else if !r.help_uri.is_empty() {
            rule.insert(
                "help".into(),
                json!({ "text": format!("{}: {}. See {}", r.id, short, r.help_uri) }),
            );
        }
        rule.insert(
            "defaultConfiguration".into(),
            json!({ "level": level(r.severity) }),
        );
        rule.insert(
            "properties".into(),
            json!({ "severity": r.severity.as_str() }),
        );
        index.insert(r.id.clone(), rules.len());
        rules.push(Value::Object(rule));
    }
    let mut results = Vec::new();
    let mut artifacts = Vec::with_capacity(files.len());
    for (file_index, f) in files.iter().enumerate() {
        let uri = path_to_uri(&f.path);
        artifacts.push(json!({ "location": { "uri": uri } }));
        let fps = fingerprints(f);
        for (d, fp) in f.diagnostics.iter().zip(fps) {
            let rule_index = *index.entry(d.rule.to_string()).or_insert_with(|| {
                rules.push(json!({
                    "id": d.rule,
                    "name": d.name,
                    "shortDescription": { "text": d.name },
                    "defaultConfiguration": { "level": level(d.severity) },
                }));
                rules.len() - 1
            });
            let mut reg = region(f, d.span);
            let snippet = d.span.text(&f.source);
            if !snippet.is_empty()
                && let Some(obj) = reg.as_object_mut()
            {
                obj.insert("snippet".into(), json!({ "text": snippet }));
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri, "index": file_index },
                        "region": reg,
                    }
                }],
                "partialFingerprints": { "dlintFingerprint/v1": fp },
            });
            if let (Some(o), Some(obj)) = (&f.origin, result.as_object_mut()) {
                // the compose service / bake target whose build this finding is of
                obj.insert(
                    "properties".into(),
                    json!({ "origin": { "file": o.file.display().to_string(), "kind": o.kind, "name": o.name } }),
                );
            }
            if let (Some(fix), Some(obj)) = (&d.fix, result.as_object_mut()) {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": region(f, e.span),
                            "insertedContent": { "text": e.replacement },
                        })
                    })
                    .collect();
                obj.insert(
                    "fixes".into(),
                    json!([{
                        "description": { "text": fix.description },
                        // dlint's applicability: `safe` fixes are applied by `dlint fix`,
                        // `unsafe` ones only with `--unsafe-fixes`
                        "properties": { "applicability": fix.applicability.as_str() },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": uri, "index": file_index },
                            "replacements": replacements,
                        }],
                    }]),
                );
            }
            results.push(result);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "dlint",
                    "version": opts.version,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(super::json_io_error)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::path_to_uri;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(path_to_uri("./a b/Dockerfile"), "a%20b/Dockerfile");
        assert_eq!(path_to_uri("/abs/x#y"), "file:///abs/x%23y");
        assert_eq!(path_to_uri("dir\\Dockerfile"), "dir/Dockerfile");
    }
}
