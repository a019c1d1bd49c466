//! Build-time generated table: `$OUT_DIR/rule_pages.rs`, the rule pages (`rules/*.md`) compiled
//! into the binary, a sorted `(file stem, contents)` table of `include_str!`s (so a new page needs
//! no list). Rule modules are declared in committed code (`src/rules/<family>/mod.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    pages(&manifest, &out_dir);
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

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
}
