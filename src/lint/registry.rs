//! The rule registry: a rule set (handed in by the caller, see [`crate::rules::registry`]) with
//! each rule's metadata, category and page.

use super::diagnostic::{Applicability, Severity};
use super::pages;
use super::rule::{Rule, RuleMeta, RuleWithCategory};

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

/// The engine's pseudo-rules (findings without a [`Rule`]), with their categories.
const PSEUDO_RULES: [(&str, RuleMeta); 4] = [
    (
        "correctness",
        RuleMeta {
            id: PARSE_ERROR_ID,
            name: PARSE_ERROR_NAME,
            severity: Severity::Error,
            summary: "The Dockerfile could not be parsed",
            ..RuleMeta::DEFAULT
        },
    ),
    (
        "correctness",
        RuleMeta {
            id: UNREADABLE_FILE_ID,
            name: UNREADABLE_FILE_NAME,
            severity: Severity::Error,
            summary: "The file could not be read or is not UTF-8",
            ..RuleMeta::DEFAULT
        },
    ),
    (
        "correctness",
        RuleMeta {
            id: ANALYSIS_LIMIT_ID,
            name: ANALYSIS_LIMIT_NAME,
            severity: Severity::Warning,
            summary: "A RUN script is too deeply nested or too large to analyse",
            ..RuleMeta::DEFAULT
        },
    ),
    (
        "best-practice",
        RuleMeta {
            id: UNUSED_IGNORE_ID,
            name: UNUSED_IGNORE_NAME,
            severity: Severity::Warning,
            summary: "An inline ignore suppressed nothing (with --report-unused-ignores)",
            ..RuleMeta::DEFAULT
        },
    ),
];

/// Everything known about one rule id: the rule's metadata, its category and its page.
#[derive(Debug, Clone)]
pub struct RuleEntry {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// The family folder the rule is filed under (`best-practice`, `cache`, ...).
    pub category: &'static str,
    /// The applicability of the rule's fixes; `None` when it attaches none.
    pub fix: Option<Applicability>,
    /// BuildKit check names (and former ids) the rule answers to.
    pub aliases: &'static [&'static str],
    /// The page text (`rules/ID.md`), if the rule has one.
    pub page: Option<&'static str>,
    /// False for opt-in rules.
    pub default_enabled: bool,
    /// False for engine pseudo-rules (parse errors, unused ignores) that have no [`Rule`].
    pub is_rule: bool,
}

impl RuleEntry {
    fn new(category: &'static str, m: RuleMeta, is_rule: bool) -> Self {
        RuleEntry {
            id: m.id,
            name: m.name,
            severity: m.severity,
            summary: m.summary,
            category,
            fix: m.fix,
            aliases: m.aliases,
            page: pages::page(m.id),
            default_enabled: m.default_enabled,
            is_rule,
        }
    }

    /// The text `dlint explain` prints: a one-line header from the metadata, then the page.
    pub fn explain(&self) -> String {
        let header = format!(
            "{} ({}) · severity {}{} · category {} · {}\n\n",
            self.id,
            self.name,
            self.severity,
            if self.default_enabled {
                ""
            } else {
                ", off by default"
            },
            self.category,
            match self.fix {
                Some(Applicability::Safe) => "fixable",
                Some(Applicability::Unsafe) => "fixable (unsafe fix, with --unsafe-fixes)",
                None => "no automatic fix",
            },
        );
        let former: Vec<&str> = self.former_ids().collect();
        let header = if former.is_empty() {
            header
        } else {
            format!("{}(formerly {})\n\n", header.trim_end(), former.join(", "))
        };
        let body = match self.page {
            Some(page) => page.trim_start().to_string(),
            None => format!("# {}: {}\n", self.id, self.summary),
        };
        header + &body
    }

    /// The aliases that are BuildKit check names (not former dlint ids).
    pub fn buildkit_names(&self) -> impl Iterator<Item = &'static str> {
        self.aliases.iter().copied().filter(|a| !is_former_id(a))
    }

    /// The aliases that are former dlint ids (`DL5108` for DL3064).
    pub fn former_ids(&self) -> impl Iterator<Item = &'static str> {
        self.aliases.iter().copied().filter(|a| is_former_id(a))
    }

    /// `safe`, `unsafe` or `no`: what the rule's fixes are.
    pub fn fix_label(&self) -> &'static str {
        self.fix.map_or("no", |a| a.as_str())
    }
}

/// A rule set, indexed for lookup by id or name.
pub struct Registry {
    rules: Vec<Box<dyn Rule>>,
    /// Sorted by id; pseudo-rules included.
    infos: Vec<RuleEntry>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("rules", &self.infos.len())
            .finish()
    }
}

impl Registry {
    /// Builds the registry from a rule set (plus the engine's pseudo-rules). The rule set is
    /// the caller's: dlint's own is [`crate::rules::registry`].
    pub fn new(rules: Vec<RuleWithCategory>) -> Self {
        let mut infos: Vec<RuleEntry> = rules
            .iter()
            .map(|r| RuleEntry::new(r.category, r.rule.meta(), true))
            .collect();
        infos.extend(
            PSEUDO_RULES
                .iter()
                .map(|(category, m)| RuleEntry::new(category, *m, false)),
        );
        infos.sort_by(|a, b| a.id.cmp(b.id));
        Registry {
            rules: rules.into_iter().map(|r| r.rule).collect(),
            infos,
        }
    }

    /// True unless `id` is an opt-in rule (unknown ids count as enabled).
    pub fn default_enabled(&self, id: &str) -> bool {
        self.infos
            .iter()
            .find(|i| i.id == id)
            .is_none_or(|i| i.default_enabled)
    }

    /// The rules a BuildKit check name maps to (names are case-sensitive, as in BuildKit;
    /// former dlint ids are accepted too, so `check=skip=DL5108` keeps working).
    pub fn buildkit_rules(&self, name: &str) -> Vec<&'static str> {
        self.infos
            .iter()
            .filter(|i| i.aliases.contains(&name))
            .map(|i| i.id)
            .collect()
    }

    /// True when `id` answers to some BuildKit check name (`# check=skip=all` covers it);
    /// former dlint ids do not count.
    pub fn has_buildkit_name(&self, id: &str) -> bool {
        self.infos
            .iter()
            .any(|i| i.id == id && i.buildkit_names().next().is_some())
    }

    /// The rules themselves.
    pub fn rules(&self) -> &[Box<dyn Rule>] {
        &self.rules
    }

    /// Metadata of every rule and pseudo-rule, sorted by id.
    pub fn infos(&self) -> &[RuleEntry] {
        &self.infos
    }

    /// Looks a rule up by id, name or alias (a former id such as `DL5108`, or a BuildKit check
    /// name), case-insensitively. Ids and names win over aliases.
    pub fn lookup(&self, key: &str) -> Option<&RuleEntry> {
        let key = key.trim();
        self.infos
            .iter()
            .find(|i| i.id.eq_ignore_ascii_case(key) || i.name.eq_ignore_ascii_case(key))
            .or_else(|| {
                self.infos
                    .iter()
                    .find(|i| i.aliases.iter().any(|a| a.eq_ignore_ascii_case(key)))
            })
    }

    /// The closest id or name to `key`, for "did you mean" hints.
    pub fn suggest(&self, key: &str) -> Option<&'static str> {
        let key = key.to_ascii_lowercase();
        self.infos
            .iter()
            .flat_map(|i| [i.id, i.name].into_iter().chain(i.aliases.iter().copied()))
            .map(|c| (strsim::levenshtein(&key, &c.to_ascii_lowercase()), c))
            .filter(|(d, c)| *d <= 3.max(c.len() / 4))
            .min()
            .map(|(_, c)| c)
    }

    /// The rule table of `docs/rules.md` (Markdown, pages linked as `../rules/ID.md`), generated
    /// from the registry and the pages.
    pub fn markdown_table(&self) -> String {
        let mut out = String::from(
            "| Id | Name | Severity | Category | Fixable | Description |\n|---|---|---|---|---|---|\n",
        );
        for i in &self.infos {
            let title = i.page.and_then(pages::title_text).unwrap_or(i.summary);
            let severity = if i.default_enabled {
                i.severity.as_str().to_string()
            } else {
                format!("{} (off by default)", i.severity)
            };
            out.push_str(&format!(
                "| [{id}](../rules/{id}.md) | `{name}` | {severity} | {cat} | {fix} | {title} |\n",
                id = i.id,
                name = i.name,
                cat = i.category,
                fix = i.fix_label(),
                title = title.replace('|', "\\|"),
            ));
        }
        out
    }
}

/// True when an alias is a former rule id (`DL` and four digits) rather than a BuildKit name.
fn is_former_id(alias: &str) -> bool {
    alias
        .strip_prefix("DL")
        .is_some_and(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
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
