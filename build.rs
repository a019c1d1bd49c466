//! Build-time generated tables:
//! - `$OUT_DIR/rule_pages.rs`: the rule pages (`rules/*.md`) compiled into the binary, a sorted
//!   `(file stem, contents)` table of `include_str!`s;
//! - `$OUT_DIR/rules/<family>.rs`: for every family folder `src/rules/<family>/`, one
//!   `pub mod` per rule file `dlNNNN_<name>.rs` / `scNNNN_<name>.rs` and the family's `rules()`;
//! - `$OUT_DIR/rules/all.rs`: `rules::all()`, every rule with its family (= its category).
//!
//! So adding a rule is adding its file (plus its page and fixture): nothing is listed by hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    pages(&manifest, &out_dir);
    rules(&manifest, &out_dir);
}

fn pages(manifest: &Path, out_dir: &Path) {
    let dir = manifest.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut pages: Vec<(String, PathBuf)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                println!("cargo:rerun-if-changed={}", path.display());
                pages.push((stem.to_string(), path.clone()));
            }
        }
    }
    pages.sort();
    let mut out =
        String::from("/// `(file stem, page text)` for every `rules/*.md`, sorted by stem.\n");
    out.push_str("pub static PAGES: &[(&str, &str)] = &[\n");
    for (stem, path) in &pages {
        let _ = writeln!(
            out,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    write(&out_dir.join("rule_pages.rs"), &out);
}

/// One rule file: `src/rules/<family>/<module>.rs` declaring `impl Rule for <ty>`.
struct RuleFile {
    family: String,
    module: String,
    path: PathBuf,
    ty: String,
}

fn rules(manifest: &Path, out_dir: &Path) {
    let root = manifest.join("src").join("rules");
    println!("cargo:rerun-if-changed=src/rules");
    let mut families: Vec<String> = Vec::new();
    let mut files: Vec<RuleFile> = Vec::new();
    for entry in read_dir_sorted(&root) {
        if !entry.is_dir() {
            continue;
        }
        let Some(family) = entry.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        families.push(family.to_string());
        for path in read_dir_sorted(&entry) {
            let Some(module) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if !is_rule_module(module) || path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let tys: Vec<&str> = text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("impl Rule for "))
                .filter_map(|rest| rest.split_whitespace().next())
                .collect();
            let [ty] = tys.as_slice() else {
                panic!(
                    "{}: a rule file must contain exactly one `impl Rule for <Type> {{`, found {}",
                    path.display(),
                    tys.len()
                );
            };
            files.push(RuleFile {
                family: family.to_string(),
                module: module.to_string(),
                path: path.clone(),
                ty: ty.to_string(),
            });
        }
    }
    let dir = out_dir.join("rules");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    let mut all = String::from(
        "/// Every rule dlint knows, with its family folder as category (`best_practice` is\n\
         /// `best-practice`), in file order.\n\
         pub fn all() -> Vec<crate::lint::Registered> {\n    vec![\n",
    );
    for family in &families {
        let mut out = String::new();
        let mut list = String::new();
        for f in files.iter().filter(|f| &f.family == family) {
            let _ = writeln!(
                out,
                "#[path = {:?}]\npub mod {};",
                f.path.display().to_string(),
                f.module
            );
            let _ = writeln!(list, "        Box::new({}::{}),", f.module, f.ty);
            let _ = writeln!(
                all,
                "        crate::lint::Registered {{ category: {:?}, rule: Box::new({}::{}::{}) }},",
                family.replace('_', "-"),
                family,
                f.module,
                f.ty
            );
        }
        let _ = write!(
            out,
            "\n/// Every rule of this family.\npub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {{\n    vec![\n{list}    ]\n}}\n"
        );
        write(&dir.join(format!("{family}.rs")), &out);
    }
    all.push_str("    ]\n}\n");
    write(&dir.join("all.rs"), &all);
}

/// `dl3009_apt_lists_not_removed` / `sc2086_unquoted_expansion`: `dl` or `sc`, four digits,
/// `_`, a name.
fn is_rule_module(stem: &str) -> bool {
    let b = stem.as_bytes();
    b.len() > 7
        && (stem.starts_with("dl") || stem.starts_with("sc"))
        && b[2..6].iter().all(u8::is_ascii_digit)
        && b[6] == b'_'
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
}
