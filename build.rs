//! Compiles the rule pages (`rules/*.md`) into the binary: generates `$OUT_DIR/rule_pages.rs`
//! with a sorted `(file stem, contents)` table of `include_str!`s.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
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
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(out_dir.join("rule_pages.rs"), out) {
        panic!("cannot write rule_pages.rs: {e}");
    }
}
