//! `--format junit`: JUnit XML, one test suite per file and one test case per rule per file.
//!
//! Every rule in [`RenderOptions::rules`] becomes a test case (passing when the rule found
//! nothing), so CI test-report views show what was checked; a rule with findings fails and its
//! failure lists every finding as `path:line:col: message`.

use super::xml::escape;
use super::{FileReport, RenderOptions};
use crate::lint::Diagnostic;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub(super) fn write(
    files: &[FileReport],
    opts: &RenderOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Per file: rule id -> (name, findings).
    let mut suites = Vec::with_capacity(files.len());
    let (mut tests, mut failures) = (0usize, 0usize);
    for f in files {
        let mut cases: BTreeMap<&str, (&str, Vec<&Diagnostic>)> = opts
            .rules
            .iter()
            .map(|r| (r.id.as_str(), (r.name.as_str(), Vec::new())))
            .collect();
        for d in &f.diagnostics {
            cases
                .entry(d.rule)
                .or_insert((d.name, Vec::new()))
                .1
                .push(d);
        }
        let failed = cases.values().filter(|(_, v)| !v.is_empty()).count();
        tests += cases.len();
        failures += failed;
        suites.push((f, cases, failed));
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="dlint {}" tests="{tests}" failures="{failures}" errors="0">"#,
        escape(opts.version)
    )?;
    for (f, cases, failed) in suites {
        let path = escape(&f.path);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{failed}" errors="0" skipped="0">"#,
            cases.len()
        )?;
        for (id, (name, findings)) in cases {
            let case = format!(
                r#"    <testcase name="{} {}" classname="{path}" file="{path}""#,
                escape(id),
                escape(name)
            );
            let Some(first) = findings.first() else {
                writeln!(out, "{case}/>")?;
                continue;
            };
            let ((line, _), _) = f.positions(first.span);
            writeln!(out, r#"{case} line="{line}">"#)?;
            let body: Vec<String> = findings
                .iter()
                .map(|d| {
                    let ((l, c), _) = f.positions(d.span);
                    format!(
                        "{}:{l}:{c}: {} {} {}",
                        f.path,
                        d.severity,
                        d.rule,
                        f.message(d)
                    )
                })
                .collect();
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                first.severity,
                escape(&format!(
                    "{} finding{} of {id} {name}",
                    findings.len(),
                    if findings.len() == 1 { "" } else { "s" }
                )),
                escape(&body.join("\n"))
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
