//! Fixture tests, as ruff's: `tests/fixtures/<ID>.Dockerfile` holds realistic cases for one
//! rule, each starting with a `# case: ...` line that says what it checks, and the findings of
//! that rule are pinned in an insta snapshot (`tests/fixtures/snapshots/<ID>.snap`). Each case is
//! linted on its own (the other lines blanked, so positions are the fixture file's), through the
//! whole engine (inline ignores included) with only the fixture's rule enabled. A rule whose page
//! example says all there is has no fixture file: its snapshot pins the findings of the page's
//! `## Bad` example (`rules/<ID>.md`, whose raising and fix `rule_pages` checks), so that
//! example is written in one place only.
//!
//! One `#[test]` per rule, named after it (`cargo test --test it fixtures::dl3009` runs one),
//! from the list in `fixtures!` below; `every_fixture_is_listed` fails when a rule or a fixture
//! file is missing from it (`scripts/new-rule` adds new rules to it).

use dlint::dockerfile::LineIndex;
use dlint::lint::{self, Config, Registry, pages};
use std::fmt::Write as _;
use std::path::Path;

/// Only `id` enabled (opt-in rules too), with the settings the configuration-driven rules need.
fn config_for(registry: &Registry, id: &'static str, severity: lint::Severity) -> Config {
    let mut cfg = Config::default();
    for info in registry.infos() {
        if info.id != id {
            cfg.ignored.insert(info.id);
        }
    }
    cfg.overrides.insert(id, severity);
    crate::rule_pages::rule_settings(&mut cfg);
    cfg
}

/// The fixture's cases as whole-file texts: case `k` keeps its own lines and blanks every other
/// line (its `# case:` line included).
fn cases(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("# case:"))
        .collect();
    let mut out = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let name = lines[start]
            .trim_start_matches("# case:")
            .trim()
            .to_string();
        let src: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i > start && i < end {
                    l.to_string()
                } else {
                    "\n".to_string()
                }
            })
            .collect();
        out.push((name, src));
    }
    out
}

/// The rule's findings on every case of `text`: `line:col ID message`, with the fix's
/// applicability and the fixed case text when there is one.
fn render(registry: &Registry, id: &'static str, text: &str) -> String {
    let info = registry.lookup(id).expect("fixture named after a rule");
    let cfg = config_for(registry, info.id, info.severity);
    let mut out = String::new();
    for (name, src) in cases(text) {
        let idx = LineIndex::new(&src);
        let diags = lint::lint_source(registry, &src, &cfg);
        writeln!(out, "case {name}: {} finding(s)", diags.len()).unwrap();
        for d in diags {
            let lc = idx.line_col(&src, d.span.start);
            write!(out, "  {}:{} {} {}", lc.line, lc.column, d.rule, d.message).unwrap();
            match &d.fix {
                None => out.push('\n'),
                Some(f) => {
                    writeln!(out, " [fix: {:?}]", f.applicability).unwrap();
                    for e in &f.edits {
                        let a = idx.line_col(&src, e.span.start);
                        let b = idx.line_col(&src, e.span.end);
                        writeln!(
                            out,
                            "    {}:{}-{}:{} -> {:?}",
                            a.line, a.column, b.line, b.column, e.replacement
                        )
                        .unwrap();
                    }
                }
            }
        }
    }
    out
}

/// Lints every case of `tests/fixtures/<ID>.Dockerfile` and compares the findings with the
/// snapshot `tests/fixtures/snapshots/<ID>.snap`.
fn check(lower_id: &str) {
    let registry = dlint::rules::registry();
    let info = registry
        .lookup(&lower_id.to_uppercase())
        .unwrap_or_else(|| panic!("fixture {lower_id}: no such rule"));
    let dir = fixture_dir();
    let mut path = dir.join(format!("{}.Dockerfile", info.id));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("rules/{}.md", info.id));
            page_bad_example(&path)
        }
        Err(e) => panic!("{}: {e}", path.display()),
    };
    assert!(
        text.lines().any(|l| l.starts_with("# case:")),
        "{}: no `# case:` line",
        path.display()
    );
    let rendered = render(registry, info.id, &text);
    insta::with_settings!({
        snapshot_path => dir.join("snapshots"),
        prepend_module_to_snapshot => false,
        input_file => &path,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(info.id, rendered);
    });
}

/// The `## Bad` example of the rule page at `path` as a fixture of one case.
fn page_bad_example(path: &Path) -> String {
    let page = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (a rule without a fixture needs its page)",
            path.display()
        )
    });
    let code = pages::section(&page, "Bad")
        .and_then(pages::code_block)
        .unwrap_or_else(|| panic!("{}: no `## Bad` code block", path.display()));
    format!("# case: the page's Bad example\n{code}")
}

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// One test per fixture, named after its rule in lower case; `LISTED` holds the names.
macro_rules! fixtures {
    ($($id:ident)*) => {
        $(
            #[test]
            fn $id() {
                check(stringify!($id));
            }
        )*
        /// Every fixture that has a test above, lower-case ids.
        const LISTED: &[&str] = &[$(stringify!($id)),*];
    };
}

// Sorted, one per line; `scripts/new-rule` inserts new rules here.
fixtures! {
    dl1001
    dl3000
    dl3001
    dl3002
    dl3003
    dl3004
    dl3006
    dl3007
    dl3008
    dl3009
    dl3010
    dl3011
    dl3012
    dl3013
    dl3014
    dl3015
    dl3016
    dl3018
    dl3019
    dl3020
    dl3021
    dl3022
    dl3023
    dl3024
    dl3025
    dl3026
    dl3027
    dl3028
    dl3029
    dl3030
    dl3032
    dl3033
    dl3034
    dl3035
    dl3036
    dl3037
    dl3038
    dl3040
    dl3041
    dl3042
    dl3043
    dl3044
    dl3045
    dl3046
    dl3047
    dl3048
    dl3049
    dl3050
    dl3051
    dl3052
    dl3053
    dl3054
    dl3055
    dl3056
    dl3057
    dl3058
    dl3059
    dl3060
    dl3061
    dl3062
    dl3063
    dl3064
    dl3065
    dl3066
    dl3067
    dl4000
    dl4001
    dl4003
    dl4004
    dl4005
    dl4006
    dl5001
    dl5002
    dl5003
    dl5004
    dl5005
    dl5101
    dl5102
    dl5103
    dl5104
    dl5105
    dl5106
    dl5107
    dl5109
    dl5110
    dl5111
    dl5112
    dl5113
    dl5114
    dl5115
    dl5116
    dl5117
    dl5118
    dl5119
    dl5120
    dl5121
    dl5140
    dl5141
    dl5142
    dl5143
    dl5144
    dl5145
    dl5146
    dl5147
    dl5148
    dl5149
    dl5150
    dl5151
    dl5152
    dl5153
    dl5154
    dl5155
    dl5156
    dl5157
    dl5158
    dl5159
    dl5160
    dl5161
    dl5162
    dl5163
    dl5164
    dl5165
    dl5166
    dl5167
    dl5168
    dl5169
    dl5170
    dl5172
    dl5173
    dl5174
    dl5178
    dl5179
    sc1012
    sc1065
    sc1072
    sc1088
    sc1089
    sc1090
    sc1091
    sc1133
    sc2002
    sc2005
    sc2006
    sc2011
    sc2015
    sc2016
    sc2021
    sc2028
    sc2034
    sc2035
    sc2038
    sc2043
    sc2046
    sc2059
    sc2086
    sc2102
    sc2113
    sc2116
    sc2129
    sc2143
    sc2155
    sc2164
    sc2166
    sc2185
    sc2196
    sc2197
    sc2226
    sc2251
    sc2283
    sc2288
    sc2308
    sc3001
    sc3003
    sc3004
    sc3006
    sc3009
    sc3010
    sc3011
    sc3014
    sc3020
    sc3030
    sc3037
    sc3039
    sc3040
    sc3043
    sc3044
    sc3046
}

/// Every fixture file has a test, every rule has a test, every snapshot a test, and the list is
/// sorted.
#[test]
fn every_fixture_is_listed() {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(fixture_dir()).expect("tests/fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(id) = name.strip_suffix(".Dockerfile") {
            files.push(id.to_lowercase());
        }
    }
    files.sort();
    let listed: Vec<String> = LISTED.iter().map(|s| s.to_string()).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        listed, sorted,
        "the fixtures! list in tests/it/fixtures.rs is not sorted"
    );
    let unlisted: Vec<&String> = files.iter().filter(|f| !listed.contains(f)).collect();
    assert!(
        unlisted.is_empty(),
        "tests/fixtures/*.Dockerfile not in the fixtures! list of tests/it/fixtures.rs: {unlisted:?}"
    );
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(fixture_dir().join("snapshots")).expect("snapshots") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let id = name.strip_suffix(".snap").unwrap_or(&name).to_lowercase();
        if !listed.contains(&id) {
            orphans.push(name);
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a fixture test: {orphans:?}"
    );
    let registry = dlint::rules::registry();
    let missing: Vec<&str> = registry
        .infos()
        .iter()
        .filter(|i| i.is_rule && !listed.contains(&i.id.to_lowercase()))
        .map(|i| i.id)
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture test: {missing:?}"
    );
}
