//! Rule pages (`rules/ID.md`), compiled into the binary, and a small parser for their
//! front matter and sections.

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

/// The front matter of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub severity: &'a str,
    pub category: &'a str,
    pub fixable: bool,
}

/// The categories a page may declare.
pub const CATEGORIES: &[&str] = &[
    "layers",
    "cache",
    "packages",
    "shell",
    "correctness",
    "best-practice",
    "security",
    "labels",
];

/// Splits a page into its front matter and the Markdown body after it.
pub fn split(text: &str) -> Result<(FrontMatter<'_>, &str), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or("page does not start with a `---` front matter line")?;
    let end = rest
        .find("\n---\n")
        .or_else(|| rest.find("\n---\r\n"))
        .ok_or("front matter is not closed by a `---` line")?;
    let (head, body) = rest.split_at(end);
    let body = body
        .strip_prefix("\n---\n")
        .or_else(|| body.strip_prefix("\n---\r\n"))
        .unwrap_or(body);
    let mut fm = FrontMatter::default();
    let mut seen = Vec::new();
    for line in head.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| format!("front matter line `{line}` is not `key: value`"))?;
        let value = value.trim();
        let key = key.trim();
        match key {
            "id" => fm.id = value,
            "name" => fm.name = value,
            "severity" => fm.severity = value,
            "category" => fm.category = value,
            "fixable" => {
                fm.fixable = match value {
                    "true" => true,
                    "false" => false,
                    other => return Err(format!("fixable must be true or false, not `{other}`")),
                }
            }
            other => return Err(format!("unknown front matter key `{other}`")),
        }
        seen.push(key);
    }
    for key in ["id", "name", "severity", "category", "fixable"] {
        if !seen.contains(&key) {
            return Err(format!("front matter lacks `{key}`"));
        }
    }
    Ok((fm, body))
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

/// The `# ID: title` heading of a page body, without the `# `.
pub fn title(body: &str) -> Option<&str> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\nid: DL1\nname: x-y\nseverity: info\ncategory: cache\nfixable: false\n---\n# DL1: Title\n\n## Why\nBecause.\n\n## Bad\n```dockerfile\nFROM a\n```\n\n## Good\n```dockerfile\nFROM b\n```\n";

    #[test]
    fn splits_front_matter_and_sections() {
        let (fm, body) = split(PAGE).unwrap();
        assert_eq!(fm.id, "DL1");
        assert_eq!(fm.name, "x-y");
        assert!(!fm.fixable);
        assert_eq!(title(body), Some("DL1: Title"));
        assert_eq!(section(body, "Why").map(str::trim), Some("Because."));
        assert_eq!(
            code_block(section(body, "Bad").unwrap()).as_deref(),
            Some("FROM a\n")
        );
        assert_eq!(
            code_block(section(body, "Good").unwrap()).as_deref(),
            Some("FROM b\n")
        );
        assert_eq!(section(body, "Fix"), None);
    }

    #[test]
    fn rejects_bad_front_matter() {
        assert!(split("# no front matter").is_err());
        assert!(split("---\nid: DL1\n---\n").unwrap_err().contains("name"));
        assert!(
            split("---\nid: DL1\ncolour: red\n---\n")
                .unwrap_err()
                .contains("colour")
        );
    }
}
