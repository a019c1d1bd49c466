//! Data flows one way between the top-level modules of `src/` (`dockerfile`, `shell`, `image`,
//! `semantic`, `lint`, `rules`, `optimize`, `report`, `cli`, …): no two of them import each other,
//! directly or through others. Read from the source text: every `crate::X` and `crate::{X, …}`
//! outside comments and string literals in a file under `src/X/` or `src/X.rs` is an arrow from
//! that file's module to `X`; a strongly connected set of two or more modules is a circle.
//! Test code counts too (`#[cfg(test)]` modules and `tests.rs` files are part of the module).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module → module it names → the first few places (`src/…:line`) that name it.
type Graph = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// `src` with comments, string literals and char literals replaced by spaces (newlines kept,
/// so line numbers stay).
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if c[i] == 'r' && matches!(next, Some('"' | '#')) && !ident_char(&c, i) {
            // raw string r"…" / r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if c.get(j) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let mut k = j + 1;
            while k < c.len() && !c[k..].starts_with(&close) {
                k += 1;
            }
            let end = (k + close.len()).min(c.len());
            for &ch in &c[i..end] {
                blank(&mut out, ch);
            }
            i = end;
        } else if c[i] == '"' {
            blank(&mut out, c[i]);
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' && i + 1 < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                blank(&mut out, c[i]);
                i += 1;
            }
            if i < c.len() {
                out.push(' ');
                i += 1;
            }
        } else if c[i] == '\'' && (next == Some('\\') || c.get(i + 2) == Some(&'\'')) {
            // a char literal ('"', '\'', '\u{..}'); a lifetime has no closing quote
            let mut k = i + 1;
            if next == Some('\\') {
                k += 2;
            }
            while k < c.len() && c[k] != '\'' && c[k] != '\n' {
                k += 1;
            }
            let end = (k + 1).min(c.len());
            for &ch in &c[i..end] {
                blank(&mut out, ch);
            }
            i = end;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// True when `c[i]` continues an identifier (so `r` at `i` is not a raw-string prefix).
fn ident_char(c: &[char], i: usize) -> bool {
    i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')
}

/// The first path segments `code` names after `crate::`, with their 1-based lines:
/// `crate::lint::Config` gives `lint`, `crate::{image::gates, units}` gives `image` and `units`.
fn crate_refs(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && code[..at].ends_with(|ch: char| ch.is_alphanumeric() || ch == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // the first segment of every item at the group's own depth
            let mut depth = 0usize;
            let mut item_start = true;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    ch if item_start && (ch.is_alphabetic() || ch == '_') => {
                        let name: String = group[k..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.push((name, line_of(at + "crate::{".len() + k)));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((name, line_of(at)));
            }
        }
    }
    out
}

/// The top-level module a file under `src/` belongs to (`lint/config.rs` → `lint`); `None`
/// for the crate roots.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// Every `.rs` file below `dir`, sorted.
pub(crate) fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The import graph between the top-level modules of `src`.
fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|p| module_of(p.strip_prefix(src).ok()?))
        .collect();
    let mut g = Graph::new();
    for path in &files {
        let rel = path.strip_prefix(src).expect("below src");
        let Some(from) = module_of(rel) else {
            continue;
        };
        let text = std::fs::read_to_string(path).expect("source file");
        for (to, line) in crate_refs(&code_only(&text)) {
            if to != from && modules.contains(&to) {
                let places = g.entry(from.clone()).or_default().entry(to).or_default();
                if places.len() < 3 {
                    places.push(format!("src/{}:{line}", rel.display()));
                }
            }
        }
    }
    g
}

/// The strongly connected sets of two or more modules (Tarjan's algorithm), each sorted.
fn circles(g: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.g.get(v).into_iter().flat_map(|m| m.keys()) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut set = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                set.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if set.len() > 1 {
                set.sort();
                s.out.push(set);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}

#[test]
fn no_import_circle_between_top_level_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = graph(&src);
    assert!(
        g.contains_key("rules") && g["rules"].contains_key("lint"),
        "the graph was not read (rules names lint): {g:?}"
    );
    let found = circles(&g);
    let mut report = String::new();
    for set in &found {
        report.push_str(&format!("circle {}:\n", set.join(" ↔ ")));
        for a in set {
            for (b, places) in g.get(a).into_iter().flatten() {
                if set.contains(b) {
                    report.push_str(&format!("  {a} → {b}: {}\n", places.join(", ")));
                }
            }
        }
    }
    assert!(found.is_empty(), "import circles in src/:\n{report}");
}

#[test]
fn circles_are_found_through_other_modules() {
    let mut g = Graph::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "d")] {
        g.entry(a.into()).or_default().insert(b.into(), vec![]);
    }
    assert_eq!(circles(&g), vec![vec!["a", "b", "c"]]);
    g.get_mut("c").map(|m| m.remove("a"));
    assert!(circles(&g).is_empty());
}

#[test]
fn only_code_names_modules() {
    let src = "use crate::{\n    image::gates,\n    units::{human, parse_size},\n};\n\
               // crate::report in a comment\n/* crate::cli */ let s = \"crate::lsp\";\n\
               let r = r#\"crate::hook\"#; let q = '\"'; fn f<'a>() { crate::shell::x(); }\n\
               my_crate::format::y();\n";
    let refs = crate_refs(&code_only(src));
    assert_eq!(
        refs,
        vec![
            ("image".to_string(), 2),
            ("units".to_string(), 3),
            ("shell".to_string(), 7)
        ]
    );
}
