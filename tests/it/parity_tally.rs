//! `docs/parity/tally.tsv` (tally's rules and what dlint has for each) is well-formed, names
//! only registered rules, and the table of `docs/parity.md` is generated from it
//! (`scripts/gen-parity-tally`).

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rows() -> Vec<(String, String, String)> {
    let tsv = std::fs::read_to_string(root().join("docs/parity/tally.tsv")).expect("tally.tsv");
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut c = l.split('\t');
            let rule = c.next().unwrap_or("").to_string();
            let target = c.next().unwrap_or("").to_string();
            let reason = c.next().unwrap_or("").to_string();
            (rule, target, reason)
        })
        .collect()
}

/// The table `scripts/gen-parity-tally` writes.
fn table(rows: &[(String, String, String)]) -> String {
    let mut out = String::from("| tally rule | dlint | why not, when not |\n|---|---|---|\n");
    for (rule, target, reason) in rows {
        let cell = match target.as_str() {
            "fmt" => "`dlint fmt`".to_string(),
            "-" => "—".to_string(),
            ids => ids
                .split(',')
                .map(|i| format!("[{i}](../rules/{i}.md)"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        out.push_str(&format!("| `{rule}` | {cell} | {reason} |\n"));
    }
    out
}

#[test]
fn every_line_maps_to_rules_fmt_or_a_reason() {
    let registry = dlint::rules::registry();
    let rows = rows();
    assert!(rows.len() >= 80, "only {} tally rules listed", rows.len());
    let mut seen = std::collections::HashSet::new();
    for (rule, target, reason) in &rows {
        assert!(seen.insert(rule.clone()), "{rule} listed twice");
        match target.as_str() {
            "fmt" => assert!(reason.is_empty(), "{rule}: a reason on a mapped line"),
            "-" => assert!(!reason.trim().is_empty(), "{rule}: `-` needs a reason"),
            ids => {
                assert!(reason.is_empty(), "{rule}: a reason on a mapped line");
                for id in ids.split(',') {
                    assert!(
                        registry.lookup(id).is_some_and(|i| i.id == id),
                        "{rule}: `{id}` is no dlint rule"
                    );
                }
            }
        }
    }
}

#[test]
fn parity_page_table_is_generated_from_the_tsv() {
    let page = std::fs::read_to_string(root().join("docs/parity.md")).expect("parity.md");
    let start = "<!-- tally:start -->\n";
    let a = page.find(start).expect("tally:start marker") + start.len();
    let b = page.find("<!-- tally:end -->").expect("tally:end marker");
    assert_eq!(
        page.get(a..b).unwrap_or(""),
        table(&rows()),
        "docs/parity.md is stale: run scripts/gen-parity-tally"
    );
}
