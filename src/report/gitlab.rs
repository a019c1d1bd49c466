//! `--format gitlab`: GitLab Code Quality report (a Code Climate subset).
//!
//! The fingerprint hashes the path, the rule id, the finding's source text (whitespace
//! normalised) and its ordinal among identical findings in that file, never the line number,
//! so edits above a finding keep its fingerprint and GitLab does not report it as new.

use super::FileReport;
use crate::lint::{Diagnostic, Severity};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// GitLab's severities are info, minor, major, critical, blocker.
fn severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Style => "info",
    }
}

/// Stable identity of a finding: SHA-256 (hex) over path, rule, normalised source text and
/// the ordinal of this (rule, text) pair within the file.
pub fn fingerprint(path: &str, rule: &str, text: &str, ordinal: usize) -> String {
    let mut h = Sha256::new();
    for part in [path, rule] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            h.update(b" ");
        }
        h.update(word.as_bytes());
    }
    h.update([0]);
    h.update(ordinal.to_string().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Fingerprints of a file's findings, in order (shared with SARIF's partialFingerprints).
pub(super) fn fingerprints(f: &FileReport) -> Vec<String> {
    // one Dockerfile built by two services has findings of each: the name keeps them apart
    let path = match &f.origin {
        Some(o) => format!("{}#{}", display_path(&f.path), o.name),
        None => display_path(&f.path).to_string(),
    };
    let path = path.as_str();
    let mut seen: HashMap<(&str, String), usize> = HashMap::new();
    f.diagnostics
        .iter()
        .map(|d: &Diagnostic| {
            let text = d.span.text(&f.source);
            let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let n = seen.entry((d.rule, norm)).or_insert(0);
            let fp = fingerprint(path, d.rule, text, *n);
            *n += 1;
            fp
        })
        .collect()
}

/// Repository-relative form of a path (without a leading `./`).
pub(super) fn display_path(p: &str) -> &str {
    p.strip_prefix("./").unwrap_or(p)
}

pub(super) fn write(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Vec::new();
    for f in files {
        let fps = fingerprints(f);
        for (d, fp) in f.diagnostics.iter().zip(fps) {
            let ((begin, _), (end, _)) = f.positions(d.span);
            issues.push(Issue {
                description: format!("{} {}: {}", d.rule, d.name, f.message(d)),
                check_name: d.rule,
                fingerprint: fp,
                severity: severity(d.severity),
                location: Location {
                    path: display_path(&f.path),
                    lines: Lines {
                        begin,
                        end: end.max(begin),
                    },
                },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(super::json_io_error)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_whitespace_but_not_ordinal_or_rule() {
        let a = fingerprint("Dockerfile", "DL3009", "RUN  apt-get\n update", 0);
        assert_eq!(
            a,
            fingerprint("Dockerfile", "DL3009", "RUN apt-get update", 0)
        );
        assert_ne!(
            a,
            fingerprint("Dockerfile", "DL3009", "RUN apt-get update", 1)
        );
        assert_ne!(
            a,
            fingerprint("Dockerfile", "DL3015", "RUN apt-get update", 0)
        );
        assert_ne!(
            a,
            fingerprint("a/Dockerfile", "DL3009", "RUN apt-get update", 0)
        );
        assert_eq!(a.len(), 64);
    }
}
