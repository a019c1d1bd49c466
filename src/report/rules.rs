//! The rule list (`dlint rules`) and a rule's page (`dlint explain`).

use crate::lint::Registry;
use crate::{Error, Result};

/// Output formats of `dlint rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesFormat {
    /// Aligned columns.
    Table,
    /// The Markdown table of `docs/rules.md`.
    Markdown,
    /// A JSON array.
    Json,
}

/// The text `dlint rules` prints.
pub fn list(registry: &Registry, format: RulesFormat) -> String {
    match format {
        RulesFormat::Markdown => registry.markdown_table(),
        RulesFormat::Json => {
            let v: Vec<serde_json::Value> = registry
                .infos()
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "id": i.id,
                        "name": i.name,
                        "severity": i.severity,
                        "category": i.category,
                        "fixable": i.fix.is_some(),
                        "fix": i.fix,
                        "aliases": i.aliases,
                        "enabled_by_default": i.default_enabled,
                        "summary": i.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        RulesFormat::Table => {
            let w = registry
                .infos()
                .iter()
                .map(|i| i.name.len())
                .max()
                .unwrap_or(4)
                .max(4);
            let mut out = format!(
                "{:<7} {:<w$} {:<8} {:<13} {:<7} {}\n",
                "ID", "NAME", "SEVERITY", "CATEGORY", "FIXABLE", "SUMMARY"
            );
            for i in registry.infos() {
                let sev = if i.default_enabled {
                    i.severity.to_string()
                } else {
                    "off".to_string()
                };
                out.push_str(&format!(
                    "{:<7} {:<w$} {:<8} {:<13} {:<7} {}\n",
                    i.id,
                    i.name,
                    sev,
                    i.category,
                    i.fix_label(),
                    i.summary
                ));
            }
            out
        }
    }
}

/// The text `dlint explain` prints for `key`.
pub fn explain(registry: &Registry, key: &str) -> Result<String> {
    let info = registry.lookup(key).ok_or_else(|| {
        let hint = registry
            .suggest(key)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        Error::Usage(format!(
            "unknown rule `{key}`{hint}; `dlint rules` lists them"
        ))
    })?;
    Ok(info.explain())
}
