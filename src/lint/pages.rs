//! Rule pages (`rules/ID.md`), compiled into the binary, and a small parser for their sections.
//!
//! A page is prose and examples only: `# ID: title`, then `## Why`, `## Bad`, `## Good`,
//! `## Fix` (and optional sections such as `## Differences from hadolint`). Everything else
//! about a rule (name, severity, category, fix applicability, default, aliases) is declared in
//! its code ([`super::RuleMeta`]); `tests/it/rule_pages.rs` checks that page and code agree.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/rule_pages.rs"));
}

/// Every compiled-in page as `(file stem, text)`, sorted by stem.
pub fn all() -> &'static [(&'static str, &'static str)] {
    generated::PAGES
}

/// The page for a rule id (exact, upper-case id such as `DL3009`).
pub fn page(id: &str) -> Option<&'static str> {
    all()
        .binary_search_by(|(stem, _)| (*stem).cmp(id))
        .ok()
        .and_then(|i| all().get(i))
        .map(|(_, text)| *text)
}

/// The text of the `## title` section of a page body (up to the next `## ` heading).
pub fn section<'a>(body: &'a str, title: &str) -> Option<&'a str> {
    let mut start = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(h) = trimmed.strip_prefix("## ") {
            if let Some(s) = start {
                return body.get(s..offset);
            }
            if h.trim() == title {
                start = Some(offset + line.len());
            }
        }
        offset += line.len();
    }
    start.and_then(|s| body.get(s..))
}

/// The contents of the first fenced code block (```` ```lang ````) in `text`.
pub fn code_block(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            if inside {
                return Some(out);
            }
            inside = true;
            continue;
        }
        if inside {
            out.push_str(line);
        }
    }
    None
}

/// The `# ID: title` heading of a page, without the `# `.
pub fn title(page: &str) -> Option<&str> {
    page.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(str::trim)
}

/// The title of a page without its `ID: ` prefix; `None` when empty or missing.
pub fn title_text(page: &str) -> Option<&str> {
    title(page)
        .map(|t| t.split_once(": ").map_or(t, |(_, rest)| rest).trim())
        .filter(|t| !t.is_empty())
}

/// The `## Why` prose of a page, trimmed (empty when missing).
pub fn why(page: &str) -> &str {
    section(page, "Why").map(str::trim).unwrap_or_default()
}

/// True when the page starts with a `---` front matter block, which pages no longer have (the
/// metadata lives in the rule's code; `migrate-pages.py` converts old pages).
pub fn has_front_matter(page: &str) -> bool {
    let page = page.strip_prefix('\u{feff}').unwrap_or(page);
    page.starts_with("---\n") || page.starts_with("---\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# DL1: Title\n\n## Why\nBecause.\n\n## Bad\n```dockerfile\nFROM a\n```\n\n## Good\n```dockerfile\nFROM b\n```\n";

    #[test]
    fn finds_title_and_sections() {
        assert_eq!(title(PAGE), Some("DL1: Title"));
        assert_eq!(title_text(PAGE), Some("Title"));
        assert_eq!(why(PAGE), "Because.");
        assert_eq!(
            code_block(section(PAGE, "Bad").unwrap()).as_deref(),
            Some("FROM a\n")
        );
        assert_eq!(
            code_block(section(PAGE, "Good").unwrap()).as_deref(),
            Some("FROM b\n")
        );
        assert_eq!(section(PAGE, "Fix"), None);
        assert!(!has_front_matter(PAGE));
        assert!(has_front_matter("---\nid: DL1\n---\n# DL1: Title\n"));
    }
}
