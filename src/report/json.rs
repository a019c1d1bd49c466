//! `--format json`: one document per run.
//!
//! Schema (version 1, stable; fields are only ever added):
//!
//! ```text
//! {
//!   "schema_version": 1,
//!   "tool": { "name": "dlint", "version": "0.1.0" },
//!   "files": ["path", ...],                      // every linted file, also the clean ones
//!   "summary": { "files": 2, "findings": 3, "error": 0, "warning": 2, "info": 1, "style": 0 },
//!   "findings": [ {
//!     "file": "path", "line": 3, "column": 1, "end_line": 4, "end_column": 12,   // 1-based, end exclusive
//!     "rule": "DL3009", "name": "apt-lists-not-removed", "severity": "info",
//!     "message": "...",
//!     "origin": { "file": "compose.yaml", "kind": "service" | "target", "name": "web" },  // only for compose/bake builds
//!     "fix": null | { "description": "...", "applicability": "safe" | "unsafe", "edits": [ {
//!        "line": 3, "column": 1, "end_line": 3, "end_column": 5,
//!        "start_offset": 20, "end_offset": 24,                                    // byte offsets
//!        "replacement": "..." } ] }
//!   } ]
//! }
//! ```

use super::{Counts, FileReport, RenderOptions};
use serde::Serialize;
use std::io::{self, Write};

/// Version of the JSON document's schema.
pub const JSON_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    tool: Tool<'a>,
    files: Vec<&'a str>,
    summary: Summary,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    #[serde(flatten)]
    counts: Counts,
}

#[derive(Serialize)]
struct Finding<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: &'a str,
    name: &'a str,
    severity: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<OriginJson<'a>>,
    fix: Option<FixJson<'a>>,
}

#[derive(Serialize)]
struct OriginJson<'a> {
    file: String,
    kind: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct FixJson<'a> {
    description: &'a str,
    /// `safe` (applied by `dlint fix`) or `unsafe` (only with `--unsafe-fixes`).
    applicability: &'static str,
    edits: Vec<EditJson<'a>>,
}

#[derive(Serialize)]
struct EditJson<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start_offset: usize,
    end_offset: usize,
    replacement: &'a str,
}

pub(super) fn write(
    files: &[FileReport],
    opts: &RenderOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let counts = Counts::of(files);
    let mut findings = Vec::with_capacity(counts.total());
    for f in files {
        for d in &f.diagnostics {
            let ((line, column), (end_line, end_column)) = f.positions(d.span);
            let fix = d.fix.as_ref().map(|fix| FixJson {
                description: &fix.description,
                applicability: fix.applicability.as_str(),
                edits: fix
                    .edits
                    .iter()
                    .map(|e| {
                        let ((line, column), (end_line, end_column)) = f.positions(e.span);
                        EditJson {
                            line,
                            column,
                            end_line,
                            end_column,
                            start_offset: e.span.start,
                            end_offset: e.span.end,
                            replacement: &e.replacement,
                        }
                    })
                    .collect(),
            });
            findings.push(Finding {
                file: &f.path,
                line,
                column,
                end_line,
                end_column,
                rule: d.rule,
                name: d.name,
                severity: d.severity.as_str(),
                message: &d.message,
                origin: f.origin.as_ref().map(|o| OriginJson {
                    file: o.file.display().to_string(),
                    kind: o.kind,
                    name: &o.name,
                }),
                fix,
            });
        }
    }
    let doc = Doc {
        schema_version: JSON_SCHEMA_VERSION,
        tool: Tool {
            name: "dlint",
            version: opts.version,
        },
        files: files.iter().map(|f| f.path.as_str()).collect(),
        summary: Summary {
            files: files.len(),
            findings: counts.total(),
            counts,
        },
        findings,
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(super::json_io_error)?;
    writeln!(out)
}
