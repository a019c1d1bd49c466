//! Golden and structural tests for every `--format`, on one fixture set of hand-made findings.

use crate::sarif_schema;

use dlint::dockerfile::Span;
use dlint::lint::{Diagnostic, Edit, Fix, Severity};
use dlint::report::{FileReport, Format, RenderOptions, RuleDoc, render};

const DOCKERFILE: &str = include_str!("../../testdata/report/Dockerfile");

fn span_of(src: &str, needle: &str) -> Span {
    let start = src
        .find(needle)
        .unwrap_or_else(|| panic!("fixture lacks {needle:?}"));
    Span::new(start, start + needle.len())
}

fn diag(
    rule: &'static str,
    name: &'static str,
    severity: Severity,
    message: &str,
    span: Span,
    fix: Option<Fix>,
) -> Diagnostic {
    Diagnostic {
        rule,
        name,
        severity,
        message: message.to_string(),
        span,
        fix,
    }
}

/// Three files: one with findings of every severity (multi-line span, a fix, markup and
/// `%`/newline in messages), a clean one, and one whose path needs escaping.
fn fixtures() -> Vec<FileReport> {
    let src = DOCKERFILE;
    let run = span_of(
        src,
        "RUN apt-get update && \\\n    apt-get install -y curl ca-certificates",
    );
    let install = span_of(src, "apt-get install -y");
    let copy = span_of(src, "COPY . /app");
    let pip = span_of(src, "pip install -r /app/requirements.txt");
    let label = span_of(src, "LABEL description=\"café <& \\\"quoted\\\">\"");
    // DL3015's fix may drop a package the build needs: unsafe; DL3042's cannot: safe.
    let no_rec = Fix::unsafe_edit(
        "add --no-install-recommends",
        vec![Edit {
            span: Span::new(install.end, install.end),
            replacement: " --no-install-recommends".into(),
        }],
    );
    let pip_install = span_of(src, "pip install");
    let no_cache = Fix::safe(
        "add `--no-cache-dir` to `pip install`",
        vec![Edit {
            span: Span::new(pip_install.end, pip_install.end),
            replacement: " --no-cache-dir".into(),
        }],
    );
    let main = FileReport::new(
        "testdata/report/Dockerfile",
        src,
        vec![
            diag(
                "DL3009",
                "apt-lists-not-removed",
                Severity::Info,
                "apt-get install leaves /var/lib/apt/lists/* in the layer",
                run,
                None,
            ),
            diag(
                "DL3015",
                "apt-no-install-recommends",
                Severity::Warning,
                "apt-get install without --no-install-recommends",
                install,
                Some(no_rec),
            ),
            diag(
                "DL5001",
                "copy-before-install",
                Severity::Warning,
                "COPY . /app precedes `pip install -r requirements.txt`: copy requirements.txt first",
                copy,
                None,
            ),
            diag(
                "DL3042",
                "pip-no-cache-dir",
                Severity::Warning,
                "pip install keeps 100% of its cache in /root/.cache/pip\nuse --no-cache-dir",
                pip,
                Some(no_cache),
            ),
            diag(
                "DL3048",
                "invalid-label-key",
                Severity::Style,
                "label value contains <markup> & \"quotes\", commas, colons: here",
                label,
                None,
            ),
        ],
    );
    let clean = FileReport::new("clean/Dockerfile", "FROM scratch\nCOPY a /a\n", vec![]);
    let odd_src = "FROM alpine:3.20\nRUN apk add curl\n";
    let odd = FileReport::new(
        "./odd dir/app,v1.Dockerfile",
        odd_src,
        vec![diag(
            "DL3019",
            "apk-no-cache",
            Severity::Error,
            "apk add without --no-cache keeps /var/cache/apk",
            span_of(odd_src, "apk add curl"),
            None,
        )],
    );
    vec![main, clean, odd]
}

fn rules() -> Vec<RuleDoc> {
    let doc = |id: &str, name: &str, severity, summary: &str| RuleDoc {
        id: id.into(),
        name: name.into(),
        severity,
        summary: summary.into(),
        description: format!("Full description of {id}."),
        help_uri: format!("https://example.invalid/rules/{id}.md"),
        help_markdown: String::new(),
    };
    vec![
        doc(
            "DL3009",
            "apt-lists-not-removed",
            Severity::Info,
            "Delete the apt lists after installing packages",
        ),
        doc(
            "DL3015",
            "apt-no-install-recommends",
            Severity::Warning,
            "Avoid additional packages",
        ),
        doc(
            "DL3019",
            "apk-no-cache",
            Severity::Info,
            "Use apk add --no-cache",
        ),
        doc(
            "DL3042",
            "pip-no-cache-dir",
            Severity::Warning,
            "Use pip install --no-cache-dir",
        ),
        doc(
            "DL5001",
            "copy-before-install",
            Severity::Warning,
            "Copy dependency manifests before the whole context",
        ),
        doc(
            "DL3059",
            "multiple-consecutive-run",
            Severity::Info,
            "Merge consecutive RUN instructions",
        ),
    ]
    // DL3048 is deliberately missing: unknown ids must still render.
}

fn rendered(format: Format, color: bool) -> String {
    let rules = rules();
    let opts = RenderOptions {
        color,
        rules: &rules,
        version: "0.0.0-test",
    };
    let mut out = Vec::new();
    render(format, &fixtures(), &opts, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8 output")
}

#[test]
fn golden_every_format() {
    use clap::ValueEnum;
    for format in Format::value_variants() {
        let out = rendered(*format, false);
        insta::assert_snapshot!(format!("format_{}", format.as_str()), out);
    }
}

#[test]
fn text_has_frames_and_color_only_when_asked() {
    let plain = rendered(Format::Text, false);
    assert!(!plain.contains('\u{1b}'), "plain output has ANSI escapes");
    assert!(plain.contains("warning[DL3015]: apt-get install without --no-install-recommends"));
    assert!(
        plain.contains("--> testdata/report/Dockerfile:4:5"),
        "{plain}"
    );
    assert!(plain.contains("help: [unsafe fix] add --no-install-recommends"));
    assert!(plain.contains("help: [safe fix] add `--no-cache-dir` to `pip install`"));
    assert!(plain.contains("1 fixable with `dlint fix` (1 more with `dlint fix --unsafe-fixes`)"));
    assert!(plain.contains("style[DL3048]"));
    assert!(plain.contains("6 problems (1 error, 3 warnings, 1 info, 1 style) in 2 of 3 files"));
    let colored = rendered(Format::Text, true);
    assert!(
        colored.contains('\u{1b}'),
        "colored output lacks ANSI escapes"
    );
}

#[test]
fn compact_is_one_line_per_finding() {
    let out = rendered(Format::Compact, false);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(
        lines[0],
        "testdata/report/Dockerfile:3:1: info DL3009 apt-get install leaves /var/lib/apt/lists/* in the layer"
    );
    assert!(lines.iter().all(|l| l.splitn(4, ':').count() == 4));
}

#[test]
fn json_document_fields() {
    let v: serde_json::Value = serde_json::from_str(&rendered(Format::Json, false)).expect("json");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["files"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["summary"]["findings"], 6);
    assert_eq!(v["summary"]["warning"], 3);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "DL3009");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(4), Some(44))
    );
    let fix = &v["findings"][1]["fix"];
    assert_eq!(fix["applicability"], "unsafe");
    assert_eq!(v["findings"][3]["fix"]["applicability"], "safe");
    assert_eq!(fix["edits"][0]["replacement"], " --no-install-recommends");
    assert_eq!(fix["edits"][0]["line"], 4);
    assert_eq!(fix["edits"][0]["column"], 23);
    // The edit applied to the source gives the intended text.
    let (s, e) = (
        fix["edits"][0]["start_offset"].as_u64().unwrap_or(0) as usize,
        fix["edits"][0]["end_offset"].as_u64().unwrap_or(0) as usize,
    );
    let fixed = format!(
        "{}{}{}",
        &DOCKERFILE[..s],
        " --no-install-recommends",
        &DOCKERFILE[e..]
    );
    assert!(fixed.contains("apt-get install -y --no-install-recommends curl"));
}

#[test]
fn sarif_validates_against_official_schema() {
    let validator = sarif_schema::validator();
    let doc: serde_json::Value =
        serde_json::from_str(&rendered(Format::Sarif, false)).expect("json");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
    // The validator is not vacuous: a broken document fails.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules[0]["id"], "DL3009");
    assert_eq!(
        rules[0]["fullDescription"]["text"],
        "Full description of DL3009."
    );
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "note");
    assert!(
        rules.iter().any(|r| r["id"] == "DL3048"),
        "unknown rule gets a descriptor"
    );
    for r in run["results"].as_array().expect("results") {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
    assert_eq!(
        run["results"][5]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "odd%20dir/app%2Cv1.Dockerfile"
    );
}

#[test]
fn gitlab_fingerprints_survive_edits_above() {
    let issues = |src: &str| -> Vec<serde_json::Value> {
        let span = span_of(src, "RUN apk add curl");
        let r = FileReport::new(
            "Dockerfile",
            src,
            vec![
                diag("DL3019", "apk-no-cache", Severity::Info, "m", span, None),
                diag(
                    "DL3059",
                    "multiple-consecutive-run",
                    Severity::Info,
                    "m",
                    span_of(src, "RUN true"),
                    None,
                ),
            ],
        );
        let mut out = Vec::new();
        render(Format::Gitlab, &[r], &RenderOptions::default(), &mut out).expect("render");
        serde_json::from_slice::<serde_json::Value>(&out)
            .expect("json")
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let before = issues("FROM alpine\nRUN apk add curl\nRUN true\n");
    let after = issues("# a comment\nFROM alpine:3.20\n\nRUN apk add curl\nRUN true\n");
    assert_eq!(before.len(), 2);
    assert_eq!(before[0]["location"]["lines"]["begin"], 2);
    assert_eq!(after[0]["location"]["lines"]["begin"], 4);
    assert_eq!(before[0]["fingerprint"], after[0]["fingerprint"]);
    assert_eq!(before[1]["fingerprint"], after[1]["fingerprint"]);
    assert_ne!(before[0]["fingerprint"], before[1]["fingerprint"]);
    for i in &before {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} missing");
        }
    }
    // Two identical findings in one file still get distinct fingerprints.
    let twice = issues("FROM alpine\nRUN apk add curl\nRUN true\n");
    assert_eq!(twice[0]["fingerprint"], before[0]["fingerprint"]);
    let out = rendered(Format::Gitlab, false);
    let all: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    let mut fps: Vec<&str> = all
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    fps.sort_unstable();
    fps.dedup();
    assert_eq!(fps.len(), all.len(), "fingerprints are unique");
    assert_eq!(all[5]["location"]["path"], "odd dir/app,v1.Dockerfile");
}

#[test]
fn checkstyle_is_well_formed() {
    let out = rendered(Format::Checkstyle, false);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let files: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("file"))
        .collect();
    assert_eq!(files.len(), 3);
    let errors: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), 6);
    let label = errors
        .iter()
        .find(|e| e.attribute("source") == Some("DL3048"))
        .expect("DL3048");
    assert_eq!(
        label.attribute("message"),
        Some(
            "label value contains <markup> & \"quotes\", commas, colons: here (invalid-label-key)"
        )
    );
    assert_eq!(label.attribute("severity"), Some("info"));
}

#[test]
fn junit_one_testcase_per_rule_per_file() {
    let out = rendered(Format::Junit, false);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let root = doc.root_element();
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 3);
    // 6 known rules per file, plus DL3048 (unknown) in the first file.
    let cases = |s: &roxmltree::Node| s.children().filter(|n| n.has_tag_name("testcase")).count();
    assert_eq!(cases(&suites[0]), 7);
    assert_eq!(cases(&suites[1]), 6);
    assert_eq!(root.attribute("tests"), Some("19"));
    assert_eq!(root.attribute("failures"), Some("6"));
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 6);
    assert!(failures.iter().any(|f| {
        f.text().is_some_and(|t| {
            t.contains("100% of its cache in /root/.cache/pip\nuse --no-cache-dir")
        })
    }));
}

#[test]
fn github_commands_escape_properties_and_data() {
    let out = rendered(Format::Github, false);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(
        lines[0],
        "::notice file=testdata/report/Dockerfile,line=3,endLine=4,col=1,title=DL3009 apt-lists-not-removed::apt-get install leaves /var/lib/apt/lists/* in the layer"
    );
    assert!(lines[3].ends_with("100%25 of its cache in /root/.cache/pip%0Ause --no-cache-dir"));
    assert!(lines[5].starts_with(
        "::error file=odd dir/app%2Cv1.Dockerfile,line=2,endLine=2,col=5,endColumn=17,"
    ));
}

proptest::proptest! {
    /// Any span over any text (CRLF, multi-byte, out of range) renders in every format without
    /// panicking.
    #[test]
    fn any_span_renders(src in "[a-z é\r\n\\\\]{0,40}", a in 0usize..60, b in 0usize..60) {
        use clap::ValueEnum;
        let r = FileReport::new(
            "f",
            src.as_str(),
            vec![diag("DL3009", "n", Severity::Error, "m", Span::new(a, b), Some(Fix::safe("d", vec![Edit { span: Span::new(b, a), replacement: "x".into() }])))],
        );
        for format in Format::value_variants() {
            let mut out = Vec::new();
            render(*format, std::slice::from_ref(&r), &RenderOptions::default(), &mut out).expect("render");
            proptest::prop_assert!(!out.is_empty());
        }
    }
}
