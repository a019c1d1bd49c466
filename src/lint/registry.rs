//! The rule registry: every rule from [`crate::rules::all`] with its metadata and page.

use super::diagnostic::Severity;
use super::pages;
use super::rule::Rule;
use std::sync::OnceLock;

/// Id of the pseudo-rule for parse errors.
pub const PARSE_ERROR_ID: &str = "DL1000";
/// Name of the pseudo-rule for parse errors.
pub const PARSE_ERROR_NAME: &str = "parse-error";
/// Id of the pseudo-rule for files that cannot be read or are not UTF-8.
pub const UNREADABLE_FILE_ID: &str = "DL1002";
/// Name of the unreadable-file pseudo-rule.
pub const UNREADABLE_FILE_NAME: &str = "unreadable-file";
/// Id of the pseudo-rule for shell scripts too deeply nested or too large to analyse.
pub const ANALYSIS_LIMIT_ID: &str = "DL1003";
/// Name of the analysis-limit pseudo-rule.
pub const ANALYSIS_LIMIT_NAME: &str = "analysis-limit";
/// Id of the pseudo-rule reporting inline ignores that suppressed nothing.
pub const UNUSED_IGNORE_ID: &str = "DL5100";
/// Name of the unused-ignore pseudo-rule.
pub const UNUSED_IGNORE_NAME: &str = "unused-ignore";

/// Rules that only run when a severity override (config `override:` or `--error` etc.) names
/// them, as hadolint's "ignore"-severity rules do.
pub const OFF_BY_DEFAULT: &[&str] = &["DL1001", "DL3057"];

/// Everything known about one rule id: the rule's own metadata plus its page's front matter.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Category from the page (`unknown` when the rule has no page).
    pub category: &'static str,
    /// Whether the page says the rule attaches fixes.
    pub fixable: bool,
    /// The page text, front matter included.
    pub page: Option<&'static str>,
    /// False for opt-in rules (see [`OFF_BY_DEFAULT`]).
    pub default_enabled: bool,
    /// False for engine pseudo-rules (parse errors, unused ignores) that have no [`Rule`].
    pub is_rule: bool,
}

/// All rules, indexed for lookup by id or name.
pub struct Registry {
    rules: Vec<Box<dyn Rule>>,
    /// Sorted by id; the first `rules.len()` entries are not necessarily the rules' order.
    infos: Vec<RuleInfo>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("rules", &self.infos.len())
            .finish()
    }
}

fn info(
    id: &'static str,
    name: &'static str,
    severity: Severity,
    summary: &'static str,
    is_rule: bool,
) -> RuleInfo {
    let page = pages::page(id);
    let fm = page.and_then(|p| pages::split(p).ok()).map(|(fm, _)| fm);
    RuleInfo {
        id,
        name,
        severity,
        summary,
        category: fm.as_ref().map(|f| f.category).unwrap_or("unknown"),
        fixable: fm.as_ref().map(|f| f.fixable).unwrap_or(false),
        page,
        default_enabled: !OFF_BY_DEFAULT.contains(&id),
        is_rule,
    }
}

impl Registry {
    /// Builds the registry from a rule list (plus the engine's pseudo-rules).
    pub fn new(rules: Vec<Box<dyn Rule>>) -> Self {
        let mut infos: Vec<RuleInfo> = rules
            .iter()
            .map(|r| {
                let m = r.meta();
                info(m.id, m.name, m.severity, m.summary, true)
            })
            .collect();
        infos.push(info(
            PARSE_ERROR_ID,
            PARSE_ERROR_NAME,
            Severity::Error,
            "The Dockerfile could not be parsed",
            false,
        ));
        infos.push(info(
            UNREADABLE_FILE_ID,
            UNREADABLE_FILE_NAME,
            Severity::Error,
            "The file could not be read or is not UTF-8",
            false,
        ));
        infos.push(info(
            ANALYSIS_LIMIT_ID,
            ANALYSIS_LIMIT_NAME,
            Severity::Warning,
            "A RUN script is too deeply nested or too large to analyse",
            false,
        ));
        infos.push(info(
            UNUSED_IGNORE_ID,
            UNUSED_IGNORE_NAME,
            Severity::Warning,
            "An inline ignore suppressed nothing (with --report-unused-ignores)",
            false,
        ));
        infos.sort_by(|a, b| a.id.cmp(b.id));
        Registry { rules, infos }
    }

    /// The registry over [`crate::rules::all`], built once.
    pub fn global() -> &'static Registry {
        static REG: OnceLock<Registry> = OnceLock::new();
        REG.get_or_init(|| Registry::new(crate::rules::all()))
    }

    /// The rules themselves.
    pub fn rules(&self) -> &[Box<dyn Rule>] {
        &self.rules
    }

    /// Metadata of every rule and pseudo-rule, sorted by id.
    pub fn infos(&self) -> &[RuleInfo] {
        &self.infos
    }

    /// Looks a rule up by id or name, case-insensitively.
    pub fn lookup(&self, key: &str) -> Option<&RuleInfo> {
        let key = key.trim();
        self.infos
            .iter()
            .find(|i| i.id.eq_ignore_ascii_case(key) || i.name.eq_ignore_ascii_case(key))
    }

    /// The closest id or name to `key`, for "did you mean" hints.
    pub fn suggest(&self, key: &str) -> Option<&'static str> {
        let key = key.to_ascii_lowercase();
        self.infos
            .iter()
            .flat_map(|i| [i.id, i.name])
            .map(|c| (super::text::edit_distance(&key, &c.to_ascii_lowercase()), c))
            .filter(|(d, c)| *d <= 3.max(c.len() / 4))
            .min()
            .map(|(_, c)| c)
    }

    /// The README rule table (Markdown), generated from the registry and the pages.
    pub fn markdown_table(&self) -> String {
        let mut out = String::from(
            "| Id | Name | Severity | Category | Fixable | Description |\n|---|---|---|---|---|---|\n",
        );
        for i in &self.infos {
            let title = i
                .page
                .and_then(|p| pages::split(p).ok())
                .and_then(|(_, body)| pages::title(body))
                .map(|t| t.split_once(": ").map(|(_, t)| t).unwrap_or(t))
                .unwrap_or(i.summary);
            let severity = if i.default_enabled {
                i.severity.as_str().to_string()
            } else {
                format!("{} (off by default)", i.severity)
            };
            out.push_str(&format!(
                "| [{id}](rules/{id}.md) | `{name}` | {severity} | {cat} | {fix} | {title} |\n",
                id = i.id,
                name = i.name,
                cat = i.category,
                fix = if i.fixable { "yes" } else { "no" },
                title = title.replace('|', "\\|"),
            ));
        }
        out
    }
}

/// True when `id` is a rule id hadolint knows (DL/SC codes), so configs written for hadolint
/// keep working even where dlint has no such rule.
pub fn is_hadolint_code(id: &str) -> bool {
    let id = id.trim().to_ascii_uppercase();
    let digits = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    match id.strip_prefix("DL") {
        Some(n) if digits(n) => matches!(n.as_bytes().first(), Some(b'1' | b'3' | b'4')),
        _ => id.strip_prefix("SC").is_some_and(digits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudo_rules_are_registered_and_found_by_name() {
        let reg = Registry::new(Vec::new());
        assert_eq!(reg.lookup("dl1000").map(|i| i.id), Some("DL1000"));
        assert_eq!(reg.lookup("Parse-Error").map(|i| i.id), Some("DL1000"));
        assert_eq!(reg.lookup("unused-ignore").map(|i| i.id), Some("DL5100"));
        assert!(reg.lookup("DL9999").is_none());
        assert_eq!(reg.suggest("parse-eror"), Some("parse-error"));
    }

    #[test]
    fn hadolint_codes() {
        assert!(is_hadolint_code("DL3063"));
        assert!(is_hadolint_code("sc2086"));
        assert!(!is_hadolint_code("DL9999"));
        assert!(!is_hadolint_code("XX1234"));
        assert!(!is_hadolint_code("DL30"));
    }
}
